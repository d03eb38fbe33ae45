//! Checks a request against one scheme and a list of secrets, and explains the result.

use super::crypto::{self, Algorithm, SignatureEncoding};
use super::diagnose::{self, Diagnosis};
use super::request::SignableRequest;
use super::scheme::{render, ReadProblem, Scheme, TimestampFormat};
use crate::model::VerdictStatus;

/// The result of checking one request, before it is labelled with the provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub status: VerdictStatus,
    pub matched_secret: Option<usize>,
    pub diagnosis: Option<Diagnosis>,
    /// The signature the first secret produces (HMAC schemes only; never the secret itself).
    pub expected: Option<String>,
    /// The signature value that arrived (not for token schemes, whose value is the secret).
    pub received: Option<String>,
}

impl Outcome {
    fn new(status: VerdictStatus, diagnosis: Option<Diagnosis>) -> Self {
        Self {
            status,
            matched_secret: None,
            diagnosis,
            expected: None,
            received: None,
        }
    }
}

/// One request's presented signatures and timestamp, ready to be checked with any key.
pub struct Attempt<'a> {
    pub scheme: &'a Scheme<'a>,
    pub request: &'a SignableRequest<'a>,
    pub signatures: Vec<Vec<u8>>,
    pub timestamp: Option<String>,
    /// Twilio's validators accept the URL with and without its default port.
    pub twilio_rules: bool,
    /// An optional part of the scheme the request lacks (Linear's `webhookTimestamp`), in words.
    pub missing_optional: Option<String>,
}

impl Attempt<'_> {
    /// True when `key` signs the content rendered from `body` and `url` into one presented signature.
    pub fn matches(&self, algorithm: Algorithm, key: &[u8], body: &[u8], url: &str) -> bool {
        let mut urls = vec![url.to_owned()];
        if self.twilio_rules {
            urls.extend(port_variants(url));
        }
        urls.iter().any(|url| {
            let Ok(content) = render(self.scheme.content, self.request, body, url, self.timestamp.as_deref()) else {
                return false;
            };
            self.signatures
                .iter()
                .any(|sig| crypto::check(algorithm, key, &content, sig))
        })
    }
}

/// Checks `request` with each secret (newest first) and diagnoses a failure.
pub fn check(
    scheme: &Scheme<'_>,
    twilio_rules: bool,
    secrets: &[String],
    request: &SignableRequest<'_>,
    now_unix: i64,
    tolerance: Option<i64>,
) -> Outcome {
    let (attempt, skew, received) = match prepare(scheme, twilio_rules, secrets, request, now_unix) {
        Ok(prepared) => prepared,
        Err(outcome) => return outcome,
    };
    let keys: Vec<(usize, Vec<u8>)> = secrets
        .iter()
        .enumerate()
        .filter_map(|(i, s)| scheme.key.decode(s).map(|k| (i, k)))
        .collect();
    let newest_key = keys.first().filter(|(i, _)| *i == 0).map(|(_, k)| k.as_slice());
    let base = Outcome {
        expected: expected_signature(&attempt, newest_key),
        received,
        ..Outcome::new(VerdictStatus::Failed, None)
    };
    let tolerance = tolerance.or(scheme.tolerance).map(|t| t.clamp(0, SKEW_LIMIT));
    let late = skew.zip(tolerance).filter(|(skew, tolerance)| skew.abs() > *tolerance);

    let matched = keys
        .iter()
        .find(|(_, key)| attempt.matches(scheme.algorithm, key, request.body, &request.url))
        .map(|(i, _)| *i);
    let Some(index) = matched else {
        let diagnosis = diagnose::secret_encoding(&attempt, secrets)
            .or_else(|| diagnose::algorithm(&attempt, &keys))
            .or_else(|| diagnose::body(&attempt, &keys))
            .or_else(|| diagnose::url(&attempt, &keys))
            .unwrap_or_else(|| mismatch(&keys, secrets.len(), late));
        return Outcome {
            diagnosis: Some(diagnosis),
            ..base
        };
    };
    let failure = late
        .map(|(skew, tolerance)| late_diagnosis(skew, tolerance))
        .or_else(|| twilio_rules.then(|| twilio_body_hash(request)).flatten());
    let (status, diagnosis) = match failure {
        Some(diagnosis) => (VerdictStatus::Failed, Some(diagnosis)),
        None => (
            VerdictStatus::Verified,
            (index > 0)
                .then(|| older_secret(index))
                .or_else(|| attempt.missing_optional.as_deref().map(optional_missing)),
        ),
    };
    Outcome {
        status,
        matched_secret: Some(index),
        diagnosis,
        ..base
    }
}

/// Reads the signature and timestamp; an `Err` is the whole outcome (unsigned, malformed, no
/// secret). `Ok` carries the attempt, the clock skew and the value to show as received.
fn prepare<'a>(
    scheme: &'a Scheme<'a>,
    twilio_rules: bool,
    secrets: &[String],
    request: &'a SignableRequest<'a>,
    now_unix: i64,
) -> Result<(Attempt<'a>, Option<i64>, Option<String>), Outcome> {
    let presented = scheme.read(request).map_err(|problem| match problem {
        ReadProblem::Missing(why) => {
            Outcome::new(VerdictStatus::Unsigned, Some(Diagnosis::new("missing_signature", why)))
        }
        ReadProblem::Malformed(why) => {
            Outcome::new(VerdictStatus::Failed, Some(Diagnosis::new("malformed_header", why)))
        }
    })?;
    // A token scheme's value is the secret itself: never shown.
    let received = (scheme.algorithm != Algorithm::Token).then(|| presented.raw.clone());
    let with_received = |status, diagnosis| Outcome {
        received: received.clone(),
        ..Outcome::new(status, Some(diagnosis))
    };
    if secrets.is_empty() {
        let why = if scheme.algorithm == Algorithm::RsaPkcs1 {
            super::sns::missing_certificate_hint(request.body)
        } else {
            "no secret is configured to check this signature with".to_owned()
        };
        return Err(with_received(VerdictStatus::NoSecret, Diagnosis::new("no_secret", why)));
    }
    let signatures: Vec<Vec<u8>> = presented
        .signatures
        .iter()
        .filter_map(|s| scheme.encoding.decode(s))
        .collect();
    if signatures.is_empty() {
        let why = format!(
            "the signature in {} is not valid {}",
            scheme.location_text(),
            scheme.encoding.name()
        );
        return Err(with_received(
            VerdictStatus::Failed,
            Diagnosis::new("malformed_header", why),
        ));
    }
    let skew = timestamp_skew(scheme, presented.timestamp.as_deref(), now_unix)
        .map_err(|why| with_received(VerdictStatus::Failed, Diagnosis::new("malformed_header", why)))?;
    let attempt = Attempt {
        scheme,
        request,
        signatures,
        timestamp: presented.timestamp,
        twilio_rules,
        missing_optional: presented.missing_optional,
    };
    Ok((attempt, skew, received))
}

fn older_secret(index: usize) -> Diagnosis {
    Diagnosis::new(
        "older_secret",
        format!(
            "verified with secret #{}, an older one: the sender still signs with the previous secret",
            index + 1
        ),
    )
}

/// A warning on a verified request: the part its provider's SDK treats as optional is absent.
fn optional_missing(place: &str) -> Diagnosis {
    Diagnosis::new(
        "optional_part_missing",
        format!(
            "verified on the signature alone: {place} is absent, so the replay window was not checked (the \
             provider's older SDKs accept this; its newest may reject it)"
        ),
    )
}

/// Bound for skews and tolerances, so that arithmetic on absurd timestamps cannot overflow.
const SKEW_LIMIT: i64 = i64::MAX / 4;

/// `now - timestamp` in seconds, `None` when the scheme has no clock-checked timestamp.
fn timestamp_skew(scheme: &Scheme<'_>, timestamp: Option<&str>, now_unix: i64) -> Result<Option<i64>, String> {
    match timestamp {
        Some(_) if scheme.timestamp_format == TimestampFormat::Opaque => Ok(None),
        Some(text) => scheme
            .timestamp_seconds(text)
            .map(|ts| Some(now_unix.saturating_sub(ts))),
        None => Ok(None),
    }
}

fn late_diagnosis(skew: i64, tolerance: i64) -> Diagnosis {
    let message = if skew > 0 {
        format!(
            "the signature is right but its timestamp is {skew} s old, {} s beyond the {tolerance} s tolerance: this \
             looks like a replay of an old delivery (or this machine's clock is wrong)",
            skew - tolerance
        )
    } else {
        format!(
            "the signature is right but its timestamp is {} s in the future, beyond the {tolerance} s tolerance: \
             check the clocks of the sender and this machine",
            -skew
        )
    };
    Diagnosis::new("timestamp_outside_tolerance", message)
}

fn mismatch(keys: &[(usize, Vec<u8>)], secrets: usize, late: Option<(i64, i64)>) -> Diagnosis {
    let mut message = if keys.is_empty() {
        format!("none of the {secrets} configured secret(s) is valid in this provider's key encoding")
    } else {
        format!(
            "no configured secret ({secrets} tried) produces this signature: check that the secret belongs to this \
             endpoint and was copied whole"
        )
    };
    if let Some((skew, tolerance)) = late {
        message.push_str(&format!(
            "; the timestamp is also {} s outside the {tolerance} s tolerance",
            skew.abs() - tolerance
        ));
    }
    Diagnosis::new("signature_mismatch", message)
}

/// The signature the first secret would give, for showing next to the received one.
fn expected_signature(attempt: &Attempt<'_>, key: Option<&[u8]>) -> Option<String> {
    let scheme = attempt.scheme;
    let digest = scheme.algorithm.is_hmac() || scheme.algorithm == Algorithm::Sha256SecretPrefix;
    if !digest || scheme.encoding == SignatureEncoding::Text {
        return None;
    }
    let content = render(
        scheme.content,
        attempt.request,
        attempt.request.body,
        &attempt.request.url,
        attempt.timestamp.as_deref(),
    )
    .ok()?;
    crypto::produce(scheme.algorithm, key?, &content)
        .ok()
        .map(|mac| scheme.encoding.encode(&mac))
}

/// The URL without its port, and with the scheme's default port, as Twilio's SDKs accept;
/// credentials in the URL are kept.
fn port_variants(url: &str) -> Vec<String> {
    let Ok(parsed) = url::Url::parse(url) else {
        return Vec::new();
    };
    let Some(default) = parsed.port_or_known_default() else {
        return Vec::new();
    };
    let authority = &parsed[..url::Position::AfterHost];
    let rest = &parsed[url::Position::BeforePath..];
    [format!("{authority}:{default}{rest}"), format!("{authority}{rest}")]
        .into_iter()
        .filter(|u| u != url)
        .collect()
}

/// Twilio signs JSON bodies through a `bodySHA256` query parameter.
fn twilio_body_hash(request: &SignableRequest<'_>) -> Option<Diagnosis> {
    let parsed = url::Url::parse(&request.url).ok()?;
    let (_, claimed) = parsed.query_pairs().find(|(name, _)| name == "bodySHA256")?;
    if claimed.eq_ignore_ascii_case(&crypto::sha256_hex(request.body)) {
        return None;
    }
    let variants = if request.body.len() <= diagnose::BODY_DIAGNOSIS_LIMIT {
        diagnose::body_variants(request.body)
    } else {
        Vec::new()
    };
    let variant = variants
        .into_iter()
        .find(|(_, body)| claimed.eq_ignore_ascii_case(&crypto::sha256_hex(body)));
    Some(match variant {
        Some((label, _)) => Diagnosis::new(
            "body_modified",
            format!("the URL is signed, but bodySHA256 matches the body {label}: a relay re-encoded the body"),
        ),
        None => Diagnosis::new(
            "body_modified",
            "the URL is signed, but the body's SHA-256 differs from the bodySHA256 query parameter: the body was changed",
        ),
    })
}

//! Providers that still send more than one scheme version (HubSpot v3, v2 and v1; Adyen's
//! notification HMAC and its `HmacSignature` header): find the versions a request carries, check
//! each, and say in the verdict which were tried, which header was missing and which one matched.

use super::check::{self, Outcome};
use super::diagnose::Diagnosis;
use super::providers::Candidate;
use super::request::SignableRequest;
use super::scheme::ReadProblem;
use crate::model::VerdictStatus;

/// The outcome of checking a request against a provider's versions, and the index (into the
/// candidates) of the version the outcome speaks of.
pub struct VersionedOutcome {
    pub outcome: Outcome,
    pub version: usize,
}

/// How one version stands for a request before any key is tried.
enum Presence {
    /// Its signature is there (and its selector header, if any, names it or is absent).
    Present,
    /// Its signature is absent: where it was expected.
    Absent(String),
    /// The selector header names another version.
    NotSelected,
}

/// Checks `request` against each version that carries a signature, newest first; the first that
/// verifies wins. A provider with a single version is checked exactly as before.
pub fn check(
    provider: &str,
    candidates: &[Candidate<'_>],
    twilio_rules: bool,
    secrets: &[String],
    request: &SignableRequest<'_>,
    now_unix: i64,
    tolerance: Option<i64>,
) -> VersionedOutcome {
    let run = |candidate: &Candidate<'_>| {
        check::check(&candidate.scheme, twilio_rules, secrets, request, now_unix, tolerance)
    };
    if candidates.len() == 1 {
        return VersionedOutcome {
            outcome: run(&candidates[0]),
            version: 0,
        };
    }
    let presence: Vec<Presence> = candidates.iter().map(|c| presence(c, request)).collect();
    let present: Vec<usize> = (0..candidates.len())
        .filter(|i| matches!(presence[*i], Presence::Present))
        .collect();
    if present.is_empty() {
        return VersionedOutcome {
            outcome: none_present(provider, candidates, &presence, request),
            version: 0,
        };
    }
    let outcomes: Vec<(usize, Outcome)> = present.iter().map(|i| (*i, run(&candidates[*i]))).collect();
    let selector_note = missing_selector(candidates, &present, request);
    if let Some((index, outcome)) = outcomes.iter().find(|(_, o)| o.status == VerdictStatus::Verified) {
        let mut outcome = outcome.clone();
        if *index > 0 {
            let tried = tried_text(candidates, &presence, *index);
            let note = format!(
                "verified as {provider} {} ({}){tried}{selector_note}",
                candidates[*index].label,
                candidates[*index].scheme.location_text()
            );
            outcome.diagnosis = Some(match outcome.diagnosis.take() {
                Some(first) => Diagnosis::new(first.code, format!("{}; {note}", first.message)),
                None => Diagnosis::new("scheme_version", note),
            });
        }
        return VersionedOutcome {
            outcome,
            version: *index,
        };
    }
    let (index, first) = outcomes[0].clone();
    let mut outcome = first;
    let others: Vec<String> = outcomes[1..]
        .iter()
        .map(|(i, o)| {
            let code = o.diagnosis.as_ref().map_or("failed", |d| d.code);
            format!("{} ({code})", candidates[*i].label)
        })
        .collect();
    // One version present: its diagnosis says it all. Several: name them and how each failed.
    if !others.is_empty() || !selector_note.is_empty() {
        let mut note = format!("checked as {provider} {}", candidates[index].label);
        if !others.is_empty() {
            note.push_str(&format!(", then {}", others.join(", ")));
        }
        note.push_str(&selector_note);
        outcome.diagnosis = outcome
            .diagnosis
            .map(|d| Diagnosis::new(d.code, format!("{} [{note}]", d.message)));
    }
    VersionedOutcome {
        outcome,
        version: index,
    }
}

fn presence(candidate: &Candidate<'_>, request: &SignableRequest<'_>) -> Presence {
    if let Some((header, value)) = candidate.selector {
        if request.header(header).is_some_and(|v| !v.eq_ignore_ascii_case(value)) {
            return Presence::NotSelected;
        }
    }
    match candidate.scheme.read(request) {
        Err(ReadProblem::Missing(_)) => Presence::Absent(candidate.scheme.location_text()),
        _ => Presence::Present,
    }
}

/// No version's signature is present: unsigned, naming every place looked at; or, when a
/// signature is there but its selector header names no known version, malformed.
fn none_present(
    provider: &str,
    candidates: &[Candidate<'_>],
    presence: &[Presence],
    request: &SignableRequest<'_>,
) -> Outcome {
    let unknown_selector = candidates.iter().find_map(|c| {
        let (header, _) = c.selector?;
        let value = request.header(header)?;
        c.scheme.read(request).is_ok().then_some((header, value))
    });
    if let Some((header, value)) = unknown_selector {
        let known: Vec<&str> = candidates
            .iter()
            .filter(|c| c.selector.is_some_and(|(h, _)| h == header))
            .map(|c| c.label)
            .collect();
        return failed(Diagnosis::new(
            "malformed_header",
            format!(
                "{header} is \"{}\", which names no {provider} version: expected {}",
                super::scheme::preview(value),
                known.join(" or ")
            ),
        ));
    }
    let places: Vec<String> = candidates
        .iter()
        .zip(presence)
        .map(|(c, p)| match p {
            Presence::Absent(place) => format!("{} in {place}", c.label),
            _ => format!("{} (not selected)", c.label),
        })
        .collect();
    Outcome {
        status: VerdictStatus::Unsigned,
        ..failed(Diagnosis::new(
            "missing_signature",
            format!(
                "expected a signature of one of {provider}'s versions, none is present: {}",
                places.join(", ")
            ),
        ))
    }
}

fn failed(diagnosis: Diagnosis) -> Outcome {
    Outcome {
        status: VerdictStatus::Failed,
        matched_secret: None,
        diagnosis: Some(diagnosis),
        expected: None,
        received: None,
    }
}

/// `; tried first: v3 absent (header X-HubSpot-Signature-v3)`, for the versions before `matched`.
fn tried_text(candidates: &[Candidate<'_>], presence: &[Presence], matched: usize) -> String {
    let before: Vec<String> = (0..matched)
        .map(|i| match &presence[i] {
            Presence::Absent(place) => format!("{} absent ({place})", candidates[i].label),
            Presence::NotSelected => format!("{} not selected", candidates[i].label),
            Presence::Present => format!("{} did not verify", candidates[i].label),
        })
        .collect();
    if before.is_empty() {
        String::new()
    } else {
        format!("; tried first: {}", before.join(", "))
    }
}

/// `; X-HubSpot-Signature-Version is missing, so v2 and v1 were both tried` when a selector
/// header is absent and more than one version it selects between was present.
fn missing_selector(candidates: &[Candidate<'_>], present: &[usize], request: &SignableRequest<'_>) -> String {
    let Some((header, _)) = present.iter().find_map(|i| candidates[*i].selector) else {
        return String::new();
    };
    if request.header(header).is_some() {
        return String::new();
    }
    let labels: Vec<&str> = present
        .iter()
        .filter(|i| candidates[**i].selector.is_some_and(|(h, _)| h == header))
        .map(|i| candidates[*i].label)
        .collect();
    format!(
        "; header {header} is missing, so {} were all tried",
        labels.join(" and ")
    )
}

//! Turning a sample into the request to send: placeholders filled, `--set` edits spliced into
//! the body, extra headers added, then signed with the user's secret and a fresh timestamp.

use std::str::FromStr;

use super::placeholder::{Context, Filler};
use super::{body_signature, form_field, pointer, Sample, SampleError};
use crate::model::{HeaderField, OutgoingRequest};
use crate::signature::scheme::SigLocation;
use crate::signature::{apply_headers, sign, table, SignableRequest};

/// How to build one request from a sample.
#[derive(Clone, Default)]
pub struct BuildOptions {
    /// Where the request goes (an endpoint's URL on the listener, or `--to`); the sample's path
    /// suffix and query are joined to it by [`join_url`].
    pub url: String,
    /// The signing secret (for Discord, SendGrid and SNS: the private key, see
    /// [`crate::signature::sign`]). Required for signed samples.
    pub secret: Option<String>,
    /// Meta's verify token, for the `hub.challenge` handshake.
    pub verify_token: Option<String>,
    /// JSON field edits (`--set`), applied in order after the placeholders are filled.
    pub edits: Vec<FieldEdit>,
    /// Extra headers (`-H`): each replaces the sample's header of that name, or is added; their
    /// placeholders are filled too.
    pub headers: Vec<HeaderField>,
    /// A body to send instead of the sample's (the app's editor); its placeholders are filled too.
    pub body: Option<Vec<u8>>,
    /// The instant to fill `{{now}}` and sign with, in ms since the epoch; `None` is now.
    pub now_ms: Option<i64>,
    /// The URL the receiver believes it was called at, when it is not `url` (an endpoint's
    /// public URL): URL-signed providers (Twilio, Square, HubSpot, ...) sign this one.
    pub signed_url: Option<String>,
    /// Build without signing, e.g. to prefill an editor; such a request carries no signature.
    pub skip_signing: bool,
}

impl std::fmt::Debug for BuildOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BuildOptions")
            .field("url", &self.url)
            .field("secret", &self.secret.as_ref().map(|_| "[redacted]"))
            .field("verify_token", &self.verify_token.as_ref().map(|_| "[redacted]"))
            .field("edits", &self.edits)
            .field("headers", &self.headers)
            .field("body", &self.body.as_ref().map(Vec::len))
            .field("now_ms", &self.now_ms)
            .field("signed_url", &self.signed_url)
            .field("skip_signing", &self.skip_signing)
            .finish()
    }
}

/// One `--set /json/pointer=VALUE` edit: the value is JSON text, spliced in as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldEdit {
    pub pointer: String,
    pub value: String,
}

impl FromStr for FieldEdit {
    type Err = SampleError;

    /// Parses `/pointer=VALUE` (split at the first `=`); the value must be JSON.
    fn from_str(text: &str) -> Result<Self, SampleError> {
        let (pointer, value) = text
            .split_once('=')
            .filter(|(pointer, _)| pointer.is_empty() || pointer.starts_with('/'))
            .ok_or_else(|| SampleError::BadEditSyntax { edit: text.to_owned() })?;
        let edit = FieldEdit {
            pointer: pointer.to_owned(),
            value: value.trim().to_owned(),
        };
        edit.check_value()?;
        Ok(edit)
    }
}

impl FieldEdit {
    fn check_value(&self) -> Result<(), SampleError> {
        serde_json::from_str::<&serde_json::value::RawValue>(&self.value)
            .map(drop)
            .map_err(|e| SampleError::ValueNotJson {
                pointer: self.pointer.clone(),
                value: self.value.clone(),
                why: e.to_string(),
            })
    }

    /// `body` with this field changed and every other byte kept. A form body (`content_type`
    /// `application/x-www-form-urlencoded`) takes `/Name` and the value's text (a JSON string
    /// without its quotes).
    pub fn apply(&self, body: &[u8], content_type: Option<&str>) -> Result<Vec<u8>, SampleError> {
        self.check_value()?;
        let is_form = content_type.is_some_and(|ct| {
            ct.trim()
                .to_ascii_lowercase()
                .starts_with("application/x-www-form-urlencoded")
        });
        let text = std::str::from_utf8(body).map_err(|_| SampleError::BodyNotJson {
            pointer: self.pointer.clone(),
            why: "it is not UTF-8 text".into(),
        })?;
        if is_form {
            return self.apply_to_form(text);
        }
        pointer::splice(text, &self.pointer, &self.value)
            .map(String::into_bytes)
            .map_err(|problem| match problem {
                pointer::Problem::NotJson(why) => SampleError::BodyNotJson {
                    pointer: self.pointer.clone(),
                    why,
                },
                pointer::Problem::Missing(why) => SampleError::PointerNotFound {
                    pointer: self.pointer.clone(),
                    why,
                },
            })
    }

    fn apply_to_form(&self, body: &str) -> Result<Vec<u8>, SampleError> {
        let not_found = |why: String| SampleError::PointerNotFound {
            pointer: self.pointer.clone(),
            why,
        };
        let name = self
            .pointer
            .strip_prefix('/')
            .filter(|name| !name.contains('/'))
            .ok_or_else(|| not_found("a form field is named by one token, such as /Body".into()))?
            .replace("~1", "/")
            .replace("~0", "~");
        let value = match serde_json::from_str::<serde_json::Value>(&self.value) {
            Ok(serde_json::Value::String(text)) => text,
            _ => self.value.clone(),
        };
        form_field::splice(body, &name, &value)
            .map(String::into_bytes)
            .map_err(not_found)
    }
}

/// The request `sample` describes, filled, edited and signed as `options` say.
pub fn build(sample: &Sample, options: &BuildOptions) -> Result<OutgoingRequest, SampleError> {
    let provider = table::find(&sample.provider).ok_or_else(|| SampleError::UnknownProvider {
        provider: sample.provider.clone(),
        closest: super::suggest::closest(&sample.provider, crate::signature::provider_ids()),
    })?;
    let now_ms = options.now_ms.unwrap_or_else(now_ms);
    let mut request = fill(sample, options, now_ms)?;
    edit(&mut request, &options.edits)?;
    if sample.signed && !options.skip_signing {
        sign_request(provider, &mut request, options, now_ms)?;
    }
    tracing::debug!(provider = provider.id, event = %sample.event, "sample built");
    Ok(request)
}

/// The sample with its placeholders filled (one value per expression across path, headers and
/// body), the extra headers applied and the URL joined.
fn fill(sample: &Sample, options: &BuildOptions, now_ms: i64) -> Result<OutgoingRequest, SampleError> {
    let mut filler = Filler::new(&sample.provider, now_ms, options.verify_token.as_deref());
    let path = filler.fill_text(&sample.path, Context::Path)?;
    let mut headers = Vec::with_capacity(sample.headers.len() + options.headers.len() + 3);
    for header in &sample.headers {
        headers.push(HeaderField::new(
            header.name.clone(),
            filler.fill_text(&header.value, Context::Text)?,
        ));
    }
    let mut extra = Vec::with_capacity(options.headers.len());
    for header in &options.headers {
        extra.push(HeaderField::new(
            header.name.clone(),
            filler.fill_text(&header.value, Context::Text)?,
        ));
    }
    apply_headers(&mut headers, &extra);
    let body = filler.fill(options.body.as_deref().unwrap_or(&sample.body), Context::Text)?;
    Ok(OutgoingRequest {
        method: sample.method.clone(),
        url: join_url(&options.url, &path)?,
        headers,
        body,
    })
}

/// Applies the `--set` edits in order.
fn edit(request: &mut OutgoingRequest, edits: &[FieldEdit]) -> Result<(), SampleError> {
    let content_type = request.header("content-type").map(str::to_owned);
    for edit in edits {
        request.body = edit.apply(&request.body, content_type.as_deref())?;
    }
    Ok(())
}

/// Signs with the secret and `now_ms`: signature headers for most providers, the body's
/// signature field for those that carry it there.
fn sign_request(
    provider: &table::Provider,
    request: &mut OutgoingRequest,
    options: &BuildOptions,
    now_ms: i64,
) -> Result<(), SampleError> {
    let secret = options
        .secret
        .as_deref()
        .filter(|s| !s.trim().is_empty())
        .ok_or_else(|| SampleError::NoSecret {
            provider: provider.id.to_owned(),
        })?;
    let target = url::Url::parse(&request.url)
        .map(|u| u[url::Position::BeforePath..].to_owned())
        .unwrap_or_else(|_| "/".to_owned());
    let signed_url = options.signed_url.as_deref().unwrap_or(&request.url);
    let view = SignableRequest::new(
        &request.method,
        &target,
        &request.headers,
        &request.body,
        Some(signed_url),
    );
    match provider.scheme.location {
        SigLocation::Header(_) => {
            let signature =
                sign(provider.id, secret, &view, now_ms.div_euclid(1000)).map_err(|source| SampleError::Signature {
                    provider: provider.id.to_owned(),
                    source,
                })?;
            apply_headers(&mut request.headers, &signature);
        }
        SigLocation::JsonBody(field) => request.body = body_signature::sign_in_body(provider, secret, &view, field)?,
    }
    Ok(())
}

/// `base` with a sample's path suffix appended and its query joined to any `base` has:
/// `http://h/stripe` and `/events?a=1` give `http://h/stripe/events?a=1`; a suffix of `/` adds nothing.
pub fn join_url(base: &str, path: &str) -> Result<String, SampleError> {
    let mut url = url::Url::parse(base.trim()).map_err(|e| SampleError::BadUrl {
        url: base.to_owned(),
        why: e.to_string(),
    })?;
    let (suffix, query) = path.split_once('?').unwrap_or((path, ""));
    if !suffix.is_empty() && suffix != "/" {
        let joined = format!(
            "{}/{}",
            url.path().trim_end_matches('/'),
            suffix.trim_start_matches('/')
        );
        url.set_path(&joined);
    }
    if !query.is_empty() {
        let joined = match url.query().filter(|q| !q.is_empty()) {
            Some(existing) => format!("{existing}&{query}"),
            None => query.to_owned(),
        };
        url.set_query(Some(&joined));
    }
    url.set_fragment(None);
    Ok(url.to_string())
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_joined_with_the_suffix_and_both_queries() {
        let join = |base, path| join_url(base, path).unwrap();
        assert_eq!(
            join("http://127.0.0.1:8787/stripe", "/"),
            "http://127.0.0.1:8787/stripe"
        );
        assert_eq!(join("http://h/stripe/", "/events?a=1"), "http://h/stripe/events?a=1");
        assert_eq!(
            join("http://h/in?k=v", "/?hub.mode=subscribe"),
            "http://h/in?k=v&hub.mode=subscribe"
        );
        assert_eq!(join("http://h", "/"), "http://h/");
        assert!(matches!(join_url("not a url", "/"), Err(SampleError::BadUrl { .. })));
    }

    #[test]
    fn an_edit_is_parsed_at_the_first_equals_sign_and_its_value_must_be_json() {
        let edit: FieldEdit = "/data/object/customer=\"cus_42\"".parse().unwrap();
        assert_eq!(
            (edit.pointer.as_str(), edit.value.as_str()),
            ("/data/object/customer", "\"cus_42\"")
        );
        let edit: FieldEdit = "/a={\"b\":\"=\"}".parse().unwrap();
        assert_eq!(edit.value, "{\"b\":\"=\"}");
        assert!(matches!(
            "/data/object/customer=cus_42".parse::<FieldEdit>(),
            Err(SampleError::ValueNotJson { pointer, value, .. }) if pointer == "/data/object/customer" && value == "cus_42"
        ));
        assert!(matches!(
            "amount=1".parse::<FieldEdit>(),
            Err(SampleError::BadEditSyntax { .. })
        ));
        assert!(matches!(
            "/amount".parse::<FieldEdit>(),
            Err(SampleError::BadEditSyntax { .. })
        ));
    }
}

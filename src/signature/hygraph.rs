//! Hygraph (formerly GraphCMS): the signed content is a JSON envelope around the raw body.
//!
//! Following Hygraph's own `@hygraph/utils`: `{"Body":"<raw body as a JSON string>",
//! "EnvironmentName":"<env>","TimeStamp":<t>}`, with `&`, `<` and `>` then written as the
//! library writes them.

use super::request::SignableRequest;

/// The environment named in the `gcms-signature` header (`env=master`), `master` when absent.
pub fn environment(request: &SignableRequest<'_>) -> String {
    request
        .header("gcms-signature")
        .and_then(|value| {
            value
                .split(',')
                .filter_map(|item| item.trim().split_once('='))
                .find(|(key, _)| *key == "env")
                .map(|(_, env)| env.trim().to_owned())
        })
        .unwrap_or_else(|| "master".to_owned())
}

/// The envelope Hygraph signs for this body and timestamp (milliseconds).
pub fn payload(request: &SignableRequest<'_>, body: &[u8], timestamp: Option<&str>) -> String {
    let body = String::from_utf8_lossy(body);
    let timestamp: i64 = timestamp.and_then(|t| t.trim().parse().ok()).unwrap_or_default();
    let envelope = serde_json::json!({
        "Body": body,
        "EnvironmentName": environment(request),
        "TimeStamp": timestamp,
    });
    serde_json::to_string(&envelope)
        .unwrap_or_default()
        .replace('&', "\\\\u0026")
        .replace('<', "\\\\u003c")
        .replace('>', "\\\\u003e")
}

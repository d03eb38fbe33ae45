//! One entry point for fuzzing the header parsers: arbitrary bytes become a request carrying
//! every header a provider reads, then every provider verifies and signs it. It must never panic.

use super::providers::Resolved;
use super::scheme::{SigLocation, TimestampSource};
use super::table::PROVIDERS;
use super::{sign, verify, SignableRequest};
use crate::model::HeaderField;

/// Splits `data` at 0xFF bytes into a header value, a timestamp, a body and a secret, and runs
/// every built-in provider (and a generic configuration made of the value) over them.
pub fn exercise(data: &[u8]) {
    let mut parts = data.splitn(4, |b| *b == 0xFF);
    let value = String::from_utf8_lossy(parts.next().unwrap_or_default()).into_owned();
    let timestamp = String::from_utf8_lossy(parts.next().unwrap_or_default()).into_owned();
    let body = parts.next().unwrap_or_default();
    let secret = String::from_utf8_lossy(parts.next().unwrap_or_default()).into_owned();
    let secrets = [secret.clone()];
    let now = 1_700_000_000;
    for provider in PROVIDERS {
        let scheme = &provider.scheme;
        let mut headers: Vec<HeaderField> = provider.detect.iter().map(|n| HeaderField::new(*n, &value)).collect();
        if let SigLocation::Header(name) = scheme.location {
            headers.push(HeaderField::new(name, &value));
        }
        for version in provider.other_versions {
            headers.extend(version.detect.iter().map(|n| HeaderField::new(*n, &value)));
        }
        if let TimestampSource::Header(name) = scheme.timestamp {
            headers.push(HeaderField::new(name, &timestamp));
        }
        headers.push(HeaderField::new("Content-Type", &value));
        headers.push(HeaderField::new("X-Forwarded-Host", &value));
        let request = SignableRequest::new("POST", "/hook?a=1", &headers, body, Some(&timestamp));
        let _ = verify(Some(provider.id), &secrets, &request, now, None);
        let _ = verify(None, &secrets, &request, now, Some(i64::MIN));
        let _ = sign(provider.id, &secret, &request, now);
        for version in provider.other_versions {
            let pinned = format!("{};version={}", provider.id, version.label);
            let _ = verify(Some(&pinned), &secrets, &request, now, None);
            let _ = sign(&pinned, &secret, &request, now);
        }
    }
    let generic = format!("generic;{value}");
    if Resolved::from_id(&generic).is_ok() {
        let headers = [HeaderField::new("X-Sig", &value)];
        let request = SignableRequest::new("POST", &timestamp, &headers, body, None);
        let _ = verify(Some(&generic), &secrets, &request, i64::MAX, None);
        let _ = sign(&generic, &secret, &request, i64::MIN);
    }
}

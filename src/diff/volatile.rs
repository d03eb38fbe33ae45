//! Which differences are expected between two deliveries of "the same" request and can be
//! hidden: ids, timestamps and signatures.
//!
//! The rule, applied when hiding is asked for:
//! - **Headers**: `Date`, `Content-Length` (follows the body), tracing (`traceparent`,
//!   `tracestate`), names containing `signature`, `timestamp`, `nonce`, `delivery`, `request-id`
//!   or `idempotency`, names ending in `-id` or `-uuid`, and every header a built-in provider
//!   signs with or reads its timestamp from (the signature table), except `Authorization`.
//! - **JSON fields**, by the last key of their path (array indexes skipped, case-insensitive):
//!   `id`, `uuid`, `*_id`, `*_uuid`, `*Id` (camelCase), `created`, `updated`, `timestamp`,
//!   `time`, `date`, `ts`, `nonce`, `signature`, `etag`, `*_at`, `*At`, `*_ts`, `*_time`,
//!   `*_timestamp`, `*_date`, `idempotency_key`.

use crate::signature::scheme::{SigLocation, TimestampSource};
use crate::signature::table::PROVIDERS;

/// Whether a header is volatile (see the module's rule).
pub fn is_volatile_header(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    const EXACT: [&str; 5] = ["date", "content-length", "traceparent", "tracestate", "x-request-start"];
    const CONTAINS: [&str; 6] = [
        "signature",
        "timestamp",
        "nonce",
        "delivery",
        "request-id",
        "idempotency",
    ];
    EXACT.contains(&name.as_str())
        || CONTAINS.iter().any(|part| name.contains(part))
        || name.ends_with("-id")
        || name.ends_with("-uuid")
        || provider_header(&name)
}

/// A header a built-in provider signs with or takes its timestamp from (except `Authorization`,
/// which also carries credentials that do not change between requests).
fn provider_header(lowercase: &str) -> bool {
    lowercase != "authorization"
        && PROVIDERS.iter().any(|provider| {
            let signature = match provider.scheme.location {
                SigLocation::Header(header) => header.eq_ignore_ascii_case(lowercase),
                SigLocation::JsonBody(_) => false,
            };
            let timestamp = match provider.scheme.timestamp {
                TimestampSource::Header(header) => header.eq_ignore_ascii_case(lowercase),
                _ => false,
            };
            signature || timestamp
        })
}

/// Whether a JSON field is volatile, by its path's tokens (see the module's rule).
pub fn is_volatile_path(tokens: &[String]) -> bool {
    tokens
        .iter()
        .rev()
        .find(|t| !t.bytes().all(|b| b.is_ascii_digit()))
        .is_some_and(|key| is_volatile_key(key))
}

fn is_volatile_key(key: &str) -> bool {
    let lower = key.to_ascii_lowercase();
    const EXACT: [&str; 13] = [
        "id",
        "uuid",
        "created",
        "updated",
        "timestamp",
        "time",
        "date",
        "ts",
        "nonce",
        "signature",
        "etag",
        "idempotency_key",
        "idempotencykey",
    ];
    const SUFFIXES: [&str; 7] = ["_id", "_uuid", "_at", "_ts", "_time", "_timestamp", "_date"];
    EXACT.contains(&lower.as_str())
        || SUFFIXES.iter().any(|suffix| lower.ends_with(suffix))
        || camel_suffix(key, "Id")
        || camel_suffix(key, "At")
}

/// `customerId`, `createdAt`: a lowercase letter or digit, then the capitalised suffix at the end.
fn camel_suffix(key: &str, suffix: &str) -> bool {
    key.strip_suffix(suffix)
        .and_then(|stem| stem.chars().last())
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::{is_volatile_header, is_volatile_path};

    #[test]
    fn headers_follow_the_rule() {
        for name in [
            "Date",
            "Stripe-Signature",
            "X-GitHub-Delivery",
            "svix-id",
            "webhook-timestamp",
            "X-Request-Id",
            "Content-Length",
            "X-Slack-Request-Timestamp",
            "X-Shopify-Hmac-Sha256",
            "Idempotency-Key",
        ] {
            assert!(is_volatile_header(name), "{name}");
        }
        for name in [
            "Content-Type",
            "User-Agent",
            "X-GitHub-Event",
            "Accept",
            "X-Shopify-Topic",
            "Authorization",
        ] {
            assert!(!is_volatile_header(name), "{name}");
        }
    }

    #[test]
    fn json_keys_follow_the_rule() {
        let path = |p: &[&str]| p.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        for p in [
            &["id"][..],
            &["data", "object", "customer_id"],
            &["createdAt"],
            &["items", "3", "created_at"],
            &["request", "idempotency_key"],
            &["event_ts"],
            &["userId"],
        ] {
            assert!(is_volatile_path(&path(p)), "{p:?}");
        }
        for p in [
            &["type"][..],
            &["data", "object", "customer"],
            &["paid"],
            &["Identity"],
            &["valid"],
            &["0"],
        ] {
            assert!(!is_volatile_path(&path(p)), "{p:?}");
        }
    }
}

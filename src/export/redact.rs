//! Redaction of credentials on export: Authorization, cookies, API keys and signature headers.

use crate::model::HeaderField;

/// What a redacted value is replaced with.
pub const REDACTED: &str = "[redacted]";

/// True for headers that carry credentials or signatures: Authorization, Proxy-Authorization,
/// Cookie, Set-Cookie, X-Api-Key, and any name containing `signature`, `hmac`, `token` or `secret`
/// (Stripe-Signature, X-Hub-Signature-256, X-Shopify-Hmac-Sha256, X-Gitlab-Token, ...).
pub fn is_sensitive(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    matches!(
        name.as_str(),
        "authorization" | "proxy-authorization" | "cookie" | "set-cookie" | "x-api-key"
    ) || ["signature", "hmac", "token", "secret"]
        .iter()
        .any(|word| name.contains(word))
}

/// A copy of `headers` with sensitive values replaced by [`REDACTED`].
pub fn redact_headers(headers: &[HeaderField]) -> Vec<HeaderField> {
    headers
        .iter()
        .map(|h| match is_sensitive(&h.name) {
            true => HeaderField::new(h.name.clone(), REDACTED),
            false => h.clone(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::is_sensitive;

    #[test]
    fn credentials_and_signatures_are_sensitive() {
        for name in [
            "Authorization",
            "cookie",
            "Stripe-Signature",
            "X-Hub-Signature-256",
            "X-Shopify-Hmac-Sha256",
        ] {
            assert!(is_sensitive(name), "{name}");
        }
        for name in ["Content-Type", "User-Agent", "X-GitHub-Event"] {
            assert!(!is_sensitive(name), "{name}");
        }
    }
}

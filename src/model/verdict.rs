use serde::{Deserialize, Serialize};

/// The outcome class of a signature check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum VerdictStatus {
    /// A configured secret produced the signature that arrived.
    Verified,
    /// A signature arrived and no configured secret produced it.
    Failed,
    /// The request carries no signature header for the provider.
    Unsigned,
    /// The provider is known but the endpoint has no secret to check with.
    NoSecret,
    /// No provider was named or detected.
    UnknownProvider,
}

impl VerdictStatus {
    /// Its name as stored and serialized (`no_secret`).
    pub fn as_str(self) -> &'static str {
        match self {
            VerdictStatus::Verified => "verified",
            VerdictStatus::Failed => "failed",
            VerdictStatus::Unsigned => "unsigned",
            VerdictStatus::NoSecret => "no_secret",
            VerdictStatus::UnknownProvider => "unknown_provider",
        }
    }
}

/// A stored signature check: what was checked, the result, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SignatureVerdict {
    /// Provider id used for the check.
    pub provider: Option<String>,
    /// True when the provider was detected from headers rather than configured.
    pub detected: bool,
    pub status: VerdictStatus,
    /// Which secret (0-based, in the endpoint's order) matched.
    pub matched_secret: Option<usize>,
    /// The failed step or the diagnosis, in words a user can act on.
    pub reason: Option<String>,
    /// Stable code of the diagnosis (`timestamp_outside_tolerance`, `secret_encoding`, `body_modified`,
    /// `url_mismatch`, `algorithm_mismatch`, `older_secret`, `signature_mismatch`, `malformed_header`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diagnosis: Option<String>,
    /// What the provider signs, as a template (`v0:{timestamp}:{body}`); never contains a secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signed_content: Option<String>,
    /// The signature the newest secret produces (HMAC schemes), to compare with `received_signature`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_signature: Option<String>,
    /// The signature value as it arrived (not shown for token schemes, whose value is the secret).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub received_signature: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_status_name_is_its_serialized_name() {
        for status in [
            VerdictStatus::Verified,
            VerdictStatus::Failed,
            VerdictStatus::Unsigned,
            VerdictStatus::NoSecret,
            VerdictStatus::UnknownProvider,
        ] {
            assert_eq!(serde_json::to_value(status).unwrap(), status.as_str(), "{status:?}");
        }
    }
}

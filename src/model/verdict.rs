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
}

use serde::{Deserialize, Serialize};

/// How a tunnel outage ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum OutageEnd {
    /// The tunnel came back by itself.
    Reconnected,
    /// Someone stopped the tunnel while it was reconnecting.
    Stopped,
    /// The tunnel gave up with an error.
    Failed,
    /// Hookscope closed before the tunnel came back; when is not known.
    AppClosed,
}

impl OutageEnd {
    pub fn as_str(self) -> &'static str {
        match self {
            OutageEnd::Reconnected => "reconnected",
            OutageEnd::Stopped => "stopped",
            OutageEnd::Failed => "failed",
            OutageEnd::AppClosed => "app_closed",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Self::Reconnected, Self::Stopped, Self::Failed, Self::AppClosed]
            .into_iter()
            .find(|end| end.as_str() == text)
    }
}

/// A time the public tunnel was down while it was meant to be up: requests sent to its URL
/// then may be missing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TunnelOutage {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub id: i64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub started_at_ns: i64,
    /// `None` while it lasts, or when Hookscope closed first.
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub ended_at_ns: Option<i64>,
    /// `None` while it lasts.
    pub end: Option<OutageEnd>,
    /// Why the connection was lost.
    pub reason: String,
}

use serde::{Deserialize, Serialize};

use super::{CaptureSource, CapturedRequest, VerdictStatus};

/// A captured request's row in a list: everything but headers and body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RequestSummary {
    /// Store order key (monotonic); use it for keyset pagination.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub seq: i64,
    pub id: String,
    pub endpoint_name: Option<String>,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub received_at_ns: i64,
    pub source: CaptureSource,
    pub remote_addr: Option<String>,
    pub method: String,
    pub target: String,
    pub content_type: Option<String>,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub body_size: u64,
    pub truncated: bool,
    pub response_status: u16,
    pub signature_status: Option<VerdictStatus>,
    pub signature_provider: Option<String>,
    /// The response rule that answered, when one did.
    pub rule: Option<String>,
    /// The provider's event type, read at capture.
    pub event_type: Option<String>,
    /// The provider's id of the event or delivery.
    pub delivery_id: Option<String>,
    /// 1, 2, ... among the requests with the same provider and delivery id, by arrival.
    pub attempt: Option<u32>,
}

impl RequestSummary {
    pub fn of(seq: i64, request: &CapturedRequest) -> Self {
        Self {
            seq,
            id: request.id.clone(),
            endpoint_name: request.endpoint_name.clone(),
            received_at_ns: request.received_at_ns,
            source: request.source,
            remote_addr: request.remote_addr.clone(),
            method: request.method.clone(),
            target: request.target.clone(),
            content_type: request.header("content-type").map(str::to_owned),
            body_size: request.body_size,
            truncated: request.truncated,
            response_status: request.response.status,
            signature_status: request.signature.as_ref().map(|v| v.status),
            signature_provider: request.signature.as_ref().and_then(|v| v.provider.clone()),
            rule: request.rule.clone(),
            event_type: request.event_type.clone(),
            delivery_id: request.delivery_id.clone(),
            attempt: request.attempt,
        }
    }
}

/// The public tunnel's state, as shown in the status bar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum TunnelState {
    Off,
    Connecting,
    Online { url: String },
    Reconnecting { reason: String },
    Error { message: String },
}

/// Everything the engine announces; the desktop shell forwards these to the UI, the CLI prints them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "type", rename_all = "snake_case")]
// Almost every event is a capture: boxing its summary would add an allocation per request.
#[allow(clippy::large_enum_variant)]
pub enum EngineEvent {
    RequestCaptured(RequestSummary),
    DeliveryFinished {
        request_id: String,
        delivery_id: String,
        status: Option<u16>,
        error: Option<String>,
    },
    TunnelStatusChanged(TunnelState),
    RetentionPruned {
        #[cfg_attr(feature = "ts", ts(type = "number"))]
        removed: u64,
    },
}

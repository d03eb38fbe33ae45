//! The domain model shared by every part of the engine, the CLI and the desktop shell.

mod delivery;
mod endpoint;
mod event;
mod request;
mod verdict;

pub use delivery::{DeliveryAttempt, DeliveryFailure, DeliveryKind, DeliveryResponse, FailureKind, OutgoingRequest};
pub use endpoint::{AutoForwardMode, Endpoint, NewEndpoint, ResponseRule};
pub use event::{EngineEvent, RequestSummary, TunnelState};
pub use request::{raw_http, CaptureSource, CapturedRequest, HeaderField, RecordedResponse};
pub use verdict::{SignatureVerdict, VerdictStatus};

//! The domain model shared by every part of the engine, the CLI and the desktop shell.

mod delivery;
mod endpoint;
mod endpoint_changes;
mod endpoint_view;
mod event;
mod outage;
mod request;
mod verdict;

pub use delivery::{DeliveryAttempt, DeliveryFailure, DeliveryKind, DeliveryResponse, FailureKind, OutgoingRequest};
pub use endpoint::{normalized_prefix, AutoForwardMode, Endpoint, NewEndpoint, ResponseRule};
pub use endpoint_changes::{changes_verdicts, AutoForwardSetting, EndpointChanges, SecretsChange, TextChange};
pub use endpoint_view::EndpointView;
pub use event::{EngineEvent, RequestSummary, TunnelState};
pub use outage::{OutageEnd, TunnelOutage};
pub use request::{raw_http, Arrival, CaptureSource, CapturedRequest, HeaderField, RecordedResponse};
pub use verdict::{SignatureVerdict, VerdictStatus};

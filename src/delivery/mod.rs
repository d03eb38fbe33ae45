//! Forward, auto-forward, replay, replay-with-edit, re-sign and bulk replay.
//!
//! Every attempt is recorded as a [`DeliveryAttempt`](crate::model::DeliveryAttempt) linked to its
//! captured request and announced as `EngineEvent::DeliveryFinished`. Requests go out over
//! HTTP/1.1 with the captured header order, casing and duplicates (see [`wire`]), the body bytes
//! unchanged, and the target URL built by the rule in [`target`].

pub mod auto;
pub mod bulk;
pub mod cancel;
pub mod chaos;
pub mod client;
pub mod header_edit;
mod insecure;
pub mod outgoing;
pub mod proxy;
pub mod replay;
pub mod resign;
pub mod target;
mod wire;

pub use auto::{ForwardRule, Forwarder};
pub use bulk::{
    bulk_replay, bulk_replay_cancellable, BulkFailure, BulkOptions, BulkProgress, BulkSelection, BulkSummary,
};
pub use cancel::CancelToken;
pub use client::{ClientOptions, DeliveryClient};
pub use header_edit::HeaderChange;
pub use outgoing::RequestEdit;
pub use proxy::ProxyConfig;
pub use replay::{replay, Deliverer, ReplayOptions};
pub use resign::{ResignContext, Signer};

use crate::store::StoreError;

/// Why a delivery could not even be attempted (an attempt that fails on the network is recorded, not an error).
#[derive(Debug, thiserror::Error)]
pub enum DeliveryError {
    #[error("no captured request with id {0}")]
    NotFound(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn now_ns() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as i64)
        .unwrap_or_default()
}

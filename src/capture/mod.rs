//! The capture listener: any method on any path, raw bytes in, an answer out, every request
//! stored before it is answered.

mod endpoint_cache;
mod handler;
mod listener;
pub mod tap;

use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use tokio::sync::broadcast;

pub use endpoint_cache::EndpointCache;
pub use handler::router;
pub use listener::{serve_connection, CaptureListener, ConnectionInfo};

use crate::model::EngineEvent;
use crate::store::Store;

/// Limits that protect the listener; each has a clear answer when crossed.
#[derive(Debug, Clone)]
pub struct CaptureLimits {
    /// Bodies over this size are answered 413 and stored truncated.
    pub body_limit: u64,
    /// How much of an oversize body is kept.
    pub truncated_keep: usize,
    /// Request heads over this size are answered 431 (hyper's read buffer; at least 8 KiB).
    pub max_head_bytes: usize,
    /// A client must send its whole head within this time.
    pub header_read_timeout: Duration,
    /// A client must send its whole body within this time (answered 408 otherwise).
    pub body_read_timeout: Duration,
    /// At most this many connections are served at once; more wait to be accepted.
    pub max_connections: usize,
}

impl Default for CaptureLimits {
    fn default() -> Self {
        Self {
            body_limit: 25 * 1024 * 1024,
            truncated_keep: 64 * 1024,
            max_head_bytes: 64 * 1024,
            header_read_timeout: Duration::from_secs(30),
            body_read_timeout: Duration::from_secs(120),
            max_connections: 1024,
        }
    }
}

/// What the capture handler shares across requests.
pub struct CaptureState {
    pub store: Store,
    pub events: broadcast::Sender<EngineEvent>,
    /// Shared with the engine's workbench, whose endpoint changes reload it.
    pub endpoints: Arc<EndpointCache>,
    pub limits: CaptureLimits,
    /// Auto-forwarding (async and passthrough); set once by the engine.
    pub forwarder: OnceLock<crate::delivery::Forwarder>,
    ids: Mutex<ulid::Generator>,
}

impl CaptureState {
    pub fn new(
        store: Store,
        events: broadcast::Sender<EngineEvent>,
        limits: CaptureLimits,
        endpoints: Arc<EndpointCache>,
    ) -> Arc<Self> {
        Arc::new(Self {
            store,
            events,
            endpoints,
            limits,
            forwarder: OnceLock::new(),
            ids: Mutex::new(ulid::Generator::new()),
        })
    }

    /// A new id, strictly increasing within this process.
    pub fn next_id(&self) -> String {
        let mut ids = self.ids.lock().expect("id generator poisoned");
        match ids.generate() {
            Ok(id) => id.to_string(),
            // The random part overflowed within one millisecond: fall back to a fresh ULID.
            Err(_) => ulid::Ulid::new().to_string(),
        }
    }
}

/// Errors of the capture listener.
#[derive(Debug, thiserror::Error)]
pub enum CaptureError {
    #[error("the listener could not bind {addr}: {source}{hint}")]
    Bind {
        addr: std::net::SocketAddr,
        source: std::io::Error,
        hint: &'static str,
    },
}

//! The engine's one way in: a handle on the store with every use case that the CLI and the
//! desktop shell share (requests, endpoints, export and import, replay). A shell translates its
//! arguments into one call here; it opens no database connection of its own and repeats no
//! sequence of engine calls.
//!
//! A [`Workbench`] works on its own (the CLI's `list`, `show`, `endpoint`, `replay`, ...) or
//! inside a running [`crate::Engine`], which shares its store, event bus and endpoint cache
//! with the capture listener.

mod endpoints;
mod exchange;
mod reading;
mod replay;
mod requests;
mod rules;
mod samples;
mod wait;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use tokio::sync::broadcast;

pub use reading::SCHEMA_SAMPLES;
pub use replay::{BulkReplayOptions, BulkRequests, BulkRuns};
pub use requests::{RequestFilter, MAX_PAGE};
pub use samples::{SampleTarget, Trigger};
pub use wait::WaitStart;

use crate::capture::EndpointCache;
use crate::delivery::{ClientOptions, Deliverer, DeliveryClient, DeliveryError};
use crate::endpoints::{EndpointError, EndpointField};
use crate::export::ImportIntoStoreError;
use crate::model::EngineEvent;
use crate::store::{Store, StoreError};

/// The most requests one bulk replay or one export takes (the newest that match).
pub const MAX_BULK: usize = 10_000;

/// Why a use case failed, in words a user can act on.
#[derive(Debug, thiserror::Error)]
pub enum WorkbenchError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Endpoint(#[from] EndpointError),
    #[error(transparent)]
    Delivery(#[from] DeliveryError),
    #[error(transparent)]
    Import(#[from] ImportIntoStoreError),
    #[error(transparent)]
    Body(#[from] crate::body::BodyError),
    #[error(transparent)]
    Rule(#[from] crate::respond::rules::InvalidRule),
    #[error(transparent)]
    Chaos(#[from] crate::delivery::chaos::ChaosError),
    #[error("{0} failed unexpectedly")]
    Crashed(&'static str),
    #[error(transparent)]
    Sample(#[from] crate::samples::SampleError),
    #[error("this Hookscope's listener is not running: start `hookscope serve` or the app, or send with --to URL")]
    NoListener,
    #[error("request {0} has no provider (none was detected and its endpoint names none): give its endpoint a provider first")]
    NoProvider(String),
    #[error("no captured request with id {0}")]
    RequestNotFound(String),
    #[error("could not {action} {path}: {source}")]
    File {
        action: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
}

impl WorkbenchError {
    /// The endpoint setting at fault, when the error is about one.
    pub fn field(&self) -> Option<EndpointField> {
        match self {
            WorkbenchError::Endpoint(error) => error.field(),
            _ => None,
        }
    }

    fn file(action: &'static str, path: &Path) -> impl FnOnce(std::io::Error) -> WorkbenchError {
        let path = path.to_path_buf();
        move |source| WorkbenchError::File { action, path, source }
    }
}

/// The store plus the use cases; cheap to clone.
#[derive(Clone)]
pub struct Workbench {
    store: Store,
    events: broadcast::Sender<EngineEvent>,
    /// The endpoints the capture listener matches against; every change made here reloads it.
    endpoints: Arc<EndpointCache>,
    deliverer: Deliverer,
    bulk_runs: BulkRuns,
    /// `http://ADDR` of the capture listener that serves this database, once known.
    listener: Arc<std::sync::OnceLock<String>>,
}

impl Workbench {
    /// Opens (creating and migrating as needed) the database at `db_path`, for a command that
    /// runs no listener. Replays use `delivery`.
    pub async fn open(db_path: &Path, delivery: ClientOptions) -> Result<Workbench, StoreError> {
        let path = db_path.to_path_buf();
        let store = tokio::task::spawn_blocking(move || Store::open(&path))
            .await
            .map_err(|_| StoreError::WriterGone)??;
        let (events, _) = broadcast::channel(EVENT_CAPACITY);
        Ok(Workbench::with_store(store, events, delivery))
    }

    /// A workbench over an open store and event bus (the engine's).
    pub fn with_store(store: Store, events: broadcast::Sender<EngineEvent>, delivery: ClientOptions) -> Workbench {
        let deliverer = Deliverer::new(store.clone(), events.clone(), DeliveryClient::new(delivery));
        Workbench {
            store,
            events,
            endpoints: Arc::new(EndpointCache::default()),
            deliverer,
            bulk_runs: BulkRuns::default(),
            listener: Arc::default(),
        }
    }

    /// Says where the capture listener of this database answers (`http://ADDR`): samples sent
    /// to an endpoint go there. Set once, by the engine or by a command that knows it.
    pub fn set_listener_url(&self, url: String) {
        let _ = self.listener.set(url);
    }

    /// `http://ADDR` of the capture listener, when known.
    pub fn listener_url(&self) -> Option<&str> {
        self.listener.get().map(String::as_str)
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn db_path(&self) -> &Path {
        self.store.path()
    }

    /// The sender side of the event bus, for parts that publish (deliveries, the tunnel).
    pub fn events(&self) -> broadcast::Sender<EngineEvent> {
        self.events.clone()
    }

    pub fn subscribe(&self) -> broadcast::Receiver<EngineEvent> {
        self.events.subscribe()
    }

    /// Replays and forwards with this workbench's delivery options; every attempt is recorded
    /// and announced as `DeliveryFinished`.
    pub fn deliverer(&self) -> &Deliverer {
        &self.deliverer
    }

    /// The endpoints the capture listener matches against.
    pub fn endpoint_cache(&self) -> &Arc<EndpointCache> {
        &self.endpoints
    }

    /// Re-reads endpoints now (after a change made by another process, or on a timer).
    pub async fn reload_endpoints(&self) -> Result<bool, StoreError> {
        self.endpoints.reload(&self.store).await
    }
}

/// How many events the bus holds for a slow subscriber before it starts missing them.
pub const EVENT_CAPACITY: usize = 4096;

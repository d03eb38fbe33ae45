//! The running engine: a [`Workbench`] (store, use cases, event bus) plus the capture listener,
//! endpoint refresh and retention. The CLI's `serve` and the desktop shell both start one of
//! these; commands that need no listener open a [`Workbench`] alone.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::broadcast;
use tokio::task::JoinHandle;

use crate::capture::{CaptureError, CaptureLimits, CaptureListener, CaptureState};
use crate::model::EngineEvent;
use crate::store::{self, RetentionPolicy, Store, StoreError};
use crate::workbench::{Workbench, EVENT_CAPACITY};

/// The default listen address.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8787";

/// How the engine is started.
#[derive(Debug, Clone)]
pub struct EngineConfig {
    pub listen: SocketAddr,
    pub db_path: PathBuf,
    pub limits: CaptureLimits,
    pub retention: RetentionPolicy,
    pub retention_interval: Duration,
    /// How often endpoint changes made by other processes (the CLI) are picked up.
    pub endpoint_refresh: Duration,
    /// Forward every captured request here (`serve --forward-to`), over the endpoints' own settings.
    pub forward: Option<crate::delivery::ForwardRule>,
    /// Timeouts, redirects and size limits of forwards and replays.
    pub delivery: crate::delivery::ClientOptions,
    /// How long a sender waits for a passthrough target before getting the 502 fallback.
    pub passthrough_timeout: Duration,
}

impl EngineConfig {
    pub fn new(listen: SocketAddr, db_path: PathBuf) -> Self {
        Self {
            listen,
            db_path,
            limits: CaptureLimits::default(),
            retention: RetentionPolicy::default(),
            retention_interval: Duration::from_secs(30),
            endpoint_refresh: Duration::from_secs(1),
            forward: None,
            delivery: crate::delivery::ClientOptions::default(),
            passthrough_timeout: Duration::from_secs(10),
        }
    }
}

/// Why the engine could not start or act.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Capture(#[from] CaptureError),
}

/// A running engine. Stop it with [`Engine::shutdown`].
pub struct Engine {
    workbench: Workbench,
    capture: Arc<CaptureState>,
    listener: CaptureListener,
    background: Vec<JoinHandle<()>>,
}

impl Engine {
    /// Opens the store, loads endpoints, binds the listener and starts background work.
    pub async fn start(config: EngineConfig) -> Result<Engine, EngineError> {
        let path = config.db_path.clone();
        let store = tokio::task::spawn_blocking(move || Store::open(&path))
            .await
            .map_err(|_| StoreError::WriterGone)??;
        // An outage a previous run left open ended when that run did, at a time not known.
        store
            .write(|conn| store::tunnel_outages::end_open(conn, None, crate::model::OutageEnd::AppClosed))
            .await?;
        let (events, _) = broadcast::channel(EVENT_CAPACITY);
        let workbench = Workbench::with_store(store.clone(), events.clone(), config.delivery.clone());
        workbench.reload_endpoints().await?;
        let capture = CaptureState::new(
            store.clone(),
            events.clone(),
            config.limits.clone(),
            workbench.endpoint_cache().clone(),
        );
        let forwarder = crate::delivery::Forwarder::new(
            workbench.deliverer().clone(),
            config.forward.clone(),
            config.passthrough_timeout,
        );
        let _ = capture.forwarder.set(forwarder);
        let listener = CaptureListener::bind(config.listen, capture.clone()).await?;
        workbench.set_listener_url(format!("http://{}", listener.local_addr()));
        let mut background = vec![tokio::spawn(refresh_endpoints(
            capture.clone(),
            config.endpoint_refresh,
        ))];
        background.push(tokio::spawn(backfill_events(store.clone())));
        if !config.retention.is_unlimited() {
            background.push(tokio::spawn(enforce_retention(
                store.clone(),
                events.clone(),
                config.retention,
                config.retention_interval,
            )));
        }
        if let Some(forwarder) = capture.forwarder.get() {
            forwarder.set_listener(listener.local_addr());
        }
        Ok(Engine {
            workbench,
            capture,
            listener,
            background,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener.local_addr()
    }

    /// `http://ADDR` of the capture listener.
    pub fn local_url(&self) -> String {
        format!("http://{}", self.local_addr())
    }

    /// The use cases, on the store and event bus the listener uses.
    pub fn workbench(&self) -> &Workbench {
        &self.workbench
    }

    pub fn store(&self) -> &Store {
        self.workbench.store()
    }

    pub fn subscribe(&self) -> broadcast::Receiver<EngineEvent> {
        self.workbench.subscribe()
    }

    /// The sender side of the event bus, for parts that publish (deliveries, the tunnel).
    pub fn events(&self) -> broadcast::Sender<EngineEvent> {
        self.workbench.events()
    }

    /// Replays and forwards with this engine's delivery options; every attempt is recorded and
    /// announced as `DeliveryFinished`.
    pub fn deliverer(&self) -> crate::delivery::Deliverer {
        self.workbench.deliverer().clone()
    }

    /// What the capture handler shares; the tunnel serves the same routes with it.
    pub fn capture_state(&self) -> Arc<CaptureState> {
        self.capture.clone()
    }

    /// Re-reads endpoints now (after a change made through this engine).
    pub async fn reload_endpoints(&self) -> Result<(), StoreError> {
        self.workbench.reload_endpoints().await?;
        Ok(())
    }

    /// Stops the listener and background tasks.
    pub async fn shutdown(self) {
        for task in &self.background {
            task.abort();
        }
        self.listener.shutdown().await;
    }
}

async fn refresh_endpoints(capture: Arc<CaptureState>, every: Duration) {
    let mut ticker = tokio::time::interval(every);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticker.tick().await;
        match capture.endpoints.reload(&capture.store).await {
            Ok(true) => tracing::info!("endpoints reloaded"),
            Ok(false) => {}
            Err(error) => tracing::warn!(%error, "could not reload endpoints"),
        }
    }
}

/// Reads the event type and delivery id of requests stored before Hookscope read them (a
/// database from an older version), a batch at a time between captures.
async fn backfill_events(store: Store) {
    loop {
        match store
            .write(|conn| store::requests::backfill_events(conn, store::requests::BACKFILL_BATCH))
            .await
        {
            Ok(0) => return,
            Ok(read) => tracing::debug!(read, "event types read for older requests"),
            Err(error) => {
                tracing::warn!(%error, "could not read the event types of older requests");
                return;
            }
        }
    }
}

async fn enforce_retention(
    store: Store,
    events: broadcast::Sender<EngineEvent>,
    policy: RetentionPolicy,
    every: Duration,
) {
    let mut ticker = tokio::time::interval(every);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticker.tick().await;
        match store.prune(policy, now_ns()).await {
            Ok(0) => {}
            Ok(removed) => {
                tracing::info!(removed, "retention pruned old requests");
                let _ = events.send(EngineEvent::RetentionPruned { removed });
            }
            Err(error) => tracing::warn!(%error, "retention pruning failed"),
        }
    }
}

fn now_ns() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as i64)
        .unwrap_or_default()
}

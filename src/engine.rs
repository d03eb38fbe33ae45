//! The running engine: a [`Workbench`] (store, use cases, event bus) plus the capture listener,
//! endpoint refresh and retention. The CLI's `serve` and the desktop shell both start one of
//! these; commands that need no listener open a [`Workbench`] alone.
//!
//! When the listen address is taken by another live Hookscope capturing into the same database,
//! the engine starts attached instead of failing: everything but the listener works, and the
//! requests the other process captures are announced here as they are stored (see
//! [`crate::instance`]). [`Engine::start_listener_on`] gives it a listener of its own later.

mod listening;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::broadcast;
use tokio::task::JoinHandle;

use crate::capture::{CaptureError, CaptureLimits, CaptureListener, CaptureState};
use crate::instance::{self, Instance, Program};
use crate::model::EngineEvent;
use crate::store::{self, RetentionPolicy, Store, StoreError};
use crate::workbench::{Workbench, EVENT_CAPACITY};
use listening::{Listening, Slot};

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
    /// Who runs this engine, as its instance file tells other Hookscopes.
    pub program: Program,
    /// How often an attached engine looks for requests the other Hookscope stored.
    pub watch_every: Duration,
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
            program: Program::default(),
            watch_every: Duration::from_millis(150),
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
    #[error("this Hookscope already listens on {0}")]
    AlreadyListening(SocketAddr),
}

/// Where the requests sent to this database's listener are captured.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaptureSite {
    /// By this engine's own listener, on this address.
    Here(SocketAddr),
    /// By another live Hookscope on the same database; this engine is attached to it.
    Elsewhere(Instance),
}

/// A running engine. Stop it with [`Engine::shutdown`].
pub struct Engine {
    workbench: Workbench,
    capture: Arc<CaptureState>,
    listening: Slot,
    /// What subscribers read: the workbench's own bus, or, when attached, the watcher's.
    public: broadcast::Sender<EngineEvent>,
    /// The database's identity (absolute, symlinks resolved), as instance files name it.
    database: PathBuf,
    program: Program,
    /// The address asked for, shown when an attached engine cannot say better.
    configured: SocketAddr,
    background: Vec<JoinHandle<()>>,
}

impl Engine {
    /// Opens the store, loads endpoints, binds the listener and starts background work. When
    /// the address is held by another live Hookscope on the same database, starts attached to
    /// it instead (see [`Engine::capture_site`]).
    pub async fn start(config: EngineConfig) -> Result<Engine, EngineError> {
        let path = config.db_path.clone();
        let store = tokio::task::spawn_blocking(move || Store::open(&path))
            .await
            .map_err(|_| StoreError::WriterGone)??;
        let database = instance::database_identity(&config.db_path);
        let (events, _) = broadcast::channel(EVENT_CAPACITY);
        // Subscribed before anything can publish; used when the engine starts attached.
        let local_events = events.subscribe();
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
        let listening = listening::bind_or_attach(config.listen, &database, config.program, capture.clone()).await?;
        let capture_addr = match &listening {
            Listening::Own { listener, .. } => {
                // An outage a previous run left open ended when that run did, at a time not
                // known. (Attached, the open outage may be the other Hookscope's, still going.)
                store
                    .write(|conn| store::tunnel_outages::end_open(conn, None, crate::model::OutageEnd::AppClosed))
                    .await?;
                listener.local_addr()
            }
            Listening::Attached(owner) => owner.listen_addr().unwrap_or(config.listen),
            Listening::Stopped => config.listen,
        };
        workbench.set_listener_url(format!("http://{capture_addr}"));
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
            forwarder.set_listener(capture_addr);
        }
        let public = match &listening {
            Listening::Attached(owner) => {
                tracing::info!(owner = %owner.describe(), "attached: another Hookscope captures into this database");
                let (public, _) = broadcast::channel(EVENT_CAPACITY);
                let from_seq = store.read(store::wait::max_seq).await?;
                background.push(instance::spawn_watcher(
                    store.clone(),
                    local_events,
                    public.clone(),
                    from_seq,
                    config.watch_every,
                ));
                public
            }
            _ => events,
        };
        let attached = matches!(listening, Listening::Attached(_));
        let listening = Arc::new(Mutex::new(listening));
        if attached {
            background.push(tokio::spawn(listening::follow_owner(listening::Follow {
                slot: listening.clone(),
                capture: capture.clone(),
                database: database.clone(),
                program: config.program,
                listen: config.listen,
            })));
        }
        Ok(Engine {
            workbench,
            capture,
            listening,
            public,
            database,
            program: config.program,
            configured: config.listen,
            background,
        })
    }

    /// Where requests to this database are captured: by this engine's listener, or by the
    /// other Hookscope it is attached to.
    pub fn capture_site(&self) -> CaptureSite {
        match &*self.listening.lock().expect("listener state poisoned") {
            Listening::Own { listener, .. } => CaptureSite::Here(listener.local_addr()),
            Listening::Attached(owner) => CaptureSite::Elsewhere(owner.clone()),
            Listening::Stopped => CaptureSite::Here(self.configured),
        }
    }

    /// The other Hookscope that captures for this one, when it started attached.
    pub fn attached_to(&self) -> Option<Instance> {
        match self.capture_site() {
            CaptureSite::Elsewhere(owner) => Some(owner),
            CaptureSite::Here(_) => None,
        }
    }

    /// Gives an attached engine a listener of its own on `addr` (port 0 for any free one), and
    /// returns the address it bound; from then on it captures like any engine, and still shows
    /// what the other Hookscope captures.
    pub async fn start_listener_on(&self, addr: SocketAddr) -> Result<SocketAddr, EngineError> {
        if let CaptureSite::Here(own) = self.capture_site() {
            return Err(EngineError::AlreadyListening(own));
        }
        let listener = CaptureListener::bind(addr, self.capture.clone()).await?;
        let bound = listener.local_addr();
        let instance = listening::claim_instance_file(&self.database, self.program, bound).await;
        if let Some(unused) = listening::replace_if_attached(&self.listening, Listening::own(listener, instance)) {
            // Another call, or the owner's departure, gave it a listener meanwhile.
            unused.stop().await;
            return Err(EngineError::AlreadyListening(self.local_addr()));
        }
        tracing::info!(%bound, "listening on a port of its own");
        Ok(bound)
    }

    /// The capture listener's address: this engine's, or, when attached, the other Hookscope's.
    pub fn local_addr(&self) -> SocketAddr {
        match self.capture_site() {
            CaptureSite::Here(addr) => addr,
            CaptureSite::Elsewhere(owner) => owner.listen_addr().unwrap_or(self.configured),
        }
    }

    /// `http://ADDR` of the capture listener (the other Hookscope's, when attached).
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

    /// Everything the engine announces, including (attached) the requests the other Hookscope
    /// stores.
    pub fn subscribe(&self) -> broadcast::Receiver<EngineEvent> {
        self.public.subscribe()
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

    /// Stops the listener and background tasks, and removes the instance file.
    pub async fn shutdown(self) {
        for task in &self.background {
            task.abort();
        }
        let listening = std::mem::replace(
            &mut *self.listening.lock().expect("listener state poisoned"),
            Listening::Stopped,
        );
        listening.stop().await;
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

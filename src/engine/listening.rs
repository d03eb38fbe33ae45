//! The engine's listener, or the other Hookscope it is attached to: binding or attaching at
//! start, the instance file of each listener, and taking the address over when the Hookscope it
//! was attached to stops.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::capture::{CaptureError, CaptureListener, CaptureState};
use crate::instance::{self, Instance, InstanceFile, Program};

/// How often an attached engine checks that the Hookscope it is attached to still runs.
const FOLLOW_OWNER_EVERY: Duration = Duration::from_secs(1);

/// The listener part of a running engine, shared with the task that follows the owner.
pub(super) type Slot = Arc<Mutex<Listening>>;

/// Where this engine's requests are captured.
pub(super) enum Listening {
    /// Its own listener, and the instance file that tells other Hookscopes about it (absent
    /// when the file could not be written).
    Own {
        listener: CaptureListener,
        instance: Option<InstanceFile>,
    },
    /// Attached: the other Hookscope that captures.
    Attached(Instance),
    /// Shut down.
    Stopped,
}

impl Listening {
    pub(super) fn own(listener: CaptureListener, instance: Option<InstanceFile>) -> Listening {
        Listening::Own { listener, instance }
    }

    /// Stops the listener, then removes its instance file.
    pub(super) async fn stop(self) {
        if let Listening::Own { listener, instance } = self {
            listener.shutdown().await;
            drop(instance);
        }
    }
}

/// Binds `listen`; when a live Hookscope on the same database holds it, attaches.
pub(super) async fn bind_or_attach(
    listen: SocketAddr,
    database: &Path,
    program: Program,
    capture: Arc<CaptureState>,
) -> Result<Listening, CaptureError> {
    let db = database.to_path_buf();
    let _ = tokio::task::spawn_blocking(move || instance::sweep_stale(&db)).await;
    match CaptureListener::bind(listen, capture).await {
        Ok(listener) => {
            let instance = claim_instance_file(database, program, listener.local_addr()).await;
            Ok(Listening::own(listener, instance))
        }
        Err(CaptureError::Bind { addr, source, hint }) if source.kind() == std::io::ErrorKind::AddrInUse => {
            match owner_of(database, addr).await {
                Some(owner) => Ok(Listening::Attached(owner)),
                None => Err(CaptureError::Bind { addr, source, hint }),
            }
        }
        Err(error) => Err(error),
    }
}

/// The live Hookscope on `database` whose listener holds `addr`, if there is one.
async fn owner_of(database: &Path, addr: SocketAddr) -> Option<Instance> {
    let db = database.to_path_buf();
    let found = tokio::task::spawn_blocking(move || instance::live_instance(&db, addr.port()))
        .await
        .ok()
        .flatten()?;
    (found.holds(addr) && found.database == database.display().to_string()).then_some(found)
}

/// Writes this process's instance file for the listener on `bound`; a failure only costs other
/// Hookscopes the knowledge of it, so it is logged, not fatal.
pub(super) async fn claim_instance_file(database: &Path, program: Program, bound: SocketAddr) -> Option<InstanceFile> {
    let db = database.to_path_buf();
    let claimed = tokio::task::spawn_blocking(move || {
        let me = Instance::this_process(program, bound, &db);
        InstanceFile::claim(&db, bound.port(), &me)
    })
    .await;
    match claimed {
        Ok(Ok(file)) => file,
        Ok(Err(error)) => {
            tracing::warn!(%error, "could not write the instance file; other Hookscopes will not attach to this one");
            None
        }
        Err(_) => None,
    }
}

/// What the task that follows the owner needs.
pub(super) struct Follow {
    pub slot: Slot,
    pub capture: Arc<CaptureState>,
    pub database: PathBuf,
    pub program: Program,
    /// The address this engine was asked to listen on, which the owner held.
    pub listen: SocketAddr,
}

/// While attached: when the owner stops (or is killed), binds the address itself and becomes
/// the capturing Hookscope; when yet another Hookscope took the address first, attaches to it.
pub(super) async fn follow_owner(follow: Follow) {
    loop {
        tokio::time::sleep(FOLLOW_OWNER_EVERY).await;
        let owner = match &*follow.slot.lock().expect("listener state poisoned") {
            Listening::Attached(owner) => owner.clone(),
            _ => return,
        };
        match owner_of(&follow.database, follow.listen).await {
            Some(current) if current == owner => continue,
            Some(current) => {
                tracing::info!(owner = %current.describe(), "now attached to another Hookscope");
                replace_if_attached(&follow.slot, Listening::Attached(current));
                continue;
            }
            None => {}
        }
        let Ok(listener) = CaptureListener::bind(follow.listen, follow.capture.clone()).await else {
            // Still held: the owner is on its way out, or something else took the port.
            continue;
        };
        let bound = listener.local_addr();
        let instance = claim_instance_file(&follow.database, follow.program, bound).await;
        match replace_if_attached(&follow.slot, Listening::own(listener, instance)) {
            None => {
                tracing::info!(%bound, owner = %owner.describe(), "the Hookscope this one was attached to stopped; capturing here now")
            }
            Some(unused) => unused.stop().await,
        }
        return;
    }
}

/// Puts `next` in the slot if the engine is still attached; otherwise gives `next` back.
pub(super) fn replace_if_attached(slot: &Slot, next: Listening) -> Option<Listening> {
    let mut listening = slot.lock().expect("listener state poisoned");
    if matches!(*listening, Listening::Attached(_)) {
        *listening = next;
        None
    } else {
        Some(next)
    }
}

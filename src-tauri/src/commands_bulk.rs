//! Bulk replay from the window: the selected requests (or every request matching the list's
//! filters) sent to one target by the engine's bulk replay, with a progress event per finished
//! request and a way to cancel. The commands translate their arguments into engine calls.

use std::collections::HashMap;
use std::sync::Mutex;

use hookscope::delivery::{
    bulk_replay_cancellable, BulkOptions, BulkProgress, BulkSelection, BulkSummary, CancelToken, ReplayOptions,
};
use serde::{Deserialize, Serialize};
use tauri::{Emitter, Runtime, State, WebviewWindow};
use ts_rs::TS;

use crate::commands_actions::{engine, ActionResult};
use crate::{DesktopState, RequestFilter};

/// The event carrying a [`BulkReplayProgress`] after each finished request.
pub const BULK_PROGRESS: &str = "bulk-replay-progress";
/// Most requests one "every matching request" run takes (the newest), as `replay --search`.
pub const BULK_LIMIT: usize = 10_000;

/// Which requests to replay.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BulkRequests {
    /// These requests (sent in capture order whatever the order given).
    Ids { ids: Vec<String> },
    /// Every request matching the filters (`limit` and `before_seq` are ignored), up to [`BULK_LIMIT`].
    Matching { filter: RequestFilter },
}

/// How to replay them.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct BulkReplayOptions {
    /// At most this many in flight at once (at least 1).
    pub concurrency: u32,
    /// At most this many started per second; null for no limit.
    pub rate_per_second: Option<f64>,
    /// The target, re-signing and edits, applied to every request.
    pub replay: ReplayOptions,
}

/// One finished request of the run named `run`.
#[derive(Debug, Clone, Serialize, TS)]
pub struct BulkReplayProgress {
    pub run: String,
    pub progress: BulkProgress,
}

/// The runs in progress, by the name the window gave them, so that they can be cancelled.
#[derive(Default)]
pub struct BulkRuns(Mutex<HashMap<String, CancelToken>>);

impl BulkRuns {
    fn start(&self, run: &str) -> CancelToken {
        let token = CancelToken::new();
        self.0.lock().unwrap().insert(run.to_owned(), token.clone());
        token
    }

    fn finish(&self, run: &str) {
        self.0.lock().unwrap().remove(run);
    }
}

/// Replays the requests in capture order and returns the summary; progress goes to the calling
/// window as [`BULK_PROGRESS`] events named by `run`.
#[tauri::command]
pub async fn bulk_replay<R: Runtime>(
    window: WebviewWindow<R>,
    state: State<'_, DesktopState>,
    runs: State<'_, BulkRuns>,
    run: String,
    requests: BulkRequests,
    options: BulkReplayOptions,
) -> ActionResult<BulkSummary> {
    let engine = engine(&state)?;
    let selection = match requests {
        BulkRequests::Ids { ids } => BulkSelection::Ids(ids),
        BulkRequests::Matching { filter } => BulkSelection::Matching(filter.query(BULK_LIMIT, None)),
    };
    let ids = selection.resolve(engine.store()).await?;
    let bulk = BulkOptions {
        concurrency: options.concurrency.max(1) as usize,
        rate_per_second: options.rate_per_second,
        replay: options.replay,
    };
    let cancel = runs.start(&run);
    let summary = bulk_replay_cancellable(&engine.deliverer(), &ids, &bulk, &cancel, |progress| {
        let event = BulkReplayProgress {
            run: run.clone(),
            progress: progress.clone(),
        };
        if let Err(error) = window.emit_to(window.label(), BULK_PROGRESS, event) {
            tracing::warn!(%error, "could not send bulk replay progress to the window");
        }
    })
    .await;
    runs.finish(&run);
    Ok(summary?)
}

/// Cancels the run named `run`: no further request starts; those in flight finish. False when
/// no such run is in progress.
#[tauri::command]
pub fn bulk_replay_cancel(runs: State<'_, BulkRuns>, run: String) -> bool {
    match runs.0.lock().unwrap().get(&run) {
        Some(token) => {
            token.cancel();
            true
        }
        None => false,
    }
}

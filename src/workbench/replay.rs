//! Replay use cases: one request (plain, edited or re-signed), or many in capture order with a
//! concurrency and a rate limit, each run cancellable by the name its caller gave it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::{Workbench, WorkbenchError};
use crate::delivery::bulk::chaos_replay;
use crate::delivery::chaos::{self, ChaosOptions};
use crate::delivery::{
    bulk_replay_cancellable, BulkOptions, BulkProgress, BulkSelection, BulkSummary, CancelToken, ReplayOptions,
};
use crate::model::DeliveryAttempt;

/// The bulk replays in progress, by the name their caller gave them, so that they can be
/// cancelled from elsewhere (another command of the window).
#[derive(Clone, Default)]
pub struct BulkRuns(Arc<Mutex<HashMap<String, CancelToken>>>);

impl BulkRuns {
    fn start(&self, run: &str) -> CancelToken {
        let token = CancelToken::new();
        self.0
            .lock()
            .expect("bulk runs poisoned")
            .insert(run.to_owned(), token.clone());
        token
    }

    fn finish(&self, run: &str) {
        self.0.lock().expect("bulk runs poisoned").remove(run);
    }

    fn cancel(&self, run: &str) -> bool {
        match self.0.lock().expect("bulk runs poisoned").get(run) {
            Some(token) => {
                token.cancel();
                true
            }
            None => false,
        }
    }
}

impl Workbench {
    /// Sends a captured request to a target (plain, edited or re-signed); the attempt is stored,
    /// announced as `DeliveryFinished` and returned. A network failure is an attempt with an
    /// error, not an `Err`.
    pub async fn replay(&self, request_id: &str, options: &ReplayOptions) -> Result<DeliveryAttempt, WorkbenchError> {
        Ok(self.deliverer.replay(request_id, options).await?)
    }

    /// The ids of a bulk selection (newest first for a search).
    pub async fn select(&self, selection: BulkSelection) -> Result<Vec<String>, WorkbenchError> {
        Ok(selection.resolve(&self.store).await?)
    }

    /// Replays `ids` in capture order; `progress` hears of each finished request. The run can be
    /// cancelled by its name `run` with [`Workbench::cancel_bulk_replay`]: no further request
    /// starts, those in flight finish and are recorded.
    pub async fn bulk_replay(
        &self,
        run: &str,
        ids: &[String],
        options: &BulkOptions,
        progress: impl FnMut(&BulkProgress),
    ) -> Result<BulkSummary, WorkbenchError> {
        let cancel = self.bulk_runs.start(run);
        let summary = bulk_replay_cancellable(&self.deliverer, ids, options, &cancel, progress).await;
        self.bulk_runs.finish(run);
        Ok(summary?)
    }

    /// Replays `ids` as `plan` says (a chaos replay, see [`crate::delivery::chaos`]), cancellable
    /// by its name `run` like a bulk replay; the summary carries the plan.
    pub async fn chaos_replay(
        &self,
        run: &str,
        ids: &[String],
        chaos: &ChaosOptions,
        replay: &ReplayOptions,
        progress: impl FnMut(&BulkProgress),
    ) -> Result<BulkSummary, WorkbenchError> {
        let plan = chaos::plan(ids, chaos)?;
        let cancel = self.bulk_runs.start(run);
        let summary = chaos_replay(&self.deliverer, plan, replay, &cancel, progress).await;
        self.bulk_runs.finish(run);
        Ok(summary)
    }

    /// Runs `options` on `ids`: a chaos replay when it asks for one, else a bulk replay.
    pub async fn replay_many(
        &self,
        run: &str,
        ids: &[String],
        options: &BulkReplayOptions,
        progress: impl FnMut(&BulkProgress),
    ) -> Result<BulkSummary, WorkbenchError> {
        match &options.chaos {
            Some(chaos) => self.chaos_replay(run, ids, chaos, &options.replay, progress).await,
            None => self.bulk_replay(run, ids, &options.bulk(), progress).await,
        }
    }

    /// Cancels the bulk replay named `run`; false when no such run is in progress.
    pub fn cancel_bulk_replay(&self, run: &str) -> bool {
        self.bulk_runs.cancel(run)
    }
}

/// Which requests a viewer asks to replay.
#[derive(Debug, Clone, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BulkRequests {
    /// These requests (sent in capture order whatever the order given).
    Ids { ids: Vec<String> },
    /// Every request matching the filters (`limit` and `before_seq` are ignored), up to
    /// [`super::MAX_BULK`] (the newest).
    Matching { filter: super::RequestFilter },
}

impl From<BulkRequests> for BulkSelection {
    fn from(requests: BulkRequests) -> Self {
        match requests {
            BulkRequests::Ids { ids } => BulkSelection::Ids(ids),
            BulkRequests::Matching { filter } => BulkSelection::Matching(filter.all_matching(super::MAX_BULK)),
        }
    }
}

/// How a viewer asks to replay them.
#[derive(Debug, Clone, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BulkReplayOptions {
    /// At most this many in flight at once (at least 1).
    pub concurrency: u32,
    /// At most this many started per second; null for no limit.
    pub rate_per_second: Option<f64>,
    /// The target, re-signing and edits, applied to every request.
    pub replay: ReplayOptions,
    /// A chaos replay instead (one at a time, in a random but reproducible order, some twice,
    /// with random delays); the concurrency and rate are then not used.
    #[serde(default)]
    pub chaos: Option<ChaosOptions>,
}

impl BulkReplayOptions {
    /// The options of a plain bulk replay (at least one request in flight).
    pub fn bulk(&self) -> BulkOptions {
        BulkOptions {
            concurrency: self.concurrency.max(1) as usize,
            rate_per_second: self.rate_per_second,
            replay: self.replay.clone(),
        }
    }
}

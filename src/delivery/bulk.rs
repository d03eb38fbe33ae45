//! Bulk replay: many captured requests to one target, in capture order, with a concurrency
//! limit and a rate limit, and a summary that lists what failed. A run can be cancelled: no
//! further request is started, the ones in flight finish and are recorded.

use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::task::JoinSet;

use super::cancel::CancelToken;
use super::chaos::ChaosPlan;
use super::replay::{Deliverer, ReplayOptions};
use super::DeliveryError;
use crate::store::{self, requests::ListQuery, Store, StoreError};

/// Which requests a bulk replay sends.
#[derive(Debug, Clone)]
// Built once per run: the size of the query does not matter.
#[allow(clippy::large_enum_variant)]
pub enum BulkSelection {
    /// These requests (their order does not matter: they go in capture order).
    Ids(Vec<String>),
    /// The newest `limit` requests matching the query, as `list` finds them.
    Matching(ListQuery),
}

impl BulkSelection {
    /// The ids of the selected requests.
    pub async fn resolve(self, store: &Store) -> Result<Vec<String>, StoreError> {
        match self {
            BulkSelection::Ids(ids) => Ok(ids),
            BulkSelection::Matching(query) => Ok(store
                .list_requests(query)
                .await?
                .into_iter()
                .map(|summary| summary.id)
                .collect()),
        }
    }
}

/// How a bulk replay runs.
#[derive(Debug, Clone)]
pub struct BulkOptions {
    /// At most this many requests in flight at once (at least 1).
    pub concurrency: usize,
    /// At most this many requests started per second; `None` for no limit.
    pub rate_per_second: Option<f64>,
    /// Applied to every request (target, re-signing; edits apply to all).
    pub replay: ReplayOptions,
}

/// Where a bulk replay is, after each finished request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BulkProgress {
    pub done: usize,
    pub total: usize,
    pub request_id: String,
    pub status: Option<u16>,
    pub error: Option<String>,
}

/// One request that did not get a 2xx.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BulkFailure {
    pub request_id: String,
    pub delivery_id: Option<String>,
    pub status: Option<u16>,
    pub error: Option<String>,
}

/// What a bulk replay did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BulkSummary {
    /// Requests for which an attempt was made (answered or not).
    pub sent: usize,
    pub success: usize,
    pub non_success: usize,
    /// Requests with no answer (network errors) or that could not be attempted.
    pub errors: usize,
    /// Every request without a 2xx, in capture order.
    pub failures: Vec<BulkFailure>,
    /// The run was cancelled before every request was started.
    pub cancelled: bool,
    /// Requests never started because the run was cancelled.
    pub not_sent: usize,
    /// For a chaos replay: the order used, the seed and which requests were sent twice.
    pub plan: Option<ChaosPlan>,
}

/// Replays `request_ids` in capture order (oldest first) and returns the summary.
pub async fn bulk_replay(
    deliverer: &Deliverer,
    request_ids: &[String],
    options: &BulkOptions,
    progress: impl FnMut(&BulkProgress),
) -> Result<BulkSummary, DeliveryError> {
    bulk_replay_cancellable(deliverer, request_ids, options, &CancelToken::new(), progress).await
}

/// [`bulk_replay`] that stops starting requests once `cancel` is cancelled; the requests in
/// flight then finish (and are recorded), and the summary counts the rest as `not_sent`.
pub async fn bulk_replay_cancellable(
    deliverer: &Deliverer,
    request_ids: &[String],
    options: &BulkOptions,
    cancel: &CancelToken,
    progress: impl FnMut(&BulkProgress),
) -> Result<BulkSummary, DeliveryError> {
    let ordered = capture_order(deliverer.store(), request_ids).await?;
    let outcomes = send_all(deliverer, &ordered, options, cancel, progress).await;
    Ok(summarize(&ordered, outcomes))
}

/// Chaos replay: sends the requests one after another in the plan's order (duplicates
/// included), each after its planned delay, and returns the summary with the plan.
pub async fn chaos_replay(
    deliverer: &Deliverer,
    plan: ChaosPlan,
    replay: &ReplayOptions,
    cancel: &CancelToken,
    mut progress: impl FnMut(&BulkProgress),
) -> BulkSummary {
    let ordered: Vec<Planned> = plan.sends.iter().map(|send| (None, send.request_id.clone())).collect();
    let mut outcomes = Vec::with_capacity(ordered.len());
    for (index, send) in plan.sends.iter().enumerate() {
        let waited = tokio::select! {
            biased;
            _ = cancel.cancelled() => false,
            _ = tokio::time::sleep(Duration::from_millis(send.delay_ms)) => true,
        };
        if !waited {
            break;
        }
        let outcome = Outcome::of(deliverer.replay(&send.request_id, replay).await);
        let (status, error) = outcome.status_and_error();
        outcomes.push((index, outcome));
        progress(&BulkProgress {
            done: outcomes.len(),
            total: ordered.len(),
            request_id: send.request_id.clone(),
            status,
            error,
        });
    }
    BulkSummary {
        plan: Some(plan),
        ..summarize(&ordered, outcomes)
    }
}

/// A request of the run: its `seq` (none when it is not stored) and id.
type Planned = (Option<i64>, String);

/// The requests in capture order (oldest first), each once; unknown ids last.
async fn capture_order(store: &Store, request_ids: &[String]) -> Result<Vec<Planned>, StoreError> {
    let ids = request_ids.to_vec();
    let mut ordered: Vec<Planned> = store
        .read(move |conn| {
            ids.into_iter()
                .map(|id| Ok((store::requests::seq_of(conn, &id)?, id)))
                .collect::<Result<Vec<_>, StoreError>>()
        })
        .await?;
    ordered.sort_by_key(|(seq, _)| seq.unwrap_or(i64::MAX));
    ordered.dedup_by(|a, b| a.1 == b.1);
    Ok(ordered)
}

/// When the next request may start: after the rate limit's next tick and a free concurrency
/// slot, unless the run is cancelled first.
struct Schedule {
    permits: Arc<Semaphore>,
    ticker: Option<tokio::time::Interval>,
}

impl Schedule {
    fn new(options: &BulkOptions) -> Self {
        let ticker = options.rate_per_second.filter(|rate| *rate > 0.0).map(|rate| {
            let mut ticker = tokio::time::interval(Duration::from_secs_f64(1.0 / rate));
            ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            ticker
        });
        Schedule {
            permits: Arc::new(Semaphore::new(options.concurrency.max(1))),
            ticker,
        }
    }

    /// A slot for the next request, held until it finishes; `None` once cancelled.
    async fn next_slot(&mut self, cancel: &CancelToken) -> Option<OwnedSemaphorePermit> {
        if cancel.is_cancelled() {
            return None;
        }
        if let Some(ticker) = self.ticker.as_mut() {
            tokio::select! {
                biased;
                _ = cancel.cancelled() => return None,
                _ = ticker.tick() => {}
            }
        }
        tokio::select! {
            biased;
            _ = cancel.cancelled() => None,
            permit = self.permits.clone().acquire_owned() => Some(permit.expect("semaphore never closes")),
        }
    }
}

/// Sends the requests as the schedule allows, reporting each finished one; returns the
/// outcomes by index into `ordered` (requests never started have none).
async fn send_all(
    deliverer: &Deliverer,
    ordered: &[Planned],
    options: &BulkOptions,
    cancel: &CancelToken,
    mut progress: impl FnMut(&BulkProgress),
) -> Vec<(usize, Outcome)> {
    let total = ordered.len();
    let mut schedule = Schedule::new(options);
    let mut tasks = JoinSet::new();
    let mut outcomes: Vec<(usize, Outcome)> = Vec::with_capacity(total);
    let mut report = |index: usize, outcome: Outcome, outcomes: &mut Vec<(usize, Outcome)>| {
        let (status, error) = outcome.status_and_error();
        outcomes.push((index, outcome));
        progress(&BulkProgress {
            done: outcomes.len(),
            total,
            request_id: ordered[index].1.clone(),
            status,
            error,
        });
    };
    for (index, (seq, id)) in ordered.iter().enumerate() {
        if cancel.is_cancelled() {
            break;
        }
        if seq.is_none() {
            report(
                index,
                Outcome::Missing(format!("no captured request with id {id}")),
                &mut outcomes,
            );
            continue;
        }
        let Some(permit) = schedule.next_slot(cancel).await else {
            break;
        };
        while let Some(done) = tasks.try_join_next() {
            let (index, outcome) = done.expect("replay task panicked");
            report(index, outcome, &mut outcomes);
        }
        let deliverer = deliverer.clone();
        let replay = options.replay.clone();
        let id = id.clone();
        tasks.spawn(async move {
            let outcome = Outcome::of(deliverer.replay(&id, &replay).await);
            drop(permit);
            (index, outcome)
        });
    }
    while let Some(done) = tasks.join_next().await {
        let (index, outcome) = done.expect("replay task panicked");
        report(index, outcome, &mut outcomes);
    }
    outcomes.sort_by_key(|(index, _)| *index);
    outcomes
}

/// The summary of a run: counts, and every request without a 2xx in capture order.
fn summarize(ordered: &[Planned], outcomes: Vec<(usize, Outcome)>) -> BulkSummary {
    let not_sent = ordered.len() - outcomes.len();
    let mut summary = BulkSummary {
        cancelled: not_sent > 0,
        not_sent,
        ..BulkSummary::default()
    };
    for (index, outcome) in outcomes {
        let request_id = ordered[index].1.clone();
        let failure = match outcome {
            Outcome::Attempted {
                delivery_id,
                status,
                error,
            } => {
                summary.sent += 1;
                match status {
                    Some(status) if (200..300).contains(&status) => {
                        summary.success += 1;
                        continue;
                    }
                    Some(status) => {
                        summary.non_success += 1;
                        BulkFailure {
                            request_id,
                            delivery_id: Some(delivery_id),
                            status: Some(status),
                            error: None,
                        }
                    }
                    None => {
                        summary.errors += 1;
                        BulkFailure {
                            request_id,
                            delivery_id: Some(delivery_id),
                            status: None,
                            error,
                        }
                    }
                }
            }
            Outcome::Missing(error) => {
                summary.errors += 1;
                BulkFailure {
                    request_id,
                    delivery_id: None,
                    status: None,
                    error: Some(error),
                }
            }
        };
        summary.failures.push(failure);
    }
    summary
}

/// What is kept of each replay until the summary: not the bodies, which may be large.
enum Outcome {
    Attempted {
        delivery_id: String,
        status: Option<u16>,
        error: Option<String>,
    },
    Missing(String),
}

impl Outcome {
    fn of(replayed: Result<crate::model::DeliveryAttempt, DeliveryError>) -> Self {
        match replayed {
            Ok(attempt) => Outcome::Attempted {
                delivery_id: attempt.id.clone(),
                status: attempt.status(),
                error: attempt.error.map(|e| e.message),
            },
            Err(error) => Outcome::Missing(error.to_string()),
        }
    }

    fn status_and_error(&self) -> (Option<u16>, Option<String>) {
        match self {
            Outcome::Attempted { status, error, .. } => (*status, error.clone()),
            Outcome::Missing(error) => (None, Some(error.clone())),
        }
    }
}

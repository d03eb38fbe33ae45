//! Bulk replay: many captured requests to one target, in capture order, with a concurrency
//! limit and a rate limit, and a summary that lists what failed. A run can be cancelled: no
//! further request is started, the ones in flight finish and are recorded.

use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use super::cancel::CancelToken;
use super::replay::{Deliverer, ReplayOptions};
use super::DeliveryError;
use crate::store::{self, requests::ListQuery, Store, StoreError};

/// Which requests a bulk replay sends.
#[derive(Debug, Clone)]
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
    mut progress: impl FnMut(&BulkProgress),
) -> Result<BulkSummary, DeliveryError> {
    let ids = request_ids.to_vec();
    let mut ordered: Vec<(Option<i64>, String)> = deliverer
        .store()
        .read(move |conn| {
            ids.into_iter()
                .map(|id| Ok((store::requests::seq_of(conn, &id)?, id)))
                .collect::<Result<Vec<_>, store::StoreError>>()
        })
        .await?;
    ordered.sort_by_key(|(seq, _)| seq.unwrap_or(i64::MAX));
    ordered.dedup_by(|a, b| a.1 == b.1);
    let total = ordered.len();
    let permits = Arc::new(Semaphore::new(options.concurrency.max(1)));
    let mut ticker = options.rate_per_second.filter(|rate| *rate > 0.0).map(|rate| {
        let mut ticker = tokio::time::interval(Duration::from_secs_f64(1.0 / rate));
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        ticker
    });
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
        if let Some(ticker) = ticker.as_mut() {
            let go_on = tokio::select! {
                biased;
                _ = cancel.cancelled() => false,
                _ = ticker.tick() => true,
            };
            if !go_on {
                break;
            }
        }
        let permit = tokio::select! {
            biased;
            _ = cancel.cancelled() => None,
            permit = permits.clone().acquire_owned() => Some(permit.expect("semaphore never closes")),
        };
        let Some(permit) = permit else { break };
        while let Some(done) = tasks.try_join_next() {
            let (index, outcome) = done.expect("replay task panicked");
            report(index, outcome, &mut outcomes);
        }
        let deliverer = deliverer.clone();
        let replay = options.replay.clone();
        let id = id.clone();
        tasks.spawn(async move {
            let outcome = match deliverer.replay(&id, &replay).await {
                Ok(attempt) => Outcome::Attempted {
                    delivery_id: attempt.id.clone(),
                    status: attempt.status(),
                    error: attempt.error.map(|e| e.message),
                },
                Err(error) => Outcome::Missing(error.to_string()),
            };
            drop(permit);
            (index, outcome)
        });
    }
    while let Some(done) = tasks.join_next().await {
        let (index, outcome) = done.expect("replay task panicked");
        report(index, outcome, &mut outcomes);
    }
    outcomes.sort_by_key(|(index, _)| *index);
    let not_sent = total - outcomes.len();
    let mut summary = BulkSummary {
        cancelled: not_sent > 0,
        not_sent,
        ..BulkSummary::default()
    };
    for (index, outcome) in outcomes {
        let request_id = ordered[index].1.clone();
        match outcome {
            Outcome::Attempted {
                delivery_id,
                status,
                error,
            } => {
                summary.sent += 1;
                match status {
                    Some(status) if (200..300).contains(&status) => summary.success += 1,
                    Some(status) => {
                        summary.non_success += 1;
                        summary.failures.push(BulkFailure {
                            request_id,
                            delivery_id: Some(delivery_id),
                            status: Some(status),
                            error: None,
                        });
                    }
                    None => {
                        summary.errors += 1;
                        summary.failures.push(BulkFailure {
                            request_id,
                            delivery_id: Some(delivery_id),
                            status: None,
                            error,
                        });
                    }
                }
            }
            Outcome::Missing(error) => {
                summary.errors += 1;
                summary.failures.push(BulkFailure {
                    request_id,
                    delivery_id: None,
                    status: None,
                    error: Some(error),
                });
            }
        }
    }
    Ok(summary)
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
    fn status_and_error(&self) -> (Option<u16>, Option<String>) {
        match self {
            Outcome::Attempted { status, error, .. } => (*status, error.clone()),
            Outcome::Missing(error) => (None, Some(error.clone())),
        }
    }
}

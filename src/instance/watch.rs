//! The watcher of an attached engine: announces the rows another process stores in the shared
//! database as `RequestCaptured`, as if they were captured here, so the window's live list and
//! `serve`'s printed lines show them.
//!
//! It sits between the engine's own event bus (what this process captures, imports, delivers)
//! and the bus subscribers read, and is the only one that announces captures there. A row is
//! announced once whether this process or the database poll sees it first: the poll moves a
//! watermark on `seq`, and this process's own captures above the watermark are remembered until
//! the poll passes them. The poll itself is one primary-key lookup when nothing is new.

use std::collections::BTreeSet;
use std::time::Duration;

use tokio::sync::broadcast::{self, error::RecvError};
use tokio::task::JoinHandle;

use crate::model::EngineEvent;
use crate::store::wait::{self, WaitFilter};
use crate::store::Store;

/// Most rows read per poll; more are read by the next one, at once.
const PAGE: usize = 1000;

/// Starts the watcher: rows stored after `from_seq` by anyone, and every event of `local`,
/// go to `public`, each capture once.
pub(crate) fn spawn_watcher(
    store: Store,
    mut local: broadcast::Receiver<EngineEvent>,
    public: broadcast::Sender<EngineEvent>,
    from_seq: i64,
    every: Duration,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut seen = Seen::new(from_seq);
        let mut ticker = tokio::time::interval(every);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                event = local.recv() => match event {
                    Ok(EngineEvent::RequestCaptured(summary)) => {
                        if seen.local(summary.seq) {
                            let _ = public.send(EngineEvent::RequestCaptured(summary));
                        }
                    }
                    Ok(other) => {
                        let _ = public.send(other);
                    }
                    // Missed captures are stored: the next poll finds those it has not passed.
                    Err(RecvError::Lagged(missed)) => tracing::debug!(missed, "watcher fell behind local events"),
                    Err(RecvError::Closed) => return,
                },
                _ = ticker.tick() => {
                    if let Err(error) = poll(&store, &public, &mut seen).await {
                        tracing::warn!(%error, "could not read requests stored by the other Hookscope");
                    }
                }
            }
        }
    })
}

/// Reads what is new since the watermark and announces what was not announced yet.
async fn poll(
    store: &Store,
    public: &broadcast::Sender<EngineEvent>,
    seen: &mut Seen,
) -> Result<(), crate::store::StoreError> {
    loop {
        let watermark = seen.watermark;
        let page = store
            .read(move |conn| wait::matching_after(conn, watermark, &WaitFilter::default(), PAGE))
            .await?;
        let full = page.matches.len() == PAGE;
        for summary in page.matches {
            if seen.polled(summary.seq) {
                let _ = public.send(EngineEvent::RequestCaptured(summary));
            }
        }
        seen.passed(page.watermark);
        if !full {
            return Ok(());
        }
    }
}

/// Which captures were announced: all up to the watermark, plus this process's own above it.
#[derive(Debug)]
struct Seen {
    watermark: i64,
    ahead: BTreeSet<i64>,
}

impl Seen {
    fn new(watermark: i64) -> Self {
        Seen {
            watermark,
            ahead: BTreeSet::new(),
        }
    }

    /// A capture of this process: true when it is to be announced now.
    fn local(&mut self, seq: i64) -> bool {
        seq > self.watermark && self.ahead.insert(seq)
    }

    /// A row the poll found: true when it was not announced as a local capture.
    fn polled(&mut self, seq: i64) -> bool {
        !self.ahead.remove(&seq)
    }

    /// The poll looked at every row up to `watermark`.
    fn passed(&mut self, watermark: i64) {
        self.watermark = self.watermark.max(watermark);
        // Rows pruned before the poll reached them leave nothing behind.
        self.ahead = self.ahead.split_off(&(self.watermark + 1));
    }
}

#[cfg(test)]
mod tests {
    use super::Seen;

    #[test]
    fn a_capture_is_announced_once_whichever_side_sees_it_first() {
        let mut seen = Seen::new(10);
        // Local first, then the poll.
        assert!(seen.local(11));
        assert!(!seen.polled(11));
        // The poll first (another process's row, or a local one before its event).
        assert!(seen.polled(12));
        seen.passed(12);
        assert!(!seen.local(12), "already announced by the poll");
        assert!(!seen.local(5), "below the watermark");
        // A local capture whose row was pruned before the poll reached it is forgotten.
        assert!(seen.local(20));
        seen.passed(25);
        assert!(seen.ahead.is_empty());
    }
}

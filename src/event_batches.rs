//! Reading the engine's event bus in batches: whatever is already queued comes with the event
//! that woke the reader, so a burst of thousands of requests costs a subscriber (the window, the
//! CLI's printer) a few wake-ups instead of one per request, and a single webhook still comes at
//! once. A window that repaints for each message reads them paced instead ([`PacedBatches`]): at
//! most one message per interval during a burst, carrying only the newest captures and the count
//! of those left out, which it pages from the store when the person scrolls there. Batches the
//! window has not taken yet are merged into one ([`PacedBatch::merge`]) under the same rule.

use std::time::Duration;

use tokio::sync::broadcast::error::{RecvError, TryRecvError};
use tokio::sync::broadcast::Receiver;
use tokio::time::Instant;

use crate::model::EngineEvent;

/// Events taken from the bus in one go, oldest first.
#[derive(Debug, Default)]
pub struct EventBatch {
    pub events: Vec<EngineEvent>,
    /// Events the subscriber fell too far behind to receive (they are stored; a list reloads).
    pub missed: u64,
}

/// A subscriber that takes events in batches of at most `max`.
pub struct EventBatches {
    receiver: Receiver<EngineEvent>,
    max: usize,
}

impl EventBatches {
    pub fn new(receiver: Receiver<EngineEvent>, max: usize) -> Self {
        EventBatches {
            receiver,
            max: max.max(1),
        }
    }

    /// Waits for the next event, then takes what is already queued without waiting for more.
    /// `None` once the bus is closed and drained.
    pub async fn next(&mut self) -> Option<EventBatch> {
        let mut batch = EventBatch::default();
        match self.receiver.recv().await {
            Ok(event) => batch.events.push(event),
            Err(RecvError::Lagged(missed)) => {
                // Report a gap at once rather than waiting for the next event.
                batch.missed = missed;
                return Some(batch);
            }
            Err(RecvError::Closed) => return None,
        }
        while batch.events.len() < self.max {
            match self.receiver.try_recv() {
                Ok(event) => batch.events.push(event),
                Err(TryRecvError::Lagged(missed)) => batch.missed += missed,
                Err(TryRecvError::Empty | TryRecvError::Closed) => break,
            }
        }
        Some(batch)
    }
}

/// One paced message: the events of an interval, oldest first, with only the newest captures.
#[derive(Debug, Default)]
pub struct PacedBatch {
    /// Every event of the interval except the older captures left out, in arrival order.
    pub events: Vec<EngineEvent>,
    /// Captures of the interval left out of `events`: all older than the captures in it (they are
    /// stored; a list that shows the newest rows pages them from the store).
    pub captures_left_out: u64,
    /// Events the subscriber fell too far behind to receive.
    pub missed: u64,
}

impl PacedBatch {
    /// Whether there is nothing to hand over.
    pub fn is_empty(&self) -> bool {
        self.events.is_empty() && self.captures_left_out == 0 && self.missed == 0
    }

    /// Appends a later batch, then leaves out the oldest captures beyond `keep` (counted in
    /// `captures_left_out`): what a subscriber that did not take the first batch yet should get.
    /// Captures left out stay older than every capture kept: when the later batch left some
    /// out, this one's captures are left out too.
    pub fn merge(&mut self, later: PacedBatch, keep: usize) {
        if later.captures_left_out > 0 {
            self.keep_newest_captures(0);
        }
        self.missed += later.missed;
        self.captures_left_out += later.captures_left_out;
        self.events.extend(later.events);
        self.keep_newest_captures(keep);
    }

    /// Leaves out the oldest captures beyond `keep` (counted in `captures_left_out`).
    pub fn keep_newest_captures(&mut self, keep: usize) {
        let captures = self
            .events
            .iter()
            .filter(|e| matches!(e, EngineEvent::RequestCaptured(_)))
            .count();
        let mut extra = captures.saturating_sub(keep);
        if extra == 0 {
            return;
        }
        self.captures_left_out += extra as u64;
        self.events.retain(|event| {
            if extra > 0 && matches!(event, EngineEvent::RequestCaptured(_)) {
                extra -= 1;
                return false;
            }
            true
        });
    }
}

/// A subscriber that gets at most one batch per `interval` while events keep coming, each with at
/// most `keep` captures (the newest): the first event after a quiet spell comes at once.
pub struct PacedBatches {
    batches: EventBatches,
    interval: Duration,
    keep: usize,
    last: Option<Instant>,
}

impl PacedBatches {
    pub fn new(receiver: Receiver<EngineEvent>, interval: Duration, keep: usize) -> Self {
        let keep = keep.max(1);
        PacedBatches {
            batches: EventBatches::new(receiver, keep * 4),
            interval,
            keep,
            last: None,
        }
    }

    /// Waits for the next event, then, when the last batch was handed out less than an interval
    /// ago, gathers until the interval is over. `None` once the bus is closed and drained.
    pub async fn next(&mut self) -> Option<PacedBatch> {
        let first = self.batches.next().await?;
        let mut paced = PacedBatch::default();
        self.absorb(&mut paced, first);
        if let Some(last) = self.last {
            let due = last + self.interval;
            while paced.missed == 0 {
                tokio::select! {
                    _ = tokio::time::sleep_until(due) => break,
                    more = self.batches.next() => match more {
                        Some(more) => self.absorb(&mut paced, more),
                        None => break,
                    },
                }
            }
        }
        self.last = Some(Instant::now());
        Some(paced)
    }

    /// Adds a batch, leaving out the oldest captures beyond `keep`.
    fn absorb(&self, paced: &mut PacedBatch, batch: EventBatch) {
        paced.missed += batch.missed;
        paced.events.extend(batch.events);
        paced.keep_newest_captures(self.keep);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::sync::broadcast;

    fn pruned(removed: u64) -> EngineEvent {
        EngineEvent::RetentionPruned { removed }
    }

    #[tokio::test]
    async fn a_batch_takes_what_is_queued_up_to_its_size_in_order() {
        let (sender, receiver) = broadcast::channel(16);
        let mut batches = EventBatches::new(receiver, 3);
        for removed in 1..=5 {
            sender.send(pruned(removed)).unwrap();
        }
        let first = batches.next().await.unwrap();
        assert_eq!(first.events.len(), 3);
        assert!(matches!(first.events[0], EngineEvent::RetentionPruned { removed: 1 }));
        let second = batches.next().await.unwrap();
        assert_eq!(second.events.len(), 2);
        assert!(matches!(second.events[1], EngineEvent::RetentionPruned { removed: 5 }));
        drop(sender);
        assert!(batches.next().await.is_none());
    }

    #[tokio::test]
    async fn a_subscriber_that_fell_behind_hears_how_many_it_missed() {
        let (sender, receiver) = broadcast::channel(2);
        let mut batches = EventBatches::new(receiver, 10);
        for removed in 1..=5 {
            sender.send(pruned(removed)).unwrap();
        }
        let gap = batches.next().await.unwrap();
        assert_eq!(gap.missed, 3);
        let rest = batches.next().await.unwrap();
        assert_eq!(rest.events.len(), 2);
    }

    fn captured(seq: i64) -> EngineEvent {
        EngineEvent::RequestCaptured(crate::model::RequestSummary {
            seq,
            id: format!("r{seq}"),
            endpoint_name: None,
            received_at_ns: seq,
            source: crate::model::CaptureSource::Local,
            remote_addr: None,
            method: "POST".into(),
            target: "/hook".into(),
            content_type: None,
            body_size: 0,
            truncated: false,
            response_status: 200,
            signature_status: None,
            signature_provider: None,
            rule: None,
            event_type: None,
            delivery_id: None,
            attempt: None,
        })
    }

    fn seqs(events: &[EngineEvent]) -> Vec<i64> {
        events
            .iter()
            .filter_map(|e| match e {
                EngineEvent::RequestCaptured(s) => Some(s.seq),
                _ => None,
            })
            .collect()
    }

    #[tokio::test]
    async fn the_first_event_after_a_quiet_spell_comes_without_waiting_for_the_interval() {
        let (sender, receiver) = broadcast::channel(64);
        // An interval no test would wait out: only a batch that does not wait for it can come.
        let mut paced = PacedBatches::new(receiver, Duration::from_secs(3600), 10);
        sender.send(captured(1)).unwrap();
        let batch = tokio::time::timeout(Duration::from_secs(60), paced.next()).await;
        assert_eq!(seqs(&batch.unwrap().unwrap().events), vec![1]);
    }

    #[tokio::test]
    async fn a_burst_comes_in_one_batch_per_interval_with_the_newest_captures_and_a_count_of_the_rest() {
        let (sender, receiver) = broadcast::channel(1024);
        let mut paced = PacedBatches::new(receiver, Duration::from_millis(50), 3);
        sender.send(captured(1)).unwrap();
        let first = paced.next().await.unwrap();
        assert_eq!(seqs(&first.events), vec![1]);
        assert_eq!(first.captures_left_out, 0);
        // The rest of the burst arrives within the interval after the first batch.
        for seq in 2..=9 {
            sender.send(captured(seq)).unwrap();
            if seq == 5 {
                sender.send(pruned(7)).unwrap();
            }
        }
        let second = paced.next().await.unwrap();
        assert_eq!(seqs(&second.events), vec![7, 8, 9]);
        assert_eq!(second.captures_left_out, 5);
        assert!(second
            .events
            .iter()
            .any(|e| matches!(e, EngineEvent::RetentionPruned { removed: 7 })));
        drop(sender);
        assert!(paced.next().await.is_none());
    }

    #[test]
    fn a_batch_not_taken_yet_takes_in_the_next_and_keeps_only_the_newest_captures() {
        let mut pending = PacedBatch::default();
        assert!(pending.is_empty());
        pending.merge(
            PacedBatch {
                events: vec![captured(3), pruned(1), captured(4)],
                captures_left_out: 2,
                missed: 0,
            },
            3,
        );
        assert_eq!(seqs(&pending.events), vec![3, 4]);
        assert_eq!(pending.captures_left_out, 2);
        pending.merge(
            PacedBatch {
                events: vec![captured(7), captured(8)],
                captures_left_out: 2,
                missed: 5,
            },
            3,
        );
        // 5 and 6 were left out of the second batch: 3 and 4, older, are left out with them.
        assert_eq!(seqs(&pending.events), vec![7, 8]);
        assert_eq!(pending.captures_left_out, 6);
        pending.merge(
            PacedBatch {
                events: vec![captured(9), captured(10)],
                captures_left_out: 0,
                missed: 0,
            },
            3,
        );
        // Nothing left out in between: the oldest beyond the three kept goes.
        assert_eq!(seqs(&pending.events), vec![8, 9, 10]);
        assert_eq!(pending.captures_left_out, 7);
        assert_eq!(pending.missed, 5);
        assert!(pending
            .events
            .iter()
            .any(|e| matches!(e, EngineEvent::RetentionPruned { removed: 1 })));
        assert!(!std::mem::take(&mut pending).is_empty());
        assert!(pending.is_empty());
    }

    #[test]
    fn keeping_fewer_captures_leaves_out_the_oldest_and_keeps_other_events() {
        let mut batch = PacedBatch {
            events: vec![captured(1), pruned(3), captured(2), captured(3)],
            captures_left_out: 4,
            missed: 0,
        };
        batch.keep_newest_captures(1);
        assert_eq!(seqs(&batch.events), vec![3]);
        assert_eq!(batch.captures_left_out, 6);
        assert_eq!(batch.events.len(), 2);
    }
}

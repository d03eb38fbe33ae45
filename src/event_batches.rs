//! Reading the engine's event bus in batches: whatever is already queued comes with the event
//! that woke the reader, so a burst of thousands of requests costs a subscriber (the window, the
//! CLI's printer) a few wake-ups instead of one per request, and a single webhook still comes at
//! once.

use tokio::sync::broadcast::error::{RecvError, TryRecvError};
use tokio::sync::broadcast::Receiver;

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
}

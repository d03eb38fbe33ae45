//! Waiting for requests, for tests and CI (`hookscope wait`): blocks until enough requests
//! matching the filters are stored by any process writing the same database, polling from a
//! watermark on `seq` so that each poll reads only what is new.

use std::time::Duration;

use super::{Workbench, WorkbenchError};
use crate::model::RequestSummary;
use crate::store::requests;
use crate::store::wait::{self, WaitFilter};

/// How often the store is polled for new requests.
const POLL_EVERY: Duration = Duration::from_millis(50);

/// Where counting starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WaitStart {
    /// Only requests stored after the wait began.
    Now,
    /// Only requests stored after this one.
    After(String),
}

impl Workbench {
    /// Waits until `count` requests matching `filter` are stored after `start`, or `timeout`
    /// passes; `found` hears of each match as it is seen, oldest first. Returns how many
    /// matched (fewer than `count` on a timeout).
    pub async fn wait_for(
        &self,
        filter: WaitFilter,
        start: WaitStart,
        count: usize,
        timeout: Duration,
        mut found: impl FnMut(&RequestSummary),
    ) -> Result<usize, WorkbenchError> {
        let mut watermark = match start {
            WaitStart::Now => self.store.read(wait::max_seq).await?,
            WaitStart::After(id) => {
                let wanted = id.clone();
                self.store
                    .read(move |conn| requests::seq_of(conn, &wanted))
                    .await?
                    .ok_or(WorkbenchError::RequestNotFound(id))?
            }
        };
        let deadline = tokio::time::Instant::now() + timeout;
        let mut matched = 0;
        while matched < count {
            let (filter, limit) = (filter.clone(), count - matched);
            let page = self
                .store
                .read(move |conn| wait::matching_after(conn, watermark, &filter, limit))
                .await?;
            watermark = page.watermark;
            for summary in &page.matches {
                found(summary);
            }
            matched += page.matches.len();
            if matched >= count || tokio::time::Instant::now() >= deadline {
                break;
            }
            tokio::time::sleep_until(deadline.min(tokio::time::Instant::now() + POLL_EVERY)).await;
        }
        Ok(matched)
    }
}

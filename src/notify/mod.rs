//! Turns the requests that arrive for endpoints with notifications on into few desktop
//! notifications: a burst becomes one notice, and each endpoint gets at most one notice per
//! interval, which then counts what arrived meanwhile. Pure: the caller passes the clock in and
//! shows the notices, so the policy is tested without a desktop or sleeps.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use crate::model::RequestSummary;

/// When notices are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NoticePolicy {
    /// A first notice waits until the endpoint has been quiet this long, so a burst is one notice.
    pub settle: Duration,
    /// ... but never longer than this after the first request of the burst.
    pub settle_max: Duration,
    /// At most one notice per endpoint in this time.
    pub interval: Duration,
}

impl Default for NoticePolicy {
    fn default() -> Self {
        Self {
            settle: Duration::from_millis(1000),
            settle_max: Duration::from_secs(3),
            interval: Duration::from_secs(60),
        }
    }
}

/// A request that arrived for an endpoint with notifications on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arrival {
    /// The endpoint's name.
    pub endpoint: String,
    /// The endpoint's path prefix, as the notice names it (`/stripe`).
    pub path_prefix: String,
    pub request_id: String,
    /// The provider's event type, when known.
    pub event_type: Option<String>,
    /// `POST /stripe/events`, said when the event type is not known.
    pub request_line: String,
}

impl Arrival {
    /// The arrival of a captured request for `path_prefix`'s endpoint.
    pub fn of(summary: &RequestSummary, endpoint: &str, path_prefix: &str) -> Self {
        Self {
            endpoint: endpoint.to_owned(),
            path_prefix: path_prefix.to_owned(),
            request_id: summary.id.clone(),
            event_type: summary.event_type.clone(),
            request_line: format!("{} {}", summary.method, summary.target),
        }
    }
}

/// One desktop notification: how many requests an endpoint received, and the newest of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub endpoint: String,
    pub path_prefix: String,
    /// Requests counted in this notice.
    pub count: usize,
    /// The newest request, which clicking the notice opens.
    pub newest_request_id: String,
    pub newest_event_type: Option<String>,
    pub newest_request_line: String,
    /// The interval this notice sums up, when it follows an earlier notice of the endpoint.
    pub since_last: Option<Duration>,
}

impl Notice {
    /// The notice's headline: "12 webhooks on /stripe in the last minute".
    pub fn summary(&self) -> String {
        let noun = if self.count == 1 { "webhook" } else { "webhooks" };
        let mut text = format!("{} {noun} on {}", self.count, self.path_prefix);
        if let Some(span) = self.since_last {
            text.push_str(" in the last ");
            text.push_str(&span_words(span));
        }
        text
    }

    /// The notice's body: the endpoint and the newest request's event type (or request line).
    pub fn body(&self) -> String {
        let newest = self.newest_event_type.as_deref().unwrap_or(&self.newest_request_line);
        let label = if self.count == 1 { "" } else { "newest: " };
        format!("Endpoint {} · {label}{newest}", self.endpoint)
    }
}

fn span_words(span: Duration) -> String {
    match span.as_secs() {
        60 => "minute".to_owned(),
        s if s % 60 == 0 => format!("{} minutes", s / 60),
        s => format!("{s} seconds"),
    }
}

/// The requests of one endpoint not yet in a notice.
#[derive(Debug)]
struct Pending {
    count: usize,
    first_at: Instant,
    last_at: Instant,
    newest: Arrival,
}

#[derive(Debug, Default)]
struct EndpointNotices {
    pending: Option<Pending>,
    last_shown: Option<Instant>,
}

/// Groups arrivals per endpoint into notices, following a [`NoticePolicy`].
#[derive(Debug, Default)]
pub struct NotificationGrouper {
    policy: NoticePolicy,
    endpoints: HashMap<String, EndpointNotices>,
}

impl NotificationGrouper {
    pub fn new(policy: NoticePolicy) -> Self {
        Self {
            policy,
            endpoints: HashMap::new(),
        }
    }

    /// Counts a request that arrived at `now`.
    pub fn record(&mut self, arrival: Arrival, now: Instant) {
        let notices = self.endpoints.entry(arrival.endpoint.clone()).or_default();
        match &mut notices.pending {
            Some(pending) => {
                pending.count += 1;
                pending.last_at = now;
                pending.newest = arrival;
            }
            None => {
                notices.pending = Some(Pending {
                    count: 1,
                    first_at: now,
                    last_at: now,
                    newest: arrival,
                })
            }
        }
    }

    /// When the next notice is due, if any request is waiting for one.
    pub fn next_due(&self) -> Option<Instant> {
        self.endpoints.values().filter_map(|n| self.due_at(n)).min()
    }

    /// The notices due at `now`, which the caller shows; they are no longer pending.
    pub fn take_due(&mut self, now: Instant) -> Vec<Notice> {
        let mut due = Vec::new();
        let policy = self.policy;
        for notices in self.endpoints.values_mut() {
            let Some(at) = due_at(policy, notices) else { continue };
            if at > now {
                continue;
            }
            let pending = notices.pending.take().expect("a due endpoint has pending requests");
            let follows_recent = notices
                .last_shown
                .is_some_and(|shown| pending.first_at.duration_since(shown) < policy.interval);
            due.push(Notice {
                endpoint: pending.newest.endpoint,
                path_prefix: pending.newest.path_prefix,
                count: pending.count,
                newest_request_id: pending.newest.request_id,
                newest_event_type: pending.newest.event_type,
                newest_request_line: pending.newest.request_line,
                since_last: follows_recent.then_some(policy.interval),
            });
            notices.last_shown = Some(now);
        }
        // Endpoints quiet for a whole interval start afresh.
        self.endpoints.retain(|_, n| {
            n.pending.is_some()
                || n.last_shown
                    .is_some_and(|shown| now.duration_since(shown) < policy.interval)
        });
        due.sort_by(|a, b| a.endpoint.cmp(&b.endpoint));
        due
    }

    /// Forgets every pending request (the window came to the front: its list shows them).
    pub fn discard_pending(&mut self) {
        for notices in self.endpoints.values_mut() {
            notices.pending = None;
        }
    }

    fn due_at(&self, notices: &EndpointNotices) -> Option<Instant> {
        due_at(self.policy, notices)
    }
}

/// A burst settles first; and no notice comes sooner than an interval after the last one.
fn due_at(policy: NoticePolicy, notices: &EndpointNotices) -> Option<Instant> {
    let pending = notices.pending.as_ref()?;
    let settled = (pending.last_at + policy.settle).min(pending.first_at + policy.settle_max);
    Some(match notices.last_shown {
        Some(shown) => settled.max(shown + policy.interval),
        None => settled,
    })
}

#[cfg(test)]
mod tests;

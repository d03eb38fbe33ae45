use std::time::{Duration, Instant};

use super::*;

fn arrival(endpoint: &str, id: &str, event_type: Option<&str>) -> Arrival {
    Arrival {
        endpoint: endpoint.to_owned(),
        path_prefix: format!("/{endpoint}"),
        request_id: id.to_owned(),
        event_type: event_type.map(str::to_owned),
        request_line: format!("POST /{endpoint}/hook"),
    }
}

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

#[test]
fn a_single_request_gives_one_notice_once_the_endpoint_is_quiet() {
    let t0 = Instant::now();
    let mut grouper = NotificationGrouper::new(NoticePolicy::default());
    assert_eq!(grouper.next_due(), None);
    grouper.record(arrival("stripe", "01A", Some("invoice.paid")), t0);
    assert_eq!(grouper.next_due(), Some(t0 + ms(1000)));
    assert!(grouper.take_due(t0 + ms(999)).is_empty(), "not before the settle time");
    let notices = grouper.take_due(t0 + ms(1000));
    assert_eq!(notices.len(), 1);
    assert_eq!(notices[0].summary(), "1 webhook on /stripe");
    assert_eq!(notices[0].body(), "Endpoint stripe · invoice.paid");
    assert_eq!(notices[0].newest_request_id, "01A");
    assert_eq!(grouper.next_due(), None, "nothing left pending");
}

#[test]
fn a_burst_of_twenty_is_one_notice_naming_the_count_and_the_newest_event() {
    let t0 = Instant::now();
    let mut grouper = NotificationGrouper::new(NoticePolicy::default());
    for i in 0..20u64 {
        let event = if i == 19 { "charge.refunded" } else { "invoice.paid" };
        grouper.record(arrival("stripe", &format!("{i:02}"), Some(event)), t0 + ms(i * 20));
        assert!(grouper.take_due(t0 + ms(i * 20)).is_empty());
    }
    let notices = grouper.take_due(t0 + ms(19 * 20 + 1000));
    assert_eq!(notices.len(), 1);
    assert_eq!(notices[0].count, 20);
    assert_eq!(notices[0].summary(), "20 webhooks on /stripe");
    assert_eq!(notices[0].body(), "Endpoint stripe · newest: charge.refunded");
    assert_eq!(notices[0].newest_request_id, "19");
}

#[test]
fn a_steady_stream_gets_its_first_notice_after_the_settle_limit() {
    let t0 = Instant::now();
    let mut grouper = NotificationGrouper::new(NoticePolicy::default());
    let mut shown = Vec::new();
    // One request every 500 ms: never quiet for a second.
    for i in 0..10u64 {
        let now = t0 + ms(i * 500);
        grouper.record(arrival("gh", &i.to_string(), None), now);
        shown.extend(grouper.take_due(now).into_iter().map(|n| (now, n.count)));
    }
    assert_eq!(
        shown,
        [(t0 + secs(3), 7)],
        "requests at 0..=3000 ms, shown at the 3 s limit"
    );
}

#[test]
fn after_a_notice_the_endpoint_gets_at_most_one_more_per_minute_counting_what_came_meanwhile() {
    let t0 = Instant::now();
    let mut grouper = NotificationGrouper::new(NoticePolicy::default());
    grouper.record(arrival("stripe", "first", None), t0);
    assert_eq!(grouper.take_due(t0 + secs(1)).len(), 1);
    for i in 0..12u64 {
        grouper.record(
            arrival("stripe", &format!("later{i}"), Some("invoice.paid")),
            t0 + secs(5 + i),
        );
    }
    assert_eq!(
        grouper.next_due(),
        Some(t0 + secs(61)),
        "a minute after the last notice"
    );
    assert!(grouper.take_due(t0 + secs(60)).is_empty());
    let notices = grouper.take_due(t0 + secs(61));
    assert_eq!(notices.len(), 1);
    assert_eq!(notices[0].summary(), "12 webhooks on /stripe in the last minute");
    assert_eq!(notices[0].newest_request_id, "later11");
    assert_eq!(notices[0].body(), "Endpoint stripe · newest: invoice.paid");
}

#[test]
fn a_request_after_a_quiet_minute_is_a_fresh_notice_again() {
    let t0 = Instant::now();
    let mut grouper = NotificationGrouper::new(NoticePolicy::default());
    grouper.record(arrival("stripe", "a", None), t0);
    assert_eq!(grouper.take_due(t0 + secs(1)).len(), 1);
    grouper.record(arrival("stripe", "b", None), t0 + secs(90));
    let notices = grouper.take_due(t0 + secs(91));
    assert_eq!(notices.len(), 1);
    assert_eq!(notices[0].summary(), "1 webhook on /stripe", "no 'in the last minute'");
    assert_eq!(notices[0].body(), "Endpoint stripe · POST /stripe/hook");
}

#[test]
fn endpoints_are_limited_separately() {
    let t0 = Instant::now();
    let mut grouper = NotificationGrouper::new(NoticePolicy::default());
    grouper.record(arrival("stripe", "s1", None), t0);
    grouper.record(arrival("github", "g1", None), t0 + ms(200));
    let first = grouper.take_due(t0 + ms(1000));
    assert_eq!(
        first.iter().map(|n| n.endpoint.as_str()).collect::<Vec<_>>(),
        ["stripe"]
    );
    let second = grouper.take_due(t0 + ms(1200));
    assert_eq!(
        second.iter().map(|n| n.endpoint.as_str()).collect::<Vec<_>>(),
        ["github"]
    );
}

#[test]
fn discarded_requests_are_never_notified() {
    let t0 = Instant::now();
    let mut grouper = NotificationGrouper::new(NoticePolicy::default());
    grouper.record(arrival("stripe", "a", None), t0);
    grouper.discard_pending();
    assert_eq!(grouper.next_due(), None);
    assert!(grouper.take_due(t0 + secs(5)).is_empty());
}

#[test]
fn other_intervals_are_said_in_words() {
    let t0 = Instant::now();
    let policy = NoticePolicy {
        interval: secs(300),
        ..NoticePolicy::default()
    };
    let mut grouper = NotificationGrouper::new(policy);
    grouper.record(arrival("x", "a", None), t0);
    grouper.take_due(t0 + secs(1));
    grouper.record(arrival("x", "b", None), t0 + secs(2));
    grouper.record(arrival("x", "c", None), t0 + secs(3));
    let notices = grouper.take_due(t0 + secs(301));
    assert_eq!(notices[0].summary(), "2 webhooks on /x in the last 5 minutes");
}

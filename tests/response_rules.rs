//! Response rules over real SQLite files: decisions, counters that survive reopening the
//! database, reproducible percentages, each condition, ordering, and invalid input rejected.

use hookscope::model::{CapturedRequest, Endpoint, HeaderField, NewEndpoint};
use hookscope::respond::rules::{RequestView, RuleAction, RuleAnswer, RuleCounters, RuleSchedule, RuleSpec};
use hookscope::store::{self, response_rules};
use rusqlite::Connection;

struct Db {
    _dir: tempfile::TempDir,
    path: std::path::PathBuf,
}

impl Db {
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("hookscope.db");
        Self { _dir: dir, path }
    }

    fn open(&self) -> Connection {
        store::open_database(&self.path).expect("database opens")
    }
}

fn endpoint(conn: &mut Connection, name: &str, prefix: &str) -> Endpoint {
    store::endpoints::insert(
        conn,
        &NewEndpoint {
            name: name.into(),
            path_prefix: prefix.into(),
            ..NewEndpoint::default()
        },
    )
    .expect("endpoint is created")
}

fn add(conn: &mut Connection, endpoint: &Endpoint, spec: RuleSpec) -> response_rules::StoredRule {
    let rule = spec.parse().expect("the rule is valid");
    response_rules::add(conn, endpoint.id, &rule).expect("the rule is stored")
}

fn post(target: &str, headers: &[(&str, &str)], body: &str) -> CapturedRequest {
    CapturedRequest {
        headers: headers.iter().map(|(n, v)| HeaderField::new(*n, *v)).collect(),
        ..CapturedRequest::posted("01JTESTRULES", target, body.as_bytes().to_vec())
    }
}

/// The status the listener would answer: the rule's, or the endpoint's default.
fn answered_status(conn: &mut Connection, endpoint: &Endpoint, request: &CapturedRequest) -> u16 {
    let view = RequestView::of(request, &endpoint.path_prefix);
    match response_rules::decide_and_record(conn, endpoint.id, &view).expect("decision") {
        Some(rule) => {
            let label = rule.label();
            RuleAnswer::of(&rule.rule.action, request, &label)
                .recorded(&label)
                .status
        }
        None => hookscope::respond::apply_rule(&endpoint.response, request).status,
    }
}

fn status_spec(status: u16) -> RuleSpec {
    RuleSpec {
        status: Some(status),
        ..RuleSpec::default()
    }
}

#[test]
fn first_two_answer_503_then_the_default_and_the_counters_survive_reopening() {
    let db = Db::new();
    let mut conn = db.open();
    let shop = endpoint(&mut conn, "shop", "/shop");
    add(
        &mut conn,
        &shop,
        RuleSpec {
            first: Some(2),
            ..status_spec(503)
        },
    );
    let request = post("/shop/orders", &[], "{}");
    let statuses: Vec<u16> = (0..3).map(|_| answered_status(&mut conn, &shop, &request)).collect();
    assert_eq!(statuses, [503, 503, 200]);
    drop(conn);

    let mut conn = db.open();
    let rules = response_rules::list(&conn, shop.id).unwrap();
    assert_eq!(rules.len(), 1);
    assert_eq!(
        rules[0].counters,
        RuleCounters {
            matched: 3,
            answered: 2
        }
    );
    assert_eq!(rules[0].label(), "#1 first 2 → 503");
    assert_eq!(
        answered_status(&mut conn, &shop, &request),
        200,
        "still past the first two after reopening"
    );

    assert_eq!(response_rules::reset_counters(&conn, shop.id).unwrap(), 1);
    let statuses: Vec<u16> = (0..3).map(|_| answered_status(&mut conn, &shop, &request)).collect();
    assert_eq!(statuses, [503, 503, 200], "a reset starts the count again");
}

#[test]
fn a_seeded_percentage_repeats_exactly_and_answers_about_that_share() {
    let db = Db::new();
    let mut conn = db.open();
    let shop = endpoint(&mut conn, "shop", "/shop");
    let rule = add(
        &mut conn,
        &shop,
        RuleSpec {
            percent: Some(30.0),
            seed: Some(7),
            ..status_spec(500)
        },
    );
    assert_eq!(rule.rule.schedule, RuleSchedule::Percent { percent: 30.0, seed: 7 });
    let request = post("/shop", &[], "");
    let run = |conn: &mut Connection| -> Vec<bool> {
        (0..1000)
            .map(|_| answered_status(conn, &shop, &request) == 500)
            .collect()
    };
    let first = run(&mut conn);
    response_rules::reset_counters(&conn, shop.id).unwrap();
    let second = run(&mut conn);
    assert_eq!(first, second, "the same seed gives the same sequence");
    let answered = first.iter().filter(|&&a| a).count();
    assert!((200..=400).contains(&answered), "answered {answered} of 1000");
    let counters = response_rules::list(&conn, shop.id).unwrap()[0].counters;
    assert_eq!(
        counters,
        RuleCounters {
            matched: 1000,
            answered: answered as u64
        }
    );

    // Another seed gives another sequence.
    let other = endpoint(&mut conn, "other", "/other");
    add(
        &mut conn,
        &other,
        RuleSpec {
            percent: Some(30.0),
            seed: Some(8),
            ..status_spec(500)
        },
    );
    let request = post("/other", &[], "");
    let third: Vec<bool> = (0..1000)
        .map(|_| answered_status(&mut conn, &other, &request) == 500)
        .collect();
    assert_ne!(first, third);
}

/// Which of `requests` a single "always → 418" rule built from `spec` answers.
fn answered_by_condition(spec: RuleSpec, requests: &[CapturedRequest]) -> Vec<bool> {
    let db = Db::new();
    let mut conn = db.open();
    let shop = endpoint(&mut conn, "shop", "/shop");
    add(&mut conn, &shop, RuleSpec { ..spec });
    requests
        .iter()
        .map(|request| answered_status(&mut conn, &shop, request) == 418)
        .collect()
}

fn with_status(spec: RuleSpec) -> RuleSpec {
    RuleSpec {
        status: Some(418),
        ..spec
    }
}

#[test]
fn the_method_condition_ignores_case() {
    let get = CapturedRequest {
        method: "GET".into(),
        ..post("/shop", &[], "")
    };
    let spec = with_status(RuleSpec {
        method: Some("post".into()),
        ..RuleSpec::default()
    });
    assert_eq!(
        answered_by_condition(spec, &[post("/shop", &[], ""), get]),
        [true, false]
    );
}

#[test]
fn the_path_glob_applies_under_the_endpoint_prefix() {
    let spec = with_status(RuleSpec {
        path: Some("orders/*".into()),
        ..RuleSpec::default()
    });
    let requests = [
        post("/shop/orders/1?x=1", &[], ""),
        post("/shop/orders/1/items", &[], ""),
        post("/shop/refunds/1", &[], ""),
        post("/shop", &[], ""),
    ];
    assert_eq!(answered_by_condition(spec, &requests), [true, false, false, false]);
}

#[test]
fn the_header_condition_takes_any_name_case_and_globs_the_value() {
    let spec = with_status(RuleSpec {
        headers: vec!["x-event-type=order.*".into()],
        ..RuleSpec::default()
    });
    let requests = [
        post("/shop", &[("X-Event-Type", "order.paid")], ""),
        post("/shop", &[("X-Other", "1"), ("x-EVENT-type", "order.refunded")], ""),
        post("/shop", &[("X-Event-Type", "invoice.paid")], ""),
        post("/shop", &[], ""),
    ];
    assert_eq!(answered_by_condition(spec, &requests), [true, true, false, false]);
}

#[test]
fn a_json_pointer_can_equal_a_value_or_just_exist() {
    let bodies = [
        r#"{"type":"invoice.paid","data":{"amount":100}}"#,
        r#"{"type":"invoice.failed","data":{"amount":100.0}}"#,
        r#"{"type":"invoice.paid"}"#,
        "type=invoice.paid",
    ];
    let requests: Vec<CapturedRequest> = bodies.iter().map(|b| post("/shop", &[], b)).collect();
    let equals = with_status(RuleSpec {
        json: vec!["/type=invoice.paid".into()],
        ..RuleSpec::default()
    });
    assert_eq!(answered_by_condition(equals, &requests), [true, false, true, false]);
    let number = with_status(RuleSpec {
        json: vec!["/data/amount=100".into()],
        ..RuleSpec::default()
    });
    assert_eq!(answered_by_condition(number, &requests), [true, true, false, false]);
    let exists = with_status(RuleSpec {
        json: vec!["/data".into()],
        ..RuleSpec::default()
    });
    assert_eq!(answered_by_condition(exists, &requests), [true, true, false, false]);
}

#[test]
fn body_contains_looks_for_the_text_in_the_body_bytes() {
    let spec = with_status(RuleSpec {
        body_contains: Some("evt_42".into()),
        ..RuleSpec::default()
    });
    let requests = [
        post("/shop", &[], r#"{"id":"evt_42"}"#),
        post("/shop", &[], r#"{"id":"evt_43"}"#),
    ];
    assert_eq!(answered_by_condition(spec, &requests), [true, false]);
}

#[test]
fn the_first_rule_that_answers_wins_and_every_nth_counts_matching_requests_only() {
    let db = Db::new();
    let mut conn = db.open();
    let shop = endpoint(&mut conn, "shop", "/shop");
    add(
        &mut conn,
        &shop,
        RuleSpec {
            method: Some("POST".into()),
            every: Some(2),
            ..status_spec(502)
        },
    );
    add(&mut conn, &shop, status_spec(201));
    let get = CapturedRequest {
        method: "GET".into(),
        ..post("/shop", &[], "")
    };
    let posted = post("/shop", &[], "");
    let sequence = [&posted, &get, &posted, &get, &posted, &posted];
    let statuses: Vec<u16> = sequence.iter().map(|r| answered_status(&mut conn, &shop, r)).collect();
    // GETs do not count for rule #1, so its 2nd and 4th POSTs get 502.
    assert_eq!(statuses, [201, 201, 502, 201, 201, 502]);
    let rules = response_rules::list(&conn, shop.id).unwrap();
    assert_eq!(
        rules[0].counters,
        RuleCounters {
            matched: 4,
            answered: 2
        }
    );
    assert_eq!(
        rules[1].counters,
        RuleCounters {
            matched: 4,
            answered: 4
        }
    );
}

#[test]
fn rules_are_removed_and_moved_with_positions_renumbered() {
    let db = Db::new();
    let mut conn = db.open();
    let shop = endpoint(&mut conn, "shop", "/shop");
    for status in [501, 502, 503, 504] {
        add(&mut conn, &shop, status_spec(status));
    }
    let statuses = |conn: &Connection| -> Vec<(u32, u16)> {
        response_rules::list(conn, shop.id)
            .unwrap()
            .iter()
            .map(|r| match r.rule.action {
                RuleAction::Respond { status, .. } => (r.position, status),
                _ => unreachable!(),
            })
            .collect()
    };
    let removed = response_rules::remove(&mut conn, shop.id, 2).unwrap();
    assert_eq!(removed.position, 2);
    assert_eq!(statuses(&conn), [(1, 501), (2, 503), (3, 504)]);
    response_rules::move_rule(&mut conn, shop.id, 3, 1).unwrap();
    assert_eq!(statuses(&conn), [(1, 504), (2, 501), (3, 503)]);
    response_rules::move_rule(&mut conn, shop.id, 1, 3).unwrap();
    assert_eq!(statuses(&conn), [(1, 501), (2, 503), (3, 504)]);
    let error = response_rules::remove(&mut conn, shop.id, 4).unwrap_err();
    assert!(error.to_string().contains("#1 to #3"), "{error}");
    assert_eq!(answered_status(&mut conn, &shop, &post("/shop", &[], "")), 501);

    assert!(store::endpoints::remove(&conn, "shop").unwrap());
    assert!(
        response_rules::list(&conn, shop.id).unwrap().is_empty(),
        "an endpoint's rules go with it"
    );
}

#[test]
fn hang_and_drop_record_that_no_answer_was_sent() {
    let db = Db::new();
    let mut conn = db.open();
    let shop = endpoint(&mut conn, "shop", "/shop");
    add(
        &mut conn,
        &shop,
        RuleSpec {
            first: Some(1),
            hang: true,
            ..RuleSpec::default()
        },
    );
    add(
        &mut conn,
        &shop,
        RuleSpec {
            drop: true,
            ..RuleSpec::default()
        },
    );
    let request = post("/shop", &[], "");
    let view = RequestView::of(&request, &shop.path_prefix);
    let hang = response_rules::decide_and_record(&mut conn, shop.id, &view)
        .unwrap()
        .unwrap();
    let answer = RuleAnswer::of(&hang.rule.action, &request, &hang.label());
    assert_eq!(answer, RuleAnswer::Hang);
    let recorded = answer.recorded(&hang.label());
    assert_eq!(recorded.status, 0);
    assert!(recorded.note.unwrap().contains("#1 first 1 → hang"));
    let dropped = response_rules::decide_and_record(&mut conn, shop.id, &view)
        .unwrap()
        .unwrap();
    assert_eq!(dropped.label(), "#2 always → drop");
    assert_eq!(RuleAnswer::of(&dropped.rule.action, &request, "x"), RuleAnswer::Drop);
}

#[test]
fn a_respond_rule_renders_its_templates_and_names_itself_in_the_note() {
    let db = Db::new();
    let mut conn = db.open();
    let shop = endpoint(&mut conn, "shop", "/shop");
    add(
        &mut conn,
        &shop,
        RuleSpec {
            headers_out: vec!["Retry-After: 5".into(), "X-Echo: {{header.x-id}}".into()],
            body: Some(r#"{"rejected":"{{json.id}}"}"#.into()),
            delay_ms: Some(250),
            ..status_spec(429)
        },
    );
    let request = post("/shop", &[("X-Id", "abc")], r#"{"id":"evt_1"}"#);
    let view = RequestView::of(&request, &shop.path_prefix);
    let rule = response_rules::decide_and_record(&mut conn, shop.id, &view)
        .unwrap()
        .unwrap();
    let RuleAnswer::Respond { response, delay } = RuleAnswer::of(&rule.rule.action, &request, &rule.label()) else {
        panic!("a respond rule responds");
    };
    assert_eq!(delay, std::time::Duration::from_millis(250));
    assert_eq!(response.status, 429);
    assert_eq!(response.body, br#"{"rejected":"evt_1"}"#);
    let header = |name: &str| {
        response
            .headers
            .iter()
            .find(|h| h.name == name)
            .map(|h| h.value.clone())
    };
    assert_eq!(header("Retry-After").as_deref(), Some("5"));
    assert_eq!(header("X-Echo").as_deref(), Some("abc"));
    assert_eq!(header("Content-Type").as_deref(), Some("application/json"));
    assert_eq!(
        response.note.as_deref(),
        Some("answered by response rule #1 always → 429 after 250 ms")
    );
}

#[test]
fn a_stored_request_records_which_rule_answered_it() {
    let db = Db::new();
    let conn = db.open();
    let request = post("/shop", &[], "");
    store::requests::insert(&conn, &request).unwrap();
    assert_eq!(response_rules::request_rule(&conn, &request.id).unwrap(), None);
    response_rules::set_request_rule(&conn, &request.id, Some("#2 first 2 → 503")).unwrap();
    drop(conn);
    let conn = db.open();
    assert_eq!(
        response_rules::request_rule(&conn, &request.id).unwrap().as_deref(),
        Some("#2 first 2 → 503")
    );
}

#[test]
fn invalid_options_are_rejected_naming_the_option_and_nothing_is_stored() {
    let db = Db::new();
    let mut conn = db.open();
    let shop = endpoint(&mut conn, "shop", "/shop");
    let cases: Vec<(&str, RuleSpec)> = vec![
        (
            "--json",
            RuleSpec {
                json: vec!["data/id=1".into()],
                ..status_spec(200)
            },
        ),
        (
            "--json",
            RuleSpec {
                json: vec!["/a~2b".into()],
                ..status_spec(200)
            },
        ),
        (
            "--path",
            RuleSpec {
                path: Some("/orders/[".into()),
                ..status_spec(200)
            },
        ),
        (
            "--header",
            RuleSpec {
                headers: vec!["X-Event: order".into()],
                ..status_spec(200)
            },
        ),
        (
            "--header",
            RuleSpec {
                headers: vec!["X-Event=[a".into()],
                ..status_spec(200)
            },
        ),
        (
            "--percent",
            RuleSpec {
                percent: Some(101.0),
                ..status_spec(200)
            },
        ),
        (
            "--percent",
            RuleSpec {
                percent: Some(-1.0),
                ..status_spec(200)
            },
        ),
        (
            "--percent",
            RuleSpec {
                percent: Some(f64::NAN),
                ..status_spec(200)
            },
        ),
        ("--status", status_spec(99)),
        ("--status", status_spec(600)),
        ("--status", RuleSpec::default()),
        (
            "--hang",
            RuleSpec {
                hang: true,
                ..status_spec(200)
            },
        ),
        (
            "--every",
            RuleSpec {
                first: Some(1),
                every: Some(2),
                ..status_spec(200)
            },
        ),
        (
            "--first",
            RuleSpec {
                first: Some(0),
                ..status_spec(200)
            },
        ),
        (
            "--seed",
            RuleSpec {
                seed: Some(1),
                ..status_spec(200)
            },
        ),
        (
            "--body",
            RuleSpec {
                body: Some("x".into()),
                drop: true,
                ..RuleSpec::default()
            },
        ),
        (
            "--header-out",
            RuleSpec {
                headers_out: vec!["No colon".into()],
                ..status_spec(200)
            },
        ),
        (
            "--method",
            RuleSpec {
                method: Some("PO ST".into()),
                ..status_spec(200)
            },
        ),
        (
            "--body-contains",
            RuleSpec {
                body_contains: Some(String::new()),
                ..status_spec(200)
            },
        ),
    ];
    for (option, spec) in cases {
        let error = match spec.parse() {
            Ok(rule) => {
                response_rules::add(&mut conn, shop.id, &rule).unwrap();
                panic!("{spec:?} was accepted");
            }
            Err(error) => error,
        };
        assert_eq!(error.option, option, "{spec:?}: {error}");
        assert!(error.to_string().starts_with(option), "{error}");
    }
    assert!(response_rules::list(&conn, shop.id).unwrap().is_empty());
    let missing = response_rules::add(&mut conn, shop.id + 100, &status_spec(200).parse().unwrap());
    assert!(missing.is_err(), "a rule needs an existing endpoint");
    assert!(response_rules::endpoints_with_rules(&conn).unwrap().is_empty());
}

#[test]
fn a_percentage_without_a_seed_gets_one_chosen_and_stored() {
    let db = Db::new();
    let mut conn = db.open();
    let shop = endpoint(&mut conn, "shop", "/shop");
    add(
        &mut conn,
        &shop,
        RuleSpec {
            percent: Some(50.0),
            ..status_spec(500)
        },
    );
    let stored = response_rules::list(&conn, shop.id).unwrap();
    let RuleSchedule::Percent { seed, .. } = stored[0].rule.schedule else {
        panic!("a percentage schedule");
    };
    assert_eq!(stored[0].label(), format!("#1 50% seed {seed} → 500"));
    assert!(response_rules::has_rules(&conn, shop.id).unwrap());
}

#[tokio::test]
async fn a_running_store_decides_on_its_writer_and_another_process_sees_the_counters() {
    let db = Db::new();
    let running = store::Store::open(&db.path).unwrap();
    let shop = running
        .write(|conn| {
            let shop = endpoint(conn, "shop", "/shop");
            add(
                conn,
                &shop,
                RuleSpec {
                    first: Some(1),
                    ..status_spec(503)
                },
            );
            Ok(shop)
        })
        .await
        .unwrap();
    let request = std::sync::Arc::new(post("/shop/x", &[], ""));
    let first = response_rules::decide_on_writer(&running, &shop, request.clone())
        .await
        .unwrap();
    assert_eq!(first.map(|r| r.label()).as_deref(), Some("#1 first 1 → 503"));
    let second = response_rules::decide_on_writer(&running, &shop, request)
        .await
        .unwrap();
    assert!(second.is_none());
    let other_process = store::open_connection(&db.path).unwrap();
    let counters = response_rules::list(&other_process, shop.id).unwrap()[0].counters;
    assert_eq!(
        counters,
        RuleCounters {
            matched: 2,
            answered: 1
        }
    );
}

//! Chaos order for bulk replay: reproducible from its seed, duplicates later than their
//! originals, delays within the jitter, and a fraction outside 0..=1 refused.

use std::collections::HashMap;

use hookscope::delivery::chaos::{duplicate_count, plan, ChaosError, ChaosOptions};

fn ids(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("01JREQ{i:04}")).collect()
}

fn options(seed: u64) -> ChaosOptions {
    ChaosOptions {
        shuffle: true,
        seed: Some(seed),
        duplicate: 0.25,
        jitter_ms: 200,
    }
}

#[test]
fn the_same_seed_gives_the_same_plan() {
    let ids = ids(40);
    let first = plan(&ids, &options(42)).unwrap();
    let second = plan(&ids, &options(42)).unwrap();
    assert_eq!(first, second);
    assert_eq!(first.seed, 42);
    assert!(!first.seed_was_chosen);
    let json = serde_json::to_string(&first).unwrap();
    assert_eq!(
        serde_json::from_str::<hookscope::delivery::chaos::ChaosPlan>(&json).unwrap(),
        first
    );
}

#[test]
fn another_seed_gives_another_order() {
    let ids = ids(40);
    let a = plan(&ids, &options(1)).unwrap();
    let b = plan(&ids, &options(2)).unwrap();
    assert_ne!(a.order(), b.order());
    let given: Vec<&str> = ids.iter().map(String::as_str).collect();
    let unshuffled = plan(
        &ids,
        &ChaosOptions {
            shuffle: false,
            duplicate: 0.0,
            ..options(1)
        },
    )
    .unwrap();
    assert_eq!(unshuffled.order(), given, "without --shuffle the order is kept");
}

#[test]
fn the_order_does_not_change_with_the_duplicate_fraction_or_the_jitter() {
    let ids = ids(30);
    let plain = plan(
        &ids,
        &ChaosOptions {
            duplicate: 0.0,
            jitter_ms: 0,
            ..options(9)
        },
    )
    .unwrap();
    let chaotic = plan(&ids, &options(9)).unwrap();
    let firsts: Vec<&str> = chaotic
        .sends
        .iter()
        .filter(|s| !s.duplicate)
        .map(|s| s.request_id.as_str())
        .collect();
    assert_eq!(firsts, plain.order());
}

#[test]
fn every_id_is_sent_once_and_each_duplicate_after_its_original() {
    let ids = ids(40);
    let plan = plan(&ids, &options(5)).unwrap();
    assert_eq!(plan.duplicated.len(), 10);
    assert_eq!(plan.sends.len(), 50);
    let mut firsts: HashMap<&str, usize> = HashMap::new();
    for (place, send) in plan.sends.iter().enumerate() {
        if send.duplicate {
            let original = firsts.get(send.request_id.as_str()).expect("the original comes first");
            assert!(*original < place);
            assert!(plan.duplicated.contains(&send.request_id));
        } else {
            assert!(
                firsts.insert(&send.request_id, place).is_none(),
                "sent once as an original"
            );
        }
    }
    assert_eq!(firsts.len(), 40);
    let mut duplicated_in_order: Vec<&str> = plan.duplicated.iter().map(String::as_str).collect();
    duplicated_in_order.sort_by_key(|id| firsts[id]);
    assert_eq!(
        duplicated_in_order, plan.duplicated,
        "listed in the order of their first send"
    );
}

#[test]
fn the_duplicate_fraction_rounds_to_the_nearest_count_and_at_least_one() {
    assert_eq!(duplicate_count(10, 0.0), 0);
    assert_eq!(duplicate_count(10, 0.25), 3);
    assert_eq!(duplicate_count(10, 0.24), 2);
    assert_eq!(duplicate_count(3, 0.5), 2);
    assert_eq!(duplicate_count(3, 0.01), 1);
    assert_eq!(duplicate_count(7, 1.0), 7);
    assert_eq!(duplicate_count(0, 0.5), 0);
    let all = plan(
        &ids(7),
        &ChaosOptions {
            duplicate: 1.0,
            ..options(3)
        },
    )
    .unwrap();
    assert_eq!(all.sends.len(), 14);
}

#[test]
fn delays_stay_within_the_jitter_and_vary() {
    let jittered = plan(&ids(200), &options(11)).unwrap();
    assert!(jittered.sends.iter().all(|s| s.delay_ms <= 200));
    let distinct: std::collections::HashSet<u64> = jittered.sends.iter().map(|s| s.delay_ms).collect();
    assert!(distinct.len() > 20, "{} distinct delays", distinct.len());
    let calm = plan(
        &ids(50),
        &ChaosOptions {
            jitter_ms: 0,
            ..options(11)
        },
    )
    .unwrap();
    assert!(calm.sends.iter().all(|s| s.delay_ms == 0));
}

#[test]
fn a_fraction_outside_zero_to_one_is_refused_naming_the_option() {
    for fraction in [-0.1, 1.5, f64::NAN] {
        let error = plan(
            &ids(5),
            &ChaosOptions {
                duplicate: fraction,
                ..options(1)
            },
        )
        .unwrap_err();
        assert!(matches!(error, ChaosError::InvalidDuplicate(_)));
        assert!(error.to_string().starts_with("--duplicate"), "{error}");
    }
}

#[test]
fn without_a_seed_one_is_chosen_and_reported_and_it_repeats_the_plan() {
    let ids = ids(25);
    let chosen = plan(
        &ids,
        &ChaosOptions {
            seed: None,
            ..options(0)
        },
    )
    .unwrap();
    assert!(chosen.seed_was_chosen);
    let repeated = plan(
        &ids,
        &ChaosOptions {
            seed: Some(chosen.seed),
            ..options(0)
        },
    )
    .unwrap();
    assert_eq!(repeated.sends, chosen.sends);
    assert_eq!(repeated.duplicated, chosen.duplicated);
}

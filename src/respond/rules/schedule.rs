//! When a rule whose conditions match actually answers: always, the first N times, every Nth
//! time, or P% of the time with a seed, so that a run can be repeated exactly.
//!
//! The schedule is asked about the k-th request that matched the rule's conditions (k counts
//! from 1 and includes the request being decided). The answer is a pure function of k (and of
//! the seed): the same counters give the same decisions, after a restart too.

use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

/// When a matching rule answers.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RuleSchedule {
    /// Every matching request.
    Always,
    /// The first `n` matching requests, then never again (until the counters are reset).
    First {
        #[cfg_attr(feature = "ts", ts(type = "number"))]
        n: u64,
    },
    /// The n-th, 2n-th, 3n-th, ... matching request.
    Every {
        #[cfg_attr(feature = "ts", ts(type = "number"))]
        n: u64,
    },
    /// Each matching request with probability `percent`/100, drawn from (`seed`, k).
    Percent {
        percent: f64,
        #[cfg_attr(feature = "ts", ts(type = "number"))]
        seed: u64,
    },
}

impl RuleSchedule {
    /// Whether the rule answers the `k`-th request that matched its conditions (k ≥ 1).
    pub fn answers(&self, k: u64) -> bool {
        match *self {
            RuleSchedule::Always => true,
            RuleSchedule::First { n } => k <= n,
            RuleSchedule::Every { n } => n > 0 && k % n == 0,
            RuleSchedule::Percent { percent, seed } => unit_draw(seed, k) * 100.0 < percent,
        }
    }

    /// How the schedule reads in a list: `always`, `first 2`, `every 3`, `30% seed 7`.
    pub fn describe(&self) -> String {
        match self {
            RuleSchedule::Always => "always".to_owned(),
            RuleSchedule::First { n } => format!("first {n}"),
            RuleSchedule::Every { n } => format!("every {n}"),
            RuleSchedule::Percent { percent, seed } => format!("{percent}% seed {seed}"),
        }
    }
}

/// A number in [0, 1) that depends only on `seed` and `k`: the first output of ChaCha8 keyed
/// by the seed, on stream `k`. ChaCha's output for a key and stream is fixed by its
/// specification, so the sequence does not change with the `rand` crate's versions.
pub fn unit_draw(seed: u64, k: u64) -> f64 {
    let mut key = [0u8; 32];
    key[..8].copy_from_slice(&seed.to_le_bytes());
    let mut rng = ChaCha8Rng::from_seed(key);
    rng.set_stream(k);
    // The top 53 bits make an exactly representable fraction.
    (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::RuleSchedule;

    #[test]
    fn first_and_every_count_matching_requests_from_one() {
        let first = RuleSchedule::First { n: 2 };
        assert_eq!(
            (1..=4).map(|k| first.answers(k)).collect::<Vec<_>>(),
            [true, true, false, false]
        );
        let every = RuleSchedule::Every { n: 3 };
        let answered: Vec<u64> = (1..=9).filter(|&k| every.answers(k)).collect();
        assert_eq!(answered, [3, 6, 9]);
    }

    #[test]
    fn zero_and_hundred_percent_are_never_and_always() {
        let never = RuleSchedule::Percent { percent: 0.0, seed: 1 };
        let always = RuleSchedule::Percent {
            percent: 100.0,
            seed: 1,
        };
        assert!((1..=500).all(|k| !never.answers(k) && always.answers(k)));
    }
}

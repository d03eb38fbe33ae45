//! Chaos order for replaying requests in bulk, to test a receiver's idempotency: a random but
//! reproducible order, a fraction of the requests sent a second time later on, and a random
//! delay before each send. [`plan`] is pure: the same ids, options and seed give the same plan.
//!
//! Each random choice draws from its own ChaCha8 stream keyed by the seed (order, which ids
//! are duplicated, where the duplicates go, delays), so changing one option (say the duplicate
//! fraction) does not change the others' outcome (the order stays the same).

use rand::seq::{index, SliceRandom};
use rand::Rng;
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

/// What `replay --shuffle [--seed N] [--duplicate FRACTION] [--jitter MS]` asks for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ChaosOptions {
    /// Send in a random order (else in the order given).
    pub shuffle: bool,
    /// The seed of every random choice; one is picked (and reported in the plan) when `None`.
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub seed: Option<u64>,
    /// The fraction of requests (0 to 1) sent a second time, later in the order.
    pub duplicate: f64,
    /// Before each send, wait a random time from 0 to this many milliseconds.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub jitter_ms: u64,
}

/// One send of the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PlannedSend {
    pub request_id: String,
    /// True for the second send of a duplicated request.
    pub duplicate: bool,
    /// How long to wait before this send.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub delay_ms: u64,
}

/// The sends in order, and what the summary reports: the seed and the duplicated ids.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ChaosPlan {
    /// The seed used; give it back as `--seed` to repeat the run.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub seed: u64,
    /// True when no seed was given and this one was picked at random.
    pub seed_was_chosen: bool,
    pub sends: Vec<PlannedSend>,
    /// The ids sent twice, in the order of their first send.
    pub duplicated: Vec<String>,
}

impl ChaosPlan {
    /// The ids in the order they are sent, duplicates included.
    pub fn order(&self) -> Vec<&str> {
        self.sends.iter().map(|s| s.request_id.as_str()).collect()
    }
}

/// Options that cannot make a plan.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ChaosError {
    #[error("--duplicate: {0} is not a fraction between 0 and 1")]
    InvalidDuplicate(f64),
}

/// A random seed a person can read back and type in again, and that JavaScript numbers hold
/// exactly (below 2^53), so the window shows the same seed the CLI would take.
pub fn chosen_seed() -> u64 {
    rand::random::<u64>() >> 11
}

/// How many of `count` requests a `fraction` duplicates: the nearest whole number (halves
/// round up), and at least one when the fraction is above 0 and there is a request.
pub fn duplicate_count(count: usize, fraction: f64) -> usize {
    if count == 0 || fraction <= 0.0 {
        return 0;
    }
    ((fraction * count as f64).round() as usize).clamp(1, count)
}

/// Plans the sends of `ids` under `options`.
pub fn plan(ids: &[String], options: &ChaosOptions) -> Result<ChaosPlan, ChaosError> {
    if !(0.0..=1.0).contains(&options.duplicate) {
        return Err(ChaosError::InvalidDuplicate(options.duplicate));
    }
    let (seed, seed_was_chosen) = match options.seed {
        Some(seed) => (seed, false),
        None => (chosen_seed(), true),
    };
    let mut order: Vec<usize> = (0..ids.len()).collect();
    if options.shuffle {
        order.shuffle(&mut stream(seed, Stream::Order));
    }

    // Which places of the order are sent twice, and after which place each second send goes
    // (its own place or any later one).
    let count = duplicate_count(ids.len(), options.duplicate);
    let mut chosen = index::sample(&mut stream(seed, Stream::Duplicates), ids.len(), count).into_vec();
    chosen.sort_unstable();
    let mut placement = stream(seed, Stream::Placement);
    let mut after: Vec<(usize, usize)> = chosen
        .iter()
        .map(|&place| (placement.gen_range(place..ids.len()), place))
        .collect();
    after.sort_unstable();

    let mut delays = stream(seed, Stream::Delays);
    let mut delay = || match options.jitter_ms {
        0 => 0,
        jitter => delays.gen_range(0..=jitter),
    };
    let mut sends = Vec::with_capacity(ids.len() + count);
    let mut seconds = after.iter().peekable();
    for (place, &id) in order.iter().enumerate() {
        sends.push(PlannedSend {
            request_id: ids[id].clone(),
            duplicate: false,
            delay_ms: delay(),
        });
        while let Some(&(_, original)) = seconds.next_if(|(slot, _)| *slot == place) {
            sends.push(PlannedSend {
                request_id: ids[order[original]].clone(),
                duplicate: true,
                delay_ms: delay(),
            });
        }
    }
    let duplicated = chosen.iter().map(|&place| ids[order[place]].clone()).collect();
    Ok(ChaosPlan {
        seed,
        seed_was_chosen,
        sends,
        duplicated,
    })
}

/// The independent random streams of a plan.
#[derive(Clone, Copy)]
enum Stream {
    Order = 1,
    Duplicates = 2,
    Placement = 3,
    Delays = 4,
}

fn stream(seed: u64, which: Stream) -> ChaCha8Rng {
    let mut key = [0u8; 32];
    key[..8].copy_from_slice(&seed.to_le_bytes());
    let mut rng = ChaCha8Rng::from_seed(key);
    rng.set_stream(which as u64);
    rng
}

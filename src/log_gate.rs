//! Logging an error that repeats for every request (a full disk, a broken database) once per
//! interval, with how many were left out, instead of once per request.

use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct LogGate {
    interval: Duration,
    state: Mutex<GateState>,
}

struct GateState {
    last_logged: Option<Instant>,
    suppressed: u64,
}

impl LogGate {
    pub const fn new(interval: Duration) -> Self {
        LogGate {
            interval,
            state: Mutex::new(GateState {
                last_logged: None,
                suppressed: 0,
            }),
        }
    }

    /// `Some(n)` when this occurrence should be logged, `n` being how many were left out since
    /// the last one that was; `None` when it should not.
    pub fn admit(&self) -> Option<u64> {
        self.admit_at(Instant::now())
    }

    fn admit_at(&self, now: Instant) -> Option<u64> {
        let mut state = self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        match state.last_logged {
            Some(last) if now.duration_since(last) < self.interval => {
                state.suppressed += 1;
                None
            }
            _ => {
                state.last_logged = Some(now);
                Some(std::mem::take(&mut state.suppressed))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logs_once_per_interval_and_counts_what_it_left_out() {
        let gate = LogGate::new(Duration::from_secs(5));
        let start = Instant::now();
        assert_eq!(gate.admit_at(start), Some(0));
        assert_eq!(gate.admit_at(start + Duration::from_secs(1)), None);
        assert_eq!(gate.admit_at(start + Duration::from_secs(4)), None);
        assert_eq!(gate.admit_at(start + Duration::from_secs(5)), Some(2));
        assert_eq!(gate.admit_at(start + Duration::from_secs(6)), None);
        assert_eq!(gate.admit_at(start + Duration::from_secs(11)), Some(1));
    }
}

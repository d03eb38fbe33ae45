//! Checkpoints of the write-ahead log, mostly off the writer thread.
//!
//! A commit appends its pages to the WAL; a checkpoint copies them into the database file and
//! syncs it. SQLite's automatic checkpoint does that on the committing connection, inside the
//! commit: every capture in the group, and every capture queued behind it, waited for the copy
//! and for the database file's sync. Here a thread of its own, with its own connection,
//! checkpoints whenever the writer's commits have added [`BACKGROUND_STEP_FRAMES`] frames. A
//! passive checkpoint never blocks the writer, and the writer never waits for it.
//!
//! The log restarts from its beginning only when a write transaction begins with every frame
//! copied, which a checkpoint running beside a busy writer rarely sees. So once the log holds
//! [`BOUND_FRAMES`], the writer checkpoints itself after a commit, as SQLite's automatic
//! checkpoint would, but only right after a background checkpoint, when at most
//! [`WRITER_COPIES_AT_MOST`] frames are left to copy; its next transaction then restarts the log.
//! Should the background thread fall behind, the writer checkpoints at [`HARD_BOUND_FRAMES`]
//! whatever is left, so the log's size stays bounded under any load.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::{mpsc, Arc};
use std::time::Duration;

use rusqlite::hooks::Wal;
use rusqlite::wal::CheckpointMode;
use rusqlite::{Connection, ErrorCode};

use super::{connection, StoreError};
use crate::log_gate::LogGate;

/// The background thread checkpoints each time the log has grown by this many frames (2 MiB at
/// 4 KiB pages): small steps, each quick to copy and to sync.
const BACKGROUND_STEP_FRAMES: i32 = 512;
/// Past this many frames in the log (16 MiB at 4 KiB pages), the writer restarts it.
const BOUND_FRAMES: i32 = 4096;
/// The writer's own checkpoint copies at most this many frames: measured under load, one that
/// copied about 500 held its commit for 3 to 9 ms.
const WRITER_COPIES_AT_MOST: i32 = 128;
/// Past this many frames (64 MiB), the writer checkpoints whatever the background thread left.
const HARD_BOUND_FRAMES: i32 = 4 * BOUND_FRAMES;

/// Replaces `conn`'s automatic checkpoint with the background thread and the writer's bound.
pub(super) fn install(conn: &mut Connection, path: &Path) -> Result<(), StoreError> {
    let backfilled = Arc::new(AtomicI32::new(0));
    let wake = spawn_background(path.to_path_buf(), backfilled.clone())?;
    let mut policy = Policy::default();
    conn.wal_hook(Some(move |wal: &mut Wal, frames: i32| {
        match policy.after_commit(frames, backfilled.load(Ordering::Acquire)) {
            Decision::Nothing => {}
            // Full means a wake is already pending.
            Decision::WakeBackground => _ = wake.try_send(()),
            Decision::CheckpointHere => {
                checkpoint_passive(|| wal.checkpoint_v2(CheckpointMode::PASSIVE), "writer");
            }
        }
        // An error here would fail a commit that has happened: checkpoint errors are logged only.
        Ok(())
    }))?;
    Ok(())
}

/// What the writer does after a commit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Decision {
    Nothing,
    WakeBackground,
    CheckpointHere,
}

/// The writer's side of the schedule: when to wake the background thread, when to checkpoint.
#[derive(Debug, Default)]
struct Policy {
    /// The log's size in frames when the background thread was last woken.
    woken_at: i32,
}

impl Policy {
    /// `frames`: what the log holds after the commit; `backfilled`: how many of them the last
    /// background checkpoint had copied.
    fn after_commit(&mut self, frames: i32, backfilled: i32) -> Decision {
        if frames < self.woken_at {
            // The log restarted.
            self.woken_at = 0;
        }
        let left = frames - backfilled;
        if frames >= HARD_BOUND_FRAMES || (frames >= BOUND_FRAMES && left <= WRITER_COPIES_AT_MOST) {
            Decision::CheckpointHere
        } else if frames - self.woken_at >= BACKGROUND_STEP_FRAMES {
            self.woken_at = frames;
            Decision::WakeBackground
        } else {
            Decision::Nothing
        }
    }
}

/// Starts the background thread; returns the sender that wakes it. One pending wake is enough:
/// a checkpoint copies every frame committed before it starts.
fn spawn_background(path: PathBuf, backfilled: Arc<AtomicI32>) -> Result<mpsc::SyncSender<()>, StoreError> {
    let (wake, woken) = mpsc::sync_channel(1);
    std::thread::Builder::new()
        .name("hookscope-db-checkpoint".into())
        .spawn(move || run_background(&path, &woken, &backfilled))
        .map_err(|e| StoreError::Invalid(format!("could not start the database checkpointer: {e}")))?;
    Ok(wake)
}

/// A passive checkpoint per wake, until the writer's connection (and with it the hook that holds
/// the sender) is gone. The connection is opened at the first wake, so a store that never writes
/// much never opens it.
fn run_background(path: &Path, woken: &mpsc::Receiver<()>, backfilled: &AtomicI32) {
    let mut conn: Option<Connection> = None;
    while woken.recv().is_ok() {
        if conn.is_none() {
            match connection::open_connection(path) {
                Ok(opened) => conn = Some(opened),
                Err(error) => {
                    // The writer's hard bound still keeps the log in check.
                    static OPEN_FAILURES: LogGate = LogGate::new(Duration::from_secs(60));
                    if OPEN_FAILURES.admit().is_some() {
                        tracing::warn!(%error, "could not open the database for background checkpoints");
                    }
                    continue;
                }
            }
        }
        if let Some(conn) = &conn {
            let copied = checkpoint_passive(
                || conn.wal_checkpoint_v2(None::<&str>, CheckpointMode::PASSIVE),
                "background",
            );
            if let Some((_, checkpointed)) = copied {
                backfilled.store(checkpointed, Ordering::Release);
            }
        }
    }
}

/// Runs a passive checkpoint and returns the log's frames and how many of them are copied.
/// "Busy" (another checkpoint is running) is expected; any other error is logged once in a
/// while: only the log's size is at stake, never a commit.
fn checkpoint_passive(
    checkpoint: impl FnOnce() -> rusqlite::Result<(i32, i32)>,
    by: &'static str,
) -> Option<(i32, i32)> {
    match checkpoint() {
        Ok(frames) => Some(frames),
        Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == ErrorCode::DatabaseBusy => None,
        Err(error) => {
            static FAILURES: LogGate = LogGate::new(Duration::from_secs(5));
            if let Some(left_out) = FAILURES.admit() {
                tracing::warn!(%error, by, left_out, "could not checkpoint the database's write-ahead log");
            }
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decisions(policy: &mut Policy, commits: &[(i32, i32)]) -> Vec<Decision> {
        commits
            .iter()
            .map(|&(frames, backfilled)| policy.after_commit(frames, backfilled))
            .collect()
    }

    #[test]
    fn the_background_thread_is_woken_once_per_step_of_growth_and_again_after_the_log_restarts() {
        use Decision::*;
        let mut policy = Policy::default();
        assert_eq!(decisions(&mut policy, &[(10, 0), (300, 0), (511, 0)]), [Nothing; 3]);
        assert_eq!(
            decisions(&mut policy, &[(512, 0), (600, 0), (1000, 0), (1024, 512)]),
            [WakeBackground, Nothing, Nothing, WakeBackground]
        );
        // The log restarted: growth counts from its new beginning.
        assert_eq!(
            decisions(&mut policy, &[(20, 4096), (400, 4096), (530, 4096)]),
            [Nothing, Nothing, WakeBackground]
        );
    }

    #[test]
    fn past_the_bound_the_writer_checkpoints_when_little_is_left_to_copy_or_at_the_hard_bound() {
        use Decision::*;
        let mut policy = Policy {
            woken_at: BOUND_FRAMES - 100,
        };
        let bound = BOUND_FRAMES;
        // Much is left to copy: the background thread is woken as usual instead.
        assert_eq!(
            decisions(&mut policy, &[(bound + 10, bound - 400), (bound + 412, bound - 400)]),
            [Nothing, WakeBackground]
        );
        // The background thread has just copied nearly everything: the writer copies the rest.
        assert_eq!(
            policy.after_commit(bound + 500, bound + 500 - WRITER_COPIES_AT_MOST),
            CheckpointHere
        );
        // The background thread fell far behind: the writer checkpoints all the same.
        assert_eq!(policy.after_commit(HARD_BOUND_FRAMES, 0), CheckpointHere);
    }
}

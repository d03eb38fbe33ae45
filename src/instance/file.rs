//! The instance file: `<database>.listener-<port>` beside the database, JSON, owner-only.
//!
//! One file per listening port, so two Hookscopes capturing into one database on two ports are
//! both known. Its owner holds a shared advisory lock on it for as long as it listens (`flock`
//! on Unix, `LockFileEx` on Windows, through `fs4`); the operating system drops the lock when the
//! process ends, however it ends. A reader that can take the exclusive lock knows the file is
//! stale (its writer was killed); one that cannot, a few times in a row, knows its writer lives.
//! The file is written whole under a temporary name, locked, then renamed into place, so a
//! reader never sees half of it.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::Instance;

/// How many times a reader tries the lock before it believes the file's writer lives: another
/// reader holds the exclusive lock for a moment, a live writer holds its shared one all along.
const LIVENESS_TRIES: u32 = 3;
const LIVENESS_PAUSE: Duration = Duration::from_millis(15);

/// The instance file of the listener on `port` for the database at `db`.
pub fn instance_path(db: &Path, port: u16) -> PathBuf {
    let mut name = db.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(format!(".listener-{port}"));
    db.with_file_name(name)
}

/// This process's instance file, locked while it exists; dropping it removes the file.
#[derive(Debug)]
pub struct InstanceFile {
    path: PathBuf,
    /// Holds the shared lock; closing it releases the lock.
    _locked: File,
}

impl InstanceFile {
    /// Writes `instance` as the instance file of `port` for `db`. Returns `None` when a live
    /// process already holds that file (another host address on the same port).
    pub fn claim(db: &Path, port: u16, instance: &Instance) -> std::io::Result<Option<InstanceFile>> {
        let path = instance_path(db, port);
        if is_live(&path) {
            return Ok(None);
        }
        let mut staging = path.clone().into_os_string();
        staging.push(format!(".tmp-{}", std::process::id()));
        let staging = PathBuf::from(staging);
        let written = write_locked(&staging, instance).and_then(|file| {
            std::fs::rename(&staging, &path)?;
            Ok(file)
        });
        match written {
            Ok(file) => Ok(Some(InstanceFile { path, _locked: file })),
            Err(error) => {
                let _ = std::fs::remove_file(&staging);
                Err(error)
            }
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for InstanceFile {
    fn drop(&mut self) {
        if let Err(error) = std::fs::remove_file(&self.path) {
            tracing::debug!(%error, path = %self.path.display(), "could not remove the instance file");
        }
    }
}

fn write_locked(path: &Path, instance: &Instance) -> std::io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    fs4::FileExt::lock_shared(&file)?;
    serde_json::to_writer_pretty(&mut file, instance)?;
    file.write_all(b"\n")?;
    file.flush()?;
    Ok(file)
}

/// The live Hookscope whose listener on `port` captures into `db`, if its instance file says
/// so and its writer still runs.
pub fn live_instance(db: &Path, port: u16) -> Option<Instance> {
    let path = instance_path(db, port);
    if !is_live(&path) {
        return None;
    }
    let text = std::fs::read_to_string(&path).ok()?;
    match serde_json::from_str(&text) {
        Ok(instance) => Some(instance),
        Err(error) => {
            tracing::warn!(%error, path = %path.display(), "unreadable instance file");
            None
        }
    }
}

/// True when the file exists and a live process holds its lock.
fn is_live(path: &Path) -> bool {
    let Ok(file) = File::open(path) else {
        return false;
    };
    for attempt in 0..LIVENESS_TRIES {
        match fs4::FileExt::try_lock(&file) {
            Ok(()) => {
                let _ = fs4::FileExt::unlock(&file);
                return false;
            }
            Err(fs4::TryLockError::WouldBlock) => {
                if attempt + 1 < LIVENESS_TRIES {
                    std::thread::sleep(LIVENESS_PAUSE);
                }
            }
            Err(fs4::TryLockError::Error(error)) => {
                // A file system without locks: nothing can be known, so nothing is trusted.
                tracing::debug!(%error, path = %path.display(), "could not test the instance file's lock");
                return false;
            }
        }
    }
    true
}

/// Removes the instance files of `db` whose writers are gone (killed without cleaning up).
pub fn sweep_stale(db: &Path) {
    let (Some(dir), Some(name)) = (db.parent(), db.file_name()) else {
        return;
    };
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let prefix = format!("{}.listener-", name.to_string_lossy());
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let file_name = file_name.to_string_lossy();
        let Some(port) = file_name.strip_prefix(&prefix) else {
            continue;
        };
        // Only finished files (a port number): a staging file is someone's write in progress.
        if port.parse::<u16>().is_err() {
            continue;
        }
        let path = entry.path();
        if !is_live(&path) {
            tracing::debug!(path = %path.display(), "removing a stale instance file");
            let _ = std::fs::remove_file(&path);
        }
    }
}

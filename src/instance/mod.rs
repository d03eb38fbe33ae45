//! Two Hookscopes on one database: who captures where, and how the one that does not see what
//! the other captures.
//!
//! A process whose listener binds writes an instance file beside the database (see [`file`]):
//! which program it is, its pid and its address, under a lock held for the process's life, so a
//! file left by a killed process is known to be stale. A second Hookscope whose bind fails
//! because that address is taken reads the file and, when it names a live Hookscope on the same
//! database, starts attached: no listener of its own, and a [`watch`]er that announces the rows
//! the other process stores as if they were captured here.

mod file;
mod watch;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

pub use file::{instance_path, live_instance, sweep_stale, InstanceFile};
pub(crate) use watch::spawn_watcher;

/// Which program runs a listener.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Program {
    /// `hookscope serve`.
    Serve,
    /// The desktop app.
    Window,
    /// Any other embedding of the engine (tests, benchmarks), or a program a newer version names.
    #[default]
    #[serde(other)]
    Engine,
}

impl Program {
    /// How a person calls it: "hookscope serve", "the Hookscope window".
    pub fn describe(self) -> &'static str {
        match self {
            Program::Serve => "hookscope serve",
            Program::Window => "the Hookscope window",
            Program::Engine => "another Hookscope",
        }
    }
}

/// What an instance file says about the process capturing into a database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Instance {
    pub program: Program,
    pub pid: u32,
    /// The address its listener is bound to (`127.0.0.1:8787`).
    pub listen: String,
    /// The database it captures into, as an absolute path.
    pub database: String,
    /// When its listener bound, RFC 3339 UTC.
    pub started_at: String,
}

impl Instance {
    /// This process, listening on `listen` and capturing into `database`.
    pub fn this_process(program: Program, listen: SocketAddr, database: &Path) -> Instance {
        let started_at = time::OffsetDateTime::now_utc()
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default();
        Instance {
            program,
            pid: std::process::id(),
            listen: listen.to_string(),
            database: database.display().to_string(),
            started_at,
        }
    }

    /// The listener's address, when the file spelled one.
    pub fn listen_addr(&self) -> Option<SocketAddr> {
        self.listen.parse().ok()
    }

    /// "hookscope serve (pid 1234) on 127.0.0.1:8787".
    pub fn describe(&self) -> String {
        format!("{} (pid {}) on {}", self.program.describe(), self.pid, self.listen)
    }

    /// True when this instance holds `addr`: same port, and the same host or a wildcard one
    /// (a listener on 0.0.0.0:8787 also takes 127.0.0.1:8787).
    pub fn holds(&self, addr: SocketAddr) -> bool {
        match self.listen_addr() {
            Some(own) => {
                own.port() == addr.port()
                    && (own.ip() == addr.ip() || own.ip().is_unspecified() || addr.ip().is_unspecified())
            }
            None => false,
        }
    }
}

/// The database's path made absolute and free of symlinks, so that two processes naming the
/// same file differently still agree; the path as given when it cannot be resolved.
pub fn database_identity(db: &Path) -> PathBuf {
    std::fs::canonicalize(db).unwrap_or_else(|_| std::path::absolute(db).unwrap_or_else(|_| db.to_path_buf()))
}

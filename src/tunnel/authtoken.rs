//! Where the ngrok authtoken entered in the app is kept: the OS keyring (Keychain, Credential
//! Manager, Secret Service) when there is one, else a file only the user can read in the OS
//! config directory. The token is never logged.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::TunnelError;

/// The keyring entry's user name (the service is configurable).
const KEYRING_USER: &str = "ngrok-authtoken";

/// Keeps the authtoken between runs: in the OS keyring when enabled and available, else in a file.
#[derive(Debug, Clone)]
pub struct AuthtokenStore {
    path: PathBuf,
    /// The keyring service name; `None` keeps the token in the file only.
    keyring_service: Option<String>,
}

/// Where a saved token went.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "kind", content = "path", rename_all = "snake_case")]
pub enum StoredIn {
    Keyring,
    File(PathBuf),
}

impl AuthtokenStore {
    /// The OS keyring (service `hookscope`), falling back to
    /// `<config dir>/hookscope/ngrok-authtoken` (`~/.config/hookscope/` on Linux).
    pub fn in_config_dir() -> Option<Self> {
        dirs::config_dir().map(|dir| Self::at(dir.join("hookscope").join("ngrok-authtoken")).with_keyring("hookscope"))
    }

    /// A file store at `path`, without the keyring.
    pub fn at(path: impl Into<PathBuf>) -> Self {
        Self {
            path: path.into(),
            keyring_service: None,
        }
    }

    /// Tries the OS keyring under `service` first; the file stays the fallback.
    pub fn with_keyring(mut self, service: impl Into<String>) -> Self {
        self.keyring_service = Some(service.into());
        self
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The stored token, if any: the keyring's, else the file's. May block on the keyring briefly.
    pub fn load(&self) -> Result<Option<String>, TunnelError> {
        if let Some(entry) = self.keyring_entry() {
            match entry.get_password() {
                Ok(token) if !token.trim().is_empty() => return Ok(Some(token.trim().to_owned())),
                Ok(_) | Err(keyring::Error::NoEntry) => {}
                Err(error) => tracing::debug!(%error, "keyring unavailable; reading the token file"),
            }
        }
        self.load_file()
    }

    /// Stores the token (replacing any) in the keyring, or in a file only the user can read.
    pub fn save(&self, token: &str) -> Result<StoredIn, TunnelError> {
        let token = token.trim();
        if token.is_empty() {
            self.clear()?;
            return Ok(StoredIn::File(self.path.clone()));
        }
        if let Some(entry) = self.keyring_entry() {
            match entry.set_password(token) {
                Ok(()) => {
                    // One copy only: a token left in the file would outlive a keyring change.
                    self.clear_file()?;
                    tracing::info!("ngrok authtoken stored in the OS keyring");
                    return Ok(StoredIn::Keyring);
                }
                Err(error) => tracing::info!(%error, "keyring unavailable; storing the token in a private file"),
            }
        }
        self.save_file(token)?;
        Ok(StoredIn::File(self.path.clone()))
    }

    /// Forgets the stored token, wherever it is.
    pub fn clear(&self) -> Result<(), TunnelError> {
        if let Some(entry) = self.keyring_entry() {
            match entry.delete_credential() {
                Ok(()) | Err(keyring::Error::NoEntry) => {}
                Err(error) => tracing::debug!(%error, "keyring unavailable while clearing the token"),
            }
        }
        self.clear_file()
    }

    fn keyring_entry(&self) -> Option<keyring::Entry> {
        let service = self.keyring_service.as_deref()?;
        match keyring::Entry::new(service, KEYRING_USER) {
            Ok(entry) => Some(entry),
            Err(error) => {
                tracing::debug!(%error, "no OS keyring");
                None
            }
        }
    }

    fn load_file(&self) -> Result<Option<String>, TunnelError> {
        match std::fs::read_to_string(&self.path) {
            Ok(text) => {
                restrict_permissions(&self.path, 0o600).map_err(|e| self.error("protect", e))?;
                let token = text.trim().to_owned();
                Ok((!token.is_empty()).then_some(token))
            }
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(error) => Err(self.error("read", error)),
        }
    }

    fn save_file(&self, token: &str) -> Result<(), TunnelError> {
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| self.error("create the folder for", e))?;
            restrict_permissions(dir, 0o700).map_err(|e| self.error("protect the folder of", e))?;
        }
        let temp = self.path.with_extension("tmp");
        let _ = std::fs::remove_file(&temp);
        let mut file = create_private(&temp).map_err(|e| self.error("write", e))?;
        file.write_all(token.as_bytes())
            .and_then(|()| file.sync_all())
            .map_err(|e| self.error("write", e))?;
        drop(file);
        std::fs::rename(&temp, &self.path).map_err(|e| self.error("write", e))?;
        tracing::info!(path = %self.path.display(), "ngrok authtoken stored in a private file");
        Ok(())
    }

    fn clear_file(&self) -> Result<(), TunnelError> {
        match std::fs::remove_file(&self.path) {
            Ok(()) => Ok(()),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(error) => Err(self.error("remove", error)),
        }
    }

    fn error(&self, action: &'static str, source: std::io::Error) -> TunnelError {
        TunnelError::TokenStorage {
            action,
            path: self.path.display().to_string(),
            source,
        }
    }
}

#[cfg(unix)]
fn create_private(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
}

#[cfg(not(unix))]
fn create_private(path: &Path) -> std::io::Result<std::fs::File> {
    // On Windows a file under the user's profile is readable by that user only by default.
    std::fs::OpenOptions::new().write(true).create_new(true).open(path)
}

#[cfg(unix)]
fn restrict_permissions(path: &Path, mode: u32) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let current = std::fs::metadata(path)?.permissions().mode() & 0o777;
    if current & 0o077 != 0 {
        tracing::warn!(path = %path.display(), "tightening permissions others could read");
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))?;
    }
    Ok(())
}

#[cfg(not(unix))]
fn restrict_permissions(_path: &Path, _mode: u32) -> std::io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{AuthtokenStore, StoredIn};

    #[test]
    fn saves_a_private_file_loads_it_and_forgets_it() {
        let dir = tempfile::tempdir().unwrap();
        let store = AuthtokenStore::at(dir.path().join("hookscope").join("ngrok-authtoken"));
        assert_eq!(store.load().unwrap(), None);
        store.save("  2abc_token_value \n").unwrap();
        assert_eq!(store.load().unwrap().as_deref(), Some("2abc_token_value"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(store.path()).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
            let dir_mode = std::fs::metadata(store.path().parent().unwrap())
                .unwrap()
                .permissions()
                .mode()
                & 0o777;
            assert_eq!(dir_mode, 0o700);
            // A file someone made world-readable is tightened when read.
            std::fs::set_permissions(store.path(), std::fs::Permissions::from_mode(0o644)).unwrap();
            store.load().unwrap();
            let mode = std::fs::metadata(store.path()).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
        store.save("replaced").unwrap();
        assert_eq!(store.load().unwrap().as_deref(), Some("replaced"));
        store.clear().unwrap();
        assert_eq!(store.load().unwrap(), None);
        store.clear().unwrap();
    }

    /// Whichever backend this machine has (a keyring, or none and so the file), the token
    /// round-trips and is gone after `clear`. A unique service name keeps real entries untouched.
    #[test]
    fn keyring_or_file_round_trips_and_clears() {
        let dir = tempfile::tempdir().unwrap();
        let service = format!("hookscope-test-{}", ulid::Ulid::new());
        let store = AuthtokenStore::at(dir.path().join("ngrok-authtoken")).with_keyring(service);
        let stored_in = store.save("token-for-the-keyring-test").unwrap();
        if stored_in == StoredIn::Keyring {
            assert!(!store.path().exists(), "no second copy in a file");
        } else {
            eprintln!("no OS keyring here: the token went to the file fallback");
            assert!(store.path().exists());
        }
        assert_eq!(store.load().unwrap().as_deref(), Some("token-for-the-keyring-test"));
        store.clear().unwrap();
        assert_eq!(store.load().unwrap(), None);
    }
}

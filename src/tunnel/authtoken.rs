//! Where the ngrok authtoken entered in the app is kept: a file only the user can read, in the
//! OS config directory. The token is never logged.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::TunnelError;

/// The file that holds the authtoken between runs.
#[derive(Debug, Clone)]
pub struct AuthtokenStore {
    path: PathBuf,
}

impl AuthtokenStore {
    /// `<config dir>/hookscope/ngrok-authtoken` (`~/.config/hookscope/` on Linux).
    pub fn in_config_dir() -> Option<Self> {
        dirs::config_dir().map(|dir| Self::at(dir.join("hookscope").join("ngrok-authtoken")))
    }

    pub fn at(path: impl Into<PathBuf>) -> Self {
        Self { path: path.into() }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The stored token, if any.
    pub fn load(&self) -> Result<Option<String>, TunnelError> {
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

    /// Stores the token (replacing any), readable by the user only.
    pub fn save(&self, token: &str) -> Result<(), TunnelError> {
        let token = token.trim();
        if token.is_empty() {
            return self.clear();
        }
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
        tracing::info!(path = %self.path.display(), "ngrok authtoken stored");
        Ok(())
    }

    /// Forgets the stored token.
    pub fn clear(&self) -> Result<(), TunnelError> {
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
    use super::AuthtokenStore;

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
}

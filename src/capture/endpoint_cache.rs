//! The endpoints the listener matches against, refreshed from the store.

use std::sync::{Arc, RwLock};

use crate::model::Endpoint;
use crate::store::{self, Store, StoreError};

/// A snapshot of the configured endpoints, swapped whole when they change.
#[derive(Default)]
pub struct EndpointCache {
    current: RwLock<Arc<Vec<Endpoint>>>,
    /// Serializes read-then-swap, so a slow periodic refresh that read before a change
    /// cannot overwrite the newer list an explicit reload installed after it.
    loading: tokio::sync::Mutex<()>,
}

impl EndpointCache {
    pub fn snapshot(&self) -> Arc<Vec<Endpoint>> {
        self.current.read().expect("endpoint cache poisoned").clone()
    }

    /// Replaces the snapshot; returns true when it changed.
    pub fn replace(&self, endpoints: Vec<Endpoint>) -> bool {
        let mut current = self.current.write().expect("endpoint cache poisoned");
        if **current == endpoints {
            return false;
        }
        *current = Arc::new(endpoints);
        true
    }

    /// Reads the endpoints from the store and installs them; returns true when they changed.
    pub async fn reload(&self, store: &Store) -> Result<bool, StoreError> {
        let _loading = self.loading.lock().await;
        let endpoints = store.read(store::endpoints::list).await?;
        Ok(self.replace(endpoints))
    }
}

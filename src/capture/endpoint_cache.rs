//! The endpoints the listener matches against, refreshed from the store.

use std::sync::{Arc, RwLock};

use crate::model::Endpoint;

/// A snapshot of the configured endpoints, swapped whole when they change.
#[derive(Default)]
pub struct EndpointCache {
    current: RwLock<Arc<Vec<Endpoint>>>,
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
}

//! The endpoints the listener matches against, and which of them have response rules,
//! refreshed from the store.

use std::collections::HashSet;
use std::sync::{Arc, RwLock};

use crate::model::Endpoint;
use crate::store::{self, Store, StoreError};

/// A snapshot of the configured endpoints, swapped whole when they change.
#[derive(Default)]
pub struct EndpointCache {
    current: RwLock<Arc<Vec<Endpoint>>>,
    /// Endpoints with response rules: only their requests ask the store which rule answers.
    with_rules: RwLock<Arc<HashSet<i64>>>,
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

    /// True when the endpoint `id` has response rules.
    pub fn has_rules(&self, id: i64) -> bool {
        self.with_rules.read().expect("endpoint cache poisoned").contains(&id)
    }

    /// Reads the endpoints (and which have rules) from the store and installs them; returns
    /// true when they changed.
    pub async fn reload(&self, store: &Store) -> Result<bool, StoreError> {
        let _loading = self.loading.lock().await;
        let (endpoints, with_rules) = store
            .read(|conn| {
                let with_rules: HashSet<i64> = store::response_rules::endpoints_with_rules(conn)?.into_iter().collect();
                Ok((store::endpoints::list(conn)?, with_rules))
            })
            .await?;
        let rules_changed = {
            let mut current = self.with_rules.write().expect("endpoint cache poisoned");
            let changed = **current != with_rules;
            if changed {
                *current = Arc::new(with_rules);
            }
            changed
        };
        Ok(self.replace(endpoints) | rules_changed)
    }
}

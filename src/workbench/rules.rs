//! Response rule use cases: add, list, move, remove an endpoint's rules and reset their
//! counters. Every change reloads what the capture listener knows of them.

use super::{Workbench, WorkbenchError};
use crate::respond::rules::RuleSpec;
use crate::store::response_rules::{self, StoredRule};

impl Workbench {
    /// Checks `spec` and appends it after the endpoint's last rule; nothing is stored when an
    /// option is invalid.
    pub async fn add_rule(&self, endpoint: &str, spec: &RuleSpec) -> Result<StoredRule, WorkbenchError> {
        let rule = spec.parse()?;
        let endpoint_id = self.endpoint_named(endpoint).await?.id;
        let added = self
            .store
            .write(move |conn| response_rules::add(conn, endpoint_id, &rule))
            .await?;
        self.reload_endpoints().await?;
        Ok(added)
    }

    /// The endpoint's rules in the order they are tried, with their counters.
    pub async fn rules(&self, endpoint: &str) -> Result<Vec<StoredRule>, WorkbenchError> {
        let endpoint_id = self.endpoint_named(endpoint).await?.id;
        Ok(self
            .store
            .read(move |conn| response_rules::list(conn, endpoint_id))
            .await?)
    }

    /// Removes the rule at `position` (1-based); the later ones move up.
    pub async fn remove_rule(&self, endpoint: &str, position: u32) -> Result<StoredRule, WorkbenchError> {
        let endpoint_id = self.endpoint_named(endpoint).await?.id;
        let removed = self
            .store
            .write(move |conn| response_rules::remove(conn, endpoint_id, position))
            .await?;
        self.reload_endpoints().await?;
        Ok(removed)
    }

    /// Moves the rule at `from` to `to` (1-based); returns the rules in their new order.
    pub async fn move_rule(&self, endpoint: &str, from: u32, to: u32) -> Result<Vec<StoredRule>, WorkbenchError> {
        let endpoint_id = self.endpoint_named(endpoint).await?.id;
        Ok(self
            .store
            .write(move |conn| response_rules::move_rule(conn, endpoint_id, from, to))
            .await?)
    }

    /// Sets every counter of the endpoint's rules back to zero; returns how many rules.
    pub async fn reset_rules(&self, endpoint: &str) -> Result<usize, WorkbenchError> {
        let endpoint_id = self.endpoint_named(endpoint).await?.id;
        Ok(self
            .store
            .write(move |conn| response_rules::reset_counters(conn, endpoint_id))
            .await?)
    }
}

//! SQL for the `response_rules` table: each endpoint's ordered response rules (stored as JSON)
//! and their counters, which survive a restart and can be reset.
//!
//! Positions run 1..n per endpoint with no gaps: removing or moving a rule renumbers the others
//! in the same transaction. Counters change only through [`record_decision`] (or
//! [`decide_and_record`]), which adds to them in SQL, so decisions never overwrite each other.

use std::sync::Arc;

use rusqlite::{params, Connection, OptionalExtension, Row, TransactionBehavior};
use serde::{Deserialize, Serialize};

use super::{Store, StoreError};
use crate::model::{CapturedRequest, Endpoint};
use crate::respond::rules::{self, CompiledRule, RequestView, ResponseRuleDef, RuleCounters, RuleDecision};

/// A response rule as stored for an endpoint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StoredRule {
    /// Stable across moves; positions are not.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub id: i64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub endpoint_id: i64,
    /// 1-based place in the endpoint's order; the first rule that answers wins.
    pub position: u32,
    pub rule: ResponseRuleDef,
    pub counters: RuleCounters,
}

impl StoredRule {
    /// The name a request records for this rule: `#2 first 2 → 503`.
    pub fn label(&self) -> String {
        rules::rule_label(self.position, &self.rule)
    }
}

const COLUMNS: &str = "id, endpoint_id, position, definition, matched, answered";

/// Appends a rule after the endpoint's last one.
pub fn add(conn: &mut Connection, endpoint_id: i64, rule: &ResponseRuleDef) -> Result<StoredRule, StoreError> {
    let definition = serde_json::to_string(rule).map_err(|e| StoreError::Decode(e.to_string()))?;
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let exists: bool = tx.query_row(
        "SELECT EXISTS(SELECT 1 FROM endpoints WHERE id = ?1)",
        [endpoint_id],
        |r| r.get(0),
    )?;
    if !exists {
        return Err(StoreError::Invalid(format!("no endpoint with id {endpoint_id}")));
    }
    let position: u32 = tx.query_row(
        "SELECT coalesce(max(position), 0) + 1 FROM response_rules WHERE endpoint_id = ?1",
        [endpoint_id],
        |r| r.get(0),
    )?;
    tx.execute(
        "INSERT INTO response_rules (endpoint_id, position, definition, created_at_ns) VALUES (?1, ?2, ?3, ?4)",
        params![endpoint_id, position, definition, now_ns()],
    )?;
    let id = tx.last_insert_rowid();
    tx.commit()?;
    Ok(StoredRule {
        id,
        endpoint_id,
        position,
        rule: rule.clone(),
        counters: RuleCounters::default(),
    })
}

/// The endpoint's rules in order, with their counters.
pub fn list(conn: &Connection, endpoint_id: i64) -> Result<Vec<StoredRule>, StoreError> {
    let mut statement = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM response_rules WHERE endpoint_id = ?1 ORDER BY position, id"
    ))?;
    let rows = statement.query_map([endpoint_id], read_rule)?;
    let mut rules = Vec::new();
    for row in rows {
        rules.push(row??);
    }
    Ok(rules)
}

/// Whether the endpoint has any rule (the capture path skips everything else when not).
pub fn has_rules(conn: &Connection, endpoint_id: i64) -> Result<bool, StoreError> {
    Ok(conn
        .prepare_cached("SELECT EXISTS(SELECT 1 FROM response_rules WHERE endpoint_id = ?1)")?
        .query_row([endpoint_id], |r| r.get(0))?)
}

/// Ids of the endpoints that have at least one rule.
pub fn endpoints_with_rules(conn: &Connection) -> Result<Vec<i64>, StoreError> {
    let mut statement = conn.prepare_cached("SELECT DISTINCT endpoint_id FROM response_rules ORDER BY endpoint_id")?;
    let ids = statement
        .query_map([], |r| r.get(0))?
        .collect::<Result<Vec<i64>, _>>()?;
    Ok(ids)
}

/// Removes the rule at `position` (1-based); the rules after it move up. Returns the removed rule.
pub fn remove(conn: &mut Connection, endpoint_id: i64, position: u32) -> Result<StoredRule, StoreError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let rules = list(&tx, endpoint_id)?;
    let removed = at_position(&rules, position)?.clone();
    tx.execute("DELETE FROM response_rules WHERE id = ?1", [removed.id])?;
    let rest: Vec<i64> = rules.iter().filter(|r| r.id != removed.id).map(|r| r.id).collect();
    renumber(&tx, &rest)?;
    tx.commit()?;
    Ok(removed)
}

/// Moves the rule at position `from` to position `to` (both 1-based), shifting those between.
/// Returns the endpoint's rules in their new order.
pub fn move_rule(conn: &mut Connection, endpoint_id: i64, from: u32, to: u32) -> Result<Vec<StoredRule>, StoreError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let rules = list(&tx, endpoint_id)?;
    at_position(&rules, from)?;
    at_position(&rules, to)?;
    let mut order: Vec<i64> = rules.iter().map(|r| r.id).collect();
    let moved = order.remove(from as usize - 1);
    order.insert(to as usize - 1, moved);
    renumber(&tx, &order)?;
    let moved = list(&tx, endpoint_id)?;
    tx.commit()?;
    Ok(moved)
}

/// Sets every counter of the endpoint's rules back to zero; returns how many rules there are.
pub fn reset_counters(conn: &Connection, endpoint_id: i64) -> Result<usize, StoreError> {
    Ok(conn.execute(
        "UPDATE response_rules SET matched = 0, answered = 0 WHERE endpoint_id = ?1",
        [endpoint_id],
    )?)
}

/// Adds a decision's counter updates; `rules` is the list the decision was taken on.
/// Call it on the writer connection, in the transaction that took the decision if possible.
pub fn record_decision(conn: &Connection, rules: &[StoredRule], decision: &RuleDecision) -> Result<(), StoreError> {
    let mut update =
        conn.prepare_cached("UPDATE response_rules SET matched = matched + 1, answered = answered + ?2 WHERE id = ?1")?;
    for change in &decision.updates {
        let rule = rules
            .get(change.index)
            .ok_or_else(|| StoreError::Invalid(format!("no rule at index {} of the decision", change.index)))?;
        update.execute(params![rule.id, i64::from(change.answered)])?;
    }
    Ok(())
}

/// Reads the endpoint's rules and counters, decides which rule answers `request`, and records
/// the counter updates, all in one immediate transaction, so that concurrent requests (from
/// this or another process) each see the counters the previous one left. Returns the rule that
/// answers, its counters updated; `None` when the endpoint's default response answers.
pub fn decide_and_record(
    conn: &mut Connection,
    endpoint_id: i64,
    request: &RequestView<'_>,
) -> Result<Option<StoredRule>, StoreError> {
    // Without rules, no write lock is taken.
    if !has_rules(conn, endpoint_id)? {
        return Ok(None);
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let stored = list(&tx, endpoint_id)?;
    if stored.is_empty() {
        return Ok(None);
    }
    let compiled = stored
        .iter()
        .map(|s| {
            CompiledRule::new(s.rule.clone()).map_err(|e| StoreError::Decode(format!("rule #{}: {e}", s.position)))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let counters: Vec<RuleCounters> = stored.iter().map(|s| s.counters).collect();
    let decision = rules::decide(&compiled, &counters, request);
    record_decision(&tx, &stored, &decision)?;
    tx.commit()?;
    let mut updated = counters;
    rules::apply_updates(&mut updated, &decision);
    Ok(decision.answered_by.map(|index| StoredRule {
        counters: updated[index],
        ..stored[index].clone()
    }))
}

/// [`decide_and_record`] for a captured request on the store's writer thread, ordered after
/// the rows queued before it: what the capture path calls for an endpoint that has rules.
pub async fn decide_on_writer(
    store: &Store,
    endpoint: &Endpoint,
    request: Arc<CapturedRequest>,
) -> Result<Option<StoredRule>, StoreError> {
    let (endpoint_id, prefix) = (endpoint.id, endpoint.path_prefix.clone());
    store
        .write(move |conn| decide_and_record(conn, endpoint_id, &RequestView::of(&request, &prefix)))
        .await
}

/// Records which rule answered a stored request (its [`StoredRule::label`]), in the `rule`
/// column of `requests`. The capture path may instead write the column with the row's insert.
pub fn set_request_rule(conn: &Connection, request_id: &str, label: Option<&str>) -> Result<(), StoreError> {
    conn.prepare_cached("UPDATE requests SET rule = ?2 WHERE id = ?1")?
        .execute(params![request_id, label])?;
    Ok(())
}

/// The rule that answered a stored request, as recorded; `None` for no rule or no such request.
pub fn request_rule(conn: &Connection, request_id: &str) -> Result<Option<String>, StoreError> {
    Ok(conn
        .prepare_cached("SELECT rule FROM requests WHERE id = ?1")?
        .query_row([request_id], |r| r.get::<_, Option<String>>(0))
        .optional()?
        .flatten())
}

fn at_position(rules: &[StoredRule], position: u32) -> Result<&StoredRule, StoreError> {
    rules.iter().find(|r| r.position == position).ok_or_else(|| {
        StoreError::Invalid(match rules.len() {
            0 => format!("there is no rule #{position}: the endpoint has no rules"),
            n => format!("there is no rule #{position}: the endpoint's rules are #1 to #{n}"),
        })
    })
}

/// Gives the rules `ids` the positions 1, 2, ... in that order.
fn renumber(conn: &Connection, ids: &[i64]) -> Result<(), StoreError> {
    let mut update = conn.prepare_cached("UPDATE response_rules SET position = ?2 WHERE id = ?1")?;
    for (index, id) in ids.iter().enumerate() {
        update.execute(params![id, index as i64 + 1])?;
    }
    Ok(())
}

fn read_rule(row: &Row<'_>) -> rusqlite::Result<Result<StoredRule, StoreError>> {
    let definition: String = row.get(3)?;
    let counters = RuleCounters {
        matched: row.get::<_, i64>(4)? as u64,
        answered: row.get::<_, i64>(5)? as u64,
    };
    let (id, endpoint_id, position) = (row.get(0)?, row.get(1)?, row.get(2)?);
    Ok(serde_json::from_str(&definition)
        .map_err(|e| StoreError::Decode(format!("response rule {id}: {e}")))
        .map(|rule| StoredRule {
            id,
            endpoint_id,
            position,
            rule,
            counters,
        }))
}

fn now_ns() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as i64)
}

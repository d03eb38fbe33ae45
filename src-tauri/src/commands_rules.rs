//! The endpoint editor's rules section: an endpoint's ordered response rules, added, moved,
//! removed and their counters reset. Each command is one engine call.

use hookscope::respond::rules::RuleSpec;
use hookscope::store::response_rules::StoredRule;
use tauri::State;

use crate::error::CommandResult;
use crate::DesktopState;

/// The endpoint's rules in the order they are tried, with their counters.
#[tauri::command]
pub async fn list_rules(state: State<'_, DesktopState>, endpoint: String) -> CommandResult<Vec<StoredRule>> {
    Ok(state.workbench()?.rules(&endpoint).await?)
}

/// Appends a rule; an invalid option is refused in words that name it, and nothing is stored.
#[tauri::command]
pub async fn add_rule(state: State<'_, DesktopState>, endpoint: String, spec: RuleSpec) -> CommandResult<StoredRule> {
    Ok(state.workbench()?.add_rule(&endpoint, &spec).await?)
}

/// Removes the rule at `position` (1-based).
#[tauri::command]
pub async fn remove_rule(state: State<'_, DesktopState>, endpoint: String, position: u32) -> CommandResult<StoredRule> {
    Ok(state.workbench()?.remove_rule(&endpoint, position).await?)
}

/// Moves the rule at `from` to `to` (1-based); returns the rules in their new order.
#[tauri::command]
pub async fn move_rule(
    state: State<'_, DesktopState>,
    endpoint: String,
    from: u32,
    to: u32,
) -> CommandResult<Vec<StoredRule>> {
    Ok(state.workbench()?.move_rule(&endpoint, from, to).await?)
}

/// Sets the counters of the endpoint's rules back to zero; returns how many rules.
#[tauri::command]
pub async fn reset_rules(state: State<'_, DesktopState>, endpoint: String) -> CommandResult<usize> {
    Ok(state.workbench()?.reset_rules(&endpoint).await?)
}

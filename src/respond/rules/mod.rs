//! Ordered response rules per endpoint, for testing how a sender copes with failures: "answer
//! 503 to the first two deliveries", "hang on every third", "drop 30% (seed 7)".
//!
//! A rule has conditions ([`RuleConditions`]), a schedule ([`RuleSchedule`]) and an action
//! ([`RuleAction`]). For each request, the rules are tried in order:
//!
//! 1. a rule whose conditions do not hold is skipped, and its counters stay as they are;
//! 2. a rule whose conditions hold counts the request (`matched` + 1, giving k) and asks its
//!    schedule about the k-th match; if the schedule says yes, the rule answers (`answered` + 1)
//!    and the rules after it are not tried (their counters stay);
//! 3. if the schedule says no, the next rule is tried.
//!
//! When no rule answers, the endpoint's default response ([`crate::model::ResponseRule`]) does.
//! [`decide`] does this without side effects; the store persists the counter updates.

mod action;
mod conditions;
mod schedule;
mod spec;

pub use action::{RuleAction, RuleAnswer};
pub use conditions::{path_under_prefix, HeaderCondition, JsonCondition, RequestView, RuleConditions};
pub use schedule::{unit_draw, RuleSchedule};
pub use spec::{parse_json_condition, InvalidRule, RuleSpec};

use serde::{Deserialize, Serialize};

use conditions::ConditionMatcher;

/// One response rule as defined by the user: validated, serializable, stored as JSON.
///
/// Not to be confused with [`crate::model::ResponseRule`], the endpoint's default response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ResponseRuleDef {
    pub conditions: RuleConditions,
    pub schedule: RuleSchedule,
    pub action: RuleAction,
}

impl ResponseRuleDef {
    /// How the rule reads in one line: its schedule and its action, `first 2 → 503`.
    pub fn describe(&self) -> String {
        format!("{} → {}", self.schedule.describe(), self.action.describe())
    }
}

/// The name a request records for the rule that answered it: `#2 first 2 → 503`.
pub fn rule_label(position: u32, rule: &ResponseRuleDef) -> String {
    format!("#{position} {}", rule.describe())
}

/// How many requests matched a rule's conditions, and how many of them it answered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RuleCounters {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub matched: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub answered: u64,
}

/// A rule made ready to test requests (its globs compiled).
#[derive(Debug, Clone)]
pub struct CompiledRule {
    def: ResponseRuleDef,
    matcher: ConditionMatcher,
}

impl CompiledRule {
    /// Compiles a rule's globs. A rule that came through [`RuleSpec::parse`] always compiles;
    /// the error is for rules read back from a damaged store.
    pub fn new(def: ResponseRuleDef) -> Result<Self, InvalidRule> {
        let matcher = ConditionMatcher::new(&def.conditions).map_err(|e| InvalidRule {
            option: "stored rule",
            reason: e.to_string(),
        })?;
        Ok(Self { def, matcher })
    }

    pub fn def(&self) -> &ResponseRuleDef {
        &self.def
    }

    /// Whether the rule's conditions hold for the request (its schedule aside).
    pub fn conditions_hold(&self, request: &RequestView<'_>) -> bool {
        self.matcher.matches(request)
    }
}

/// A change to one rule's counters: `matched` + 1, and `answered` + 1 when `answered`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CounterUpdate {
    /// The rule's index in the slice given to [`decide`] (its position − 1 when the whole list is given).
    pub index: usize,
    pub answered: bool,
}

/// Which rule answers a request, and how the counters change.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleDecision {
    /// The index of the rule that answers; `None`: the endpoint's default response answers.
    pub answered_by: Option<usize>,
    /// One entry per rule whose conditions held, in order; the last one answered when
    /// `answered_by` is set.
    pub updates: Vec<CounterUpdate>,
}

/// Decides which rule answers `request`, given the rules in order and their counters before
/// this request (`counters[i]` belongs to `rules[i]`; a missing entry counts as zero).
pub fn decide(rules: &[CompiledRule], counters: &[RuleCounters], request: &RequestView<'_>) -> RuleDecision {
    let mut decision = RuleDecision::default();
    for (index, rule) in rules.iter().enumerate() {
        if !rule.conditions_hold(request) {
            continue;
        }
        let before = counters.get(index).copied().unwrap_or_default();
        let k = before.matched + 1;
        let answers = rule.def.schedule.answers(k);
        decision.updates.push(CounterUpdate {
            index,
            answered: answers,
        });
        if answers {
            decision.answered_by = Some(index);
            break;
        }
    }
    decision
}

/// Applies a decision's updates to counters kept in memory (the store does the same in SQL).
pub fn apply_updates(counters: &mut Vec<RuleCounters>, decision: &RuleDecision) {
    for update in &decision.updates {
        if counters.len() <= update.index {
            counters.resize(update.index + 1, RuleCounters::default());
        }
        let counter = &mut counters[update.index];
        counter.matched += 1;
        counter.answered += u64::from(update.answered);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::HeaderField;

    fn rule(conditions: RuleConditions, schedule: RuleSchedule, status: u16) -> CompiledRule {
        CompiledRule::new(ResponseRuleDef {
            conditions,
            schedule,
            action: RuleAction::Respond {
                status,
                headers: Vec::new(),
                body: None,
                delay_ms: 0,
            },
        })
        .unwrap()
    }

    #[test]
    fn a_rule_that_does_not_answer_counts_its_match_and_lets_the_next_one_try() {
        let rules = [
            rule(RuleConditions::default(), RuleSchedule::Every { n: 2 }, 500),
            rule(
                RuleConditions {
                    method: Some("GET".into()),
                    ..Default::default()
                },
                RuleSchedule::Always,
                404,
            ),
            rule(RuleConditions::default(), RuleSchedule::Always, 202),
        ];
        let headers: Vec<HeaderField> = Vec::new();
        let post = RequestView::new("POST", "/", &headers, b"");
        let mut counters = Vec::new();
        let mut answers = Vec::new();
        for _ in 0..4 {
            let decision = decide(&rules, &counters, &post);
            apply_updates(&mut counters, &decision);
            answers.push(decision.answered_by);
        }
        // Rule 1 answers every 2nd match; rule 2 never matches a POST; rule 3 takes the rest.
        assert_eq!(answers, [Some(2), Some(0), Some(2), Some(0)]);
        assert_eq!(
            counters[0],
            RuleCounters {
                matched: 4,
                answered: 2
            }
        );
        assert_eq!(counters[1], RuleCounters::default());
        assert_eq!(
            counters[2],
            RuleCounters {
                matched: 2,
                answered: 2
            }
        );
    }

    #[test]
    fn describes_itself_with_schedule_and_action() {
        let def = ResponseRuleDef {
            conditions: RuleConditions::default(),
            schedule: RuleSchedule::First { n: 2 },
            action: RuleAction::Respond {
                status: 503,
                headers: Vec::new(),
                body: None,
                delay_ms: 0,
            },
        };
        assert_eq!(rule_label(2, &def), "#2 first 2 → 503");
    }
}

//! What a rule does with a request it answers: respond (status, headers, body template, delay),
//! hang (hold the connection without answering), or drop (close it without an answer).

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::model::{CapturedRequest, HeaderField, RecordedResponse, ResponseRule};

/// The answer a rule gives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RuleAction {
    /// Answer like an endpoint's default response does, with these values.
    Respond {
        status: u16,
        /// Header values are templates, like the body.
        headers: Vec<HeaderField>,
        /// A body template (see [`crate::respond::template`]); `None` answers `{"ok":true,"id":...}`.
        body: Option<String>,
        #[cfg_attr(feature = "ts", ts(type = "number"))]
        delay_ms: u64,
    },
    /// Hold the connection open without answering until the sender gives up.
    Hang,
    /// Close the connection without an answer.
    Drop,
}

impl RuleAction {
    /// How the action reads in a list: `503`, `200 after 500 ms`, `hang`, `drop`.
    pub fn describe(&self) -> String {
        match self {
            RuleAction::Respond {
                status, delay_ms: 0, ..
            } => status.to_string(),
            RuleAction::Respond { status, delay_ms, .. } => format!("{status} after {delay_ms} ms"),
            RuleAction::Hang => "hang".to_owned(),
            RuleAction::Drop => "drop".to_owned(),
        }
    }
}

/// What the listener must do for a request a rule answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleAnswer {
    /// Send this response after waiting `delay`.
    Respond {
        response: RecordedResponse,
        delay: Duration,
    },
    /// Store the request with [`RuleAnswer::recorded`], then keep the connection open without
    /// writing anything until the sender closes it.
    Hang,
    /// Store the request with [`RuleAnswer::recorded`], then close the connection without
    /// writing a response.
    Drop,
}

impl RuleAnswer {
    /// Builds the answer of `action` for `request`, templates rendered. `label` (the rule's
    /// [`super::rule_label`], e.g. `#2 first 2 → 503`) goes into the response's note.
    pub fn of(action: &RuleAction, request: &CapturedRequest, label: &str) -> RuleAnswer {
        match action {
            RuleAction::Respond {
                status,
                headers,
                body,
                delay_ms,
            } => {
                let rule = ResponseRule {
                    status: *status,
                    headers: headers.clone(),
                    body: body.clone(),
                    delay_ms: *delay_ms,
                };
                let mut response = crate::respond::apply_rule(&rule, request);
                response.note = Some(format!("answered by response rule {label}"));
                RuleAnswer::Respond {
                    response,
                    delay: Duration::from_millis(*delay_ms),
                }
            }
            RuleAction::Hang => RuleAnswer::Hang,
            RuleAction::Drop => RuleAnswer::Drop,
        }
    }

    /// The response to store with the request. A hung or dropped request has status 0 (no
    /// answer was sent) and a note that says what happened.
    pub fn recorded(&self, label: &str) -> RecordedResponse {
        let no_answer = |note: String| RecordedResponse {
            status: 0,
            headers: Vec::new(),
            body: Vec::new(),
            note: Some(note),
        };
        match self {
            RuleAnswer::Respond { response, .. } => response.clone(),
            RuleAnswer::Hang => no_answer(format!(
                "no answer: response rule {label} held the connection open until the sender gave up"
            )),
            RuleAnswer::Drop => no_answer(format!("no answer: response rule {label} closed the connection")),
        }
    }
}

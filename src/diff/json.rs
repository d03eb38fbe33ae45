//! Structural comparison of two JSON documents: objects key by key (key order ignored), arrays
//! index by index, each difference named by its JSON pointer.

use serde_json::Value;

use super::{BodyChange, ChangeOp};
use crate::event_meta::pointer::escape_token;

/// Every difference between `before` and `after`, in document order (keys of `before` first,
/// then keys only `after` has). `hidden` decides, from a path's tokens, whether a difference is
/// left out; it returns how many were.
pub fn compare(before: &Value, after: &Value, hidden: &dyn Fn(&[String]) -> bool) -> (Vec<BodyChange>, usize) {
    let mut walk = Walk {
        tokens: Vec::new(),
        changes: Vec::new(),
        hidden_count: 0,
        hidden,
    };
    walk.value(Some(before), Some(after));
    (walk.changes, walk.hidden_count)
}

struct Walk<'h> {
    tokens: Vec<String>,
    changes: Vec<BodyChange>,
    hidden_count: usize,
    hidden: &'h dyn Fn(&[String]) -> bool,
}

impl Walk<'_> {
    fn value(&mut self, before: Option<&Value>, after: Option<&Value>) {
        match (before, after) {
            (Some(Value::Object(a)), Some(Value::Object(b))) => {
                for (key, value) in a {
                    self.descend(key.clone(), Some(value), b.get(key));
                }
                for (key, value) in b.iter().filter(|(key, _)| !a.contains_key(*key)) {
                    self.descend(key.clone(), None, Some(value));
                }
            }
            (Some(Value::Array(a)), Some(Value::Array(b))) => {
                for index in 0..a.len().max(b.len()) {
                    self.descend(index.to_string(), a.get(index), b.get(index));
                }
            }
            (Some(a), Some(b)) if a == b => {}
            _ => self.record(before, after),
        }
    }

    fn descend(&mut self, token: String, before: Option<&Value>, after: Option<&Value>) {
        self.tokens.push(token);
        self.value(before, after);
        self.tokens.pop();
    }

    fn record(&mut self, before: Option<&Value>, after: Option<&Value>) {
        if (self.hidden)(&self.tokens) {
            self.hidden_count += 1;
            return;
        }
        let op = match (before, after) {
            (None, _) => ChangeOp::Added,
            (_, None) => ChangeOp::Removed,
            _ => ChangeOp::Changed,
        };
        let path = self.tokens.iter().map(|t| format!("/{}", escape_token(t))).collect();
        self.changes.push(BodyChange {
            op,
            path: Some(path),
            before: before.cloned(),
            after: after.cloned(),
            ..BodyChange::default()
        });
    }
}

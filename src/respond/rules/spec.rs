//! A rule as the CLI's options and the app's form give it ([`RuleSpec`]), checked and turned
//! into a [`ResponseRuleDef`]. Every error names the option at fault, so the user knows what
//! to fix; nothing is stored until the whole rule is valid.

use serde::{Deserialize, Serialize};

use super::conditions::{path_glob, value_glob};
use super::{HeaderCondition, JsonCondition, ResponseRuleDef, RuleAction, RuleConditions, RuleSchedule};
use crate::event_meta::filter::{FieldCondition, FieldTest};
use crate::model::HeaderField;

/// A rule as entered: one field per option of `hookscope endpoint rule add`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default)]
pub struct RuleSpec {
    /// `--method M`
    pub method: Option<String>,
    /// `--path GLOB`, under the endpoint's prefix (a leading `/` is added when missing).
    pub path: Option<String>,
    /// `--header 'Name=glob'`, repeatable.
    pub headers: Vec<String>,
    /// `--json '/pointer=value'`, `'/pointer!=value'` or `'/pointer'` (as `list --where`), repeatable.
    pub json: Vec<String>,
    /// `--body-contains TEXT`
    pub body_contains: Option<String>,
    /// `--first N`
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub first: Option<u64>,
    /// `--every N`
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub every: Option<u64>,
    /// `--percent P` (0 to 100, fractions allowed)
    pub percent: Option<f64>,
    /// `--seed S`, with `--percent` only; a random seed is chosen (and stored) when absent.
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub seed: Option<u64>,
    /// `--status CODE`
    pub status: Option<u16>,
    /// `--header-out 'Name: value'`, repeatable; the value is a template.
    pub headers_out: Vec<String>,
    /// `--body TEMPLATE`
    pub body: Option<String>,
    /// `--delay MS`
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub delay_ms: Option<u64>,
    /// `--hang`
    pub hang: bool,
    /// `--drop`
    pub drop: bool,
}

/// A rule that cannot be accepted, and the option at fault (`--percent`, `--json`, ...).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{option}: {reason}")]
pub struct InvalidRule {
    pub option: &'static str,
    pub reason: String,
}

fn invalid(option: &'static str, reason: impl Into<String>) -> InvalidRule {
    InvalidRule {
        option,
        reason: reason.into(),
    }
}

impl RuleSpec {
    /// Checks every option and builds the rule. With `--percent` and no `--seed`, a random
    /// seed is chosen here, so the stored rule is reproducible from then on.
    pub fn parse(&self) -> Result<ResponseRuleDef, InvalidRule> {
        Ok(ResponseRuleDef {
            conditions: self.conditions()?,
            schedule: self.schedule()?,
            action: self.action()?,
        })
    }

    fn conditions(&self) -> Result<RuleConditions, InvalidRule> {
        let method = self
            .method
            .as_deref()
            .map(|m| {
                let m = m.trim();
                http::Method::from_bytes(m.as_bytes())
                    .map(|_| m.to_ascii_uppercase())
                    .map_err(|_| invalid("--method", format!("'{m}' is not an HTTP method")))
            })
            .transpose()?;
        let path = self
            .path
            .as_deref()
            .map(|glob| {
                let glob = if glob.starts_with('/') || glob.starts_with('*') {
                    glob.to_owned()
                } else {
                    format!("/{glob}")
                };
                path_glob(&glob)
                    .map_err(|e| invalid("--path", format!("'{glob}' is not a valid glob: {}", e.kind())))?;
                Ok(glob)
            })
            .transpose()?;
        let headers = self
            .headers
            .iter()
            .map(|text| parse_header_condition(text))
            .collect::<Result<_, _>>()?;
        let json = self
            .json
            .iter()
            .map(|text| parse_json_condition(text).map_err(|reason| invalid("--json", reason)))
            .collect::<Result<_, _>>()?;
        let body_contains = match self.body_contains.as_deref() {
            Some("") => return Err(invalid("--body-contains", "the text to look for is empty")),
            other => other.map(str::to_owned),
        };
        Ok(RuleConditions {
            method,
            path,
            headers,
            json,
            body_contains,
        })
    }

    fn schedule(&self) -> Result<RuleSchedule, InvalidRule> {
        let chosen: Vec<&'static str> = [
            ("--first", self.first.is_some()),
            ("--every", self.every.is_some()),
            ("--percent", self.percent.is_some()),
        ]
        .into_iter()
        .filter_map(|(option, set)| set.then_some(option))
        .collect();
        if chosen.len() > 1 {
            return Err(invalid(chosen[1], format!("cannot be combined with {}", chosen[0])));
        }
        if self.seed.is_some() && self.percent.is_none() {
            return Err(invalid("--seed", "only applies with --percent"));
        }
        if let Some(n) = self.first {
            if n == 0 {
                return Err(invalid("--first", "must be at least 1"));
            }
            return Ok(RuleSchedule::First { n });
        }
        if let Some(n) = self.every {
            if n == 0 {
                return Err(invalid("--every", "must be at least 1"));
            }
            return Ok(RuleSchedule::Every { n });
        }
        if let Some(percent) = self.percent {
            if !(0.0..=100.0).contains(&percent) {
                return Err(invalid(
                    "--percent",
                    format!("{percent} is not a percentage (0 to 100)"),
                ));
            }
            return Ok(RuleSchedule::Percent {
                percent,
                seed: self.seed.unwrap_or_else(crate::delivery::chaos::chosen_seed),
            });
        }
        Ok(RuleSchedule::Always)
    }

    fn action(&self) -> Result<RuleAction, InvalidRule> {
        let chosen: Vec<&'static str> = [
            ("--status", self.status.is_some()),
            ("--hang", self.hang),
            ("--drop", self.drop),
        ]
        .into_iter()
        .filter_map(|(option, set)| set.then_some(option))
        .collect();
        match chosen.as_slice() {
            [] => Err(invalid(
                "--status",
                "a rule needs an answer: --status CODE, --hang or --drop",
            )),
            [_, second, ..] => Err(invalid(second, format!("cannot be combined with {}", chosen[0]))),
            ["--status"] => {
                let status = self.status.unwrap_or_default();
                if !(100..=599).contains(&status) {
                    return Err(invalid("--status", format!("{status} is not an HTTP status (100-599)")));
                }
                let headers = self
                    .headers_out
                    .iter()
                    .map(|text| parse_header_out(text))
                    .collect::<Result<_, _>>()?;
                Ok(RuleAction::Respond {
                    status,
                    headers,
                    body: self.body.clone(),
                    delay_ms: self.delay_ms.unwrap_or(0),
                })
            }
            [without_response] => {
                for (option, set) in [
                    ("--header-out", !self.headers_out.is_empty()),
                    ("--body", self.body.is_some()),
                    ("--delay", self.delay_ms.is_some()),
                ] {
                    if set {
                        return Err(invalid(
                            option,
                            format!("only applies with --status, not {without_response}"),
                        ));
                    }
                }
                Ok(if self.hang { RuleAction::Hang } else { RuleAction::Drop })
            }
        }
    }
}

/// `Name=glob` → a header condition.
fn parse_header_condition(text: &str) -> Result<HeaderCondition, InvalidRule> {
    let Some((name, glob)) = text.split_once('=') else {
        return Err(invalid("--header", format!("'{text}' is not Name=glob")));
    };
    let name = name.trim();
    http::HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| invalid("--header", format!("'{name}' is not a header name")))?;
    value_glob(glob).map_err(|e| invalid("--header", format!("'{glob}' is not a valid glob: {}", e.kind())))?;
    Ok(HeaderCondition {
        name: name.to_owned(),
        glob: glob.to_owned(),
    })
}

/// `Name: value` → a response header line.
fn parse_header_out(text: &str) -> Result<HeaderField, InvalidRule> {
    let Some((name, value)) = text.split_once(':') else {
        return Err(invalid("--header-out", format!("'{text}' is not 'Name: value'")));
    };
    let name = name.trim();
    let value = value.trim();
    http::HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| invalid("--header-out", format!("'{name}' is not a header name")))?;
    http::HeaderValue::from_str(value).map_err(|_| {
        invalid(
            "--header-out",
            format!("the value of {name} cannot be sent in a header"),
        )
    })?;
    Ok(HeaderField::new(name, value))
}

/// `/pointer=value`, `/pointer!=value` or a bare `/pointer` (exists): the grammar and the
/// meaning of `list --where` and the search box's filters, parsed by the same code
/// ([`FieldCondition::parse`]). The error is the reason alone.
pub fn parse_json_condition(text: &str) -> Result<JsonCondition, String> {
    let condition = FieldCondition::parse(text).map_err(|error| error.to_string())?;
    let pointer = condition.pointer.as_str().to_owned();
    Ok(match condition.test {
        FieldTest::Exists => JsonCondition::Exists { pointer },
        FieldTest::Equals(value) => JsonCondition::Equals {
            pointer,
            value: serde_json::Value::String(value),
        },
        FieldTest::NotEquals(value) => JsonCondition::NotEquals {
            pointer,
            value: serde_json::Value::String(value),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_conditions_take_the_where_grammar_and_meaning() {
        let holds = |condition: &str, body: &str| {
            parse_json_condition(condition)
                .unwrap()
                .holds_on(&serde_json::from_str(body).unwrap())
        };
        assert!(holds("/type=invoice.paid", r#"{"type":"invoice.paid"}"#));
        assert!(holds("/n=1", r#"{"n":1.0}"#), "numbers by value");
        assert!(holds("/n=1", r#"{"n":"1"}"#), "a string written the same way");
        assert!(!holds("/n=1", r#"{"n":true}"#));
        assert!(holds("/t=a=b", r#"{"t":"a=b"}"#), "the value runs to the end");
        assert!(holds("/live=false", r#"{"live":false}"#));
        assert!(holds("/type!=invoice.paid", r#"{"type":"invoice.created"}"#));
        assert!(holds("/type!=invoice.paid", r#"{}"#), "a missing field is not equal");
        assert!(!holds("/type!=invoice.paid", r#"{"type":"invoice.paid"}"#));
        assert!(holds("/a~1b", r#"{"a/b":null}"#), "exists, even null");
        assert_eq!(parse_json_condition("/type!=x").unwrap().as_text(), "/type!=x");
        assert!(parse_json_condition("/a~2").unwrap_err().contains("~"));
        assert!(parse_json_condition("a/b")
            .unwrap_err()
            .contains("must start with \"/\""));
    }

    #[test]
    fn a_rule_stored_with_a_json_number_still_matches_by_value() {
        let stored: JsonCondition = serde_json::from_str(r#"{"kind":"equals","pointer":"/n","value":1}"#).unwrap();
        assert!(stored.holds_on(&serde_json::json!({"n": 1})));
        assert!(stored.holds_on(&serde_json::json!({"n": "1"})));
        assert_eq!(stored.as_text(), "/n=1");
    }
}

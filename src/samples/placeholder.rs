//! Placeholders filled at send time, so that every sample carries fresh ids and timestamps.
//!
//! | placeholder | value |
//! |---|---|
//! | `{{now}}`, `{{now_ms}}` | Unix time in seconds, milliseconds |
//! | `{{now_iso}}`, `{{now_iso_ms}}` | RFC 3339 UTC, e.g. `2026-01-02T03:04:05Z`, `...05.678Z` |
//! | `{{date}}` | `2026-01-02` |
//! | any of those `+N` or `-N` | shifted by N seconds: `{{now+3600}}`, `{{now_iso-86400}}` |
//! | `{{uuid}}` | a random UUID (version 4) |
//! | `{{id:PREFIX}}` | PREFIX and 24 random letters and digits: `{{id:evt_}}` |
//! | `{{hex:N}}`, `{{digits:N}}`, `{{alnum:N}}` | N random hex digits, digits (no leading zero), letters and digits |
//! | `{{verify_token}}` | the endpoint's verify token (Meta's handshake) |
//!
//! The same expression gives the same value everywhere in one request (path, headers and body);
//! a `#label` makes another one: `{{id:ch_}}` and `{{id:ch_#2}}` differ. Text between `{{` and
//! `}}` that is not a placeholder is left as written, so bodies holding templates of their own
//! survive.

use std::collections::HashMap;

use rand::distributions::{Alphanumeric, DistString};
use rand::Rng;

use super::SampleError;

/// Where a value lands: query strings need it percent-encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    Path,
    Text,
}

/// Fills the placeholders of one request, remembering each value so that it repeats.
#[derive(Debug)]
pub struct Filler {
    now_ms: i64,
    verify_token: Option<String>,
    provider: String,
    values: HashMap<String, String>,
}

impl Filler {
    /// A filler for one request of `provider` at `now_ms` (milliseconds since the epoch).
    pub fn new(provider: &str, now_ms: i64, verify_token: Option<&str>) -> Self {
        Filler {
            now_ms,
            verify_token: verify_token.map(str::to_owned),
            provider: provider.to_owned(),
            values: HashMap::new(),
        }
    }

    /// `template` with every placeholder replaced.
    pub fn fill(&mut self, template: &[u8], context: Context) -> Result<Vec<u8>, SampleError> {
        let mut out = Vec::with_capacity(template.len() + 64);
        let mut rest = template;
        while let Some(mut open) = memchr::memmem::find(rest, b"{{") {
            // In `{{{uuid}}}` the first brace is text (Bitbucket writes UUIDs in braces).
            while rest.get(open + 2) == Some(&b'{') {
                open += 1;
            }
            out.extend_from_slice(&rest[..open]);
            let after = &rest[open + 2..];
            let Some(close) = memchr::memmem::find(after, b"}}") else {
                out.extend_from_slice(&rest[open..]);
                return Ok(out);
            };
            let expression = std::str::from_utf8(&after[..close]).ok().map(str::trim);
            match expression.map(|e| self.value(e, context)).transpose()?.flatten() {
                Some(value) => out.extend_from_slice(value.as_bytes()),
                None => out.extend_from_slice(&rest[open..open + 2 + close + 2]),
            }
            rest = &after[close + 2..];
        }
        out.extend_from_slice(rest);
        Ok(out)
    }

    /// Like [`Filler::fill`], for text.
    pub fn fill_text(&mut self, template: &str, context: Context) -> Result<String, SampleError> {
        let filled = self.fill(template.as_bytes(), context)?;
        Ok(String::from_utf8(filled).expect("placeholders are replaced by UTF-8 text"))
    }

    /// The value of one expression; `None` when it is not a placeholder.
    fn value(&mut self, expression: &str, context: Context) -> Result<Option<String>, SampleError> {
        if expression == "verify_token" {
            let token = self.verify_token.as_deref().ok_or_else(|| SampleError::NoVerifyToken {
                provider: self.provider.clone(),
            })?;
            return Ok(Some(match context {
                Context::Path => {
                    percent_encoding::utf8_percent_encode(token, percent_encoding::NON_ALPHANUMERIC).to_string()
                }
                Context::Text => token.to_owned(),
            }));
        }
        if let Some(value) = self.values.get(expression) {
            return Ok(Some(value.clone()));
        }
        let Some(value) = time_value(expression, self.now_ms).or_else(|| random_value(expression)) else {
            return Ok(None);
        };
        self.values.insert(expression.to_owned(), value.clone());
        Ok(Some(value))
    }
}

/// `now`, `now_ms`, `now_iso`, `now_iso_ms`, `date`, each optionally `+N` / `-N` seconds.
fn time_value(expression: &str, now_ms: i64) -> Option<String> {
    let (name, offset) = match expression.find(['+', '-']) {
        Some(at) => (&expression[..at], expression[at..].parse::<i64>().ok()?),
        None => (expression, 0),
    };
    let ms = now_ms.checked_add(offset.checked_mul(1000)?)?;
    let at = || time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000).ok();
    Some(match name {
        "now" => ms.div_euclid(1000).to_string(),
        "now_ms" => ms.to_string(),
        "now_iso" => at()?.format(ISO_SECONDS).ok()?,
        "now_iso_ms" => at()?.format(ISO_MILLIS).ok()?,
        "date" => at()?.format(DATE).ok()?,
        _ => return None,
    })
}

const ISO_SECONDS: &[time::format_description::FormatItem<'static>] =
    time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
const ISO_MILLIS: &[time::format_description::FormatItem<'static>] =
    time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z");
const DATE: &[time::format_description::FormatItem<'static>] =
    time::macros::format_description!("[year]-[month]-[day]");

/// Longest random value a placeholder may ask for.
const MAX_RANDOM: usize = 256;

/// `uuid`, `id:PREFIX`, `hex:N`, `digits:N`, `alnum:N`, each optionally followed by `#label`.
fn random_value(expression: &str) -> Option<String> {
    let (expression, _label) = expression.split_once('#').unwrap_or((expression, ""));
    let mut rng = rand::thread_rng();
    let count = |n: &str| n.parse::<usize>().ok().filter(|n| (1..=MAX_RANDOM).contains(n));
    if expression == "uuid" {
        return Some(uuid_v4(rng.gen()));
    }
    let (kind, argument) = expression.split_once(':')?;
    Some(match kind {
        "id" => format!("{argument}{}", Alphanumeric.sample_string(&mut rng, 24)),
        "alnum" => Alphanumeric.sample_string(&mut rng, count(argument)?),
        "hex" => (0..count(argument)?)
            .map(|_| char::from_digit(rng.gen_range(0..16), 16).unwrap_or('0'))
            .collect(),
        "digits" => (0..count(argument)?)
            .map(|i| char::from_digit(rng.gen_range(u32::from(i == 0)..10), 10).unwrap_or('1'))
            .collect(),
        _ => return None,
    })
}

fn uuid_v4(mut bytes: [u8; 16]) -> String {
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex = hex::encode(bytes);
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW_MS: i64 = 1_700_000_000_123;

    fn fill(template: &str) -> String {
        Filler::new("stripe", NOW_MS, Some("tok en"))
            .fill_text(template, Context::Text)
            .unwrap()
    }

    #[test]
    fn time_placeholders_share_one_instant_and_accept_offsets() {
        assert_eq!(
            fill("{{now}} {{now_ms}} {{now_iso}} {{now_iso_ms}} {{date}}"),
            "1700000000 1700000000123 2023-11-14T22:13:20Z 2023-11-14T22:13:20.123Z 2023-11-14"
        );
        assert_eq!(fill("{{now+60}} {{now_iso-86400}}"), "1700000060 2023-11-13T22:13:20Z");
    }

    #[test]
    fn the_same_expression_repeats_its_value_and_a_label_makes_another() {
        let text = fill("{{id:evt_}} {{id:evt_}} {{id:evt_#2}} {{uuid}} {{uuid}}");
        let parts: Vec<&str> = text.split(' ').collect();
        assert!(parts[0].starts_with("evt_") && parts[0].len() == 28, "{text}");
        assert_eq!(parts[0], parts[1]);
        assert_ne!(parts[0], parts[2]);
        assert_eq!(parts[3], parts[4]);
        assert_eq!(parts[3].len(), 36);
        assert_eq!(&parts[3][14..15], "4");
    }

    #[test]
    fn random_placeholders_have_the_asked_length_and_alphabet() {
        let text = fill("{{hex:32}}|{{digits:12}}|{{alnum:7}}");
        let parts: Vec<&str> = text.split('|').collect();
        assert!(parts[0].len() == 32 && parts[0].chars().all(|c| c.is_ascii_hexdigit()));
        assert!(parts[1].len() == 12 && parts[1].chars().all(|c| c.is_ascii_digit()) && !parts[1].starts_with('0'));
        assert!(parts[2].len() == 7 && parts[2].chars().all(|c| c.is_ascii_alphanumeric()));
    }

    #[test]
    fn unknown_expressions_stay_as_written_and_the_verify_token_is_encoded_in_paths() {
        assert_eq!(
            fill("{{name}} {{ hex:0 }} {{unclosed"),
            "{{name}} {{ hex:0 }} {{unclosed"
        );
        let mut filler = Filler::new("whatsapp", NOW_MS, Some("tok en"));
        assert_eq!(
            filler.fill_text("?t={{verify_token}}", Context::Path).unwrap(),
            "?t=tok%20en"
        );
        let error = Filler::new("whatsapp", NOW_MS, None)
            .fill_text("{{verify_token}}", Context::Path)
            .unwrap_err();
        assert!(matches!(error, SampleError::NoVerifyToken { .. }));
    }
}

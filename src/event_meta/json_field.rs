//! Reading one field of a JSON body without building a `serde_json::Value`: the parser walks
//! down the pointer's keys and skips everything else with `IgnoredAny`, so a lookup allocates
//! only the text of the value it returns.

use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// The scalar at `pointer` (an RFC 6901 pointer without escapes, as the rule table writes them)
/// in `body`, as text: a string as is, a number or boolean as written. `None` when the body is
/// not JSON, the field is missing, or it holds `null`, an object or an array.
///
/// Parsing stops as soon as the field is read, so a body cut off after it (a truncated
/// capture) still answers; what comes before it must be JSON.
pub fn scalar_at(body: &[u8], pointer: &str) -> Option<String> {
    let rest = pointer.strip_prefix('/')?;
    let mut found = None;
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    // An error is also how the walk stops once it has the value.
    let _ = Walk {
        rest: Some(rest),
        found: &mut found,
    }
    .deserialize(&mut deserializer);
    found
}

/// The name of the first key of a top-level object that ends with `suffix` (`""`: the first key).
pub fn first_key_ending_with(body: &[u8], suffix: &str) -> Option<String> {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let found = FirstKey { suffix }.deserialize(&mut deserializer).ok()?;
    deserializer.end().ok()?;
    found
}

/// The error that ends a walk once the value is in hand.
const FOUND: &str = "found";

/// Descends into the next token of `rest` (`None`: this is the wanted value) and writes the
/// scalar it finds into `found`.
struct Walk<'p, 'o> {
    rest: Option<&'p str>,
    found: &'o mut Option<String>,
}

impl<'p> Walk<'p, '_> {
    /// The token to look for at this level and what is left below it.
    fn split(&self) -> Option<(&'p str, Option<&'p str>)> {
        let rest = self.rest?;
        Some(match rest.split_once('/') {
            Some((token, below)) => (token, Some(below)),
            None => (rest, None),
        })
    }

    fn leaf<E: serde::de::Error>(self, text: impl FnOnce() -> String) -> Result<(), E> {
        if self.rest.is_some() {
            return Ok(());
        }
        *self.found = Some(text());
        Err(E::custom(FOUND))
    }
}

impl<'de> DeserializeSeed<'de> for Walk<'_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Walk<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<(), E> {
        self.leaf(|| value.to_owned())
    }

    fn visit_bool<E: serde::de::Error>(self, value: bool) -> Result<(), E> {
        self.leaf(|| value.to_string())
    }

    fn visit_i64<E: serde::de::Error>(self, value: i64) -> Result<(), E> {
        self.leaf(|| value.to_string())
    }

    fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<(), E> {
        self.leaf(|| value.to_string())
    }

    fn visit_f64<E: serde::de::Error>(self, value: f64) -> Result<(), E> {
        self.leaf(|| value.to_string())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let wanted = self.split();
        while let Some(matched) = map.next_key_seed(KeyIs(wanted.map(|(token, _)| token)))? {
            match wanted {
                Some((_, below)) if matched => map.next_value_seed(Walk {
                    rest: below,
                    found: &mut *self.found,
                })?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let wanted = self
            .split()
            .and_then(|(token, below)| Some((token.parse::<usize>().ok()?, below)));
        let mut index = 0;
        loop {
            let more = match wanted {
                Some((at, below)) if at == index => seq
                    .next_element_seed(Walk {
                        rest: below,
                        found: &mut *self.found,
                    })?
                    .is_some(),
                _ => seq.next_element::<IgnoredAny>()?.is_some(),
            };
            if !more {
                return Ok(());
            }
            index += 1;
        }
    }
}

/// Reads a map key and says whether it equals the wanted token, without allocating for
/// unescaped keys.
struct KeyIs<'p>(Option<&'p str>);

impl<'de> DeserializeSeed<'de> for KeyIs<'_> {
    type Value = bool;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<bool, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeyIs<'_> {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object key")
    }

    fn visit_str<E>(self, key: &str) -> Result<bool, E> {
        Ok(self.0 == Some(key))
    }
}

/// Finds the first top-level key ending with a suffix.
struct FirstKey<'s> {
    suffix: &'s str,
}

impl<'de> DeserializeSeed<'de> for FirstKey<'_> {
    type Value = Option<String>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for FirstKey<'_> {
    type Value = Option<String>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut found = None;
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            map.next_value::<IgnoredAny>()?;
            if found.is_none() && key.ends_with(self.suffix) {
                found = Some(key.into_owned());
            }
        }
        Ok(found)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }

    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::{first_key_ending_with, scalar_at};

    #[test]
    fn finds_nested_scalars_through_objects_and_arrays() {
        let body = br#"{"a":{"b":[{"c":1},{"c":"two","d":true}]},"z":null}"#;
        assert_eq!(scalar_at(body, "/a/b/1/c").as_deref(), Some("two"));
        assert_eq!(scalar_at(body, "/a/b/0/c").as_deref(), Some("1"));
        assert_eq!(scalar_at(body, "/a/b/1/d").as_deref(), Some("true"));
        assert_eq!(scalar_at(body, "/a/b/2/c"), None);
        assert_eq!(scalar_at(body, "/z"), None);
        assert_eq!(scalar_at(body, "/a"), None, "objects are not scalars");
        assert_eq!(scalar_at(br#"{"k\u0061y":"v"}"#, "/kay").as_deref(), Some("v"));
        assert_eq!(scalar_at(br#"{"a":"x\"y"}"#, "/a").as_deref(), Some("x\"y"));
    }

    #[test]
    fn a_duplicate_key_keeps_the_first_value() {
        assert_eq!(scalar_at(br#"{"t":"one","t":"two"}"#, "/t").as_deref(), Some("one"));
        assert_eq!(scalar_at(br#"{"t":null,"t":"two"}"#, "/t").as_deref(), Some("two"));
    }

    #[test]
    fn bodies_that_are_not_json_find_nothing() {
        for body in [
            &b""[..],
            b"type=x",
            b"[\"type\",\"x\"]",
            b"{\"typo\":\"x\"",
            b"\xff\xfe\x00",
        ] {
            assert_eq!(scalar_at(body, "/type"), None, "{body:?}");
        }
    }

    #[test]
    fn a_body_cut_off_after_the_field_still_answers() {
        assert_eq!(
            scalar_at(br#"{"type":"invoice.paid","data":{"obj"#, "/type").as_deref(),
            Some("invoice.paid")
        );
    }

    #[test]
    fn finds_the_first_key_with_a_suffix() {
        let body = br#"{"for_user_id":"1","tweet_create_events":[],"favorite_events":[]}"#;
        assert_eq!(
            first_key_ending_with(body, "_events").as_deref(),
            Some("tweet_create_events")
        );
        assert_eq!(first_key_ending_with(body, "").as_deref(), Some("for_user_id"));
        assert_eq!(first_key_ending_with(b"[1]", ""), None);
    }
}

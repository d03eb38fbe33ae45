//! A JSON Schema (draft 2020-12) inferred from many stored bodies of one event type, so that a
//! developer gets the payload's shape from every sample seen instead of hand-writing types
//! from one. The rules:
//!
//! - **type**: every JSON type seen at a place; one as `"type": "string"`, several as
//!   `"type": ["string", "null"]` (keywords for objects, arrays and strings apply only to values
//!   of their type, so one schema holds the union). `integer` is folded into `number` when both
//!   were seen.
//! - **required**: the keys present in every object seen at that place.
//! - **enum**: strings of at most [`InferOptions::enum_max_len`] chars, seen at least
//!   [`InferOptions::enum_min_samples`] times, with at most [`InferOptions::enum_max_values`]
//!   distinct values and each value seen twice on average (so ids never become enums); `null`
//!   joins the enum when it was seen there too, and no enum is given when other types were.
//! - **examples**: up to [`InferOptions::max_examples`] distinct scalar values (strings up to
//!   [`InferOptions::example_max_len`] chars).
//! - **arrays**: `items` is the merge of every element of every array seen at that place.
//! - **samples**: `x-samples` at the root says how many bodies it comes from, and `x-seen` on a
//!   property that is not required says in how many of its objects it was present.

mod node;

use serde::Serialize;
use serde_json::Value;

/// The draft the schema declares.
pub const DRAFT_2020_12: &str = "https://json-schema.org/draft/2020-12/schema";

/// Limits of the inference (see the module's rules).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InferOptions {
    pub enum_max_values: usize,
    pub enum_min_samples: usize,
    pub enum_max_len: usize,
    pub max_examples: usize,
    pub example_max_len: usize,
    /// Keys tracked per object place; keys first seen after this many are not described (an
    /// object keyed by ids would otherwise grow without bound). The schema stays valid for them:
    /// it never forbids additional properties.
    pub max_properties: usize,
}

impl Default for InferOptions {
    fn default() -> Self {
        InferOptions {
            enum_max_values: 8,
            enum_min_samples: 2,
            enum_max_len: 64,
            max_examples: 3,
            example_max_len: 200,
            max_properties: 256,
        }
    }
}

/// A schema and what it was inferred from.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct InferredSchema {
    /// How many bodies were JSON and went into the schema.
    pub samples: usize,
    /// How many bodies were not JSON and were left out.
    pub skipped: usize,
    /// The JSON Schema document.
    #[cfg_attr(feature = "ts", ts(type = "unknown"))]
    pub schema: Value,
}

/// Accumulates samples one at a time (bodies can be streamed from the store).
#[derive(Debug, Clone)]
pub struct SchemaBuilder {
    options: InferOptions,
    root: node::Node,
    samples: usize,
    skipped: usize,
}

impl SchemaBuilder {
    pub fn new(options: InferOptions) -> SchemaBuilder {
        SchemaBuilder {
            options,
            root: node::Node::default(),
            samples: 0,
            skipped: 0,
        }
    }

    /// Adds one parsed sample.
    pub fn add(&mut self, sample: &Value) {
        self.root.add(sample, &self.options);
        self.samples += 1;
    }

    /// Adds a body if it is JSON; returns false (and counts it as skipped) when it is not.
    pub fn add_body(&mut self, body: &[u8]) -> bool {
        match serde_json::from_slice::<Value>(body) {
            Ok(sample) => {
                self.add(&sample);
                true
            }
            Err(_) => {
                self.skipped += 1;
                false
            }
        }
    }

    /// The schema of everything added so far.
    pub fn finish(&self) -> InferredSchema {
        let mut schema = serde_json::Map::new();
        schema.insert("$schema".into(), DRAFT_2020_12.into());
        schema.insert(
            "description".into(),
            format!(
                "Inferred by Hookscope from {} sample{}",
                self.samples,
                if self.samples == 1 { "" } else { "s" }
            )
            .into(),
        );
        schema.insert("x-samples".into(), self.samples.into());
        if self.samples > 0 {
            if let Value::Object(body) = self.root.schema(&self.options) {
                schema.extend(body);
            }
        }
        InferredSchema {
            samples: self.samples,
            skipped: self.skipped,
            schema: Value::Object(schema),
        }
    }
}

/// Infers a schema from bodies; bodies that are not JSON are counted and left out.
pub fn infer<'a>(bodies: impl IntoIterator<Item = &'a [u8]>, options: InferOptions) -> InferredSchema {
    let mut builder = SchemaBuilder::new(options);
    for body in bodies {
        builder.add_body(body);
    }
    builder.finish()
}

//! What was seen at one place of the samples (the root, a property, array items), merged
//! sample by sample, and the schema it gives.

use std::collections::{BTreeMap, HashMap};

use serde_json::{Map, Value};

use super::InferOptions;

/// Counts per JSON type at one place, and what each type held.
#[derive(Debug, Clone, Default)]
pub struct Node {
    null: usize,
    boolean: usize,
    integer: usize,
    /// Numbers that are not integers.
    number: usize,
    string: usize,
    /// Distinct strings and how often each was seen, until there are too many for an enum.
    strings: BTreeMap<String, usize>,
    /// Set once `strings` overflowed (or held a long string): no enum here.
    no_enum: bool,
    examples: Vec<Value>,
    object: usize,
    /// Properties in order of first appearance.
    properties: Vec<(String, Node)>,
    property_index: HashMap<String, usize>,
    array: usize,
    /// Every element of every array seen here, merged.
    items: Option<Box<Node>>,
}

impl Node {
    /// How many values were seen here, of any type.
    fn seen(&self) -> usize {
        self.null + self.boolean + self.integer + self.number + self.string + self.object + self.array
    }

    pub fn add(&mut self, value: &Value, options: &InferOptions) {
        match value {
            Value::Null => self.null += 1,
            Value::Bool(_) => {
                self.boolean += 1;
                self.example(value, options);
            }
            Value::Number(number) => {
                if number.is_i64() || number.is_u64() {
                    self.integer += 1;
                } else {
                    self.number += 1;
                }
                self.example(value, options);
            }
            Value::String(text) => {
                self.string += 1;
                self.count_string(text, options);
                if text.chars().count() <= options.example_max_len {
                    self.example(value, options);
                }
            }
            Value::Object(map) => {
                self.object += 1;
                for (key, child) in map {
                    let index = match self.property_index.get(key) {
                        Some(&index) => index,
                        None if self.properties.len() < options.max_properties => {
                            self.properties.push((key.clone(), Node::default()));
                            self.property_index.insert(key.clone(), self.properties.len() - 1);
                            self.properties.len() - 1
                        }
                        None => continue,
                    };
                    self.properties[index].1.add(child, options);
                }
            }
            Value::Array(elements) => {
                self.array += 1;
                let items = self.items.get_or_insert_with(Box::default);
                for element in elements {
                    items.add(element, options);
                }
            }
        }
    }

    fn count_string(&mut self, text: &str, options: &InferOptions) {
        if self.no_enum {
            return;
        }
        if text.chars().count() > options.enum_max_len {
            self.no_enum = true;
            self.strings.clear();
            return;
        }
        *self.strings.entry(text.to_owned()).or_default() += 1;
        if self.strings.len() > options.enum_max_values {
            self.no_enum = true;
            self.strings.clear();
        }
    }

    fn example(&mut self, value: &Value, options: &InferOptions) {
        if self.examples.len() < options.max_examples && !self.examples.contains(value) {
            self.examples.push(value.clone());
        }
    }

    /// The schema of what was seen here.
    pub fn schema(&self, options: &InferOptions) -> Value {
        let mut schema = Map::new();
        let types = self.types();
        match types.as_slice() {
            [] => {}
            [one] => {
                schema.insert("type".into(), (*one).into());
            }
            many => {
                schema.insert("type".into(), many.iter().map(|t| Value::from(*t)).collect());
            }
        }
        if let Some(values) = self.enum_values(options) {
            schema.insert("enum".into(), values);
        }
        if self.object > 0 && !self.properties.is_empty() {
            let mut properties = Map::new();
            let mut required = Vec::new();
            for (key, child) in &self.properties {
                let mut property = child.schema(options);
                let present = child.seen();
                if present == self.object {
                    required.push(Value::from(key.clone()));
                } else if let Value::Object(map) = &mut property {
                    map.insert("x-seen".into(), present.into());
                }
                properties.insert(key.clone(), property);
            }
            schema.insert("properties".into(), Value::Object(properties));
            if !required.is_empty() {
                schema.insert("required".into(), Value::Array(required));
            }
        }
        if let Some(items) = self.items.as_ref().filter(|items| items.seen() > 0) {
            schema.insert("items".into(), items.schema(options));
        }
        if !self.examples.is_empty() && self.object == 0 && self.array == 0 {
            schema.insert("examples".into(), Value::Array(self.examples.clone()));
        }
        Value::Object(schema)
    }

    fn types(&self) -> Vec<&'static str> {
        let mut types = Vec::new();
        let counts = [
            ("object", self.object),
            ("array", self.array),
            ("string", self.string),
            ("integer", self.integer * usize::from(self.number == 0)),
            ("number", self.number),
            ("boolean", self.boolean),
            ("null", self.null),
        ];
        for (name, count) in counts {
            if count > 0 {
                types.push(name);
            }
        }
        types
    }

    /// The enum of this place, when its strings qualify (see the module's rule).
    fn enum_values(&self, options: &InferOptions) -> Option<Value> {
        let others = self.boolean + self.integer + self.number + self.object + self.array;
        let qualifies = !self.no_enum
            && others == 0
            && self.string >= options.enum_min_samples
            && !self.strings.is_empty()
            && self.strings.len() * 2 <= self.string;
        if !qualifies {
            return None;
        }
        let mut values: Vec<Value> = self.strings.keys().map(|s| Value::from(s.as_str())).collect();
        if self.null > 0 {
            values.push(Value::Null);
        }
        Some(Value::Array(values))
    }
}

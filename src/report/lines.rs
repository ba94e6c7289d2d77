//! A workload's bill line by line in `cost --format json`: one key per kind of line
//! (`input_cost`, …, `discount`), taken from the kernel's [`Kind::all`], so a new kind gets its
//! key, and its place in the schema, with no change here.

use super::value::Money;
use crate::cost::{Kind, Lines};
use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::ser::{Serialize, SerializeMap, Serializer};
use std::borrow::Cow;

/// Every line of a bill, flattened into the workload's object.
#[derive(Debug, Clone)]
pub struct LineAmounts(Vec<(&'static str, Money)>);

impl LineAmounts {
    /// The lines of a bill, in the kernel's order.
    pub fn of(lines: &Lines) -> LineAmounts {
        LineAmounts(
            lines
                .iter()
                .map(|(k, v)| (k.label().key, Money::of(v)))
                .collect(),
        )
    }
}

impl Serialize for LineAmounts {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (key, amount) in &self.0 {
            map.serialize_entry(key, amount)?;
        }
        map.end()
    }
}

impl JsonSchema for LineAmounts {
    fn schema_name() -> Cow<'static, str> {
        "LineAmounts".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let money = generator.subschema_for::<Money>();
        let mut properties = serde_json::Map::new();
        let mut required = Vec::new();
        for k in Kind::all() {
            let key = k.label().key;
            properties.insert(key.into(), money.clone().into());
            required.push(serde_json::Value::from(key));
        }
        let mut schema = Schema::default();
        schema.insert("type".into(), "object".into());
        schema.insert("properties".into(), properties.into());
        schema.insert("required".into(), required.into());
        schema
    }
}

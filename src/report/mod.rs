//! The JSON documents the commands print, as typed structs: one file per document or shared part.
//!
//! `--format json` is a contract with scripts. Each command builds its document from these
//! structs, so the shape is written down once, in types, and the JSON Schemas under `schemas/`
//! (`llmplan schema rank-output`, …; see [`crate::schema`]) are generated from the same types. A
//! document becomes the report's JSON through [`to_json`]; objects are written with their keys in
//! alphabetical order, as they always have been, whatever order the fields are declared in.
//!
//! The layer sits between ranking and the commands: it reads the results of the kernel and the
//! ranking and knows nothing of tables or files.

pub mod breakeven;
pub mod catalogue;
pub mod compare;
pub mod cost;
pub mod diff;
pub mod fit;
pub mod forecast;
pub mod fx;
pub mod import;
pub mod lines;
pub mod mix;
pub mod model;
pub mod rank;
pub mod selfhost;
pub mod sweep;
pub mod value;

use serde::Serialize;
use serde_json::Value;

/// A document as the report's JSON value. Serializing these types cannot fail (every map key is
/// a string), so a failure would be a bug; it gives `null` rather than a panic.
pub fn to_json<T: Serialize>(doc: &T) -> Value {
    serde_json::to_value(doc).unwrap_or(Value::Null)
}

/// Adds the fields of `part` (an object) to the object `obj`, as `#[serde(flatten)]` would: for
/// the parts a later stage adds to a document already built.
pub fn merge<T: Serialize>(obj: &mut Value, part: &T) {
    if let (Value::Object(map), Value::Object(add)) = (obj, to_json(part)) {
        map.extend(add);
    }
}

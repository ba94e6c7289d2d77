//! A committed JSON Schema compiled by an independent validator (boon), for the tests that check
//! files and outputs against `schemas/`.

use super::{llmplan, root};
use serde_json::Value;

/// One schema from `schemas/`, compiled.
pub struct Validator {
    schemas: boon::Schemas,
    index: boon::SchemaIndex,
}

impl Validator {
    /// Compiles `file`, a path from the repository root.
    pub fn new(file: &str) -> Validator {
        let schema: Value =
            serde_json::from_slice(&std::fs::read(root().join(file)).unwrap()).unwrap();
        let mut schemas = boon::Schemas::new();
        let mut compiler = boon::Compiler::new();
        let url = format!("file:///{file}");
        compiler.add_resource(&url, schema).unwrap();
        let index = compiler.compile(&url, &mut schemas).unwrap();
        Validator { schemas, index }
    }

    /// Every way `doc` breaks the schema, or nothing.
    pub fn check(&self, doc: &Value) -> Result<(), String> {
        self.schemas
            .validate(doc, self.index)
            .map_err(|e| format!("{e:#}"))
    }
}

/// Fails unless the committed `file` equals what `llmplan schema KIND` prints now; `changed` names
/// what a stale copy means (the file formats, the output types).
pub fn assert_current(kind: &str, file: &str, changed: &str) {
    let out = llmplan().args(["schema", kind]).output().expect("runs");
    assert!(out.status.success());
    let committed = std::fs::read(root().join(file)).unwrap_or_default();
    assert!(
        committed == out.stdout,
        "{file} is stale: {changed} changed. Regenerate it with\n  cargo run -- schema {kind} --output {file}\nand commit the result."
    );
}

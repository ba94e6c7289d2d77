//! The document `import --format json` prints: what was read, the profile files written and
//! every entry left out, with the reason.

use schemars::JsonSchema;
use serde::Serialize;

/// `import --format json`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ImportReport {
    /// The catalogue read: `LiteLLM` or `models.dev`.
    #[schemars(extend("enum" = ["LiteLLM", "models.dev"]))]
    pub format: &'static str,
    /// The file or folder read, as named in the report.
    pub source_file: String,
    /// The date that stands for every price's `as_of` (or where a model has none).
    pub as_of: String,
    /// The folder the profiles were written to.
    pub output_dir: String,
    /// Entries in the catalogue.
    pub entries: usize,
    /// Models imported.
    pub imported: usize,
    /// One profile file per provider.
    pub files: Vec<ImportFile>,
    /// Entries left out, by reason.
    pub skipped: Vec<ImportSkip>,
    /// Models imported with something left out or worth knowing, by note.
    pub notes: Vec<ImportNote>,
    /// Models that inherit benchmarks and languages from a built-in model.
    pub inherited: Vec<ImportInherited>,
    /// Imported ids that are also built-in models, which they replace when loaded.
    pub replaces: Vec<String>,
}

/// A profile file written.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ImportFile {
    /// Its path.
    pub file: String,
    /// The provider it holds.
    pub provider: String,
    /// The model ids in it.
    pub models: Vec<String>,
}

/// Entries left out for one reason.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ImportSkip {
    /// The reason.
    pub reason: String,
    /// How many.
    pub count: usize,
    /// Their keys in the catalogue.
    pub keys: Vec<String>,
}

/// Models imported with one note.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ImportNote {
    /// The note.
    pub note: &'static str,
    /// How many.
    pub count: usize,
    /// Their ids.
    pub models: Vec<String>,
}

/// A model that inherits from a built-in model.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ImportInherited {
    /// Its id.
    pub model: String,
    /// The built-in model it inherits from.
    pub from: String,
    /// The rule that matched them.
    pub rule: &'static str,
    /// How many benchmark scores it inherits.
    pub scores: usize,
}

//! JSON Schemas of the file formats, generated from the very types that parse the files.
//!
//! Editors (VS Code with Even Better TOML, anything that runs Taplo) use them to validate and
//! complete scenarios and profiles as they are typed. Because they are derived from
//! `scenario::raw` and `catalogue::raw`, a new field cannot be forgotten; the copies committed
//! under `schemas/` are checked against this output by a test.

use crate::catalogue::raw::{RawProfile, RawRegistry};
use crate::scenario::raw::RawScenario;
use schemars::generate::SchemaSettings;
use schemars::transform::RecursiveTransform;
use schemars::{JsonSchema, Schema};
use serde_json::Value;

/// The file formats that have a schema, and the JSON documents the commands print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SchemaKind {
    /// A scenario: workloads, requirements, fit weights and pricing adjustments.
    Scenario,
    /// A vendor profile: the vendor and its models, prices and benchmarks.
    Profile,
    /// The benchmark registry (`benchmarks.toml`): each benchmark's scale and chance level.
    Registry,
    /// What `rank --format json` prints.
    RankOutput,
    /// What `cost --format json` prints.
    CostOutput,
    /// What `mix --format json` prints.
    MixOutput,
    /// What `compare --format json` prints.
    CompareOutput,
    /// What `diff --format json` prints.
    DiffOutput,
    /// What `breakeven --format json` prints.
    BreakevenOutput,
    /// What `throughput --format json` prints.
    ThroughputOutput,
    /// What `benchmarks --format json` prints.
    BenchmarksOutput,
    /// What `check --format json` prints when every file passes.
    CheckOutput,
    /// What `import --format json` prints.
    ImportOutput,
    /// What `models --format json` prints.
    ModelsOutput,
    /// What `show --format json` prints.
    ShowOutput,
    /// One line of what `sweep --format jsonl` prints.
    SweepOutput,
}

impl SchemaKind {
    /// The file the committed copy lives in, under `schemas/`.
    pub fn file_name(self) -> &'static str {
        match self {
            SchemaKind::Scenario => "scenario.schema.json",
            SchemaKind::Profile => "profile.schema.json",
            SchemaKind::Registry => "registry.schema.json",
            SchemaKind::RankOutput => "rank.output.schema.json",
            SchemaKind::CostOutput => "cost.output.schema.json",
            SchemaKind::MixOutput => "mix.output.schema.json",
            SchemaKind::CompareOutput => "compare.output.schema.json",
            SchemaKind::DiffOutput => "diff.output.schema.json",
            SchemaKind::BreakevenOutput => "breakeven.output.schema.json",
            SchemaKind::ThroughputOutput => "throughput.output.schema.json",
            SchemaKind::BenchmarksOutput => "benchmarks.output.schema.json",
            SchemaKind::CheckOutput => "check.output.schema.json",
            SchemaKind::ImportOutput => "import.output.schema.json",
            SchemaKind::ModelsOutput => "models.output.schema.json",
            SchemaKind::ShowOutput => "show.output.schema.json",
            SchemaKind::SweepOutput => "sweep.output.schema.json",
        }
    }
}

/// The pretty-printed JSON Schema of a file format, with a trailing newline.
pub fn json_schema(kind: SchemaKind) -> String {
    match kind {
        SchemaKind::Scenario => generate::<RawScenario>(
            "llmplan scenario",
            "A workload to buy an LLM for: `llmplan rank FILE` ranks every model against it.",
        ),
        SchemaKind::Profile => generate::<RawProfile>(
            "llmplan vendor profile",
            "One vendor and its models: load a folder of these with `llmplan --profiles DIR`.",
        ),
        SchemaKind::Registry => generate::<RawRegistry>(
            "llmplan benchmark registry",
            "Every benchmark id a profile may report: its scale, direction and chance level (benchmarks.toml).",
        ),
        SchemaKind::RankOutput => output::<crate::report::rank::RankReport>(
            "llmplan rank output",
            "What `llmplan rank --format json` prints: the ranked candidates, the excluded models and the settings used.",
        ),
        SchemaKind::CostOutput => output::<crate::report::cost::CostReport>(
            "llmplan cost output",
            "What `llmplan cost --format json` prints: one model's bill per workload and line, and the horizon.",
        ),
        SchemaKind::MixOutput => output::<crate::report::mix::MixReport>(
            "llmplan mix output",
            "What `llmplan mix --format json` prints: the cheapest plan reaching the target fit, the best route and cascade, and every candidate.",
        ),
        SchemaKind::CompareOutput => output::<crate::report::compare::CompareReport>(
            "llmplan compare output",
            "What `llmplan compare --format json` prints: each vendor's or family's best model, its tier ladder and the cost of each step up.",
        ),
        SchemaKind::DiffOutput => output::<crate::report::diff::DiffReport>(
            "llmplan diff output",
            "What `llmplan diff --format json` prints: each model's cost under both scenarios, the chosen model's change per workload and the CI gate's verdict.",
        ),
        SchemaKind::BreakevenOutput => output::<crate::report::breakeven::BreakevenReport>(
            "llmplan breakeven output",
            "What `llmplan breakeven --format json` prints: self-hosted and API cost per 1M tokens, the volume where they cross, and every configuration tried.",
        ),
        SchemaKind::ThroughputOutput => output::<crate::report::catalogue::ThroughputReport>(
            "llmplan throughput output",
            "What `llmplan throughput --format json` prints: one replica's estimated memory, speed and latency for a static batch.",
        ),
        SchemaKind::BenchmarksOutput => output::<crate::report::catalogue::BenchmarksReport>(
            "llmplan benchmarks output",
            "What `llmplan benchmarks --format json` prints: every benchmark of the registry and the models that report it.",
        ),
        SchemaKind::CheckOutput => output::<crate::report::catalogue::CheckReport>(
            "llmplan check output",
            "What `llmplan check --format json` prints when every file passes.",
        ),
        SchemaKind::ImportOutput => output::<crate::report::import::ImportReport>(
            "llmplan import output",
            "What `llmplan import --format json` prints: the catalogue read, the profile files written and every entry left out.",
        ),
        SchemaKind::ModelsOutput => output::<crate::report::model::ModelsReport>(
            "llmplan models output",
            "What `llmplan models --format json` prints: every model listed, with its prices, benchmarks and sources.",
        ),
        SchemaKind::ShowOutput => output::<crate::report::model::ShowReport<'static>>(
            "llmplan show output",
            "What `llmplan show --format json` prints: every fact of one model and the scores `rank` would estimate for it.",
        ),
        SchemaKind::SweepOutput => output::<crate::report::sweep::SweepRow>(
            "llmplan sweep output",
            "One line of what `llmplan sweep --format jsonl` prints (JSON Lines; `--format json` prints the same lines): one key per varied path (as given to `--vary`) with its value at the point, then the winner, its cost and fit, the runner-up, and the horizon and mix fields when the sweep has them.",
        ),
    }
}

/// The schema of a JSON document a command prints. Unlike the file formats, an output may print
/// `null`, so the null alternatives stay; a field is required unless it is sometimes left out.
fn output<T: JsonSchema>(title: &str, description: &str) -> String {
    let settings = SchemaSettings::draft07().for_serialize();
    let mut schema = settings.into_generator().into_root_schema_for::<T>();
    finish(&mut schema, title, description)
}

// Draft 7 rather than 2020-12: it is the newest draft that Taplo, and so Even Better TOML, reads.
fn generate<T: JsonSchema>(title: &str, description: &str) -> String {
    let mut settings = SchemaSettings::draft07();
    // First, so that the draft-7 clean-ups see the simplified schemas.
    settings
        .transforms
        .insert(0, Box::new(RecursiveTransform(drop_null)));
    let mut schema = settings.into_generator().into_root_schema_for::<T>();
    finish(&mut schema, title, description)
}

fn finish(schema: &mut Schema, title: &str, description: &str) -> String {
    schema.insert("title".into(), title.into());
    schema.insert("description".into(), description.into());
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

/// TOML has no null: an optional key is simply left out. schemars describes `Option<T>` as
/// "T or null", which would only clutter editor hints, so the null alternative is removed.
fn drop_null(schema: &mut Schema) {
    let Some(obj) = schema.as_object_mut() else {
        return;
    };
    if let Some(Value::Array(types)) = obj.get_mut("type") {
        types.retain(|t| t != "null");
        if types.len() == 1 {
            let only = types.remove(0);
            obj.insert("type".into(), only);
        }
    }
    let is_null = |v: &Value| {
        v.get("type").is_some_and(|t| t == "null") && v.as_object().is_some_and(|o| o.len() == 1)
    };
    if let Some(Value::Array(alts)) = obj.get("anyOf") {
        if alts.len() == 2 && alts.iter().any(is_null) {
            let Some(Value::Object(kept)) = alts.iter().find(|a| !is_null(a)).cloned() else {
                return;
            };
            obj.remove("anyOf");
            obj.extend(kept);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema(kind: SchemaKind) -> serde_json::Value {
        serde_json::from_str(&json_schema(kind)).expect("valid JSON")
    }

    #[test]
    fn scenario_schema_follows_the_parser() {
        let s = schema(SchemaKind::Scenario);
        assert_eq!(s["$schema"], "http://json-schema.org/draft-07/schema#");
        // deny_unknown_fields becomes additionalProperties = false, so typos are flagged.
        assert_eq!(s["additionalProperties"], false);
        let workload = &s["definitions"]["RawWorkload"];
        assert!(workload["properties"]["requests_per_day"].is_object());
        assert_eq!(workload["additionalProperties"], false);
        // Option fields are not required: a scenario may leave them out.
        assert!(s
            .get("required")
            .is_none_or(|r| r.as_array().is_some_and(|a| a.is_empty())));
        // TOML has no null, so no optional key offers it.
        assert!(!json_schema(SchemaKind::Scenario).contains("\"null\""));
        // Draft 7 ignores siblings of $ref, so the description keeps the reference in allOf.
        assert_eq!(
            s["properties"]["days_per_month"]["allOf"][0]["$ref"],
            "#/definitions/Num"
        );
        assert_eq!(s["properties"]["currency"]["type"], "string");
        let objective = serde_json::to_string(&s["definitions"]["Objective"]).unwrap();
        for v in ["cheapest", "best_fit", "balanced"] {
            assert!(objective.contains(v), "{v} missing from {objective}");
        }
    }

    #[test]
    fn profile_schema_requires_what_the_parser_requires() {
        let s = schema(SchemaKind::Profile);
        assert_eq!(s["required"], serde_json::json!(["vendor"]));
        let model = &s["definitions"]["RawModel"];
        let required: Vec<&str> = model["required"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert_eq!(required, ["id", "name", "status"]);
        let capability = serde_json::to_string(&s["definitions"]["Capability"]).unwrap();
        assert!(capability.contains("function_calling"));
    }
}

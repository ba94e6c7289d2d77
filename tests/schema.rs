//! The JSON Schemas in `schemas/`: current, accepted by every shipped file, and strict enough to
//! catch what the parser refuses. Validation uses an independent validator (boon), so a schema
//! that editors would misread fails here too.

mod common;
use common::root;
use common::schema::{assert_current, Validator};
use serde_json::Value;
use std::path::Path;

const KINDS: [(&str, &str); 3] = [
    ("scenario", "schemas/scenario.schema.json"),
    ("profile", "schemas/profile.schema.json"),
    ("registry", "schemas/registry.schema.json"),
];

#[test]
fn committed_schemas_are_current() {
    for (kind, file) in KINDS {
        assert_current(kind, file, "the file formats");
    }
}

fn toml_as_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap();
    let doc: toml::Table =
        toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::to_value(doc).unwrap()
}

fn files(dir: &str) -> Vec<std::path::PathBuf> {
    let mut v: Vec<_> = std::fs::read_dir(root().join(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    v.sort();
    v
}

#[test]
fn every_shipped_scenario_and_profile_passes_its_schema() {
    let scenario = Validator::new(KINDS[0].1);
    let profile = Validator::new(KINDS[1].1);
    let mut scenarios = files("scenarios");
    scenarios.extend(files("presets"));
    assert!(
        scenarios.len() >= 6,
        "the example scenarios and the init presets"
    );
    for p in &scenarios {
        scenario
            .check(&toml_as_json(p))
            .unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    }
    let mut vendors = 0;
    for p in files("profiles") {
        let name = p.file_name().unwrap().to_str().unwrap();
        if [
            "benchmarks.toml",
            "fx.toml",
            "hardware.toml",
            "tokenizers.toml",
        ]
        .contains(&name)
        {
            continue;
        }
        profile
            .check(&toml_as_json(&p))
            .unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        vendors += 1;
    }
    assert!(vendors >= 10, "only {vendors} vendor profiles checked");
    Validator::new(KINDS[2].1)
        .check(&toml_as_json(&root().join("profiles/benchmarks.toml")))
        .unwrap_or_else(|e| panic!("profiles/benchmarks.toml: {e}"));
}

#[test]
fn schemas_flag_what_the_parser_refuses() {
    let scenario = Validator::new(KINDS[0].1);
    let good = toml_as_json(&root().join("scenarios/support-chatbot.toml"));
    assert!(scenario.check(&good).is_ok());
    let mut typo = good.clone();
    let w = typo["workload"][0].as_object_mut().unwrap();
    let v = w.remove("requests_per_day").unwrap();
    w.insert("request_per_day".into(), v);
    assert!(
        scenario.check(&typo).is_err(),
        "a misspelt key must be flagged"
    );
    let mut words = good.clone();
    words["workload"][0]["input_tokens"] = "lots".into();
    assert!(
        scenario.check(&words).is_err(),
        "a number field must not take words"
    );
    let mut quoted = good.clone();
    quoted["workload"][0]["input_tokens"] = "1_800".into();
    assert!(
        scenario.check(&quoted).is_ok(),
        "a quoted decimal is a number to the parser"
    );
    let mut objective = good;
    objective["rank"]["objective"] = "fastest".into();
    assert!(
        scenario.check(&objective).is_err(),
        "objective is a closed list"
    );
}

#[test]
fn example_scenarios_name_their_schema_for_editors() {
    for p in files("scenarios") {
        let text = std::fs::read_to_string(&p).unwrap();
        assert_eq!(
            text.lines().next(),
            Some("#:schema ../schemas/scenario.schema.json"),
            "{}: first line should be the Taplo schema directive",
            p.display()
        );
    }
    let taplo = std::fs::read_to_string(root().join(".taplo.toml")).unwrap();
    assert!(
        taplo.contains("./schemas/scenario.schema.json")
            && taplo.contains("./schemas/profile.schema.json")
    );
}

//! `excluded[]` rows carry `reason_codes` parallel to `reasons`, from the documented closed set.

mod common;

use llmplan::reason::ReasonCode;
use serde_json::Value;

const SCENARIO: &str = "tests/fixtures/reason-codes.toml";

fn excluded(j: &Value) -> Vec<(String, Vec<String>, Vec<String>)> {
    j["excluded"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let strings = |k: &str| {
                e[k].as_array()
                    .unwrap()
                    .iter()
                    .map(|s| s.as_str().unwrap().to_string())
                    .collect::<Vec<_>>()
            };
            (
                e["model"].as_str().unwrap().to_string(),
                strings("reasons"),
                strings("reason_codes"),
            )
        })
        .collect()
}

fn codes_of<'a>(rows: &'a [(String, Vec<String>, Vec<String>)], model: &str) -> &'a [String] {
    &rows.iter().find(|r| r.0 == model).expect(model).2
}

#[test]
fn every_reason_has_a_code_from_the_closed_set_in_the_same_position() {
    let j = common::json(&["rank", SCENARIO]);
    let rows = excluded(&j);
    let set: Vec<&str> = ReasonCode::ALL.iter().map(|c| c.as_str()).collect();
    for (model, reasons, codes) in &rows {
        assert_eq!(reasons.len(), codes.len(), "{model}");
        for c in codes {
            assert!(set.contains(&c.as_str()), "{model}: {c}");
        }
    }
    // Each kind of requirement, decided where it is checked, with its sentence beside it.
    let pairs = |model: &str| {
        let r = rows.iter().find(|r| r.0 == model).expect(model);
        r.2.iter()
            .cloned()
            .zip(r.1.iter().cloned())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        pairs("openai/gpt-3.5-turbo"),
        [(
            "model_filter".to_string(),
            "listed in requirements.exclude_models".to_string()
        )]
    );
    assert_eq!(
        codes_of(&rows, "zhipu/glm-4"),
        ["vendor_filter", "over_budget"]
    );
    assert_eq!(codes_of(&rows, "openai/gpt-4-turbo"), ["over_budget"]);
    assert_eq!(
        codes_of(&rows, "openai/gpt-4"),
        ["context_window", "over_budget"]
    );
    assert_eq!(
        codes_of(&rows, "mistral/mixtral-8x7b"),
        ["capability", "open_weights"]
    );
    assert_eq!(
        codes_of(&rows, "meta/llama-2-70b"),
        [
            "context_window",
            "capability",
            "open_weights",
            "min_score",
            "unpriced"
        ]
    );
    assert_eq!(
        codes_of(&rows, "openai/dall-e-3"),
        [
            "context_window",
            "output_modality",
            "capability",
            "min_score",
            "unpriced"
        ]
    );
    assert!(codes_of(&rows, "meta/llama-3").contains(&"status".to_string()));
    assert!(codes_of(&rows, "meta/llama-3").contains(&"language".to_string()));
    assert!(codes_of(&rows, "stability/svd").contains(&"input_modality".to_string()));
}

#[test]
fn the_readme_lists_every_code() {
    let readme = std::fs::read_to_string(common::root().join("README.md")).unwrap();
    for c in ReasonCode::ALL {
        assert!(readme.contains(&format!("| `{c}` |")), "README lacks `{c}`");
    }
}

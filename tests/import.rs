//! `llmplan import litellm`: the fixtures (trimmed LiteLLM files, see
//! tests/fixtures/litellm/README.md) are imported by the real binary, loaded back with
//! `--profiles`, and the planner's prices are checked against LiteLLM's own per-token numbers.

mod common;
use common::{dec, json, llmplan, root};
use llmplan::catalogue::{Catalogue, LoadOptions};
use llmplan::cost::model_cost;
use llmplan::scenario::Scenario;
use predicates::str::contains;
use rust_decimal::Decimal;
use serde_json::value::RawValue;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;

const OLD: &str = "tests/fixtures/litellm/litellm-1.53.1-trimmed.json";
const NEW: &str = "tests/fixtures/litellm/litellm-1.110.2-trimmed.json";

fn import(fixture: &str, as_of: &str, dir: &Path) -> serde_json::Value {
    json(&[
        "import",
        "litellm",
        fixture,
        "--as-of",
        as_of,
        "--output",
        dir.to_str().unwrap(),
    ])
}

/// The fixture's entries with their numbers as written, parsed here without the importer.
fn entries(fixture: &str) -> HashMap<String, HashMap<String, Box<RawValue>>> {
    serde_json::from_str(&std::fs::read_to_string(root().join(fixture)).unwrap()).unwrap()
}

fn number(entry: &HashMap<String, Box<RawValue>>, field: &str) -> Decimal {
    let text = entry[field].get();
    Decimal::from_str(text)
        .or_else(|_| Decimal::from_scientific(text))
        .unwrap_or_else(|e| panic!("{field} = {text}: {e}"))
}

/// One request a month of `input` and `output` tokens, over a one-month horizon.
fn scenario(dir: &Path, input: u64, output: u64) -> PathBuf {
    let path = dir.join(format!("one-request-{input}.toml"));
    let text = format!(
        "name = \"one request\"\nhorizon_months = 1\n[[workload]]\nname = \"r\"\nrequests_per_month = 1\ninput_tokens = {input}\noutput_tokens = {output}\n"
    );
    std::fs::write(&path, text).unwrap();
    path
}

/// (fixture, LiteLLM key, id the importer must give it)
const CHECKED: &[(&str, &str, &str)] = &[
    (OLD, "gpt-4", "openai/gpt-4"),
    (OLD, "gpt-4o", "openai/gpt-4o"),
    (OLD, "gpt-4o-mini", "openai/gpt-4o-mini"),
    (
        OLD,
        "claude-3-haiku-20240307",
        "anthropic/claude-3-haiku-20240307",
    ),
    (OLD, "claude-instant-1.2", "anthropic/claude-instant-1.2"),
    (OLD, "gemini/gemini-1.5-pro", "gemini/gemini-1.5-pro"),
    (
        OLD,
        "gemini/gemini-1.5-pro-latest",
        "gemini/gemini-1.5-pro-latest",
    ),
    (
        OLD,
        "mistral/mistral-large-latest",
        "mistral/mistral-large-latest",
    ),
    (OLD, "groq/llama3-70b-8192", "groq/llama3-70b-8192"),
    (
        OLD,
        "bedrock/us-east-1/anthropic.claude-v2",
        "bedrock/us-east-1/anthropic.claude-v2",
    ),
    (
        OLD,
        "openrouter/anthropic/claude-2",
        "openrouter/anthropic/claude-2",
    ),
    (
        OLD,
        "vertex_ai/claude-3-haiku@20240307",
        "vertex_ai-anthropic_models/vertex_ai/claude-3-haiku@20240307",
    ),
    (OLD, "deepseek-chat", "deepseek/deepseek-chat"),
    (NEW, "claude-sonnet-4-5", "anthropic/claude-sonnet-4-5"),
    (NEW, "gemini/gemini-2.5-pro", "gemini/gemini-2.5-pro"),
    (NEW, "dashscope/qwen-flash", "dashscope/qwen-flash"),
    (NEW, "gpt-5", "openai/gpt-5"),
];

#[test]
fn planner_costs_equal_litellm_per_token_arithmetic_to_the_last_digit() {
    let tmp = tempfile::tempdir().unwrap();
    let (old_dir, new_dir) = (tmp.path().join("old"), tmp.path().join("new"));
    import(OLD, "2024-12-01", &old_dir);
    import(NEW, "2026-11-20", &new_dir);
    let one = scenario(tmp.path(), 1000, 500);
    // Hand-checked: gpt-4 is 1,000 × 0.00003 + 500 × 0.00006 = 0.03 + 0.03 = $0.06;
    // claude-instant-1.2 is 1,000 × 1.63e-07 + 500 × 5.51e-07 = 0.000163 + 0.0002755 = $0.0004385.
    let hand: HashMap<&str, &str> = [
        ("openai/gpt-4", "0.06"),
        ("anthropic/claude-instant-1.2", "0.0004385"),
    ]
    .into();
    let (old, new) = (entries(OLD), entries(NEW));
    for (dir, fixture) in [(&old_dir, OLD), (&new_dir, NEW)] {
        let cat = Catalogue::load(&LoadOptions {
            profile_dirs: vec![dir.clone()],
            no_default_profiles: true,
        })
        .unwrap();
        let s = Scenario::from_path(&one, &cat).unwrap();
        let fx = s.fx(&cat);
        for (_, key, id) in CHECKED.iter().filter(|c| c.0 == fixture) {
            let entry = if fixture == OLD {
                &old[*key]
            } else {
                &new[*key]
            };
            // tiered_pricing keeps its base prices in the range that starts at 0.
            let (input, output) = match entry.get("input_cost_per_token") {
                Some(_) => (
                    number(entry, "input_cost_per_token"),
                    number(entry, "output_cost_per_token"),
                ),
                None => {
                    let tiers: Vec<HashMap<String, Box<RawValue>>> =
                        serde_json::from_str(entry["tiered_pricing"].get()).unwrap();
                    (
                        number(&tiers[0], "input_cost_per_token"),
                        number(&tiers[0], "output_cost_per_token"),
                    )
                }
            };
            let expected = Decimal::from(1000) * input + Decimal::from(500) * output;
            let model = cat
                .model(id)
                .unwrap_or_else(|| panic!("{key} was not imported as {id}"));
            let cost = model_cost(&s, model, &fx).unwrap().unwrap();
            assert_eq!(
                cost.monthly_cost, expected,
                "{id}: planner {} vs LiteLLM {expected}",
                cost.monthly_cost
            );
            if let Some(h) = hand.get(id) {
                assert_eq!(
                    expected,
                    Decimal::from_str(h).unwrap(),
                    "hand-computed {id}"
                );
            }
            // The same number through the binary, as JSON rounds money (half to even, 6 places).
            let out = json(&[
                "--profiles",
                dir.to_str().unwrap(),
                "--no-default-profiles",
                "cost",
                one.to_str().unwrap(),
                "--model",
                id,
            ]);
            let shown = expected
                .round_dp_with_strategy(6, rust_decimal::RoundingStrategy::MidpointNearestEven)
                .normalize();
            assert_eq!(
                dec(&out["monthly_cost"]),
                shown,
                "{id} through `llmplan cost`"
            );
        }
    }
}

#[test]
fn long_prompts_are_billed_at_the_litellm_tier() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("p");
    import(OLD, "2024-12-01", &dir);
    let long = scenario(tmp.path(), 200_000, 500);
    let out = json(&[
        "--profiles",
        dir.to_str().unwrap(),
        "--no-default-profiles",
        "cost",
        long.to_str().unwrap(),
        "--model",
        "gemini/gemini-1.5-pro",
    ]);
    // Above 128k input tokens the whole request is billed at the tier:
    // 200,000 × 7e-06 + 500 × 2.1e-05 = 1.4 + 0.0105 = $1.4105.
    assert_eq!(
        dec(&out["monthly_cost"]),
        Decimal::from_str("1.4105").unwrap()
    );
    assert_eq!(out["workloads"][0]["tier_above_input_tokens"], 128000);
}

#[test]
fn skipped_entries_are_counted_by_reason() {
    let tmp = tempfile::tempdir().unwrap();
    let report = import(NEW, "2026-11-20", tmp.path());
    // gpt-image-1 (image generation) and o1-pro (`responses`) are imported: 9 + 2.
    assert_eq!(
        (report["entries"].as_u64(), report["imported"].as_u64()),
        (Some(15), Some(11))
    );
    let skipped: HashMap<String, Vec<String>> = report["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["reason"].as_str().unwrap().to_string(),
                s["keys"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|k| k.as_str().unwrap().to_string())
                    .collect(),
            )
        })
        .collect();
    let expect = |reason: &str, keys: &[&str]| {
        assert_eq!(
            skipped.get(reason).map(Vec::as_slice),
            Some(&keys.iter().map(|k| k.to_string()).collect::<Vec<_>>()[..]),
            "{reason}"
        )
    };
    expect("a string where a number belongs", &["sample_spec"]);
    expect(
        "alias_of another entry, without prices of its own",
        &["bedrock/claude-fable-latest"],
    );
    expect("no mode", &["fireworks-ai-4.1b-to-16b"]);
    expect("same id as an earlier entry", &["deepseek/deepseek-chat"]);
    assert_eq!(skipped.len(), 4);

    let old = import(OLD, "2024-12-01", &tmp.path().join("old"));
    let count = |reason: &str| {
        old["skipped"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["reason"] == reason)
            .map(|s| s["count"].as_u64().unwrap())
    };
    assert_eq!(
        count("a text model with no per-token price"),
        Some(2),
        "medlm-medium (per character), a Bedrock commitment"
    );
    assert_eq!(count("no mode"), Some(1));
    // Completion, embedding, image, speech and transcription entries are imported now: 24 + 5.
    assert_eq!(old["imported"].as_u64(), Some(29));
}

#[test]
fn batch_cache_limits_and_deprecation_are_mapped_or_noted() {
    let tmp = tempfile::tempdir().unwrap();
    let report = import(NEW, "2026-11-20", tmp.path());
    let show = |id: &str| {
        json(&[
            "--profiles",
            tmp.path().to_str().unwrap(),
            "--no-default-profiles",
            "show",
            id,
        ])
    };
    let gpt4o = show("openai/gpt-4o");
    // gpt-4o batches at 1.25e-06 and 5e-06 against 2.5e-06 and 1e-05: half price both ways.
    assert_eq!(gpt4o["price"]["batch_discount"], "0.5");
    assert_eq!(gpt4o["price"]["cached_input"], "1.25");
    assert_eq!(gpt4o["context_window"], 128000);
    assert!(gpt4o["capabilities"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c == "batch_api"));
    let ft = show("openai/ft:gpt-4o-2024-08-06");
    assert!(ft["price"]["batch_discount"].is_null());
    assert!(ft["price_note"]
        .as_str()
        .unwrap()
        .contains("batch prices are not one fraction"));
    // gpt-4's deprecation date, 2026-10-23, is before the file's date.
    assert_eq!(show("openai/gpt-4")["status"], "retired");
    assert_eq!(show("openai/gpt-5")["status"], "ga");
    let gemini = show("gemini/gemini-2.5-pro");
    assert_eq!(gemini["price"]["tiers"][0]["above_input_tokens"], 200000);
    assert_eq!(gemini["price"]["tiers"][0]["input"], "2.5");
    assert_eq!(gemini["price"]["tiers"][0]["cached_input"], "0.25");
    assert!(gemini["input_modalities"]
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m == "image"));
    let notes: Vec<&str> = report["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["note"].as_str().unwrap())
        .collect();
    assert!(
        notes
            .iter()
            .any(|n| n.contains("only input or only output")),
        "{notes:?}"
    );
}

#[test]
fn every_price_records_its_provenance() {
    let tmp = tempfile::tempdir().unwrap();
    import(OLD, "2024-12-01", tmp.path());
    let models = json(&[
        "--profiles",
        tmp.path().to_str().unwrap(),
        "--no-default-profiles",
        "models",
    ]);
    let models = models.as_array().unwrap();
    assert_eq!(models.len(), 29);
    for m in models {
        let price = &m["price"];
        if price.is_null() {
            // Unpriced: ollama's $0, tts-1 and whisper-1 priced per character and per second.
            assert!(
                m["price_note"]
                    .as_str()
                    .unwrap()
                    .starts_with("Imported from LiteLLM: "),
                "{m}"
            );
            continue;
        }
        assert_eq!(price["as_of"], "2024-12-01", "{}", m["id"]);
        let source = price["source"].as_str().unwrap();
        assert!(
            source.contains("litellm-1.53.1-trimmed.json") && source.contains("2024-12-01"),
            "{source}"
        );
        assert!(
            source.contains(&format!("entry `{}`", m["name"].as_str().unwrap())),
            "{source}"
        );
    }
    // Probable typos are imported as published, never corrected.
    let typo = models
        .iter()
        .find(|m| m["id"] == "gemini/gemini-1.5-pro-latest")
        .unwrap();
    assert_eq!(typo["price"]["output"], "1.05");
    // The folder passes `check` like any hand-written profile.
    let mut files: Vec<PathBuf> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    llmplan().arg("check").args(&files).assert().success();
}

#[test]
fn the_written_profile_is_stable() {
    let tmp = tempfile::tempdir().unwrap();
    import(OLD, "2024-12-01", tmp.path());
    let first = std::fs::read_to_string(tmp.path().join("anthropic.toml")).unwrap();
    import(OLD, "2024-12-01", tmp.path());
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("anthropic.toml")).unwrap(),
        first,
        "re-importing gives the same bytes"
    );
    insta::assert_snapshot!("anthropic_profile_from_litellm_1_53_1", first);
}

#[test]
fn bad_invocations_write_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("out");
    let d = dir.to_str().unwrap();
    llmplan()
        .args(["import", "litellm", OLD])
        .assert()
        .code(2)
        .stderr(contains("--output DIR"));
    llmplan()
        .args([
            "import", "litellm", OLD, "--as-of", "Dec 2024", "--output", d,
        ])
        .assert()
        .code(2)
        .stderr(contains("YYYY-MM-DD"));
    let broken = tmp.path().join("broken.json");
    std::fs::write(
        &broken,
        "{\n  \"gpt-4\": {\n    \"input_cost_per_token\": 3e-05,,\n  }\n}\n",
    )
    .unwrap();
    llmplan()
        .args([
            "import",
            "litellm",
            broken.to_str().unwrap(),
            "--as-of",
            "2024-12-01",
            "--output",
            d,
        ])
        .assert()
        .code(2)
        .stderr(contains("broken.json:3:"));
    let empty = tmp.path().join("search.json");
    std::fs::write(
        &empty,
        r#"{"s": {"input_cost_per_query": 0.005, "litellm_provider": "exa_ai", "mode": "search"}}"#,
    )
    .unwrap();
    llmplan()
        .args([
            "import",
            "litellm",
            empty.to_str().unwrap(),
            "--as-of",
            "2024-12-01",
            "--output",
            d,
        ])
        .assert()
        .code(2)
        .stderr(contains("mode `search`"));
    assert!(!dir.exists(), "a failed import must not create the folder");
}

#[test]
fn as_of_defaults_to_today_never_to_the_file_date() {
    let tmp = tempfile::tempdir().unwrap();
    let copy = tmp.path().join("prices.json");
    std::fs::copy(root().join(NEW), &copy).unwrap();
    // A file last modified on 2001-01-01: its date must not become the prices' date.
    let old = std::time::UNIX_EPOCH + std::time::Duration::from_secs(978_307_200);
    std::fs::File::options()
        .write(true)
        .open(&copy)
        .unwrap()
        .set_modified(old)
        .unwrap();
    let report = json(&[
        "import",
        "litellm",
        copy.to_str().unwrap(),
        "--output",
        tmp.path().join("p").to_str().unwrap(),
    ]);
    // Today's UTC date (the day arithmetic is unit-tested in cmd::import), not 2001-01-01.
    let as_of = report["as_of"].as_str().unwrap();
    assert!(
        as_of.len() == 10 && as_of.as_bytes()[4] == b'-' && as_of >= "2025-01-01",
        "{as_of}"
    );
    // gpt-4's deprecation date is 2026-10-23: the status follows the date given, never the file.
    let status = |as_of: &str| {
        let dir = tmp.path().join(format!("d{as_of}"));
        import(NEW, as_of, &dir);
        json(&[
            "--profiles",
            dir.to_str().unwrap(),
            "--no-default-profiles",
            "show",
            "openai/gpt-4",
        ])["status"]
            .clone()
    };
    assert_eq!(status("2026-10-22"), "ga");
    assert_eq!(status("2026-10-23"), "retired");
}

#[test]
fn zero_prices_are_unpriced_unless_kept() {
    let tmp = tempfile::tempdir().unwrap();
    import(OLD, "2024-12-01", tmp.path());
    let show = |dir: &Path| {
        json(&[
            "--profiles",
            dir.to_str().unwrap(),
            "--no-default-profiles",
            "show",
            "ollama/llama3",
        ])
    };
    let free = show(tmp.path());
    assert!(free["price"].is_null());
    assert!(free["price_note"]
        .as_str()
        .unwrap()
        .contains("every price is $0 in the source"));
    let kept = tmp.path().join("kept");
    json(&[
        "import",
        "litellm",
        OLD,
        "--as-of",
        "2024-12-01",
        "--keep-zero-prices",
        "--output",
        kept.to_str().unwrap(),
    ]);
    let kept = show(&kept);
    assert_eq!(
        (dec(&kept["price"]["input"]), dec(&kept["price"]["output"])),
        (Decimal::ZERO, Decimal::ZERO)
    );
}

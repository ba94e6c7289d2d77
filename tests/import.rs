//! `llmplan import litellm`: the fixtures (trimmed LiteLLM files, see
//! tests/fixtures/litellm/README.md) are imported by the real binary, loaded back with
//! `--profiles`, and the planner's prices are checked against LiteLLM's own per-token numbers.
//! The modes fixture checks what a text workload makes of image, music, video, speech, embedding,
//! rerank and moderation entries, $0 prices, and benchmarks inherited from built-in models.

mod common;
use common::{dec, exclusion, json, llmplan, rank_only, root, show_in as show, skipped_by_reason};
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
const MODES: &str = "tests/fixtures/litellm/litellm-1.110.2-modes.json";

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
    let skipped = skipped_by_reason(&report);
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

fn strings(v: &serde_json::Value) -> Vec<&str> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap())
        .collect()
}

#[test]
fn every_mode_carries_its_real_modalities_and_billable_prices() {
    let tmp = tempfile::tempdir().unwrap();
    import(MODES, "2026-11-20", tmp.path());
    let d = tmp.path();
    // (id, reads, writes)
    for (id, reads, writes) in [
        ("gemini/lyria-3-pro-preview", &["text"][..], &["audio"][..]),
        ("vertex_ai/lyria-002", &["text"], &["audio"]),
        ("aiml/dall-e-3", &["text"], &["image"]),
        (
            "gemini/gemini-2.5-flash-image",
            &["text", "image", "audio", "video"],
            &["text", "image"],
        ),
        ("gemini/veo-3.1-generate-preview", &["text"], &["video"]),
        ("openai/text-embedding-3-small", &["text"], &["embedding"]),
        ("azure_ai/cohere-rerank-v4.0-pro", &["text"], &["scores"]),
        ("openai/omni-moderation-latest", &["text"], &["scores"]),
        ("openai/tts-1", &["text"], &["audio"]),
        ("openai/whisper-1", &["audio"], &["text"]),
        // LiteLLM lists it as a chat model; its name says embedding.
        (
            "vercel_ai_gateway/mistral/mistral-embed",
            &["text"],
            &["embedding"],
        ),
        ("openai/o1-pro", &["text", "image"], &["text"]),
        (
            "text-completion-openai/gpt-3.5-turbo-instruct",
            &["text"],
            &["text"],
        ),
    ] {
        let m = show(d, id);
        assert_eq!(strings(&m["input_modalities"]), reads, "{id}");
        assert_eq!(strings(&m["output_modalities"]), writes, "{id}");
    }
    // $0.052 per image, $0.40 per second of video, $0.02 per 1M embedding tokens.
    assert_eq!(
        dec(&show(d, "aiml/dall-e-3")["price"]["per_image"]),
        Decimal::new(52, 3)
    );
    assert_eq!(
        dec(&show(d, "gemini/veo-3.1-generate-preview")["price"]["per_video_second"]),
        Decimal::new(4, 1)
    );
    assert_eq!(
        dec(&show(d, "openai/text-embedding-3-small")["price"]["input"]),
        Decimal::new(2, 2)
    );
    // Unpriced, each with the reason in its price_note.
    for (id, why) in [
        ("gemini/lyria-3-pro-preview", "every price is $0"),
        ("openai/omni-moderation-latest", "every price is $0"),
        ("ollama/codellama", "every price is $0"),
        ("azure_ai/cohere-rerank-v4.0-pro", "input_cost_per_query"),
        ("openai/tts-1", "input_cost_per_character"),
        ("openai/whisper-1", "input_cost_per_second"),
        ("vertex_ai/lyria-002", "output_cost_per_image"),
        (
            "azure/model-router",
            "priced for input and at $0 for output",
        ),
    ] {
        let m = show(d, id);
        assert!(m["price"].is_null(), "{id}");
        assert!(
            m["price_note"].as_str().unwrap().contains(why),
            "{id}: {}",
            m["price_note"]
        );
    }
    // Perplexity's $0 input with a paid output is a real price.
    let sonar = show(d, "perplexity/sonar-medium-online");
    assert_eq!(dec(&sonar["price"]["input"]), Decimal::ZERO);
    assert_eq!(dec(&sonar["price"]["output"]), Decimal::new(18, 1));
}

#[test]
fn a_text_workload_ranks_only_priced_text_models_and_says_why_the_others_are_out() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("p");
    import(MODES, "2026-11-20", &dir);
    let s = scenario(tmp.path(), 1000, 500);
    let r = rank_only(&dir, &s);
    let ranked: Vec<&str> = r["ranked"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["model"].as_str().unwrap())
        .collect();
    assert!(ranked.contains(&"openai/gpt-4o-mini"), "{ranked:?}");
    let has = |id: &str, why: &str| {
        let r = exclusion(&r, id);
        assert!(r.contains(why), "{id}: {r}");
    };
    has("gemini/lyria-3-pro-preview", "does not produce text output");
    has("aiml/dall-e-3", "does not produce text output");
    has(
        "openai/text-embedding-3-small",
        "does not produce text output",
    );
    has(
        "azure_ai/cohere-rerank-v4.0-pro",
        "does not produce text output",
    );
    has("openai/whisper-1", "does not accept text input");
    has("ollama/codellama", "no public price");
    has("azure/model-router", "no public price");
    // Deprecated on 2026-10-23, before the as-of date.
    has("openai/o1-pro", "retired");
}

#[test]
fn snapshots_and_re_hosts_inherit_benchmarks_marked_as_inherited() {
    let tmp = tempfile::tempdir().unwrap();
    let report = import(MODES, "2026-11-20", tmp.path());
    let inherited: HashMap<String, (String, String)> = report["inherited"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["model"].as_str().unwrap().to_string(),
                (
                    i["from"].as_str().unwrap().to_string(),
                    i["rule"].as_str().unwrap().to_string(),
                ),
            )
        })
        .collect();
    let pair = |a: &str, b: &str| Some((a.to_string(), b.to_string()));
    assert_eq!(
        inherited
            .get("bedrock/anthropic.claude-3-opus-20240229-v1:0")
            .cloned(),
        pair("anthropic/claude-3-opus", "name")
    );
    assert_eq!(
        inherited
            .get("vertex_ai-anthropic_models/vertex_ai/claude-3-haiku@20240307")
            .cloned(),
        pair("anthropic/claude-3-haiku", "name")
    );
    assert_eq!(
        inherited.get("openai/gpt-4").cloned(),
        pair("openai/gpt-4", "same id")
    );
    // Not the same model: a later snapshot, a smaller sibling.
    for id in [
        "openai/gpt-4-turbo-2024-04-09",
        "openai/gpt-4o-mini",
        "openai/o1-pro",
    ] {
        assert!(!inherited.contains_key(id), "{id}");
    }
    // The same id as the catalogue's Mistral Medium (32,000 tokens, December 2023), but LiteLLM
    // now lists Mistral Medium 3.5 under it (262,144 tokens): no scores, and the note says why.
    assert!(!inherited.contains_key("mistral/mistral-medium"));
    let medium = show(tmp.path(), "mistral/mistral-medium");
    assert_eq!(medium["benchmarks"], serde_json::json!([]));
    assert!(medium["price_note"].as_str().unwrap().contains(
        "named like mistral/mistral-medium, but its context window of 262144 tokens is larger than the 32000 of mistral/mistral-medium"
    ));
    let opus = show(tmp.path(), "bedrock/anthropic.claude-3-opus-20240229-v1:0");
    let scores = opus["benchmarks"].as_array().unwrap();
    assert_eq!(scores.len(), 10);
    let mmlu = scores.iter().find(|b| b["id"] == "mmlu").unwrap();
    assert_eq!(
        (dec(&mmlu["value"]), &mmlu["inherited_from"]),
        (
            Decimal::new(868, 1),
            &serde_json::json!("anthropic/claude-3-opus")
        )
    );
    assert!(strings(&opus["languages"]).contains(&"en"));
    // `show` says so in its table.
    let table = llmplan()
        .args([
            "--profiles",
            tmp.path().to_str().unwrap(),
            "--no-default-profiles",
            "show",
            "bedrock/anthropic.claude-3-opus-20240229-v1:0",
        ])
        .env("COLUMNS", "250")
        .output()
        .unwrap();
    let text = String::from_utf8(table.stdout).unwrap();
    assert!(
        text.contains("inherited from anthropic/claude-3-opus: report fig. 16"),
        "{text}"
    );
    // A measured score has inherited_from null in JSON.
    let built_in = json(&["show", "anthropic/claude-3-opus"]);
    assert!(built_in["benchmarks"][0]["inherited_from"].is_null());
}

#[test]
fn a_large_folder_is_read_in_parallel_with_the_same_result_and_faults_in_file_order() {
    // 400 files of about 1 KB each: above the 256 KB from which a folder is parsed in parallel.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("big");
    std::fs::create_dir(&dir).unwrap();
    let padding = "x".repeat(700);
    for i in 0..400 {
        let price = if i == 17 || i == 311 {
            "\"-1\""
        } else {
            "\"1\""
        };
        std::fs::write(
            dir.join(format!("v{i:03}.toml")),
            format!(
                "[vendor]\nid = \"v{i:03}\"\nname = \"V\"\ncountry = \"\"\ncurrency = \"USD\"\n\n[[model]]\nid = \"v{i:03}/m\"\nname = \"m\"\nstatus = \"ga\"\ncontext_window = 1000\ninput_modalities = [\"text\"]\noutput_modalities = [\"text\"]\nprice_note = \"{padding}\"\n\n[model.price]\ninput = {price}\noutput = \"2\"\nas_of = \"2024-01-01\"\nsource = \"test\"\n"
            ),
        )
        .unwrap();
    }
    let out = llmplan()
        .args([
            "--no-default-profiles",
            "--profiles",
            dir.to_str().unwrap(),
            "models",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    let (a, b) = (
        err.find("v017.toml").unwrap(),
        err.find("v311.toml").unwrap(),
    );
    assert!(a < b, "faults in file order: {err}");
    std::fs::remove_file(dir.join("v017.toml")).unwrap();
    std::fs::remove_file(dir.join("v311.toml")).unwrap();
    let models = json(&[
        "--no-default-profiles",
        "--profiles",
        dir.to_str().unwrap(),
        "models",
    ]);
    let ids: Vec<&str> = models
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 398);
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted, "models in file order");
}

#[test]
fn prices_above_272k_tokens_are_a_tier() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("p");
    import(MODES, "2026-11-20", &dir);
    let long = scenario(tmp.path(), 300_000, 500);
    let out = json(&[
        "--profiles",
        dir.to_str().unwrap(),
        "--no-default-profiles",
        "cost",
        long.to_str().unwrap(),
        "--model",
        "openai/gpt-5.4",
    ]);
    // Above 272k input tokens the whole request is billed at the tier:
    // 300,000 × 5e-06 + 500 × 2.25e-05 = 1.5 + 0.01125 = $1.51125.
    assert_eq!(dec(&out["monthly_cost"]), Decimal::new(151125, 5));
    assert_eq!(out["workloads"][0]["tier_above_input_tokens"], 272000);
    let tier = &show(&dir, "openai/gpt-5.4")["price"]["tiers"][0];
    assert_eq!(dec(&tier["cached_input"]), Decimal::new(5, 1));
}

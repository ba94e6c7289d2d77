//! Language, characters and images billed per model, through the real binary on fixtures with
//! prices and tokenizer figures of their own (`tests/fixtures/tokens/`).

mod common;
use common::{dec, json, llmplan};
use rust_decimal::Decimal;

const PROFILES: &str = "tests/fixtures/tokens/profiles";

fn cost(scenario: &str, model: &str) -> serde_json::Value {
    json(&[
        "cost",
        scenario,
        "--model",
        model,
        "--profiles",
        PROFILES,
        "--no-default-profiles",
    ])
}

#[test]
fn a_chinese_workload_bills_each_models_own_token_counts() {
    let s = "tests/fixtures/tokens/chinese.toml";
    // acme/cl100k bills with the basis: 1,800 and 350 tokens. 1,000 requests at $10 / $30 per
    // 1M: 1.8M × 10 = 18; 0.35M × 30 = 10.5 → 28.5.
    let c = cost(s, "acme/cl100k");
    let w = &c["workloads"][0];
    assert_eq!(
        (
            w["billed_input_tokens"].as_u64(),
            w["billed_output_tokens"].as_u64()
        ),
        (Some(1800), Some(350))
    );
    assert_eq!(dec(&c["monthly_cost"]), Decimal::new(285, 1));
    // acme/qwen: 1,800 × 595.5 ÷ 1,023.5 = 1,047.29 → 1,047; 350 × 595.5 ÷ 1,023.5 = 203.64
    // → 204. 1.047M × 10 = 10.47; 0.204M × 30 = 6.12 → 16.59.
    let c = cost(s, "acme/qwen");
    let w = &c["workloads"][0];
    assert_eq!(
        (
            w["billed_input_tokens"].as_u64(),
            w["billed_output_tokens"].as_u64()
        ),
        (Some(1047), Some(204))
    );
    assert_eq!(dec(&c["monthly_cost"]), Decimal::new(1659, 2));
}

#[test]
fn rank_json_shows_the_billed_counts_per_workload() {
    let r = json(&[
        "rank",
        "tests/fixtures/tokens/chinese.toml",
        "--profiles",
        PROFILES,
        "--no-default-profiles",
        "--all",
    ]);
    let rows = r["ranked"].as_array().expect("ranked rows");
    let row = |id: &str| {
        rows.iter()
            .find(|x| x["model"] == id)
            .unwrap_or_else(|| panic!("{id} ranked"))
    };
    assert_eq!(
        row("acme/qwen")["workloads"][0]["billed_input_tokens"],
        1047
    );
    assert_eq!(
        row("acme/cl100k")["workloads"][0]["billed_input_tokens"],
        1800
    );
}

#[test]
fn images_bill_by_each_models_rule_and_text_models_are_excluded() {
    let s = "tests/fixtures/tokens/images.toml";
    // Two 1024 × 1024 images and 100 text tokens: 2 × 1,399 + 100 = 2,898 (anthropic),
    // 2 × 765 + 100 = 1,630 (openai_tiles), 2 × 258 + 100 = 616 (fixed).
    for (model, input, image) in [
        ("acme/vision-anthropic", 2898, 2798),
        ("acme/vision-tiles", 1630, 1530),
        ("acme/vision-fixed", 616, 516),
    ] {
        let w = &cost(s, model)["workloads"][0];
        assert_eq!(w["billed_input_tokens"].as_u64(), Some(input), "{model}");
        assert_eq!(w["billed_image_tokens"].as_u64(), Some(image), "{model}");
    }
    let out = llmplan()
        .args([
            "rank",
            s,
            "--profiles",
            PROFILES,
            "--no-default-profiles",
            "--all",
        ])
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        text.contains("reads no images (workload `claims` sends 2 a request)"),
        "{text}"
    );
}

//! `llmplan breakeven`: the JSON contract, the never-wins case, the chart, bad input, and how the
//! break-even moves with the GPU price and the utilization.

mod common;

use common::{dec, json, llmplan};
use llmplan::cost::model_cost;
use llmplan::selfhost::breakeven::breakeven;
use llmplan::selfhost::fleet::estimate;
use llmplan::source::SourceFile;
use llmplan::{Catalogue, Scenario};
use proptest::prelude::*;
use rust_decimal::Decimal;
use std::sync::OnceLock;

fn catalogue() -> &'static Catalogue {
    static CAT: OnceLock<Catalogue> = OnceLock::new();
    CAT.get_or_init(|| Catalogue::embedded().unwrap())
}

/// Break-even of Llama 2 70B (int8, A100 80GB) against Claude 3 Haiku for 40,000 requests a day of
/// 1,500 input and 300 output tokens, at a given GPU price and utilization.
fn breakeven_at(price: &str, utilization: &str) -> Option<Decimal> {
    let text = format!(
        "name = \"monotonicity\"\n[[workload]]\nname = \"assistant\"\nrequests_per_day = 40000\ninput_tokens = 1500\noutput_tokens = 300\n\
         [selfhost]\ngpus = [\"a100-80gb\"]\nprecision = \"int8\"\nutilization = \"{utilization}\"\ngpu_hourly_price = {{ \"a100-80gb\" = \"{price}\" }}\n"
    );
    let cat = catalogue();
    let s =
        Scenario::from_source(&SourceFile::from_text("m.toml".into(), text).unwrap(), cat).unwrap();
    let fx = s.fx(cat);
    let e = estimate(
        &s,
        s.selfhost.as_ref().unwrap(),
        cat.model("meta/llama-2-70b").unwrap(),
        cat.hardware.get("a100-80gb").unwrap(),
        cat,
        &fx,
    )
    .unwrap()
    .unwrap();
    let api = model_cost(&s, cat.model("anthropic/claude-3-haiku").unwrap(), &fx)
        .unwrap()
        .unwrap();
    breakeven(&e, &api).unwrap().tokens_per_month
}

#[test]
fn pinned_breakeven_checked_by_hand() {
    // Replica: 2 × A100 (70 GB of int8 weights + 18.9 GB of cache > 72 usable GB on one).
    // One replica-month = 2 × 720 h × $1.59 = $2,289.60.
    // Haiku: 1,500 × $0.25 + 300 × $1.25 per 1M = $0.00075 a request of 1,800 tokens, so the
    // replica-month buys q = 2,289.6 ÷ 0.00075 × 1,800 = 5,495,040,000 API tokens.
    // Throughput: prefill 2 × 624e12 ÷ 140e9 = 8,914.29 tok/s; decode at batch 32 and 1,650 tokens
    // of average context = 32 × 4.078e12 ÷ (70e9 + 32 × 1,650 × 327,680) = 1,494.77 tok/s, so a
    // request takes 1,500 ÷ 8,914.29 + 300 ÷ 1,494.77 = 0.368969 s and a replica serves
    // cap = 720 h × 0.6 × 3,600 ÷ 0.368969 × 1,800 = 7,586,989,234 tokens a month.
    // R = ⌈cap ÷ (cap − q)⌉ − 1 = ⌈3.627⌉ − 1 = 3, so V* = 3 × q = 16,485,120,000.
    assert_eq!(
        breakeven_at("1.59", "0.6").unwrap().round_dp(0),
        Decimal::from(16_485_120_000u64)
    );
}

#[test]
fn breakeven_rises_with_the_gpu_price() {
    let at: Vec<Option<Decimal>> = ["0.8", "1.2", "1.59", "2.0", "2.4", "3.0"]
        .iter()
        .map(|p| breakeven_at(p, "0.6"))
        .collect();
    let wins: Vec<Decimal> = at.iter().flatten().copied().collect();
    assert!(wins.len() >= 4, "{at:?}");
    assert!(
        wins.windows(2).all(|w| w[0] < w[1]),
        "break-even must grow with price: {at:?}"
    );
    // Once self-hosting stops winning it never starts again at a higher price.
    assert!(
        at.iter().skip_while(|v| v.is_some()).all(Option::is_none),
        "{at:?}"
    );
    // At $3.00 a GPU-hour a fully used replica costs more per token than Haiku: no break-even.
    assert_eq!(at[5], None);
}

#[test]
fn breakeven_falls_as_utilization_rises() {
    let at: Vec<Option<Decimal>> = ["0.3", "0.45", "0.6", "0.8", "1"]
        .iter()
        .map(|u| breakeven_at("1.59", u))
        .collect();
    // At 30% a replica costs more per token than Haiku; from there on the break-even only falls.
    assert_eq!(at[0], None, "{at:?}");
    let wins: Vec<Decimal> = at.iter().flatten().copied().collect();
    assert!(wins.windows(2).all(|w| w[0] >= w[1]), "{at:?}");
    assert!(
        wins.first() > wins.last(),
        "utilization must lower the break-even somewhere: {at:?}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    /// Dearer GPUs never lower the break-even; busier ones never raise it ("never" counts as infinite).
    #[test]
    fn breakeven_is_monotone(p1 in 50u32..400, dp in 1u32..100, u1 in 20u32..95, du in 1u32..5) {
        let price = |c: u32| format!("{}", Decimal::new(c.into(), 2));
        let util = |c: u32| format!("{}", Decimal::new(c.min(100).into(), 2));
        let inf = |v: Option<Decimal>| v.unwrap_or(Decimal::MAX);
        prop_assert!(inf(breakeven_at(&price(p1), &util(u1))) <= inf(breakeven_at(&price(p1 + dp), &util(u1))));
        prop_assert!(inf(breakeven_at(&price(p1), &util(u1 + du))) <= inf(breakeven_at(&price(p1), &util(u1))));
    }
}

#[test]
fn json_has_exactly_the_contract_fields() {
    let v = json(&[
        "breakeven",
        "scenarios/build-or-buy.toml",
        "--model",
        "meta/llama-2-70b",
        "--vs",
        "anthropic/claude-3-haiku",
    ]);
    let mut keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "api_cost_per_mtok",
            "breakeven_tokens_per_month",
            "gpu",
            "gpus",
            "model",
            "precision",
            "reason",
            "selfhost_cost_per_mtok",
            "vs"
        ]
    );
    assert_eq!(v["model"], "meta/llama-2-70b");
    assert_eq!(v["vs"], "anthropic/claude-3-haiku");
    // The cheapest of the scenario's GPUs per token: 2 × A100 at $1.59 beats 1 × H100 at $3.49.
    assert_eq!(
        (
            v["gpu"].as_str(),
            v["gpus"].as_u64(),
            v["precision"].as_str()
        ),
        (Some("a100-80gb"), Some(2), Some("int8"))
    );
    // Haiku for this mix: $0.00075 a request of 1,800 tokens = $0.416667 per 1M.
    assert_eq!(dec(&v["api_cost_per_mtok"]), "0.416667".parse().unwrap());
    assert!(dec(&v["selfhost_cost_per_mtok"]) < dec(&v["api_cost_per_mtok"]));
    assert_eq!(
        v["breakeven_tokens_per_month"].as_u64(),
        Some(16_485_120_000)
    );
    assert!(v["reason"].is_null());
}

#[test]
fn never_wins_says_why() {
    // At batch 1 a 70B model decodes ~58 tokens a second per replica: far dearer than Haiku.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("batch1.toml");
    let text = std::fs::read_to_string(common::root().join("scenarios/build-or-buy.toml"))
        .unwrap()
        .replace("batch = 32", "batch = 1");
    std::fs::write(&path, text).unwrap();
    let p = path.to_str().unwrap();
    let v = json(&[
        "breakeven",
        p,
        "--model",
        "meta/llama-2-70b",
        "--vs",
        "anthropic/claude-3-haiku",
    ]);
    assert!(v["breakeven_tokens_per_month"].is_null());
    let reason = v["reason"].as_str().unwrap();
    assert!(reason.starts_with("self-hosting never wins"), "{reason}");
    assert!(dec(&v["selfhost_cost_per_mtok"]) >= dec(&v["api_cost_per_mtok"]));
    let out = llmplan()
        .args([
            "breakeven",
            p,
            "--model",
            "meta/llama-2-70b",
            "--vs",
            "anthropic/claude-3-haiku",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(
        table.contains("│ break-even tokens a month") && table.contains("never"),
        "{table}"
    );
    assert!(table.contains("Self-hosting never wins"), "{table}");
}

#[test]
fn plot_writes_an_svg_chart() {
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("be.svg");
    llmplan()
        .args([
            "breakeven",
            "scenarios/build-or-buy.toml",
            "--model",
            "meta/llama-2-70b",
            "--vs",
            "anthropic/claude-3-haiku",
            "--plot",
        ])
        .arg(&svg)
        .assert()
        .success();
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(text.starts_with("<svg"));
    assert!(
        text.contains("break-even: 16,485M tokens/month"),
        "marker legend"
    );
    assert!(text.contains("anthropic/claude-3-haiku (API)"));
}

#[test]
fn bad_requests_exit_2_with_the_fix() {
    let run = |args: &[&str]| {
        let out = llmplan().arg("breakeven").args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        String::from_utf8(out.stderr).unwrap()
    };
    let base = [
        "scenarios/build-or-buy.toml",
        "--model",
        "meta/llama-2-70b",
        "--vs",
        "anthropic/claude-3-haiku",
    ];
    let e = run(&[&base[..], &["--gpu", "h100"]].concat());
    assert!(e.contains("did you mean `h100-sxm`?"), "{e}");
    let e = run(&[
        "scenarios/build-or-buy.toml",
        "--model",
        "anthropic/claude-3-haiku",
        "--vs",
        "openai/gpt-3.5-turbo",
    ]);
    assert!(e.contains("has no open weights"), "{e}");
    let e = run(&[
        "scenarios/build-or-buy.toml",
        "--model",
        "meta/llama-2-70b",
        "--vs",
        "meta/llama-2-13b",
    ]);
    assert!(e.contains("cannot be priced"), "{e}");
}

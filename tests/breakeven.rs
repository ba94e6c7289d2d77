//! `llmplan breakeven`: the README's example checked by hand, the JSON contract, the never-wins
//! case, the chart, bad input, and how the break-even moves with the GPU price and the
//! utilization.

mod common;

use common::{dec, json, llmplan};
use llmplan::cost::model_cost;
use llmplan::selfhost::breakeven::breakeven;
use llmplan::selfhost::fleet::plan;
use llmplan::source::SourceFile;
use llmplan::{Catalogue, Scenario};
use proptest::prelude::*;
use rust_decimal::Decimal;
use std::sync::OnceLock;

fn catalogue() -> &'static Catalogue {
    static CAT: OnceLock<Catalogue> = OnceLock::new();
    CAT.get_or_init(|| Catalogue::embedded().unwrap())
}

const README: [&str; 6] = [
    "breakeven",
    "scenarios/build-or-buy.toml",
    "--model",
    "meta/llama-2-70b",
    "--vs",
    "anthropic/claude-3-haiku",
];

/// Break-even of Llama 2 70B (int8, H200) against Claude 3 Haiku for 40,000 requests a day of
/// 1,500 input and 300 output tokens, at a given GPU price and utilization.
fn breakeven_at(price: &str, utilization: &str) -> Option<Decimal> {
    let text = format!(
        "name = \"monotonicity\"\n[[workload]]\nname = \"assistant\"\nrequests_per_day = 40000\ninput_tokens = 1500\noutput_tokens = 300\n\
         [selfhost]\ngpus = [\"h200\"]\nprecision = \"int8\"\nutilization = \"{utilization}\"\ngpu_hourly_price = {{ \"h200\" = \"{price}\" }}\n"
    );
    let cat = catalogue();
    let s =
        Scenario::from_source(&SourceFile::from_text("m.toml".into(), text).unwrap(), cat).unwrap();
    let fx = s.fx(cat);
    let p = plan(
        &s,
        s.selfhost.as_ref().unwrap(),
        cat.model("meta/llama-2-70b").unwrap(),
        cat,
        &fx,
    )
    .unwrap()
    .unwrap();
    let e = p.best.unwrap();
    let api = model_cost(&s, cat.model("anthropic/claude-3-haiku").unwrap(), &fx)
        .unwrap()
        .unwrap();
    breakeven(&e, &api).unwrap().tokens_per_month
}

#[test]
fn readme_example_picks_the_cheapest_fleet_checked_by_hand() {
    // docs/selfhost.md, "Worked example", has the whole working. In brief: 1.2M requests a month
    // of 1,500 + 300 tokens (2.16B tokens), int8 weights, bf16 cache, peak 1.5× the average, at
    // least 20 tokens/s per user.
    let v = json(&README);
    // 1× H200: 126.9 GB usable − 70 GB of weights = 56.9 GB of cache; a request holds 1,650 ×
    // 327,680 B = 0.540672 GB on average, so 105 fit; a step then reads 126.77 GB at 2.88 TB/s,
    // 44.02 ms, 22.7 tokens/s per user. A request takes 0.215209 s of prefill + 300 × 44.0176 ms ÷
    // 105 = 0.340974 s: 113.66 busy hours, under the 730 ÷ 1.5 = 486.67 a replica takes on, so 1
    // replica, 730 × $4.59 = $3,350.70 a month, the cheapest of the 16 configurations.
    assert_eq!(
        (
            v["gpu"].as_str(),
            v["gpus"].as_u64(),
            v["precision"].as_str()
        ),
        (Some("h200"), Some(1), Some("int8"))
    );
    let configs = v["configurations"].as_array().unwrap();
    assert_eq!(configs.len(), 16);
    let costs: Vec<Decimal> = configs
        .iter()
        .filter(|c| c["monthly_cost"].is_string())
        .map(|c| dec(&c["monthly_cost"]))
        .collect();
    assert_eq!(costs.iter().min(), Some(&"3350.7".parse().unwrap()));
    // The runner-up, 2× A100 (two replicas at 14 sequences each), $4,642.80.
    let a100 = configs
        .iter()
        .find(|c| c["gpu"] == "a100-80gb" && c["tensor_parallel"] == 2)
        .unwrap();
    assert_eq!(
        (a100["batch"].as_u64(), a100["replicas"].as_u64()),
        (Some(14), Some(2))
    );
    assert_eq!(dec(&a100["monthly_cost"]), "4642.8".parse().unwrap());
    // A replica serves 486.67 × 2.16e9 ÷ 113.658 = 9,248,819,183 tokens: $0.362284 per 1M.
    assert_eq!(
        dec(&v["selfhost_cost_per_mtok"]),
        "0.362284".parse().unwrap()
    );
    // Haiku: $0.00075 a request of 1,800 tokens = $0.416667 per 1M; q = 3,350.70 ÷ 0.00075 ×
    // 1,800 = 8,041,680,000; R = ⌈9,248,819,183 ÷ 1,207,139,183⌉ − 1 = ⌈7.66⌉ − 1 = 7;
    // V* = 7 × q = 56,291,760,000.
    assert_eq!(dec(&v["api_cost_per_mtok"]), "0.416667".parse().unwrap());
    assert_eq!(
        v["breakeven_tokens_per_month"].as_u64(),
        Some(56_291_760_000)
    );
    let table = llmplan().args(README).output().unwrap();
    let text = String::from_utf8(table.stdout).unwrap();
    for line in [
        "1× h200 per replica, int8 weights, bf16 cache, batch 105 — self-hosted (estimate)",
        "$3,350.70",
        "9,248,819,183",
        "56,291,760,000",
    ] {
        assert!(text.contains(line), "{line} not in\n{text}");
    }
}

#[test]
fn breakeven_rises_with_the_gpu_price() {
    let at: Vec<Option<Decimal>> = ["1.5", "3", "4.59", "6", "7.5", "8.5"]
        .iter()
        .map(|p| breakeven_at(p, "1"))
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
    // A full H200 serves 730 h × 2.16e9 ÷ 113.658 busy hours = 13.87B tokens a month, so it costs
    // more per token than Haiku's $0.416667 per 1M above 13,873 × 0.416667 ÷ 730 = $7.92 an hour.
    assert_eq!(
        at[5], None,
        "at $8.50 an hour a full H200 costs more per token than Haiku"
    );
}

#[test]
fn breakeven_falls_as_utilization_rises() {
    let at: Vec<Option<Decimal>> = ["0.5", "0.7", "0.85", "0.95", "1"]
        .iter()
        .map(|u| breakeven_at("4.59", u))
        .collect();
    // At $4.59 an hour a full H200 costs $0.2415 per 1M tokens: above Haiku's $0.4167 when it is
    // planned at less than 58% of its throughput.
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
    fn breakeven_is_monotone(p1 in 150u32..700, dp in 1u32..100, u1 in 40u32..95, du in 1u32..5) {
        let price = |c: u32| format!("{}", Decimal::new(c.into(), 2));
        let util = |c: u32| format!("{}", Decimal::new(c.min(100).into(), 2));
        let inf = |v: Option<Decimal>| v.unwrap_or(Decimal::MAX);
        prop_assert!(inf(breakeven_at(&price(p1), &util(u1))) <= inf(breakeven_at(&price(p1 + dp), &util(u1))));
        prop_assert!(inf(breakeven_at(&price(p1), &util(u1 + du))) <= inf(breakeven_at(&price(p1), &util(u1))));
    }
}

#[test]
fn json_keeps_the_contract_fields_and_lists_the_configurations() {
    let v = json(&README);
    let mut keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "api_cost_per_mtok",
            "breakeven_tokens_per_month",
            "configurations",
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
    assert!(v["reason"].is_null());
    for c in v["configurations"].as_array().unwrap() {
        let mut keys: Vec<&str> = c.as_object().unwrap().keys().map(String::as_str).collect();
        keys.sort();
        assert_eq!(
            keys,
            [
                "batch",
                "gpu",
                "model",
                "monthly_cost",
                "reason",
                "replicas",
                "tensor_parallel"
            ]
        );
        // Each has a cost or a reason, never both.
        assert_ne!(c["monthly_cost"].is_null(), c["reason"].is_null(), "{c}");
    }
}

#[test]
fn without_selfhost_every_data_centre_gpu_is_tried_and_the_cheapest_fleet_wins() {
    // The support chatbot has no [selfhost]: Llama 2 7B in bf16 once went to 4× RTX 4090 at
    // $2,131 a month. Consumer cards are not offered now, and the cheapest fleet at the volume is
    // one L40S, 730 h × $1.09 = $795.70.
    let v = json(&[
        "breakeven",
        "scenarios/support-chatbot.toml",
        "--model",
        "meta/llama-2-7b",
        "--vs",
        "openai/gpt-3.5-turbo",
        "--quiet",
    ]);
    assert_eq!(
        (v["gpu"].as_str(), v["gpus"].as_u64()),
        (Some("l40s"), Some(1))
    );
    let configs = v["configurations"].as_array().unwrap();
    assert!(configs.iter().all(|c| c["gpu"] != "rtx-4090"));
    let cheapest = configs
        .iter()
        .filter(|c| c["monthly_cost"].is_string())
        .map(|c| dec(&c["monthly_cost"]))
        .min()
        .unwrap();
    assert_eq!(cheapest, "795.7".parse().unwrap());
}

#[test]
fn never_wins_says_why() {
    // One sequence at a time: a 70B model decodes ~23 tokens a second per replica, far dearer
    // than Haiku.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("batch1.toml");
    let text = std::fs::read_to_string(common::root().join("scenarios/build-or-buy.toml"))
        .unwrap()
        .replace("# max_batch = 256 ", "max_batch = 1 ");
    assert!(text.contains("\nmax_batch = 1 "));
    std::fs::write(&path, text).unwrap();
    let p = path.to_str().unwrap();
    let args = [
        p,
        "--model",
        "meta/llama-2-70b",
        "--vs",
        "anthropic/claude-3-haiku",
    ];
    let v = json(&[&["breakeven"], &args[..]].concat());
    assert!(v["breakeven_tokens_per_month"].is_null());
    let reason = v["reason"].as_str().unwrap();
    assert!(reason.starts_with("self-hosting never wins"), "{reason}");
    assert!(dec(&v["selfhost_cost_per_mtok"]) >= dec(&v["api_cost_per_mtok"]));
    let out = llmplan().arg("breakeven").args(args).output().unwrap();
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
        .args(README)
        .arg("--plot")
        .arg(&svg)
        .assert()
        .success();
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(text.starts_with("<svg"));
    assert!(
        text.contains("break-even: 56,292M tokens/month"),
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
    let e = run(&[&README[1..], &["--gpu", "h100"]].concat());
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
    // Only L40S, whose 48 GB cannot hold 70 GB of weights or decode 20 tokens/s per user.
    let e = run(&[&README[1..], &["--gpu", "l40s"]].concat());
    assert!(
        e.contains("meta/llama-2-70b cannot be self-hosted for this scenario: no GPU configuration serves it (on l40s: even one request at a time gets 11.3 tokens/s on 8× l40s"),
        "{e}"
    );
}

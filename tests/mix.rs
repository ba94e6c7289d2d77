//! `llmplan mix` through the real binary.
//!
//! The fixture `tests/fixtures/routing/mix-claude3.toml` has one workload of 30,000 requests a month
//! (1,000 a day × 30), 2,000 input and 500 output tokens each. By hand:
//!
//! Monthly cost of each Claude 3 model alone (report §1.4 prices per 1M tokens):
//!   Haiku  30,000 × (2,000 × 0.25 + 500 × 1.25) ÷ 1M = 30,000 × 0.001125 = $33.75
//!   Sonnet 30,000 × (2,000 × 3    + 500 × 15)   ÷ 1M = 30,000 × 0.0135   = $405
//!   Opus   30,000 × (2,000 × 15   + 500 × 75)   ÷ 1M = 30,000 × 0.0675   = $2,025
//! Fit under the default weights (mmlu, gsm8k, humaneval; report fig. 16):
//!   Haiku  (75.2 + 88.9 + 75.9) ÷ 3 = 80
//!   Sonnet (79.0 + 92.3 + 73.0) ÷ 3 = 81.4333…
//!   Opus   (86.8 + 95.0 + 84.9) ÷ 3 = 88.9

mod common;

use common::{dec, json, llmplan};
use predicates::prelude::*;
use rust_decimal::Decimal;

const FIXTURE: &str = "tests/fixtures/routing/mix-claude3.toml";

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

#[test]
fn claude3_route_share_derived_by_hand() {
    let v = json(&[
        "mix",
        FIXTURE,
        "--target-fit",
        "84.45",
        "--family",
        "claude-3",
    ]);
    // Only Opus reaches 84.45 alone, so the best single is Opus at $2,025.
    // Pairs whose fits straddle 84.45: (Haiku, Opus) and (Sonnet, Opus).
    //   Haiku/Opus: s = (84.45 − 80) ÷ (88.9 − 80) = 4.45 ÷ 8.9 = 0.5 exactly.
    //     cost = 0.5 × 33.75 + 0.5 × 2,025 = 16.875 + 1,012.5 = $1,029.375.
    //   Sonnet/Opus: s = (84.45 − 81.4333…) ÷ (88.9 − 81.4333…) = 3.01667 ÷ 7.46667 = 0.40402…,
    //     rounded up to 0.4041: cost = 0.5959 × 405 + 0.4041 × 2,025 = 241.3395 + 818.3025 = $1,059.642.
    //   Cascade Haiku → Opus escalating 0.5: 33.75 + 0.5 × 2,025 = $1,046.25 (Haiku is paid for
    //   every request).
    // The cheapest is the Haiku/Opus route, 50% each: fit 0.5 × 80 + 0.5 × 88.9 = 84.45.
    assert_eq!(v["kind"], "route");
    assert_eq!(v["target_fit"], "84.45");
    assert_eq!(v["currency"], "USD");
    let plan: Vec<(String, Decimal)> = v["plan"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["model"].as_str().unwrap().to_string(), dec(&p["share"])))
        .collect();
    assert_eq!(
        plan,
        vec![
            ("anthropic/claude-3-opus".into(), d("0.5")),
            ("anthropic/claude-3-haiku".into(), d("0.5"))
        ]
    );
    assert_eq!(dec(&v["fit"]), d("84.45"));
    assert_eq!(dec(&v["monthly_cost"]), d("1029.375"));
    assert_eq!(v["best_single"]["model"], "anthropic/claude-3-opus");
    assert_eq!(dec(&v["best_single"]["fit"]), d("88.9"));
    assert_eq!(dec(&v["best_single"]["monthly_cost"]), d("2025"));
    assert_eq!(dec(&v["best_cascade"]["monthly_cost"]), d("1046.25"));
    assert_eq!(v["best_cascade"]["plan"][1]["share"], "0.5");
}

#[test]
fn the_table_says_it_in_one_sentence() {
    // Saving: (2,025 − 1,029.375) ÷ 2,025 = 995.625 ÷ 2,025 = 0.491666… → 49.17%.
    llmplan()
        .args(["mix", FIXTURE, "--target-fit", "84.45", "--family", "claude-3"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "route 50% to Claude 3 Opus and 50% to Claude 3 Haiku: fit 84.45 at $1,029.38/month, 49.17% cheaper than Claude 3 Opus alone",
        ));
}

#[test]
fn a_share_that_does_not_terminate_is_rounded_up_to_reach_the_target() {
    let v = json(&[
        "mix",
        FIXTURE,
        "--target-fit",
        "85",
        "--models",
        "anthropic/claude-3-haiku,anthropic/claude-3-opus",
    ]);
    // s = (85 − 80) ÷ 8.9 = 0.561797…, rounded up to 0.5618: fit 0.4382 × 80 + 0.5618 × 88.9 =
    // 35.056 + 49.94402 = 85.00002 ≥ 85 (0.5617 would give 84.99913).
    // cost = 0.4382 × 33.75 + 0.5618 × 2,025 = 14.78925 + 1,137.645 = $1,152.43425.
    assert_eq!(v["plan"][0]["share"], "0.5618");
    assert_eq!(v["plan"][1]["share"], "0.4382");
    // JSON fits are rounded to 4 places, like `rank`'s: 85.00002 → "85".
    assert_eq!(dec(&v["fit"]), d("85"));
    assert_eq!(dec(&v["monthly_cost"]), d("1152.43425"));
}

#[test]
fn a_single_model_wins_when_it_already_reaches_the_target() {
    // Haiku's fit is exactly 80, so it reaches 80 alone at $33.75 and no mix can be cheaper.
    let v = json(&["mix", FIXTURE, "--target-fit", "80", "--family", "claude-3"]);
    assert_eq!(v["plan"].as_array().unwrap().len(), 1);
    assert_eq!(v["plan"][0]["model"], "anthropic/claude-3-haiku");
    assert_eq!(v["plan"][0]["share"], "1");
    assert_eq!(dec(&v["monthly_cost"]), d("33.75"));
    assert_eq!(v["best_single"]["model"], "anthropic/claude-3-haiku");
}

#[test]
fn no_plan_above_the_best_model_exits_1_with_the_best_fit() {
    llmplan()
        .args(["mix", FIXTURE, "--target-fit", "95", "--family", "claude-3"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "no plan reaches fit 95: the best fit available is 88.9 (anthropic/claude-3-opus)",
        ));
}

#[test]
fn bad_arguments_exit_2_with_the_fix() {
    llmplan()
        .args(["mix", FIXTURE, "--target-fit", "85", "--family", "claude3"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "no model has family `claude3`; did you mean `claude-3`?",
        ));
    llmplan()
        .args([
            "mix",
            FIXTURE,
            "--target-fit",
            "85",
            "--models",
            "anthropic/claude-3-haiku,anthropic/claude-3-opsu",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "did you mean `anthropic/claude-3-opus`?",
        ));
    llmplan()
        .args(["mix", FIXTURE, "--target-fit", "850"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--target-fit must be above 0 and at most 100",
        ));
    llmplan()
        .args([
            "mix",
            FIXTURE,
            "--target-fit",
            "85",
            "--family",
            "claude-3",
            "--models",
            "a/b",
        ])
        .assert()
        .code(2);
}

#[test]
fn over_budget_plan_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("s.toml");
    let body = std::fs::read_to_string(common::root().join(FIXTURE)).unwrap();
    std::fs::write(
        &scenario,
        format!("{body}\n[requirements]\nmax_monthly_cost = 1000\n"),
    )
    .unwrap();
    // The cheapest plan at 84.45 costs $1,029.375 > $1,000.
    llmplan()
        .args([
            "mix",
            scenario.to_str().unwrap(),
            "--target-fit",
            "84.45",
            "--family",
            "claude-3",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "costs $1,029.38 a month, over max_monthly_cost $1,000.00",
        ));
}

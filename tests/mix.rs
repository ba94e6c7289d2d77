//! `llmplan mix` through the real binary.
//!
//! The fixture `tests/fixtures/routing/mix-claude3.toml` has one workload of 30,000 requests a month
//! (1,000 a day × 30), 2,000 input and 500 output tokens each. By hand:
//!
//! Monthly cost of each Claude 3 model alone (report §1.4 prices per 1M tokens):
//!   Haiku  30,000 × (2,000 × 0.25 + 500 × 1.25) ÷ 1M = 30,000 × 0.001125 = $33.75
//!   Sonnet 30,000 × (2,000 × 3    + 500 × 15)   ÷ 1M = 30,000 × 0.0135   = $405
//!   Opus   30,000 × (2,000 × 15   + 500 × 75)   ÷ 1M = 30,000 × 0.0675   = $2,025
//! Fit under the fixture's weights (gsm8k, humaneval; chance 0 for both; report fig. 16):
//!   Haiku  (88.9 + 75.9) ÷ 2 = 82.4
//!   Sonnet (92.3 + 73.0) ÷ 2 = 82.65
//!   Opus   (95.0 + 84.9) ÷ 2 = 89.95

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
        "83.91",
        "--family",
        "claude-3",
    ]);
    // Only Opus reaches 83.91 alone, so the best single is Opus at $2,025.
    // Pairs whose fits straddle 83.91: (Haiku, Opus) and (Sonnet, Opus).
    //   Haiku/Opus: s = (83.91 − 82.4) ÷ (89.95 − 82.4) = 1.51 ÷ 7.55 = 0.2 exactly.
    //     cost = 0.8 × 33.75 + 0.2 × 2,025 = 27 + 405 = $432.
    //   Sonnet/Opus: s = (83.91 − 82.65) ÷ (89.95 − 82.65) = 1.26 ÷ 7.3 = 0.172602…, rounded up
    //     to 0.1727: cost = 0.8273 × 405 + 0.1727 × 2,025 = 335.0565 + 349.7175 = $684.774.
    //   Cascade Haiku → Opus escalating 0.2: 33.75 + 0.2 × 2,025 = $438.75 (Haiku is paid for
    //   every request).
    // The cheapest is the Haiku/Opus route, 80/20: fit 0.8 × 82.4 + 0.2 × 89.95 = 83.91.
    assert_eq!(v["kind"], "route");
    assert_eq!(v["target_fit"], "83.91");
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
            ("anthropic/claude-3-opus".into(), d("0.2")),
            ("anthropic/claude-3-haiku".into(), d("0.8"))
        ]
    );
    assert_eq!(dec(&v["fit"]), d("83.91"));
    assert_eq!(dec(&v["monthly_cost"]), d("432"));
    assert_eq!(v["best_single"]["model"], "anthropic/claude-3-opus");
    assert_eq!(dec(&v["best_single"]["fit"]), d("89.95"));
    assert_eq!(dec(&v["best_single"]["monthly_cost"]), d("2025"));
    assert_eq!(dec(&v["best_route"]["monthly_cost"]), d("432"));
    assert_eq!(dec(&v["best_cascade"]["monthly_cost"]), d("438.75"));
    assert_eq!(v["best_cascade"]["plan"][1]["share"], "0.2");
    // Every Claude 3 score is published: the plan's fit is observed, its band the fit itself.
    assert_eq!(v["fit_status"], "observed");
    assert_eq!(v["fit_coverage"], "1");
    assert_eq!(
        (dec(&v["fit_low"]), dec(&v["fit_high"])),
        (d("83.91"), d("83.91"))
    );
    assert_eq!(v["best_single"]["fit_status"], "observed");
}

#[test]
fn the_table_says_it_in_one_sentence() {
    // Saving: (2,025 − 432) ÷ 2,025 = 1,593 ÷ 2,025 = 0.786666… → 78.67%.
    llmplan()
        .args(["mix", FIXTURE, "--target-fit", "83.91", "--family", "claude-3"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "route 20% to Claude 3 Opus and 80% to Claude 3 Haiku: fit 83.91 at $432.00/month, 78.67% cheaper than Claude 3 Opus alone",
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
    // s = (85 − 82.4) ÷ 7.55 = 0.344370…, rounded up to 0.3444: fit 0.6556 × 82.4 + 0.3444 ×
    // 89.95 = 54.02144 + 30.97878 = 85.00022 ≥ 85 (0.3443 would give 84.999465).
    // cost = 0.6556 × 33.75 + 0.3444 × 2,025 = 22.1265 + 697.41 = $719.5365.
    assert_eq!(v["plan"][0]["share"], "0.3444");
    assert_eq!(v["plan"][1]["share"], "0.6556");
    // JSON fits are rounded to 4 places, like `rank`'s: 85.00022 → "85.0002".
    assert_eq!(dec(&v["fit"]), d("85.0002"));
    assert_eq!(dec(&v["monthly_cost"]), d("719.5365"));
}

#[test]
fn a_single_model_wins_when_it_already_reaches_the_target() {
    // Haiku's fit is exactly 82.4, so it reaches 82.4 alone at $33.75 and no mix can be cheaper.
    let v = json(&[
        "mix",
        FIXTURE,
        "--target-fit",
        "82.4",
        "--family",
        "claude-3",
    ]);
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
            "no plan reaches fit 95: the best fit available is 89.95 (anthropic/claude-3-opus)",
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
        format!("{body}\n[requirements]\nmax_monthly_cost = 400\n"),
    )
    .unwrap();
    // The cheapest plan at 83.91 costs $432 > $400.
    llmplan()
        .args([
            "mix",
            scenario.to_str().unwrap(),
            "--target-fit",
            "83.91",
            "--family",
            "claude-3",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "costs $432.00 a month, over max_monthly_cost $400.00",
        ));
}

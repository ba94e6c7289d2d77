//! `llmplan diff`: cost changes worked out by hand, and the CI gate.

mod common;

use common::{dec, llmplan};
use rust_decimal::Decimal;

const BASE: &str = "scenarios/support-chatbot.toml";
const NEW: &str = "tests/fixtures/support-chatbot-doubled.toml";

/// NEW doubles chat traffic from 20,000 to 40,000 requests a day. On Claude 3 Haiku:
///   chat: 20,000 × 30 = 600,000 requests × (1,800 × 0.25 + 350 × 1.25) ÷ 1M = 600,000 × 0.0008875 = $532.50
///         doubled: $1,065.00
///   nightly summaries: 30,000 × (4,000 × 0.25 + 500 × 1.25) ÷ 1M = $48.75 (no batch price), unchanged
/// so the monthly bill goes from $581.25 to $1,113.75, up $532.50. Over 12 months at 5% growth the
/// factor is Σ 1.05^k = (1.05^12 − 1) ÷ 0.05 = 15.917126…, so the horizon rises by
/// 532.50 × 15.917126 = $8,475.87.
#[test]
fn delta_matches_the_hand_computation() {
    let j = common::json(&["diff", BASE, NEW]);
    assert_eq!(j["chosen"]["model"], "anthropic/claude-3-haiku");
    assert_eq!(j["winner_changed"], false);
    assert_eq!(dec(&j["chosen"]["base_monthly"]), Decimal::new(58125, 2));
    assert_eq!(dec(&j["chosen"]["new_monthly"]), Decimal::new(111375, 2));
    assert_eq!(
        dec(&j["chosen"]["monthly_increase"]),
        Decimal::new(53250, 2)
    );
    assert_eq!(
        dec(&j["chosen"]["horizon_increase"]).round_dp(2),
        Decimal::new(847587, 2)
    );
    let w = j["workloads"].as_array().unwrap();
    assert_eq!(w[0]["name"], "chat");
    assert_eq!(dec(&w[0]["monthly_change"]), Decimal::new(53250, 2));
    assert_eq!(w[1]["name"], "nightly-summaries");
    assert_eq!(dec(&w[1]["monthly_change"]), Decimal::ZERO);
    let opus = j["models"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["model"] == "anthropic/claude-3-opus")
        .unwrap();
    // Opus chat: 600,000 × (1,800 × 15 + 350 × 75) ÷ 1M = 600,000 × 0.05325 = $31,950, doubled.
    assert_eq!(dec(&opus["monthly_change"]), Decimal::from(31950));
}

#[test]
fn fail_above_gates_on_the_chosen_models_increase() {
    let out = llmplan()
        .args(["diff", BASE, NEW, "--fail-above", "500"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("monthly cost of anthropic/claude-3-haiku rises by $532.50 (from $581.25 to $1,113.75), above --fail-above $500.00"), "{err}");
    let out = llmplan()
        .args(["diff", BASE, NEW, "--fail-above", "532.50"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "an increase equal to the limit passes"
    );
    let out = llmplan()
        .args(["diff", BASE, BASE, "--fail-above", "0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let table = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        table.contains("The winner stays anthropic/claude-3-haiku."),
        "{table}"
    );
    let out = llmplan()
        .args(["diff", BASE, NEW, "--fail-above", "lots"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

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
    assert!(err.contains("--fail-above: chosen-model spend changes by +$532.50 a month (anthropic/claude-3-haiku $581.25 → $1,113.75), above the limit of $500.00"), "{err}");
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

const NO_HAIKU: &str = "tests/fixtures/support-chatbot-no-haiku.toml";

/// Excluding Claude 3 Haiku moves the choice to Gemini 1.5 Pro. Chosen-model spend:
///   before, Haiku under BASE: $532.50 chat + $48.75 summaries = $581.25 (see above);
///   after, Gemini 1.5 Pro (128k tier: $7 in, $21 out per 1M):
///     chat 600,000 × (1,800 × 7 + 350 × 21) ÷ 1M = 600,000 × 0.01995 = $11,970 … at the ≤128k
///     list of $3.50 / $10.50: 600,000 × (1,800 × 3.5 + 350 × 10.5) ÷ 1M = 600,000 × 0.009975
///     = $5,985.00; summaries 30,000 × (4,000 × 3.5 + 500 × 10.5) ÷ 1M = $577.50 → $6,562.50;
///   change $6,562.50 − $581.25 = $5,981.25, which is 5,981.25 ÷ 581.25 = 1,029.03% of before.
/// The old gate compared Gemini with itself and saw $0.00.
#[test]
fn the_gate_sees_the_winner_switch() {
    let j = common::json(&["diff", BASE, NO_HAIKU]);
    assert_eq!(j["chosen_before"], "anthropic/claude-3-haiku");
    assert_eq!(j["chosen_after"], "google/gemini-1.5-pro");
    assert_eq!(dec(&j["monthly_before"]), Decimal::new(58125, 2));
    assert_eq!(dec(&j["monthly_after"]), Decimal::new(656250, 2));
    assert_eq!(dec(&j["monthly_change"]), Decimal::new(598125, 2));
    assert_eq!(dec(&j["monthly_change_percent"]), Decimal::new(102903, 2));
    // Horizon: the change × Σ 1.05^k (k < 12) = 5,981.25 × 15.917126… = $95,204.31.
    assert_eq!(
        dec(&j["horizon_change"]).round_dp(2),
        Decimal::new(9520431, 2)
    );
    // The existing fields stay: NEW's winner compared with itself.
    assert_eq!(j["chosen"]["model"], "google/gemini-1.5-pro");
    assert_eq!(dec(&j["chosen"]["monthly_increase"]), Decimal::ZERO);
    assert_eq!(j["winner_changed"], true);
    assert_eq!(j["failed"], false);
    let out = llmplan()
        .args(["diff", BASE, NO_HAIKU, "--fail-above", "100"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--fail-above: chosen-model spend changes by +$5,981.25 a month (anthropic/claude-3-haiku $581.25 → google/gemini-1.5-pro $6,562.50), above the limit of $100.00"),
        "{err}"
    );
}

fn code(args: &[&str]) -> Option<i32> {
    let mut all = vec!["diff", BASE, NO_HAIKU];
    all.extend(args);
    llmplan().args(&all).output().unwrap().status.code()
}

#[test]
fn each_gate_flag_fails_strictly_above_its_limit() {
    assert_eq!(code(&["--fail-above", "5981.25"]), Some(0));
    assert_eq!(code(&["--fail-above", "5981.24"]), Some(1));
    assert_eq!(code(&["--fail-above-percent", "1029.03"]), Some(0));
    assert_eq!(code(&["--fail-above-percent", "1029"]), Some(1));
    assert_eq!(code(&["--fail-if-monthly-above", "6562.50"]), Some(0));
    assert_eq!(code(&["--fail-if-monthly-above", "6562.49"]), Some(1));
    // Any one crossed fails the run; the JSON lists each gate.
    let out = llmplan()
        .args(["diff", BASE, NO_HAIKU, "--format", "json"])
        .args(["--fail-above", "10000", "--fail-above-percent", "5"])
        .args(["--fail-if-monthly-above", "7000"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let crossed: Vec<_> = j["gates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| (g["flag"].as_str().unwrap(), g["crossed"].as_bool().unwrap()))
        .collect();
    assert_eq!(
        crossed,
        [
            ("--fail-above", false),
            ("--fail-above-percent", true),
            ("--fail-if-monthly-above", false)
        ]
    );
    assert_eq!(j["failed"], true);
    for bad in ["--fail-above-percent", "--fail-if-monthly-above"] {
        assert_eq!(code(&[bad, "-1"]), Some(2), "{bad}");
        assert_eq!(code(&[bad, "lots"]), Some(2), "{bad}");
    }
}

#[test]
fn markdown_is_a_pull_request_comment_summary_breakdown_gate() {
    let out = llmplan()
        .args(["diff", BASE, NO_HAIKU, "--format", "markdown"])
        .args(["--fail-above", "100"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let md = String::from_utf8(out.stdout).unwrap();
    let summary = md
        .find("**Chosen-model spend rises: $581.25 → $6,562.50 a month, +$5,981.25 (+1029.03%).** The chosen model changes from `anthropic/claude-3-haiku` to `google/gemini-1.5-pro`.")
        .expect(&md);
    let breakdown = md.find("<summary>Breakdown</summary>").expect(&md);
    let gate = md.find("### Gate").expect(&md);
    assert!(summary < breakdown && breakdown < gate, "{md}");
    assert!(
        md.contains("| chat | $532.50 | $5,985.00 | $5,452.50 |"),
        "{md}"
    );
    assert!(md.contains("❌ **Failed**"), "{md}");
    assert!(md.contains("- ❌ `--fail-above 100`: chosen-model spend changes by +$5,981.25 a month (anthropic/claude-3-haiku $581.25 → google/gemini-1.5-pro $6,562.50), above the limit of $100.00."), "{md}");
}

//! `llmplan compare`: the Claude 3 ladder, worked out by hand.

mod common;

use common::dec;
use rust_decimal::Decimal;
use std::str::FromStr;

/// In the example scenario (mmlu, gsm8k and humaneval weighted equally), each score normalised
/// from chance (MMLU 25: (v − 25) ÷ 0.75; GSM8K and HumanEval 0):
///   Haiku  (66.9333… + 88.9 + 75.9) ÷ 3 = 77.2444…, $581.25 a month
///   Sonnet (72.0     + 92.3 + 73.0) ÷ 3 = 79.1,     $6,975.00
///   Opus   (82.4     + 95.0 + 84.9) ÷ 3 = 87.4333…, $34,875.00
/// Haiku → Sonnet: 6,393.75 ÷ 1.8555… = $3,445.733533 per fit point;
/// Sonnet → Opus: 27,900 ÷ 8.3333… = $3,348.000000 per fit point.
#[test]
fn claude_3_ladder() {
    let j = common::json(&[
        "compare",
        "scenarios/support-chatbot.toml",
        "--by",
        "family",
    ]);
    let g = j["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["group"] == "claude-3")
        .expect("a claude-3 group");
    assert_eq!(g["best"]["model"], "anthropic/claude-3-haiku");
    let ladder: Vec<&str> = g["ladder"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["model"].as_str().unwrap())
        .collect();
    assert_eq!(
        ladder,
        [
            "anthropic/claude-3-haiku",
            "anthropic/claude-3-sonnet",
            "anthropic/claude-3-opus"
        ]
    );
    let steps = g["steps"].as_array().unwrap();
    assert_eq!(
        dec(&steps[0]["monthly_cost_increase"]),
        Decimal::from_str("6393.75").unwrap()
    );
    assert_eq!(
        dec(&steps[0]["cost_per_fit_point"]),
        Decimal::from_str("3445.733533").unwrap()
    );
    assert_eq!(
        dec(&steps[1]["monthly_cost_increase"]),
        Decimal::from(27900)
    );
    assert_eq!(dec(&steps[1]["cost_per_fit_point"]), Decimal::from(3348));
}

#[test]
fn by_vendor_lists_each_vendors_best_offer() {
    let j = common::json(&[
        "compare",
        "scenarios/support-chatbot.toml",
        "--by",
        "vendor",
    ]);
    let groups = j["groups"].as_array().unwrap();
    let best = |v: &str| {
        groups
            .iter()
            .find(|g| g["group"] == v)
            .map(|g| g["best"]["model"].as_str().unwrap().to_string())
    };
    assert_eq!(
        best("anthropic").as_deref(),
        Some("anthropic/claude-3-haiku")
    );
    // Every group's best model carries its fit fields; OpenAI's is an estimate or observed.
    let openai = groups.iter().find(|g| g["group"] == "openai").unwrap();
    assert!(["observed", "partly_imputed", "imputed"]
        .contains(&openai["best"]["fit_status"].as_str().unwrap()));
    // Groups come in the order of their best model's rank: Anthropic's Haiku ranks first.
    assert_eq!(groups[0]["group"], "anthropic");
}

//! `llmplan compare`: the Claude 3 ladder, worked out by hand.

mod common;

use common::dec;
use rust_decimal::Decimal;
use std::str::FromStr;

/// In the example scenario (mmlu, gsm8k and humaneval weighted equally):
///   Haiku  (75.2 + 88.9 + 75.9) ÷ 3 = 80.0,     $581.25 a month
///   Sonnet (79.0 + 92.3 + 73.0) ÷ 3 = 81.4333…, $6,975.00
///   Opus   (86.8 + 95.0 + 84.9) ÷ 3 = 88.9,     $34,875.00
/// Haiku → Sonnet: 6,393.75 ÷ 1.4333… = $4,460.755814 per fit point;
/// Sonnet → Opus: 27,900 ÷ 7.4666… = $3,736.607143 per fit point.
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
        Decimal::from_str("4460.755814").unwrap()
    );
    assert_eq!(
        dec(&steps[1]["monthly_cost_increase"]),
        Decimal::from(27900)
    );
    assert_eq!(
        dec(&steps[1]["cost_per_fit_point"]),
        Decimal::from_str("3736.607143").unwrap()
    );
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
    assert_eq!(best("openai").as_deref(), Some("openai/gpt-3.5-turbo"));
    // Groups come in the order of their best model's rank: Anthropic's Haiku ranks first.
    assert_eq!(groups[0]["group"], "anthropic");
}

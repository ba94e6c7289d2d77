//! Procurement transparency: each row's price basis and every exchange rate used, with its date
//! and source.

mod common;

use serde_json::Value;

fn basis_of(j: &Value, model: &str) -> String {
    j["ranked"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["model"] == model)
        .unwrap_or_else(|| panic!("{model} not ranked"))["price_basis"]
        .as_str()
        .unwrap()
        .to_string()
}

/// scenarios/procurement-batch-summaries.toml takes 10% off Anthropic and sets a negotiated
/// price for GPT-4 Turbo; GLM-4 is priced in CNY and converted at the catalogue's rate.
#[test]
fn rank_rows_carry_their_price_basis_and_the_report_names_each_rate() {
    let s = "scenarios/procurement-batch-summaries.toml";
    let j = common::json(&["rank", s]);
    assert_eq!(basis_of(&j, "anthropic/claude-3-haiku"), "discounted");
    assert_eq!(basis_of(&j, "openai/gpt-4-turbo"), "override");
    assert_eq!(basis_of(&j, "openai/gpt-3.5-turbo"), "list");
    let cny = &j["fx"]["CNY"];
    assert_eq!(cny["rate"], "7.1059");
    assert_eq!(cny["as_of"], "2024-03-01");
    assert!(cny["source"]
        .as_str()
        .unwrap()
        .contains("China Foreign Exchange Trade System"));
    assert_eq!(j["fx"].as_object().unwrap().len(), 1, "USD is never listed");
    let out = common::llmplan().args(["rank", s]).output().unwrap();
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(table.contains("│ basis"), "{table}");
    assert!(
        table.contains("override   │") && table.contains("discounted │"),
        "{table}"
    );
    assert!(!table.contains("at list price less discounts"), "{table}");
    assert!(table.contains("Costs in USD at list price or the scenario's negotiated override, less its discounts (basis column)"), "{table}");
    assert!(
        table.contains(
            "Exchange rates used: 1 USD = 7.1059 CNY as of 2024-03-01 (CNY: central parity"
        ),
        "{table}"
    );
}

/// A rate set in the scenario's [pricing] fx has no date and says where it came from.
#[test]
fn a_scenario_rate_is_named_as_the_scenarios() {
    let j = common::json(&[
        "cost",
        "scenarios/chinese-medical-assistant.toml",
        "--model",
        "anthropic/claude-3-haiku",
    ]);
    assert_eq!(j["price_basis"], "list");
    assert_eq!(j["fx"]["CNY"]["rate"], "7.1059");
    assert_eq!(j["fx"]["CNY"]["as_of"], Value::Null);
    assert_eq!(j["fx"]["CNY"]["source"], "the scenario's [pricing] fx");
    // No conversion, no rate: GLM-4 is priced in CNY like the scenario.
    let j = common::json(&[
        "cost",
        "scenarios/chinese-medical-assistant.toml",
        "--model",
        "zhipu/glm-4",
    ]);
    assert_eq!(j["fx"], serde_json::json!({}));
}

#[test]
fn list_prices_only_keep_the_table_and_say_so() {
    let out = common::llmplan()
        .args(["rank", "scenarios/support-chatbot.toml"])
        .output()
        .unwrap();
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(!table.contains("basis"), "{table}");
    assert!(table.contains("Costs in USD at list price;"), "{table}");
}

//! Quick estimates: `cost` and `rank` priced from flags, without a scenario file.

mod common;

use common::{dec, llmplan};
use rust_decimal::Decimal;

const FLAGS: [&str; 6] = [
    "--requests-per-day",
    "20000",
    "--input-tokens",
    "1800",
    "--output-tokens",
    "350",
];

/// Claude 3 Haiku at $0.25 / $1.25 per 1M tokens: 20,000 × 30 = 600,000 requests a month ×
/// (1,800 × 0.25 + 350 × 1.25) ÷ 1M = 600,000 × 0.0008875 = $532.50 a month; 12 months with no
/// growth: $6,390.00. The defaults are the scenario file's: USD, 30 days, 12 months, no growth.
#[test]
fn cost_prices_a_one_workload_scenario_built_from_the_flags() {
    let mut args = vec!["cost", "--model", "anthropic/claude-3-haiku"];
    args.extend(FLAGS);
    let j = common::json(&args);
    assert_eq!(j["currency"], "USD");
    assert_eq!(j["horizon_months"], 12);
    assert_eq!(dec(&j["monthly_cost"]), Decimal::new(53250, 2));
    assert_eq!(dec(&j["horizon_cost"]), Decimal::new(639000, 2));
    assert_eq!(dec(&j["workloads"][0]["requests"]), Decimal::from(600_000));
}

#[test]
fn rank_takes_the_same_flags() {
    let mut args = vec!["rank"];
    args.extend(FLAGS);
    let j = common::json(&args);
    assert_eq!(j["horizon_months"], 12);
    let haiku = j["ranked"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["model"] == "anthropic/claude-3-haiku")
        .unwrap();
    assert_eq!(dec(&haiku["monthly_cost"]), Decimal::new(53250, 2));
}

fn fails(args: &[&str]) -> String {
    let out = llmplan().args(args).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{args:?}");
    assert!(out.stdout.is_empty());
    String::from_utf8(out.stderr).unwrap()
}

#[test]
fn mixing_with_a_file_or_leaving_a_flag_out_is_a_usage_error() {
    let e = fails(&[
        "rank",
        "scenarios/support-chatbot.toml",
        "--input-tokens",
        "5",
    ]);
    assert!(e.contains("scenarios/support-chatbot.toml is a scenario file and --input-tokens describe a workload: give one or the other"), "{e}");
    let e = fails(&[
        "cost",
        "--model",
        "anthropic/claude-3-haiku",
        "--input-tokens",
        "5",
    ]);
    assert!(
        e.contains("missing --requests-per-day and --output-tokens"),
        "{e}"
    );
    let e = fails(&[
        "rank",
        "--requests-per-day",
        "1e3",
        "--input-tokens",
        "1",
        "--output-tokens",
        "1",
    ]);
    assert!(
        e.contains("--requests-per-day must be a plain number"),
        "{e}"
    );
    let e = fails(&["rank"]);
    assert!(e.contains("<SCENARIO>"), "{e}");
}

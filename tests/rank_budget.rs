//! The budget gate of `llmplan rank`: exit 1, and by how much the cheapest model misses.

mod common;

/// Claude 3 models only, 1,000 chats a day of 1,000 in and 200 out: Haiku, the cheapest, costs
/// 30 × 1,000 × (1,000 × 0.25 + 200 × 1.25) ÷ 1M = $15.00 a month against a $10.00 budget:
/// $5.00, or 50%, over.
#[test]
fn rank_exits_1_and_says_by_how_much_the_cheapest_misses() {
    let out = common::llmplan()
        .args(["rank", "tests/fixtures/claude3-over-budget.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("the cheapest qualifying model, anthropic/claude-3-haiku, costs $15.00 a month, $5.00 more than max_monthly_cost $10.00 (50.0% over)"),
        "{err}"
    );
    let ok = common::llmplan()
        .args(["rank", "tests/fixtures/claude3-budget.toml"])
        .output()
        .unwrap();
    assert_eq!(ok.status.code(), Some(0));
}

//! Snapshots of every output format, so a change to what users see is a reviewed change.

mod common;

use common::llmplan;

fn stdout(args: &[&str]) -> String {
    let out = llmplan().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The fit fixture: its own small catalogue, so that the snapshots show an observed fit, an
/// estimate (`~`), a partly estimated one and a row without a fit, and do not move when the shipped
/// catalogue gains scores.
const RANK: &[&str] = &[
    "--no-default-profiles",
    "--profiles",
    "tests/fixtures/fit/profiles",
    "rank",
    "tests/fixtures/fit/chatbot.toml",
];

#[test]
fn rank_table() {
    insta::assert_snapshot!(stdout(&[RANK, &["--format", "table"]].concat()));
}

#[test]
fn rank_csv() {
    let csv = stdout(&[RANK, &["--format", "csv"]].concat());
    assert_eq!(csv.lines().count(), 8, "a header and seven rows");
    insta::assert_snapshot!(csv);
}

#[test]
fn rank_markdown() {
    insta::assert_snapshot!(stdout(&[RANK, &["--format", "markdown"]].concat()));
}

#[test]
fn rank_json() {
    let v: serde_json::Value =
        serde_json::from_str(&stdout(&[RANK, &["--format", "json"]].concat())).unwrap();
    insta::assert_json_snapshot!(v["ranked"][0]);
    // The estimate and the row without a fit, field by field.
    insta::assert_json_snapshot!("rank_json_estimate", v["ranked"][1]);
    insta::assert_json_snapshot!("rank_json_no_fit", v["ranked"][6]);
}

#[test]
fn cost_table_and_json() {
    let args = [
        "cost",
        "scenarios/procurement-batch-summaries.toml",
        "--model",
        "anthropic/claude-3-sonnet",
    ];
    insta::assert_snapshot!("cost_table", stdout(&args));
    let v: serde_json::Value =
        serde_json::from_str(&stdout(&[&args[..], &["--format", "json"]].concat())).unwrap();
    insta::assert_json_snapshot!("cost_json", v);
}

#[test]
fn show_table() {
    insta::assert_snapshot!(stdout(&["show", "anthropic/claude-3-haiku"]));
}

#[test]
fn models_markdown() {
    insta::assert_snapshot!(stdout(&[
        "models",
        "--vendor",
        "anthropic",
        "--format",
        "markdown"
    ]));
}

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

const RANK: &[&str] = &["rank", "scenarios/support-chatbot.toml", "--top", "5"];

#[test]
fn rank_table() {
    insta::assert_snapshot!(stdout(&[RANK, &["--format", "table"]].concat()));
}

#[test]
fn rank_csv() {
    let csv = stdout(&[RANK, &["--format", "csv"]].concat());
    assert_eq!(csv.lines().count(), 6, "a header and five rows");
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

//! Crossover summaries on grids too coarse to show every change: a crossover is stated only inside
//! a bracket where the grid's winners differ, every change inside it is narrowed in turn, and the
//! last one leads to the winner the grid shows at the bracket's end (here: no model qualifies, so
//! the summary says where qualification ends). Nothing overflowing reaches stdout.

mod common;

use common::llmplan;

/// The summary sentence (stderr for CSV) of a sweep that exits 0.
fn summary(args: &[&str]) -> String {
    let out = llmplan()
        .arg("sweep")
        .args(args)
        .args(["--format", "csv", "--quiet"])
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.trim_end().ends_with(",,,,"),
        "the last row has no winner:\n{stdout}"
    );
    stderr
        .lines()
        .find(|l| l.starts_with("Along "))
        .expect("a summary line")
        .to_string()
}

#[test]
fn a_floor_of_100_says_where_qualification_ends_not_who_wins_above_75() {
    let s = summary(&[
        "scenarios/support-chatbot.toml",
        "--vary",
        "requirements.min_scores.mmlu=0,100",
    ]);
    assert!(
        s.contains("anthropic/claude-3-haiku wins below 75.2; above it, "),
        "{s}"
    );
    assert!(s.contains("; above it, no model qualifies."), "{s}");
    assert!(
        s.contains("Between the grid values 0 and 100 the winner changes"),
        "{s}"
    );
}

#[test]
fn a_two_point_ladder_ends_where_the_last_row_does() {
    let s = summary(&[
        "scenarios/claude3-budget-ladder.toml",
        "--vary",
        "workload.chat.requests_per_day=500,80000",
    ]);
    // Opus at $0.03 a request fits $1,000 up to 1,111.11 requests a day; Sonnet ($0.006) to
    // 5,555.56; Haiku ($0.0005) to 66,666.7; above that nothing fits the budget.
    assert_eq!(
        s,
        "Along workload.chat.requests_per_day: anthropic/claude-3-opus wins below 1,111.11; above it, \
         anthropic/claude-3-sonnet wins below 5,555.56; above it, anthropic/claude-3-haiku wins below \
         66,666.7; above it, no model qualifies. Between the grid values 500 and 80,000 the winner \
         changes 3 times, each change narrowed by bisection; a finer grid may show more."
    );
}

#[test]
fn an_overflow_at_the_grids_end_writes_nothing_and_names_the_flag() {
    let out = llmplan()
        .args([
            "sweep",
            "scenarios/support-chatbot.toml",
            "--vary",
            "workload.chat.requests_per_day=1..70000000000000000000000000000/200000:log",
            "--format",
            "csv",
        ])
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        out.stdout.is_empty(),
        "{} bytes on stdout",
        out.stdout.len()
    );
    assert!(
        stderr.contains(
            "--vary workload.chat.requests_per_day: the grid point workload.chat.requests_per_day = 70000000000000000000000000000 cannot be evaluated: arithmetic overflow"
        ),
        "{stderr}"
    );
    assert!(
        !stderr.contains("support-chatbot.toml:"),
        "the scenario's line is not the culprit: {stderr}"
    );
}

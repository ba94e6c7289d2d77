//! Shared helpers for integration tests: run the real binary from the repository root.

#![allow(dead_code)]

pub mod schema;

use assert_cmd::Command;
use std::path::PathBuf;

/// The repository root, so tests can name `scenarios/` and `profiles/` files.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A `llmplan` command that runs in the repository root with colour and hints off.
#[must_use]
pub fn llmplan() -> Command {
    let mut cmd = Command::cargo_bin("llmplan").expect("binary built");
    cmd.current_dir(root())
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("COLUMNS");
    cmd
}

/// Runs the command, expects exit code 0, and parses stdout as JSON.
pub fn json(args: &[&str]) -> serde_json::Value {
    json_exiting(args, &[0])
}

/// Runs the command with `--format json`, expects one of the exit codes `codes`, and parses
/// stdout as JSON (a run that finds no model, exit 1, still prints its report).
pub fn json_exiting(args: &[&str], codes: &[i32]) -> serde_json::Value {
    let out = llmplan()
        .args(args)
        .args(["--format", "json"])
        .output()
        .expect("runs");
    assert!(
        out.status.code().is_some_and(|c| codes.contains(&c)),
        "{args:?}: exit {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("stdout is JSON")
}

/// A decimal string from JSON, parsed exactly.
pub fn dec(v: &serde_json::Value) -> rust_decimal::Decimal {
    v.as_str()
        .unwrap_or_else(|| panic!("expected a decimal string, got {v}"))
        .parse()
        .expect("decimal")
}

/// An import report's skipped entries: the keys under each reason.
pub fn skipped_by_reason(
    report: &serde_json::Value,
) -> std::collections::BTreeMap<String, Vec<String>> {
    report["skipped"]
        .as_array()
        .expect("skipped")
        .iter()
        .map(|s| {
            let keys = s["keys"].as_array().expect("keys").iter();
            (
                s["reason"].as_str().expect("reason").to_string(),
                keys.map(|k| k.as_str().expect("key").to_string()).collect(),
            )
        })
        .collect()
}

/// Ranks `scenario` by cheapest against only the profiles in `dir`, excluded models included,
/// and checks that every ranked row costs something.
pub fn rank_only(dir: &std::path::Path, scenario: &std::path::Path) -> serde_json::Value {
    let r = json(&[
        "--profiles",
        dir.to_str().expect("path"),
        "--no-default-profiles",
        "rank",
        scenario.to_str().expect("path"),
        "--objective",
        "cheapest",
        "--all",
    ]);
    for x in r["ranked"].as_array().expect("ranked") {
        assert!(dec(&x["monthly_cost"]) > rust_decimal::Decimal::ZERO, "{x}");
    }
    r
}

/// The reasons a rank report gives for excluding `id`, joined.
pub fn exclusion(rank: &serde_json::Value, id: &str) -> String {
    rank["excluded"]
        .as_array()
        .expect("excluded")
        .iter()
        .find(|x| x["model"] == id)
        .unwrap_or_else(|| panic!("{id} is not excluded"))["reasons"]
        .to_string()
}

/// `llmplan show ID --format json` with only the profiles in `dir` loaded.
pub fn show_in(dir: &std::path::Path, id: &str) -> serde_json::Value {
    json(&[
        "--profiles",
        dir.to_str().expect("path"),
        "--no-default-profiles",
        "show",
        id,
    ])
}

/// Checks a forecast's report: P10 ≤ P50 ≤ P90 of the first month and the horizon on every
/// ranked row, and win shares summing to exactly 1.
pub fn assert_forecast_rows_in_order(report: &serde_json::Value) {
    let mut total = rust_decimal::Decimal::ZERO;
    for r in report["ranked"].as_array().expect("ranked rows") {
        for key in ["monthly_cost", "horizon_cost"] {
            let p: Vec<rust_decimal::Decimal> = ["p10", "p50", "p90"]
                .iter()
                .map(|p| dec(&r[format!("{key}_{p}")]))
                .collect();
            assert!(
                p[0] <= p[1] && p[1] <= p[2],
                "{key} of {}: {p:?}",
                r["model"]
            );
        }
        total += dec(&r["win_share"]);
    }
    assert_eq!(total, rust_decimal::Decimal::ONE, "win shares");
}

/// Checks that a forecast with every range degenerate reproduces the report without ranges: the
/// same rows, and every percentile of the first month and the horizon equal to the deterministic
/// figure, digit for digit.
pub fn assert_degenerate_forecast_reproduces(
    fixed: &serde_json::Value,
    ranged: &serde_json::Value,
) {
    let rows = |v: &serde_json::Value| v["ranked"].as_array().expect("ranked rows").clone();
    let (fixed, ranged) = (rows(fixed), rows(ranged));
    assert_eq!(fixed.len(), ranged.len());
    for (a, b) in fixed.iter().zip(&ranged) {
        assert_eq!(a["model"], b["model"]);
        for key in ["monthly_cost", "horizon_cost"] {
            assert_eq!(a[key], b[key], "{key} of {}", a["model"]);
            for p in ["p10", "p50", "p90"] {
                assert_eq!(
                    a[key],
                    b[format!("{key}_{p}")],
                    "{key}_{p} of {}",
                    a["model"]
                );
            }
        }
    }
}

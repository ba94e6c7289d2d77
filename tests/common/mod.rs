//! Shared helpers for integration tests: run the real binary from the repository root.

#![allow(dead_code)]

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
    let out = llmplan()
        .args(args)
        .args(["--format", "json"])
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "exit {:?}: {}",
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

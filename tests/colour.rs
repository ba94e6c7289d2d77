//! Colour is for people at a terminal: piped output, `NO_COLOR` and machine formats stay plain.

mod common;
use common::llmplan;

const SCENARIO: &str = "scenarios/support-chatbot.toml";

fn stdout(cmd: &mut assert_cmd::Command) -> String {
    let out = cmd.output().expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

#[test]
fn piped_output_has_no_escape_codes() {
    // The test harness captures stdout through a pipe, as `| less` or `> file` would.
    let out = stdout(llmplan().env_remove("NO_COLOR").args(["rank", SCENARIO]));
    assert!(!out.contains('\x1b'), "escape codes in piped output");
}

#[test]
fn clicolor_force_colours_tables_only() {
    let table = stdout(
        llmplan()
            .env_remove("NO_COLOR")
            .env("CLICOLOR_FORCE", "1")
            .args(["rank", SCENARIO]),
    );
    assert!(
        table.contains("\x1b[1m"),
        "forced colour should bold the headers"
    );
    for format in ["json", "csv", "markdown"] {
        let out = stdout(
            llmplan()
                .env_remove("NO_COLOR")
                .env("CLICOLOR_FORCE", "1")
                .args(["rank", SCENARIO, "--format", format]),
        );
        assert!(!out.contains('\x1b'), "escape codes in {format}");
    }
}

#[test]
fn no_color_wins_over_clicolor_force() {
    let out = stdout(
        llmplan()
            .env("NO_COLOR", "1")
            .env("CLICOLOR_FORCE", "1")
            .args(["rank", SCENARIO]),
    );
    assert!(!out.contains('\x1b'));
}

#[test]
fn output_files_are_never_coloured() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rank.txt");
    llmplan()
        .env_remove("NO_COLOR")
        .env("CLICOLOR_FORCE", "1")
        .args(["rank", SCENARIO, "--output"])
        .arg(&path)
        .assert()
        .success();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.contains("Customer-support chatbot"),
        "the table was written"
    );
    assert!(!text.contains('\x1b'));
}

//! `llmplan completions` and `llmplan man`: generated from the clap definitions, so they must
//! know every command, and the shells and `man` must be able to read them.

mod common;
use clap::CommandFactory;
use common::llmplan;

fn subcommands() -> Vec<String> {
    llmplan::cli::Cli::command()
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .collect()
}

fn stdout(args: &[&str]) -> String {
    let out = llmplan().args(args).output().expect("runs");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

#[test]
fn every_script_mentions_every_subcommand() {
    let names = subcommands();
    for expected in ["rank", "schema", "completions", "man"] {
        assert!(
            names.iter().any(|n| n == expected),
            "{expected} is not a subcommand"
        );
    }
    for shell in ["bash", "zsh", "fish"] {
        let script = stdout(&["completions", shell]);
        for name in &names {
            assert!(
                script.contains(name.as_str()),
                "{shell} completions lack `{name}`"
            );
        }
        // Flags and value lists come along too.
        assert!(
            script.contains("no-default-profiles"),
            "{shell}: global flags"
        );
        assert!(script.contains("markdown"), "{shell}: --format values");
    }
}

#[test]
fn bash_can_parse_its_script() {
    let script = stdout(&["completions", "bash"]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("llmplan.bash");
    std::fs::write(&path, script).unwrap();
    let status = std::process::Command::new("bash")
        .arg("-n")
        .arg(&path)
        .status()
        .expect("bash runs");
    assert!(status.success(), "bash -n rejected the completion script");
}

#[test]
fn an_unknown_shell_is_a_usage_error() {
    llmplan()
        .args(["completions", "cmd.exe"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("bash"));
}

#[test]
fn the_man_page_has_the_standard_sections_and_every_command() {
    let page = stdout(&["man"]);
    assert!(page.contains(".TH llmplan 1"), "title header");
    for section in [
        ".SH NAME",
        ".SH SYNOPSIS",
        ".SH DESCRIPTION",
        ".SH OPTIONS",
        ".SH SUBCOMMANDS",
    ] {
        assert!(page.contains(section), "missing {section}");
    }
    for name in subcommands().iter().filter(|n| *n != "help") {
        assert!(
            page.contains(&format!("llmplan\\-{}(1)", name.replace('-', "\\-"))),
            "no entry for {name}"
        );
    }
}

#[test]
fn each_command_has_its_own_page() {
    let page = stdout(&["man", "rank"]);
    assert!(page.contains(".TH llmplan-rank 1"));
    assert!(
        page.contains("\\fBllmplan rank\\fR"),
        "the synopsis names the full command"
    );
    assert!(page.contains("\\-\\-objective"));
    llmplan()
        .args(["man", "rnak"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("rank"));
}

#[test]
fn man_renders_the_page_when_it_is_installed() {
    // `man -l` is the real reader; skip quietly on machines without it.
    let Ok(probe) = std::process::Command::new("man").arg("--version").output() else {
        return;
    };
    if !probe.status.success() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("llmplan.1");
    llmplan()
        .args(["man", "--output"])
        .arg(&path)
        .assert()
        .success();
    let out = std::process::Command::new("man")
        .arg("-l")
        .arg(&path)
        .env("MANWIDTH", "80")
        .output()
        .unwrap();
    // Bold and underline arrive as overstrikes (`N\x08N`) when the output is not a terminal.
    let mut text = String::new();
    for c in String::from_utf8_lossy(&out.stdout).chars() {
        if c == '\x08' {
            text.pop();
        } else {
            text.push(c);
        }
    }
    assert!(
        out.status.success(),
        "man -l failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("NAME") && text.contains("SYNOPSIS"), "{text}");
}

//! The output contract, rule by rule, through the real binary: a symlink is followed, a FIFO is
//! written in place, a new file gets 0666 less the umask, a replaced file keeps its mode, `--output`
//! and `--plot` are replaced together or not at all, two spellings of one file are refused, `-o -`
//! is stdout, and a closed or full stdout exits 2.

#![cfg(unix)]

mod common;

use common::{llmplan, root};
use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::path::Path;
use std::process::Command;

const SCENARIO: &str = "scenarios/support-chatbot.toml";
const LADDER: &str = "scenarios/claude3-budget-ladder.toml";

fn bin() -> std::path::PathBuf {
    assert_cmd::cargo::cargo_bin("llmplan")
}

/// Names in a folder that are left-over temporary or backup files.
fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".tmp") || n.starts_with(".bak"))
        .collect()
}

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).expect("exists").permissions().mode() & 0o7777
}

#[test]
fn a_symlink_is_followed_and_its_target_written() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let target = tmp.path().join("report.json");
    let link = tmp.path().join("latest.json");
    std::fs::write(&target, "old").expect("write");
    std::os::unix::fs::symlink("report.json", &link).expect("link");
    llmplan()
        .args(["rank", SCENARIO, "--format", "json", "--output"])
        .arg(&link)
        .assert()
        .success();
    assert!(std::fs::symlink_metadata(&link)
        .expect("still there")
        .file_type()
        .is_symlink());
    let written = std::fs::read_to_string(&target).expect("target written");
    assert!(written.contains("\"ranked\""), "{written}");
    // A dangling link creates the file it names.
    let dangling = tmp.path().join("next.json");
    std::os::unix::fs::symlink("future.json", &dangling).expect("link");
    llmplan()
        .args(["rank", SCENARIO, "--format", "json", "--output"])
        .arg(&dangling)
        .assert()
        .success();
    assert!(tmp.path().join("future.json").is_file());
    assert!(leftovers(tmp.path()).is_empty());
}

#[test]
fn a_fifo_is_written_in_place_not_replaced() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let fifo = tmp.path().join("pipe");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo")
        .success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).expect("reads"))
    };
    llmplan()
        .args(["rank", SCENARIO, "--format", "csv", "--output"])
        .arg(&fifo)
        .assert()
        .success();
    let got = reader.join().expect("reader");
    assert!(got.starts_with("rank,model,"), "{got}");
    assert!(std::fs::metadata(&fifo)
        .expect("still there")
        .file_type()
        .is_fifo());
}

/// Runs `rank --format json --output out` under a umask.
fn rank_under_umask(umask: &str, out: &Path) -> std::process::ExitStatus {
    Command::new("sh")
        .arg("-c")
        .arg(format!("umask {umask} && exec \"$0\" \"$@\""))
        .arg(bin())
        .args(["rank", SCENARIO, "--format", "json", "--output"])
        .arg(out)
        .current_dir(root())
        .status()
        .expect("runs")
}

#[test]
fn a_new_file_follows_the_umask_and_a_replaced_one_keeps_its_mode() {
    let tmp = tempfile::tempdir().expect("temp dir");
    for (umask, want) in [("077", 0o600), ("027", 0o640), ("022", 0o644)] {
        let out = tmp.path().join(format!("new-{umask}.json"));
        assert!(rank_under_umask(umask, &out).success());
        assert_eq!(mode(&out), want, "umask {umask}");
    }
    let kept = tmp.path().join("kept.json");
    std::fs::write(&kept, "old").expect("write");
    std::fs::set_permissions(&kept, std::fs::Permissions::from_mode(0o604)).expect("chmod");
    assert!(rank_under_umask("077", &kept).success());
    assert_eq!(mode(&kept), 0o604, "the old mode, whatever the umask");
    assert_ne!(std::fs::read_to_string(&kept).expect("read"), "old");
}

/// Runs a CSV sweep of the budget ladder to `rows` with a chart in `plot`.
fn sweep_with_plot(rows: &Path, plot: &Path) -> std::process::Output {
    llmplan()
        .args([
            "sweep",
            LADDER,
            "--vary",
            "workload.chat.requests_per_day=500..80000/12",
            "--format",
            "csv",
            "--quiet",
            "--output",
        ])
        .arg(rows)
        .arg("--plot")
        .arg(plot)
        .output()
        .expect("runs")
}

#[test]
fn rows_and_chart_are_replaced_together_or_not_at_all() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let rows = tmp.path().join("prev.csv");
    std::fs::write(&rows, "previous rows\n").expect("write");
    let out = sweep_with_plot(&rows, &tmp.path().join("nodir/c.svg"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("does not exist"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(&rows).expect("read"),
        "previous rows\n"
    );
    assert!(leftovers(tmp.path()).is_empty());
    // Both in place when both can be written.
    let chart = tmp.path().join("c.svg");
    assert!(sweep_with_plot(&rows, &chart).status.success());
    assert!(std::fs::read_to_string(&rows)
        .expect("read")
        .starts_with("workload.chat.requests_per_day,"));
    assert!(std::fs::read_to_string(&chart)
        .expect("read")
        .contains("<svg"));
}

#[test]
fn one_file_under_two_spellings_is_refused() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let d = tmp.path();
    std::fs::write(d.join("old.svg"), "old").expect("write");
    std::os::unix::fs::symlink("old.svg", d.join("alias.svg")).expect("link");
    let sweep = |output: &str, plot: &str| {
        llmplan()
            .current_dir(d)
            .arg("sweep")
            .arg(root().join(LADDER))
            .args([
                "--vary",
                "workload.chat.requests_per_day=500..80000/12",
                "--output",
                output,
                "--plot",
                plot,
            ])
            .output()
            .expect("runs")
    };
    for (output, plot) in [
        ("same.svg", "./same.svg"),
        ("old.svg", "alias.svg"),
        ("old.svg", "../{dir}/old.svg"),
    ] {
        let plot = plot.replace("{dir}", &d.file_name().expect("name").to_string_lossy());
        let out = sweep(output, &plot);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{output} {plot}: {stderr}");
        assert!(stderr.contains("name the same file"), "{stderr}");
        assert!(out.stdout.is_empty());
    }
    assert!(!d.join("same.svg").exists());
    assert_eq!(
        std::fs::read_to_string(d.join("old.svg")).expect("read"),
        "old"
    );
    assert!(leftovers(d).is_empty());
}

#[test]
fn dash_is_stdout() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = llmplan()
        .current_dir(tmp.path())
        .arg("rank")
        .arg(root().join(SCENARIO))
        .args(["--format", "json", "-o", "-"])
        .output()
        .expect("runs");
    assert!(out.status.success());
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    assert!(report["ranked"].is_array());
    assert!(!tmp.path().join("-").exists(), "a file named - was created");
    // /dev/stdout is a link to the pipe the report goes down, written in place.
    let out = llmplan()
        .args(["rank", SCENARIO, "--format", "json", "-o", "/dev/stdout"])
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    assert!(report["ranked"].is_array());
}

#[test]
fn a_closed_or_full_stdout_exits_2() {
    // JSON is written as it is made (render::deferred), not as one string: the same rules.
    for (redirect, needle) in [
        (">&-", "stdout is closed"),
        (">/dev/full", "No space left on device"),
        ("--format json >/dev/full", "No space left on device"),
        (
            "--format json --output /dev/full",
            "/dev/full: cannot write: No space left on device",
        ),
    ] {
        let out = Command::new("sh")
            .arg("-c")
            .arg(format!("exec \"$0\" rank {SCENARIO} {redirect}"))
            .arg(bin())
            .current_dir(root())
            .output()
            .expect("runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{redirect}: {stderr}");
        assert!(stderr.contains(needle), "{redirect}: {stderr}");
    }
    // Discarding the report on purpose is not an error.
    let status = Command::new("sh")
        .arg("-c")
        .arg(format!("exec \"$0\" rank {SCENARIO} >/dev/null"))
        .arg(bin())
        .current_dir(root())
        .status()
        .expect("runs");
    assert!(status.success());
}

#[test]
fn a_reader_that_stops_early_is_not_an_error_for_json_written_as_it_is_made() {
    // 2,000 workloads: rank's JSON is megabytes, far more than a pipe holds, so the write meets
    // the closed pipe part-way through.
    let tmp = tempfile::tempdir().expect("temp dir");
    let mut text = String::from("name = \"many\"\n");
    for i in 0..2_000 {
        text.push_str(&format!(
            "\n[[workload]]\nname = \"w{i}\"\nrequests_per_day = 100\ninput_tokens = 500\noutput_tokens = 100\n"
        ));
    }
    let path = tmp.path().join("many.toml");
    std::fs::write(&path, text).expect("write");
    for cmd in ["rank", "cost --model anthropic/claude-3-haiku"] {
        let out = Command::new("bash")
            .arg("-c")
            .arg(format!(
                "\"$0\" {cmd} \"$1\" --format json | head -c 100 >/dev/null; exit ${{PIPESTATUS[0]}}"
            ))
            .arg(bin())
            .arg(&path)
            .output()
            .expect("runs");
        assert!(
            out.status.success(),
            "{cmd}: {:?} {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

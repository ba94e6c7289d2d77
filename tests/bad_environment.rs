//! Hostile input that cannot live in `tests/bad/` as one file: folders whose entries cannot be
//! read, runaway scenarios, JSON with a byte order mark or keys written twice, and text that would
//! act on the terminal. Each exits 2 with the place named, or is escaped, and never panics.

mod common;

use common::{llmplan, root};

fn stderr_of(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[cfg(unix)]
#[test]
fn every_unreadable_toml_entry_of_a_profiles_folder_is_named() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let d = tmp.path();
    std::os::unix::fs::symlink("nowhere.toml", d.join("dangling.toml")).expect("link");
    std::os::unix::fs::symlink("loop.toml", d.join("loop.toml")).expect("link");
    std::fs::create_dir(d.join("folder.toml")).expect("mkdir");
    let out = llmplan()
        .arg("models")
        .arg("--profiles")
        .arg(d)
        .output()
        .expect("runs");
    let stderr = stderr_of(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(out.stdout.is_empty());
    for (name, what) in [
        (
            "dangling.toml",
            "is a symbolic link to a file that does not exist",
        ),
        ("loop.toml", "is a symbolic link that cannot be followed"),
        ("folder.toml", "is a folder, not a profile file"),
    ] {
        let line = format!("error: {}: {what}", d.join(name).display());
        assert!(stderr.contains(&line), "`{line}` missing from\n{stderr}");
    }
    assert!(stderr.contains("3 problems found"), "{stderr}");
}

#[test]
fn workloads_past_the_limit_are_refused_before_parsing() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let path = tmp.path().join("runaway.toml");
    let mut text = String::from("name = \"runaway\"\n");
    for i in 0..4 {
        text.push_str(&format!(
            "[[workload]]\nname = \"w{i}\"\nrequests_per_day = 1\ninput_tokens = 1\noutput_tokens = 1\n"
        ));
    }
    std::fs::write(&path, &text).expect("write");
    let shown = path.display().to_string();
    // The fourth [[workload]] header is on line 17: one name line, then five lines a workload.
    let out = llmplan()
        .env("LLMPLAN_MAX_WORKLOADS", "3")
        .arg("rank")
        .arg(&path)
        .output()
        .expect("runs");
    let stderr = stderr_of(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "error: {shown}:17:1: workload 4 is past the limit of 3 workloads in a scenario"
        )),
        "{stderr}"
    );
    assert!(stderr.contains("LLMPLAN_MAX_WORKLOADS"), "{stderr}");
    // Written as an inline array, they are counted after parsing.
    let inline = tmp.path().join("inline.toml");
    std::fs::write(
        &inline,
        "name = \"inline\"\nworkload = [\n{ name = \"a\", requests_per_day = 1, input_tokens = 1, output_tokens = 1 },\n{ name = \"b\", requests_per_day = 1, input_tokens = 1, output_tokens = 1 },\n]\n",
    )
    .expect("write");
    let out = llmplan()
        .env("LLMPLAN_MAX_WORKLOADS", "1")
        .arg("check")
        .arg(&inline)
        .output()
        .expect("runs");
    let stderr = stderr_of(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("the scenario has 2 workloads, more than the limit of 1"),
        "{stderr}"
    );
    // The default is 100,000: four workloads are fine.
    llmplan().arg("check").arg(&path).assert().success();
}

#[test]
fn a_forecast_past_the_draw_limit_is_refused_at_its_trials_or_the_input_past_the_limit() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let path = tmp.path().join("draws.toml");
    // Three ranged inputs: the growth on line 2 and the volumes on lines 6 and 11.
    let text = "name = \"draws\"\nmonthly_growth = { low = 0.01, high = 0.05 }\n\n[[workload]]\nname = \"a\"\nrequests_per_day = { low = 100, high = 200 }\ninput_tokens = 100\noutput_tokens = 100\n\n[[workload]]\nrequests_per_day = { low = 100, high = 200 }\nname = \"b\"\ninput_tokens = 100\noutput_tokens = 100\n";
    std::fs::write(&path, text).expect("write");
    let shown = path.display().to_string();
    let run = |limit: &str, cmd: &str| {
        let out = llmplan()
            .env("LLMPLAN_MAX_DRAWS", limit)
            .arg(cmd)
            .arg(&path)
            .output()
            .expect("runs");
        (out.status.code(), stderr_of(&out), out.stdout)
    };
    // The default 10,000 trials × 3 inputs = 30,000 draws; a limit of 25,000 lets two inputs
    // through, so the third, on line 11, is the one past it.
    let (code, stderr, stdout) = run("25000", "rank");
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stdout.is_empty());
    assert!(
        stderr.contains(&format!("error: {shown}:11:20: the forecast would draw 30,000 values (10,000 trials × 3 ranged inputs), more than the limit of 25,000")),
        "{stderr}"
    );
    assert!(stderr.contains("LLMPLAN_MAX_DRAWS=N"), "{stderr}");
    // Exactly at the limit is fine.
    let (code, stderr, _) = run("30000", "check");
    assert_eq!(code, Some(0), "{stderr}");
    // With trials written, the fault is at that line.
    std::fs::write(&path, format!("{text}\n[forecast]\ntrials = 20000\n")).expect("write");
    let (code, stderr, _) = run("50000", "check");
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!("error: {shown}:17:10: the forecast would draw 60,000 values (20,000 trials × 3 ranged inputs)")),
        "{stderr}"
    );
    // The default limit, 20,000,000, lets it through.
    llmplan().arg("check").arg(&path).assert().success();
}

#[test]
fn json_that_is_not_a_price_map_is_refused_at_its_character_without_a_panic() {
    let tmp = tempfile::tempdir().expect("temp dir");
    for (name, bytes) in [
        ("bom.json", b"\xef\xbb\xbf{\"a\":1}".as_slice()),
        ("accent.json", "{\"a\": é}".as_bytes()),
    ] {
        let path = tmp.path().join(name);
        std::fs::write(&path, bytes).expect("write");
        let out = llmplan()
            .args(["import", "litellm"])
            .arg(&path)
            .arg("--output")
            .arg(tmp.path().join("out"))
            .output()
            .expect("runs");
        let stderr = stderr_of(&out);
        assert_eq!(out.status.code(), Some(2), "{name}: {stderr}");
        assert!(
            stderr.contains(&format!("{}:1:", path.display())),
            "{name}: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{name}: {stderr}");
        assert!(!tmp.path().join("out").exists());
    }
}

#[test]
fn a_json_key_written_twice_skips_the_entry_and_says_why() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let path = tmp.path().join("prices.json");
    std::fs::write(
        &path,
        r#"{"good": {"litellm_provider": "acme", "mode": "chat", "input_cost_per_token": 1e-6, "output_cost_per_token": 2e-6, "max_input_tokens": 8000},
            "twice": {"litellm_provider": "acme", "mode": "chat", "input_cost_per_token": 1e-6, "output_cost_per_token": 2e-6, "input_cost_per_token": 9e-6}}"#,
    )
    .expect("write");
    let out = llmplan()
        .args(["import", "litellm"])
        .arg(&path)
        .args(["--as-of", "2024-06-01", "--format", "json", "--output"])
        .arg(tmp.path().join("out"))
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stderr_of(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(report["imported"], 1);
    let skipped = &report["skipped"][0];
    assert!(
        skipped["reason"]
            .as_str()
            .expect("reason")
            .starts_with("a key written twice"),
        "{skipped}"
    );
    assert_eq!(skipped["keys"][0], "twice");
    // An impossible --as-of date is refused.
    let out = llmplan()
        .args(["import", "litellm"])
        .arg(&path)
        .args(["--as-of", "2024-02-30", "--output"])
        .arg(tmp.path().join("out2"))
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn text_for_a_terminal_is_escaped_in_messages() {
    // The raw ESC sits in a comment on the faulty line, which the diagnostic quotes.
    let tmp = tempfile::tempdir().expect("temp dir");
    let path = tmp.path().join("esc.toml");
    std::fs::write(
        &path,
        "name = \"x\"\n[[workload]]\nname = \"chat\"\nrequests_per_day = -1 # \u{1b}[2J\ninput_tokens = 1\noutput_tokens = 1\n",
    )
    .expect("write");
    let out = llmplan().arg("check").arg(&path).output().expect("runs");
    let stderr = stderr_of(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        !stderr.contains('\u{1b}'),
        "a raw ESC reached stderr: {stderr:?}"
    );
    assert!(stderr.contains("# \\u{1b}[2J"), "{stderr}");
    let _ = root();
}

#[test]
fn a_file_with_thousands_of_faults_lists_the_first_hundred_quickly() {
    // Each fault used to re-read the whole file to find its line: 5,000 faults took minutes.
    let tmp = tempfile::tempdir().expect("temp dir");
    let path = tmp.path().join("zeros.toml");
    let mut text = String::from("name = \"zeros\"\n");
    for i in 0..3000 {
        text.push_str(&format!(
            "[[workload]]\nname = \"w{i}\"\nrequests_per_day = 0\ninput_tokens = 1\noutput_tokens = 1\n"
        ));
    }
    std::fs::write(&path, &text).expect("write");
    let out = llmplan().arg("check").arg(&path).output().expect("runs");
    let stderr = stderr_of(&out);
    assert_eq!(out.status.code(), Some(2));
    let shown = path.display().to_string();
    // The first fault is on line 4; the hundredth on line 4 + 99 × 5.
    assert!(stderr.contains(&format!(
        "error: {shown}:4:20: `requests_per_day` must be greater than 0"
    )));
    assert!(
        stderr.contains(&format!("error: {shown}:499:20: ")),
        "{}",
        &stderr[stderr.len().saturating_sub(600)..]
    );
    assert!(stderr.contains("2900 more problems in this file are not listed"));
    assert!(stderr.trim_end().ends_with("101 problems found"));
}

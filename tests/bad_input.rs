//! Bad input never crashes the planner, and every error points at the line.
//!
//! `tests/bad/` holds one broken file per fault. Each says what it expects in its first lines:
//!
//! ```text
//! # unknown field, with a did-you-mean
//! # expect-line: 9            (`none` for a fault with no place, such as a missing name)
//! # expect: unknown field `request_per_day`
//! # expect-help: did you mean `requests_per_day`?
//! ```
//!
//! Every file goes through the real binary: `llmplan check FILE`; for a scenario also
//! `llmplan rank FILE --output OUT`; for a profile also `llmplan models --profiles DIR` with the
//! file alone in DIR. Each run must exit 2, print nothing on stdout, name `FILE:LINE:` with the
//! message and the help on stderr, and leave no output file behind.

mod common;

use common::{llmplan, root};
use std::path::{Path, PathBuf};
use std::process::Output;

/// What a corpus file expects.
struct Expect {
    line: Option<usize>,
    message: String,
    help: String,
}

fn expectations(path: &Path) -> Expect {
    let text = std::fs::read_to_string(path).expect("corpus files are UTF-8");
    let field = |key: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(&format!("# {key}: ")))
            .unwrap_or_else(|| panic!("{} has no `# {key}:` line", path.display()))
            .to_string()
    };
    let line = field("expect-line");
    Expect {
        line: (line != "none").then(|| line.parse().expect("expect-line is a number or none")),
        message: field("expect"),
        help: field("expect-help"),
    }
}

/// Every way the run broke the contract, as text; empty when it kept it.
fn broken_promises(out: &Output, shown: &str, e: &Expect) -> Vec<String> {
    let stderr = String::from_utf8_lossy(&out.stderr);
    let mut faults = Vec::new();
    if out.status.code() != Some(2) {
        faults.push(format!("exit {:?}, expected 2", out.status.code()));
    }
    if !out.stdout.is_empty() {
        faults.push(format!(
            "stdout is not empty: {}",
            String::from_utf8_lossy(&out.stdout)
        ));
    }
    let at = match e.line {
        Some(l) => format!("error: {shown}:{l}:"),
        None => format!("error: {shown}: "),
    };
    let located = stderr
        .lines()
        .any(|l| l.starts_with(&at) && l.contains(&e.message));
    if !located {
        faults.push(format!("no line starting `{at}` with `{}`", e.message));
    }
    if !stderr
        .lines()
        .any(|l| l.trim_start().starts_with("= help:") && l.contains(&e.help))
    {
        faults.push(format!("no help line with `{}`", e.help));
    }
    if stderr.contains("panicked") {
        faults.push("panicked".into());
    }
    faults
}

fn corpus() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("tests/bad"))
        .expect("tests/bad exists")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_broken_file_is_refused_with_its_line_and_fix() {
    let files = corpus();
    assert!(
        files.len() >= 50,
        "the corpus shrank to {} files",
        files.len()
    );
    let tmp = tempfile::tempdir().expect("temp dir");
    let mut failures = Vec::new();
    for path in &files {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .expect("utf-8 name")
            .to_string();
        let rel = format!("tests/bad/{name}");
        let e = expectations(path);
        let mut runs: Vec<(String, Output, String)> = Vec::new();
        let out = llmplan().args(["check", &rel]).output().expect("runs");
        runs.push(("check".into(), out, rel.clone()));
        if name.starts_with("scenario-") {
            let target = tmp.path().join(format!("{name}.json"));
            let out = llmplan()
                .arg("rank")
                .arg(&rel)
                .arg("--output")
                .arg(&target)
                .output()
                .expect("runs");
            if target.exists() {
                failures.push(format!("{name}: rank --output left {}", target.display()));
            }
            runs.push(("rank --output".into(), out, rel.clone()));
        } else {
            let dir = tmp.path().join(name.trim_end_matches(".toml"));
            std::fs::create_dir_all(&dir).expect("dir");
            std::fs::copy(path, dir.join(&name)).expect("copy");
            let out = llmplan()
                .arg("models")
                .arg("--profiles")
                .arg(&dir)
                .output()
                .expect("runs");
            runs.push((
                "models --profiles".into(),
                out,
                dir.join(&name).display().to_string(),
            ));
        }
        for (how, out, shown) in &runs {
            for f in broken_promises(out, shown, &e) {
                failures.push(format!(
                    "{name} ({how}): {f}\n{}",
                    String::from_utf8_lossy(&out.stderr)
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} broken promises:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

/// Files that cannot even be read are refused the same way, by every command that reads one.
#[test]
fn unreadable_files_name_the_file_and_the_fix() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let d = tmp.path();
    std::fs::write(d.join("empty.toml"), "").expect("write");
    std::fs::write(d.join("blank.toml"), "\n   \n\t\n").expect("write");
    // "café" in Latin-1: the é is the single byte 0xE9, on line 2, column 6.
    std::fs::write(d.join("latin1.toml"), b"name = \"x\"\n# caf\xe9\n").expect("write");
    std::fs::create_dir(d.join("folder.toml")).expect("mkdir");
    let cases = [
        (
            "empty.toml",
            "empty.toml: is empty",
            "a scenario needs at least `name`",
        ),
        (
            "blank.toml",
            "blank.toml: is empty",
            "a profile needs a [vendor] table",
        ),
        (
            "latin1.toml",
            "latin1.toml:2:6: is not valid UTF-8: byte 0xE9",
            "save the file as UTF-8",
        ),
        (
            "missing.toml",
            "missing.toml: no such file",
            "check the path",
        ),
        (
            "folder.toml",
            "folder.toml: is a directory, not a file",
            "name a .toml file inside it",
        ),
    ];
    for (file, message, help) in cases {
        let path = d.join(file);
        let shown = path.display().to_string();
        let e = Expect {
            line: None,
            message: String::new(),
            help: help.into(),
        };
        let out_file = d.join("out.json");
        for args in [
            vec!["check"],
            vec!["rank"],
            vec!["cost", "--model", "openai/gpt-4"],
        ] {
            let out = llmplan()
                .args(&args)
                .arg(&path)
                .arg("--output")
                .arg(&out_file)
                .output()
                .expect("runs");
            let faults = broken_promises(&out, &shown, &e);
            // The located check is done here on the full message, which may carry a line.
            let stderr = String::from_utf8_lossy(&out.stderr);
            let whole = format!("error: {}", shown.trim_end_matches(file)) + message;
            let faults: Vec<_> = faults
                .into_iter()
                .filter(|f| !f.starts_with("no line starting"))
                .collect();
            assert!(faults.is_empty(), "{file} ({args:?}): {faults:?}\n{stderr}");
            assert!(
                stderr.contains(&whole),
                "{file} ({args:?}): expected `{whole}` in\n{stderr}"
            );
            assert!(!out_file.exists(), "{file} ({args:?}) left an output file");
        }
    }
}

/// Model ids must be unique: across the files given to `check`, and inside one --profiles folder.
#[test]
fn duplicate_model_ids_across_files_are_refused() {
    let a = "tests/bad/duplicate-ids/acme-a.toml";
    let b = "tests/bad/duplicate-ids/acme-b.toml";
    // acme-b.toml line 17 repeats the id acme-a.toml defines.
    let e = Expect {
        line: Some(17),
        message: "duplicate model id `acme/chat-1`: also defined in".into(),
        help: "model ids must be unique".into(),
    };
    let out = llmplan().args(["check", a, b]).output().expect("runs");
    assert_eq!(
        broken_promises(&out, b, &e),
        Vec::<String>::new(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains(&format!("also defined in {a}")));
    let out = llmplan()
        .args(["models", "--profiles", "tests/bad/duplicate-ids"])
        .output()
        .expect("runs");
    assert_eq!(
        broken_promises(&out, b, &e),
        Vec::<String>::new(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Each file alone is fine.
    llmplan().args(["check", a]).assert().success();
    llmplan().args(["check", b]).assert().success();
}

/// `check` reports every problem in every file in one run, and still checks the files it was
/// given when a --profiles folder is broken.
#[test]
fn check_reports_all_problems_in_all_files_at_once() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let profiles = tmp.path().join("profiles");
    std::fs::create_dir(&profiles).expect("mkdir");
    std::fs::copy(
        root().join("tests/bad/profile-negative-price.toml"),
        profiles.join("acme.toml"),
    )
    .expect("copy");
    let many = tmp.path().join("many.toml");
    // Three faults in one file, reported top to bottom: lines 4, 9 and 10.
    std::fs::write(
        &many,
        "name = \"many\"\n[[workload]]\nname = \"a\"\nrequests_per_day = 0\ninput_tokens = 1\noutput_tokens = 1\n\
         [[workload]]\nname = \"b\"\nrequests_per_day = -1\ninput_tokens = 1.5\noutput_tokens = 1\n",
    )
    .expect("write");
    let out = llmplan()
        .arg("check")
        .arg(&many)
        .args([
            "tests/bad/scenario-unknown-objective.toml",
            "scenarios/support-chatbot.toml",
            "tests/bad/profile-unknown-status.toml",
            "nowhere.toml",
        ])
        .arg("--profiles")
        .arg(&profiles)
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(out.stdout.is_empty());
    let m = many.display().to_string();
    let expected = [
        format!("{}:22:", profiles.join("acme.toml").display()),
        format!("{m}:4:20: `requests_per_day` must be greater than 0, found 0"),
        format!("{m}:9:20: `requests_per_day` must be greater than 0, found -1"),
        format!("{m}:10:16: `input_tokens` must be a whole number"),
        "tests/bad/scenario-unknown-objective.toml:14:".into(),
        "tests/bad/profile-unknown-status.toml:14:".into(),
        "nowhere.toml: no such file".into(),
    ];
    let mut last = 0;
    for e in &expected {
        let at = stderr
            .find(e.as_str())
            .unwrap_or_else(|| panic!("`{e}` missing from\n{stderr}"));
        assert!(at >= last, "`{e}` is out of order in\n{stderr}");
        last = at;
    }
    // One in the folder, three in many.toml, one each in the other three files.
    assert!(stderr.trim_end().ends_with("7 problems found"), "{stderr}");
    assert!(
        !stderr.contains("support-chatbot"),
        "a valid file was reported: {stderr}"
    );
}

/// An --output file that already exists is left exactly as it was when the run fails.
#[test]
fn a_failed_run_leaves_an_existing_output_file_untouched() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out_file = tmp.path().join("rank.json");
    std::fs::write(&out_file, "previous report\n").expect("write");
    let out = llmplan()
        .args([
            "rank",
            "tests/bad/scenario-overflow-requests.toml",
            "--format",
            "json",
            "--output",
        ])
        .arg(&out_file)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert_eq!(
        std::fs::read_to_string(&out_file).expect("still there"),
        "previous report\n"
    );
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
        .expect("list")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(
        leftovers.len(),
        1,
        "temporary files left behind: {leftovers:?}"
    );
}

/// Exit 1 is not an error: the run was clean and the report (with every exclusion) is the answer,
/// so it is written, to stdout or --output, and the reason goes to stderr.
#[test]
fn no_qualifying_model_still_writes_the_report_and_exits_1() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let scenario = tmp.path().join("impossible.toml");
    std::fs::write(
        &scenario,
        "name = \"impossible\"\n[[workload]]\nname = \"w\"\nrequests_per_day = 10\ninput_tokens = 100\noutput_tokens = 10\n[requirements]\nmin_context_tokens = 900000000\n",
    )
    .expect("write");
    let out_file = tmp.path().join("rank.json");
    let out = llmplan()
        .arg("rank")
        .arg(&scenario)
        .args(["--format", "json", "--output"])
        .arg(&out_file)
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no model qualifies for `impossible`"));
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out_file).expect("written")).expect("JSON");
    assert_eq!(report["eligible"], 0);
    assert!(!report["excluded"].as_array().expect("array").is_empty());
}

/// Names given on the command line are refused like names in files: exit 2, nothing on stdout,
/// the closest valid name and the full list.
#[test]
fn command_line_names_get_a_suggestion() {
    let cases: [(&[&str], &str); 4] = [
        (&["rank", "scenarios/support-chatbot.toml", "--objective", "cheap"], "unknown objective `cheap`; did you mean `cheapest`? use one of: cheapest, best_fit, balanced"),
        (&["models", "--capability", "json"], "unknown capability `json`; did you mean `json_mode`? use one of: function_calling, json_mode,"),
        (&["models", "--status", "beta"], "unknown status `beta`; use one of: ga, preview, announced, research, retired"),
        (&["models", "--vendor", "antropic"], "unknown vendor `antropic`; did you mean `anthropic`? vendors: 01ai,"),
    ];
    for (args, expected) in cases {
        let out = llmplan().args(args).output().expect("runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(out.stdout.is_empty(), "{args:?} printed on stdout");
        assert!(
            stderr.contains(expected),
            "{args:?}: expected `{expected}` in\n{stderr}"
        );
    }
}

#[test]
fn a_name_used_three_times_is_a_fault_at_each_later_use_naming_the_use_before() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("three.toml");
    let table = |name: &str| {
        format!("\n[[workload]]\nname = \"{name}\"\nrequests_per_day = 10\ninput_tokens = 100\noutput_tokens = 10\n")
    };
    // Workloads 1, 3 and 4 are `chat`; their name lines are 4, 16 and 22.
    let text = format!(
        "name = \"t\"\n{}{}{}{}",
        table("chat"),
        table("faq"),
        table("chat"),
        table("chat")
    );
    std::fs::write(&path, text).expect("write");
    let out = llmplan()
        .args(["check", path.to_str().expect("path")])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let faults: Vec<&str> = stderr.lines().filter(|l| l.starts_with("error:")).collect();
    assert_eq!(faults.len(), 2, "{stderr}");
    assert!(
        faults[0].ends_with(":16:8: workload name `chat` is used twice (first by workload 1)"),
        "{stderr}"
    );
    assert!(
        faults[1].ends_with(":22:8: workload name `chat` is used twice (first by workload 3)"),
        "{stderr}"
    );
}

//! `llmplan sweep --plot FILE`: the chart of the leading models along the first axis, with the
//! crossovers marked, written atomically; what it shows is checked, not its bytes.

mod common;

use common::llmplan;

const BUDGET: &str = "tests/fixtures/claude3-budget.toml";

fn run(args: &[&str]) -> (i32, String, String) {
    let out = llmplan().arg("sweep").args(args).output().expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The text elements of an SVG, one per line as plotters writes them.
fn texts(svg: &str) -> Vec<&str> {
    svg.lines()
        .map(str::trim)
        .filter(|l| !l.starts_with('<'))
        .collect()
}

/// The crossover diamonds: plotters writes each filled four-point polygon on its own line.
fn diamonds(svg: &str) -> usize {
    svg.lines()
        .filter(|l| l.trim_start().starts_with("<polygon"))
        .count()
}

/// As in tests/sweep.rs: under $1,000 a month Opus ($0.90 a month per daily request) wins below
/// 1,111.11 requests a day, Sonnet ($0.18) below 5,555.56, Haiku ($0.015) below 66,666.7, and
/// above that nothing qualifies. All three lead somewhere, and there are three crossovers.
#[test]
fn the_chart_names_every_leading_model_and_marks_each_crossover() {
    let dir = tempfile::tempdir().unwrap();
    let svg_path = dir.path().join("cost.svg");
    let (code, out, err) = run(&[
        BUDGET,
        "--vary",
        "workload.chat.requests_per_day=1000..100000/12:log",
        "--format",
        "csv",
        "--plot",
        svg_path.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.lines().count(), 13, "the rows are unchanged by --plot");
    assert!(
        err.contains("anthropic/claude-3-opus, anthropic/claude-3-sonnet, anthropic/claude-3-haiku along workload.chat.requests_per_day, 3 crossover(s) marked"),
        "{err}"
    );
    let svg = std::fs::read_to_string(&svg_path).unwrap();
    let t = texts(&svg);
    for label in [
        "anthropic/claude-3-opus",
        "anthropic/claude-3-sonnet",
        "anthropic/claude-3-haiku",
        "anthropic/claude-3-sonnet wins above 1,111.11",
        "anthropic/claude-3-haiku wins above 5,555.56",
        "no model qualifies above 66,666.7",
        "budget $1,000.00",
        "workload.chat.requests_per_day",
    ] {
        assert!(t.contains(&label), "`{label}` missing from {t:?}");
    }
    assert_eq!(diamonds(&svg), 3);
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temporary file left behind"
    );
}

#[test]
fn a_routed_sweep_draws_the_mix() {
    // See tests/sweep_routes.rs: Sonnet, then the mix above s = 0.327586, then Sonnet again
    // above 0.485248, where the mix passes the $1,000 budget.
    let dir = tempfile::tempdir().unwrap();
    let svg_path = dir.path().join("route.svg");
    let (code, _, err) = run(&[
        "tests/fixtures/routing/route-budget.toml",
        "--vary",
        "workload.chat.route.anthropic/claude-3-opus=0..1/11",
        "--plot",
        svg_path.to_str().unwrap(),
        "-q",
    ]);
    assert_eq!(code, 0, "{err}");
    let svg = std::fs::read_to_string(&svg_path).unwrap();
    let t = texts(&svg);
    for label in [
        "mix",
        "anthropic/claude-3-sonnet",
        "mix wins above 0.327586",
        "anthropic/claude-3-sonnet wins above 0.485248",
    ] {
        assert!(t.contains(&label), "`{label}` missing from {t:?}");
    }
    assert_eq!(diamonds(&svg), 2);
}

#[test]
fn a_long_axis_is_drawn_from_a_bounded_sample() {
    // 5,000 values along the axis: each line is drawn from at most 200 of them plus a few points
    // around each crossover (three here), whatever the grid size.
    let dir = tempfile::tempdir().unwrap();
    let svg_path = dir.path().join("long.svg");
    let (code, _, err) = run(&[
        BUDGET,
        "--vary",
        "workload.chat.requests_per_day=1000..100000/5000:log",
        "--vary",
        "days_per_month=30,31",
        "--format",
        "csv",
        "-o",
        dir.path().join("rows.csv").to_str().unwrap(),
        "--plot",
        svg_path.to_str().unwrap(),
        "-q",
    ]);
    assert_eq!(code, 0, "{err}");
    let svg = std::fs::read_to_string(&svg_path).unwrap();
    let most = svg
        .lines()
        .filter(|l| l.contains("<polyline"))
        .map(|l| l.matches(',').count())
        .max()
        .unwrap();
    assert!(most > 50 && most <= 200 + 3 * 4, "{most} points in a line");
    assert!(
        texts(&svg).contains(&"◆ where the winner changes, ranked by best_fit; other axes at their first value: days_per_month = 30"),
        "the subtitle says what the other axes are held at"
    );
    let rows = std::fs::read_to_string(dir.path().join("rows.csv")).unwrap();
    assert_eq!(rows.lines().count(), 10_001);
}

#[test]
fn a_chart_that_cannot_be_drawn_is_refused_before_the_sweep() {
    let dir = tempfile::tempdir().unwrap();
    let svg_path = dir.path().join("c.svg");
    let svg = svg_path.to_str().unwrap();
    let cases: &[(&[&str], &str)] = &[
        (
            &[
                "--vary",
                "workload.chat.requests_per_day=1000",
                "--plot",
                svg,
            ],
            "has a single value; give it at least two",
        ),
        (
            &[
                "--vary",
                "workload.chat.requests_per_day=1000,2000",
                "--plot",
                dir.path().to_str().unwrap(),
            ],
            "names a directory",
        ),
        (
            &[
                "--vary",
                "workload.chat.requests_per_day=1000,2000",
                "--plot",
                svg,
                "-o",
                svg,
            ],
            "name the same file",
        ),
    ];
    for (args, needle) in cases {
        let mut all = vec![BUDGET];
        all.extend_from_slice(args);
        let (code, out, err) = run(&all);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(out.is_empty(), "{args:?}: no rows");
        assert!(err.contains(needle), "{args:?}: {err}");
        assert!(!svg_path.exists(), "{args:?}: no chart");
    }
}

#[test]
fn the_committed_docs_chart_is_the_tools_own() {
    // docs/ecosystem.md shows this chart. Its text (labels, marks, notes) must be what the tool
    // draws today; regenerate it with the command in docs/ecosystem.md:
    //   cargo run -- sweep scenarios/claude3-budget-ladder.toml --vary workload.chat.requests_per_day=500..80000/12:log --plot docs/claude3-budget-sweep.svg
    let committed =
        std::fs::read_to_string(common::root().join("docs/claude3-budget-sweep.svg")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let fresh_path = dir.path().join("fresh.svg");
    let (code, _, err) = run(&[
        "scenarios/claude3-budget-ladder.toml",
        "--vary",
        "workload.chat.requests_per_day=500..80000/12:log",
        "--plot",
        fresh_path.to_str().unwrap(),
        "-q",
    ]);
    assert_eq!(code, 0, "{err}");
    let fresh = std::fs::read_to_string(&fresh_path).unwrap();
    assert_eq!(texts(&committed), texts(&fresh));
    assert_eq!(diamonds(&committed), 3);
    assert!(committed.len() < 60_000, "keep the docs chart small");
}

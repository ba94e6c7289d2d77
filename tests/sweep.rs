//! `llmplan sweep`: rows, crossovers worked out by hand, formats and refusals.

mod common;

use common::llmplan;

const BUDGET: &str = "tests/fixtures/claude3-budget.toml";

fn run(args: &[&str]) -> (i32, String, String) {
    let out = llmplan()
        .arg("sweep")
        .args(args)
        .arg("--quiet")
        .output()
        .expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The fixture wants the best MMLU among Claude 3 models under $1,000 a month, for chats of 1,000
/// input and 200 output tokens, 30 days a month. Per request:
///   Opus   (1,000 × 15 + 200 × 75) ÷ 1M     = $0.03     → 30 × 0.03   = $0.90  a month per daily request
///   Sonnet (1,000 × 3 + 200 × 15) ÷ 1M      = $0.006    → 30 × 0.006  = $0.18
///   Haiku  (1,000 × 0.25 + 200 × 1.25) ÷ 1M = $0.0005   → 30 × 0.0005 = $0.015
/// So Opus (MMLU 86.8, fit (86.8 − 25) ÷ 0.75 = 82.4 from chance) wins while 0.9 R ≤ 1,000, that
/// is below R = 1,111.11 requests a day; then Sonnet (79.0 → 72) below 1,000 ÷ 0.18 = 5,555.56;
/// then Haiku (75.2 → 66.9333…) below 1,000 ÷ 0.015 = 66,666.7; above that nothing fits the budget.
#[test]
fn crossovers_match_the_hand_computation() {
    let (code, out, err) = run(&[
        BUDGET,
        "--vary",
        "workload.chat.requests_per_day=1000..100000/100",
        "--format",
        "csv",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains(
            "Along workload.chat.requests_per_day: anthropic/claude-3-opus wins below 1,111.11; above it, \
             anthropic/claude-3-sonnet wins below 5,555.56; above it, anthropic/claude-3-haiku wins below 66,666.7; \
             above it, no model qualifies."
        ),
        "{err}"
    );
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 101, "one header line and one line per point");
    assert_eq!(
        lines[0],
        "workload.chat.requests_per_day,winner,monthly_cost,fit,runner_up"
    );
    // 1,000 a day: Opus at 0.9 × 1,000 = $900; Sonnet is next by fit.
    assert_eq!(
        lines[1],
        "1000,anthropic/claude-3-opus,900,82.4,anthropic/claude-3-sonnet"
    );
    // 2,000 a day: Opus would cost $1,800; Sonnet 0.18 × 2,000 = $360, then Haiku.
    assert_eq!(
        lines[2],
        "2000,anthropic/claude-3-sonnet,360,72,anthropic/claude-3-haiku"
    );
    // 66,000 a day: Haiku alone, 0.015 × 66,000 = $990; 67,000 would be $1,005.
    assert_eq!(lines[66], "66000,anthropic/claude-3-haiku,990,66.9333,");
    assert_eq!(lines[67], "67000,,,,");
}

#[test]
fn whole_fields_bisect_to_whole_numbers() {
    // Opus costs 30 × 1,000 × (I × 15 + 200 × 75) ÷ 1M = 0.45 I + 450 a month for I input tokens:
    // within $1,000 while I ≤ 1,222.2, so Sonnet takes over at 1,223 tokens.
    let (code, _, err) = run(&[
        BUDGET,
        "--vary",
        "workload.chat.input_tokens=1000..2000/11",
        "--format",
        "csv",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains(
            "anthropic/claude-3-opus wins below 1,223; above it, anthropic/claude-3-sonnet wins."
        ),
        "{err}"
    );
}

#[test]
fn json_lines_have_one_object_per_point() {
    for format in ["jsonl", "json"] {
        let (code, out, err) = run(&[
            BUDGET,
            "--vary",
            "workload.chat.requests_per_day=1000,70000",
            "--vary",
            "requirements.max_monthly_cost=500,2000",
            "--format",
            format,
        ]);
        assert_eq!(code, 0, "{err}");
        let rows: Vec<serde_json::Value> = out
            .lines()
            .map(|l| serde_json::from_str(l).expect("each line is JSON"))
            .collect();
        assert_eq!(rows.len(), 4);
        // 1,000 a day under $500: Opus ($900) is out, Sonnet ($180) wins.
        assert_eq!(rows[0]["winner"], "anthropic/claude-3-sonnet");
        assert_eq!(rows[0]["monthly_cost"], "180");
        assert_eq!(rows[0]["workload.chat.requests_per_day"], "1000");
        assert_eq!(rows[0]["requirements.max_monthly_cost"], "500");
        // 70,000 a day under $500: even Haiku costs 0.015 × 70,000 = $1,050.
        assert_eq!(rows[2]["winner"], serde_json::Value::Null);
        assert!(
            err.contains("Along requirements.max_monthly_cost"),
            "summary on stderr: {err}"
        );
    }
}

#[test]
fn table_and_markdown_carry_the_summary() {
    let (code, out, _) = run(&[BUDGET, "--vary", "workload.chat.requests_per_day=1000,2000"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("$900.00") && out.contains("Along workload.chat.requests_per_day"),
        "{out}"
    );
    let (_, md, _) = run(&[
        BUDGET,
        "--vary",
        "workload.chat.requests_per_day=1000,2000",
        "--format",
        "markdown",
    ]);
    assert!(
        md.starts_with("| workload.chat.requests_per_day | winner |"),
        "{md}"
    );
    assert!(
        md.contains("- Along workload.chat.requests_per_day"),
        "{md}"
    );
}

#[test]
fn monthly_growth_adds_the_horizon_cost() {
    // Opus at $900 a month with no growth: 12 × 900 = $10,800; with 10% a month 900 × Σ 1.1^k.
    let (_, out, _) = run(&[BUDGET, "--vary", "monthly_growth=0,0.1", "--format", "csv"]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0],
        "monthly_growth,winner,monthly_cost,fit,runner_up,horizon_cost"
    );
    assert_eq!(
        lines[1],
        "0,anthropic/claude-3-opus,900,82.4,anthropic/claude-3-sonnet,10800"
    );
    // Σ 1.1^k for k = 0..11 = (1.1^12 − 1) ÷ 0.1 = 21.384283767210; × 900 = 19245.855390489.
    assert_eq!(
        lines[2],
        "0.1,anthropic/claude-3-opus,900,82.4,anthropic/claude-3-sonnet,19245.85539"
    );
}

#[test]
fn bad_paths_and_values_exit_2_with_the_fix() {
    let (code, _, err) = run(&[BUDGET, "--vary", "workload.chat.request_per_day=1,2"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("did you mean `workload.chat.requests_per_day`?"),
        "{err}"
    );
    let (code, _, err) = run(&[BUDGET, "--vary", "workload.chat.input_tokens=1000.5"]);
    assert_eq!(code, 2);
    assert!(err.contains("not a whole number"), "{err}");
    let (code, _, err) = run(&[
        BUDGET,
        "--vary",
        "workload.chat.cached_input_share=0..1.5/4",
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains("--vary workload.chat.cached_input_share") && err.contains("between 0 and 1"),
        "{err}"
    );
    let (code, _, err) = run(&[BUDGET, "--vary", "workload.chat.requests_per_month=1,2"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("vary workload.chat.requests_per_day instead"),
        "{err}"
    );
}

#[test]
fn output_files_appear_whole_or_not_at_all() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("grid.csv");
    let f = file.to_str().unwrap();
    let (code, _, _) = run(&[
        BUDGET,
        "--vary",
        "days_per_month=40",
        "--format",
        "csv",
        "-o",
        f,
    ]);
    assert_eq!(code, 2);
    assert!(!file.exists());
    let (code, _, _) = run(&[
        BUDGET,
        "--vary",
        "days_per_month=1..31/31",
        "--format",
        "csv",
        "-o",
        f,
    ]);
    assert_eq!(code, 0);
    assert_eq!(std::fs::read_to_string(&file).unwrap().lines().count(), 32);
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temporary file left behind"
    );
}

#[test]
fn prices_and_fit_weights_take_the_general_path() {
    // A 40% Anthropic discount makes Opus 0.6 × 900 = $540 at 1,000 a day.
    let (code, out, _) = run(&[
        BUDGET,
        "--vary",
        "pricing.discounts.anthropic=0,0.4",
        "--format",
        "csv",
    ]);
    assert_eq!(code, 0);
    assert!(
        out.contains("\n0.4,anthropic/claude-3-opus,540,82.4,"),
        "{out}"
    );
}

/// (100,000 − 1,000) ÷ 999 = 99.099099… never ends, so inner points are rounded at the step's
/// sixth significant digit, the fourth decimal, and the summary says so. Opus costs
/// 0.9 × 1,099.0991 = $989.18919 a month at the second point; Sonnet 0.18 × 1,198.1982 = $215.675676
/// at the third (Opus would be over the $1,000 budget).
#[test]
fn ranges_with_endless_steps_are_rounded_and_say_so() {
    let (code, out, err) = run(&[
        BUDGET,
        "--vary",
        "workload.chat.requests_per_day=1000..100000/1000",
        "--format",
        "csv",
    ]);
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 1001);
    assert_eq!(
        lines[2],
        "1099.0991,anthropic/claude-3-opus,989.18919,82.4,anthropic/claude-3-sonnet"
    );
    assert_eq!(
        lines[3],
        "1198.1982,anthropic/claude-3-sonnet,215.675676,72,anthropic/claude-3-haiku"
    );
    assert!(lines[1000].starts_with("100000,"));
    assert!(
        err.contains("steps by 99.099099…, so its inner points are rounded to 4 decimal places"),
        "{err}"
    );
    assert!(!err.contains("ranked one by one"), "{err}");
}

/// A value with twenty decimals cannot be priced in 128-bit fixed point; the sweep still answers
/// (through `rank`) and says that it left the fast path.
#[test]
fn points_off_the_fast_path_are_reported() {
    let (code, out, err) = run(&[
        BUDGET,
        "--vary",
        "workload.chat.requests_per_day=1000,1000.00000000000000000001",
        "--format",
        "csv",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("\n1000.00000000000000000001,anthropic/claude-3-opus,"),
        "{out}"
    );
    assert!(
        err.contains("1 of 2 points could not be priced exactly in integers"),
        "{err}"
    );
}

/// A winner whose fit includes estimated scores says so in its row, as `rank` does; a measured
/// fit carries no mark. In the fit fixture, `fixture/epsilon` has imputed scores and wins on fit;
/// `fixture/gamma`, measured throughout, wins the balanced score.
#[test]
fn json_rows_mark_estimated_fits() {
    let rows = |objective: &str| -> Vec<serde_json::Value> {
        let out = llmplan()
            .args([
                "--no-default-profiles",
                "--profiles",
                "tests/fixtures/fit/profiles",
            ])
            .args(["sweep", "tests/fixtures/fit/chatbot.toml", "--quiet"])
            .args(["--vary", "workload.chat.requests_per_day=10,1000"])
            .args(["--objective", objective, "--format", "jsonl"])
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(0));
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(|l| serde_json::from_str(l).expect("each line is JSON"))
            .collect()
    };
    for row in rows("best_fit") {
        assert_eq!(row["winner"], "fixture/epsilon");
        assert_eq!(row["fit_estimated"], true, "{row}");
    }
    for row in rows("balanced") {
        assert_eq!(row["winner"], "fixture/gamma");
        assert!(row.get("fit_estimated").is_none(), "{row}");
    }
}

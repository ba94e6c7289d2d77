//! `llmplan sweep` over route shares and cascade escalation rates: the mix's cost and blended fit
//! in every row, crossovers worked out by hand, and the refusals. (Kept apart from tests/sweep.rs,
//! which covers the scenario-field paths.)

mod common;

use common::llmplan;

const FIXED: &str = "tests/fixtures/routing/fixed-route.toml";
const BUDGET: &str = "tests/fixtures/routing/route-budget.toml";
const CASCADE: &str = "tests/fixtures/routing/cascade.toml";
const OPUS: &str = "workload.chat.route.\"anthropic/claude-3-opus\"";

fn run(args: &[&str]) -> (i32, String, String) {
    let out = llmplan().arg("sweep").args(args).output().expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The CSV line of a point, split into fields.
fn row<'a>(csv: &'a str, value: &str) -> Vec<&'a str> {
    csv.lines()
        .find(|l| l.split(',').next() == Some(value))
        .unwrap_or_else(|| panic!("no row {value} in\n{csv}"))
        .split(',')
        .collect()
}

/// fixed-route.toml: 30,000 chats a month of 2,000 input and 500 output tokens.
///   Haiku alone: 30,000 × (2,000 × 0.25 + 500 × 1.25) ÷ 1M = $33.75
///   Opus alone:  30,000 × (2,000 × 15 + 500 × 75) ÷ 1M    = $2,025
/// A route sending a share s to Opus costs 33.75 + (2,025 − 33.75) s = 33.75 + 1,991.25 s, and its
/// blended fit is 77.2444… (1 − s) + 87.4333… s under the default weights (Haiku and Opus
/// normalised from chance: MMLU (v − 25) ÷ 0.75, GSM8K and HumanEval as printed; Haiku
/// (66.9333… + 88.9 + 75.9) ÷ 3 = 77.2444…, Opus (82.4 + 95 + 84.9) ÷ 3 = 87.4333…).
#[test]
fn route_share_cost_is_linear_and_fit_is_share_weighted() {
    let spec = format!("{OPUS}=0..1/5");
    let (code, out, err) = run(&[FIXED, "--vary", &spec, "--format", "csv", "-q"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out.lines().next().unwrap(),
        format!(
            "\"{}\",winner,monthly_cost,fit,runner_up,mix_monthly_cost,mix_fit",
            OPUS.replace('"', "\"\"")
        )
    );
    assert_eq!(out.lines().count(), 6);
    // s = 0.25: 33.75 + 1,991.25 × 0.25 = 531.5625; fit 0.75 × 77.2444… + 0.25 × 87.4333… =
    // 57.93333 + 21.85833 = 79.79167.
    assert_eq!(row(&out, "0.25")[5..], ["531.5625", "79.7917"]);
    // s = 0.75: 33.75 + 1,991.25 × 0.75 = 1,527.1875; fit 0.25 × 77.2444… + 0.75 × 87.4333… =
    // 19.31111 + 65.575 = 84.88611.
    assert_eq!(row(&out, "0.75")[5..], ["1527.1875", "84.8861"]);
    // The ends are the single models.
    assert_eq!(row(&out, "0")[5..], ["33.75", "77.2444"]);
    assert_eq!(row(&out, "1")[5..], ["2025", "87.4333"]);

    // The id may be written without quotes: the same rows.
    let bare = "workload.chat.route.anthropic/claude-3-opus=0..1/5";
    let (code, unquoted, _) = run(&[FIXED, "--vary", bare, "--format", "csv", "-q"]);
    assert_eq!(code, 0);
    assert_eq!(
        unquoted.lines().skip(1).collect::<Vec<_>>(),
        out.lines().skip(1).collect::<Vec<_>>()
    );
}

/// route-budget.toml ranks by MMLU (Haiku 75.2, Sonnet 79.0, Opus 86.8; normalised from chance,
/// (v − 25) ÷ 0.75: 66.9333…, 72 and 82.4) within $1,000 a month. The mix's fit is
/// 66.9333… + 15.4666… s and its cost 33.75 + 1,991.25 s (as above). Sonnet costs
/// 30,000 × (2,000 × 3 + 500 × 15) ÷ 1M = $405 at fit 72, so the mix wins while
///   66.9333… + 15.4666… s > 72 → s > 5.0666… ÷ 15.4666… = 0.3275862…
///   33.75 + 1,991.25 s ≤ 1,000 → s ≤ 966.25 ÷ 1,991.25 = 0.4852479…
/// and Sonnet wins on either side.
#[test]
fn a_route_share_sweep_finds_where_the_mix_wins() {
    let spec = format!("{OPUS}=0..1/11");
    let (code, out, err) = run(&[BUDGET, "--vary", &spec, "--format", "csv"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains(&format!(
            "Along {OPUS}: anthropic/claude-3-sonnet wins below 0.327586; above it, mix wins below 0.485248; above it, anthropic/claude-3-sonnet wins."
        )),
        "{err}"
    );
    // A routed scenario is ranked in full at every point, never on the integer fast path.
    assert!(err.contains("(full rank at each point)"), "{err}");
    // s = 0.4: the mix wins at 33.75 + 796.5 = $830.25 with fit 66.9333… + 6.18667 = 73.12.
    assert_eq!(
        row(&out, "0.4")[1..],
        [
            "mix",
            "830.25",
            "73.12",
            "anthropic/claude-3-sonnet",
            "830.25",
            "73.12"
        ]
    );
    // s = 0.1: Sonnet wins; the mix would cost 33.75 + 199.125 = $232.875 at fit
    // 66.9333… + 1.54667 = 68.48.
    assert_eq!(
        row(&out, "0.1")[1..],
        [
            "anthropic/claude-3-sonnet",
            "405",
            "72",
            "mix",
            "232.875",
            "68.48"
        ]
    );
    // s = 0.9: the mix is over budget (33.75 + 1,792.125 = $1,825.875), so it is not ranked, but
    // its cost and fit (66.9333… + 13.92 = 80.85333) are still in the row, for cost against quality.
    assert_eq!(
        row(&out, "0.9")[1..],
        [
            "anthropic/claude-3-sonnet",
            "405",
            "72",
            "anthropic/claude-3-haiku",
            "1825.875",
            "80.8533"
        ]
    );
}

/// cascade.toml: 10,000 reviews a month of 1,000 input and 200 output tokens; every request pays
/// Haiku, 30% pay Sonnet and e₁ pay Opus, each escalated one with 1,000 extra input tokens.
///   Haiku:  10,000 × (1,000 × 0.25 + 200 × 1.25) ÷ 1M      = $5
///   Sonnet: 3,000 × (2,000 × 3 + 200 × 15) ÷ 1M            = $27
///   Opus:   10,000 e₁ × (2,000 × 15 + 200 × 75) ÷ 1M        = $450 e₁
/// Answers: Haiku 0.7, Sonnet 0.3 − e₁, Opus e₁; fit 0.7 × 77.2444… + (0.3 − e₁) × 79.1 +
/// e₁ × 87.4333… (default weights, normalised from chance).
#[test]
fn an_escalation_sweep_prices_each_rate() {
    let (code, out, err) = run(&[
        CASCADE,
        "--vary",
        "workload.review.cascade.escalation.1=0..0.3/4",
        "--format",
        "jsonl",
        "-q",
    ]);
    assert_eq!(code, 0, "{err}");
    let rows: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let costs: Vec<&str> = rows
        .iter()
        .map(|r| r["mix_monthly_cost"].as_str().unwrap())
        .collect();
    // 5 + 27 + 450 × (0, 0.1, 0.2, 0.3).
    assert_eq!(costs, ["32", "77", "122", "167"]);
    // e₁ = 0.1: 54.07111 + 0.2 × 79.1 + 0.1 × 87.4333… = 78.63444, four decimals as in rank.
    assert_eq!(rows[1]["mix_fit"], "78.6344");
    assert_eq!(rows[1]["workload.review.cascade.escalation.1"], "0.1");
}

#[test]
fn a_three_model_route_is_rescaled_from_the_file_at_every_point() {
    // Haiku 0.5, Sonnet 0.3, Opus 0.2. Setting Haiku to s gives Sonnet 0.6 (1 − s) and Opus
    // 0.4 (1 − s), whatever point came before: even after s = 1, where both are 0.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("three.toml");
    std::fs::write(
        &file,
        "name = \"three\"\n[[workload]]\nname = \"chat\"\nrequests_per_month = 1000\ninput_tokens = 1000\noutput_tokens = 0\n\
         [workload.route]\n\"anthropic/claude-3-haiku\" = 0.5\n\"anthropic/claude-3-sonnet\" = 0.3\n\"anthropic/claude-3-opus\" = 0.2\n",
    )
    .unwrap();
    let (code, out, err) = run(&[
        file.to_str().unwrap(),
        "--vary",
        "workload.chat.requests_per_month=1000,2000",
        "--vary",
        "workload.chat.route.\"anthropic/claude-3-haiku\"=0,1",
        "--format",
        "csv",
        "-q",
    ]);
    assert_eq!(code, 0, "{err}");
    let lines: Vec<Vec<&str>> = out
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    // 1M input tokens a month at s = 0: 0.6 × $3 + 0.4 × $15 = $7.80; at s = 1: Haiku's $0.25.
    // 2,000 requests double both, including the row that follows s = 1.
    let mix: Vec<&str> = lines.iter().map(|l| l[6]).collect();
    assert_eq!(mix, ["7.8", "0.25", "15.6", "0.5"]);
}

#[test]
fn a_volume_sweep_of_a_routed_scenario_keeps_the_plan_as_the_name() {
    // Only the routes change the mix's name; a volume sweep names it after its plan, as rank does.
    let (code, out, err) = run(&[
        BUDGET,
        "--vary",
        "workload.chat.requests_per_day=1000,2000",
        "--format",
        "csv",
        "-q",
    ]);
    assert_eq!(code, 0, "{err}");
    // Sonnet (72) is the best fit; the 80/20 mix (0.8 × 66.9333… + 0.2 × 82.4 = 70.02667, at
    // 0.8 × 33.75 + 0.2 × 2,025 = $432) comes second.
    assert_eq!(
        out.lines().nth(1),
        Some("1000,anthropic/claude-3-sonnet,405,72,route: 80% anthropic/claude-3-haiku + 20% anthropic/claude-3-opus,432,70.0267")
    );
}

#[test]
fn bad_routing_paths_and_values_exit_2_with_the_fix() {
    let cases: &[(&str, &[&str], &[&str])] = &[
        // Escalation indices count from 0, and the message says so.
        (
            CASCADE,
            &["workload.review.cascade.escalation.2=0.1"],
            &[
                "counted from 0",
                "the index is 0 to 1",
                "escalation.1 (the share reaching `anthropic/claude-3-opus`)",
            ],
        ),
        // escalation[1] cannot exceed escalation[0] = 0.3.
        (
            CASCADE,
            &["workload.review.cascade.escalation.1=0..0.5/3"],
            &["escalation[1] must be between 0 and 0.3", "found 0.5"],
        ),
        // Two varied shares of one cascade are checked against each other.
        (
            CASCADE,
            &[
                "workload.review.cascade.escalation.0=0.2..1/3",
                "workload.review.cascade.escalation.1=0..0.25/2",
            ],
            &[
                "escalation[0] must be between 0.25 and 1",
                "found 0.2 (workload.review.cascade.escalation.1 takes 0.25 at most)",
            ],
        ),
        (
            CASCADE,
            &["workload.review.route.anthropic/claude-3-opus=0.5"],
            &[
                "has a [workload.cascade], not a route",
                "cascade.escalation.0",
            ],
        ),
        (
            FIXED,
            &["workload.chat.route.anthropic/claude-3-opas=0.5"],
            &["did you mean `workload.chat.route.\"anthropic/claude-3-opus\"`?"],
        ),
        (
            FIXED,
            &["workload.chat.route.anthropic/claude-3-opus=0..1.5/4"],
            &["between 0 and 1", "found 1.5"],
        ),
        (
            FIXED,
            &[
                "workload.chat.route.anthropic/claude-3-opus=0.5",
                "workload.chat.route.anthropic/claude-3-haiku=0.5",
            ],
            &["vary one share"],
        ),
        (
            FIXED,
            &[
                "workload.chat.route.anthropic/claude-3-opus=0.5",
                "workload.chat.route.\"anthropic/claude-3-opus\"=0.5",
            ],
            &["set the same field"],
        ),
        (
            "tests/fixtures/claude3-budget.toml",
            &["workload.chat.route.anthropic/claude-3-opus=0.5"],
            &["has no [workload.route]"],
        ),
    ];
    for (file, vary, needles) in cases {
        let mut args = vec![*file];
        for v in *vary {
            args.extend(["--vary", v]);
        }
        let (code, out, err) = run(&args);
        assert_eq!(code, 2, "{vary:?}: {err}");
        assert!(out.is_empty(), "{vary:?}: nothing on stdout");
        for n in *needles {
            assert!(err.contains(n), "{vary:?}: `{n}` missing from {err}");
        }
    }
}

//! Routed and cascaded workloads through the real binary: the file format, `cost` and `rank`.
//!
//! Claude 3 list prices per 1M tokens (report §1.4): Haiku $0.25 in / $1.25 out, Sonnet $3 / $15,
//! Opus $15 / $75. Fits under the default weights (mmlu, gsm8k, humaneval; report fig. 16):
//! Haiku (75.2 + 88.9 + 75.9) ÷ 3 = 80, Sonnet (79.0 + 92.3 + 73.0) ÷ 3 = 81.4333…,
//! Opus (86.8 + 95.0 + 84.9) ÷ 3 = 88.9.

mod common;

use common::{dec, json, llmplan};
use predicates::prelude::*;
use rust_decimal::Decimal;
use serde_json::Value;

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn mix_row(v: &Value) -> &Value {
    v["ranked"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["kind"] == "mix")
        .expect("a mix row")
}

#[test]
fn fixed_route_costs_what_each_share_costs_by_hand() {
    let v = json(&["cost", "tests/fixtures/routing/fixed-route.toml"]);
    // R = 1,000 × 30 = 30,000 requests.
    // Haiku 80% = 24,000 requests: input 48M × $0.25 = $12; output 12M × $1.25 = $15 → $27.
    // Opus 20% = 6,000 requests: input 12M × $15 = $180; output 3M × $75 = $225 → $405.
    // Total $432.
    assert_eq!(dec(&v["monthly_cost"]), d("432"));
    assert_eq!(
        v["model"],
        "route: 80% anthropic/claude-3-haiku + 20% anthropic/claude-3-opus"
    );
    let w = &v["workloads"][0];
    assert_eq!(w["kind"], "route");
    assert_eq!(dec(&w["cost"]), d("432"));
    // Lines are the legs' sums: input 12 + 180 = 192; output 15 + 225 = 240.
    assert_eq!(
        (dec(&w["input_cost"]), dec(&w["output_cost"])),
        (d("192"), d("240"))
    );
    let legs: Vec<(String, Decimal, Decimal, Decimal)> = w["route"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["model"].as_str().unwrap().to_string(),
                dec(&l["share"]),
                dec(&l["requests"]),
                dec(&l["cost"]),
            )
        })
        .collect();
    assert_eq!(
        legs,
        vec![
            (
                "anthropic/claude-3-haiku".into(),
                d("0.8"),
                d("24000"),
                d("27")
            ),
            (
                "anthropic/claude-3-opus".into(),
                d("0.2"),
                d("6000"),
                d("405")
            ),
        ]
    );
    // 12 months, no growth: 432 × 12 = 5,184.
    assert_eq!(dec(&v["horizon_cost"]), d("5184"));
}

#[test]
fn cascade_with_overhead_costs_what_each_step_costs_by_hand() {
    let v = json(&["cost", "tests/fixtures/routing/cascade.toml"]);
    // R = 10,000. Haiku sees every request: input 10M × 0.25 = 2.5; output 2M × 1.25 = 2.5 → $5.
    // Sonnet sees 30% = 3,000, each with 1,000 + 1,000 overhead = 2,000 input tokens:
    //   input 6M × 3 = 18; output 0.6M × 15 = 9 → $27.
    // Opus sees 10% = 1,000 with 2,000 input tokens: input 2M × 15 = 30; output 0.2M × 75 = 15 → $45.
    // Total $77. (Without the overhead Sonnet would cost $18 and Opus $30: $53.)
    assert_eq!(dec(&v["monthly_cost"]), d("77"));
    let w = &v["workloads"][0];
    assert_eq!(w["kind"], "cascade");
    let legs = w["route"].as_array().unwrap();
    let got: Vec<(Decimal, Decimal, u64, Decimal)> = legs
        .iter()
        .map(|l| {
            (
                dec(&l["share"]),
                dec(&l["answers"]),
                l["input_tokens_per_request"].as_u64().unwrap(),
                dec(&l["cost"]),
            )
        })
        .collect();
    // Answers: Haiku 1 − 0.3, Sonnet 0.3 − 0.1, Opus the last 0.1.
    assert_eq!(
        got,
        vec![
            (d("1"), d("0.7"), 1000, d("5")),
            (d("0.3"), d("0.2"), 2000, d("27")),
            (d("0.1"), d("0.1"), 2000, d("45"))
        ]
    );
    // Tokens are summed over the steps: input 10M + 6M + 2M = 18M; output 2M + 0.6M + 0.2M = 2.8M.
    assert_eq!(
        (dec(&w["input_tokens"]), dec(&w["output_tokens"])),
        (d("18000000"), d("2800000"))
    );
}

#[test]
fn rank_lists_the_route_as_one_candidate_with_blended_fit() {
    let v = json(&[
        "rank",
        "tests/fixtures/routing/fixed-route.toml",
        "--objective",
        "cheapest",
    ]);
    let row = mix_row(&v);
    assert_eq!(
        row["model"],
        "route: 80% anthropic/claude-3-haiku + 20% anthropic/claude-3-opus"
    );
    assert_eq!(dec(&row["monthly_cost"]), d("432"));
    // Fits normalised from chance (MMLU 25, GSM8K and HumanEval 0), default weights:
    //   Haiku (66.9333… + 88.9 + 75.9) ÷ 3 = 77.2444…; Opus (82.4 + 95 + 84.9) ÷ 3 = 87.4333….
    // Blended fit: 0.8 × 77.2444… + 0.2 × 87.4333… = 61.79556 + 17.48667 = 79.28222 → "79.2822".
    assert_eq!(dec(&row["fit"]), d("79.2822"));
    // Both scores are published: the blend is observed, with no band.
    assert_eq!(row["fit_status"], "observed");
    assert_eq!(row["fit_coverage"], "1");
    assert_eq!(row["fit_low"], row["fit"]);
    assert_eq!(row["answered_by"][0]["model"], "anthropic/claude-3-haiku");
    assert_eq!(dec(&row["answered_by"][0]["share"]), d("0.8"));
    // Each single model is still priced for the whole workload alone: Haiku 30,000 × (2,000 × 0.25
    // + 500 × 1.25) ÷ 1M = $33.75; Opus 60 times that, $2,025.
    let single = |id: &str| {
        v["ranked"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["model"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(
        dec(&single("anthropic/claude-3-haiku")["monthly_cost"]),
        d("33.75")
    );
    assert_eq!(
        dec(&single("anthropic/claude-3-opus")["monthly_cost"]),
        d("2025")
    );
    assert_eq!(single("anthropic/claude-3-haiku")["kind"], "model");
}

#[test]
fn rank_fit_of_a_cascade_weighs_the_model_that_answers() {
    let v = json(&["rank", "tests/fixtures/routing/cascade.toml"]);
    let row = mix_row(&v);
    // With Sonnet at (72 + 92.3 + 73) ÷ 3 = 79.1: 0.7 × 77.2444… + 0.2 × 79.1 + 0.1 × 87.4333… =
    // 54.07111 + 15.82 + 8.74333 = 78.63444 → "78.6344".
    assert_eq!(dec(&row["fit"]), d("78.6344"));
    assert_eq!(dec(&row["monthly_cost"]), d("77"));
    assert_eq!(
        row["model"],
        "cascade: anthropic/claude-3-haiku → 30% anthropic/claude-3-sonnet → 10% anthropic/claude-3-opus (+1000 tokens)"
    );
}

#[test]
fn unrouted_workloads_need_model_for_cost_and_take_the_best_single_in_rank() {
    llmplan()
        .args(["cost", "tests/fixtures/routing/partly-routed.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "workload(s) `summaries` have no route: add --model ID",
        ));
    let v = json(&[
        "cost",
        "tests/fixtures/routing/partly-routed.toml",
        "--model",
        "anthropic/claude-3-sonnet",
    ]);
    // chat by its route: $432. summaries on Sonnet: 10,000 × (1,000 × 3 + 200 × 15) ÷ 1M = $60.
    assert_eq!(dec(&v["monthly_cost"]), d("492"));
    assert_eq!(v["workloads"][1]["kind"], "single");
    assert_eq!(
        v["workloads"][1]["route"][0]["model"],
        "anthropic/claude-3-sonnet"
    );

    let r = json(&[
        "rank",
        "tests/fixtures/routing/partly-routed.toml",
        "--objective",
        "cheapest",
    ]);
    let first_single = r["ranked"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["kind"] == "model")
        .unwrap();
    let label = mix_row(&r)["model"].as_str().unwrap().to_string();
    assert_eq!(
        label,
        format!(
            "route: 80% anthropic/claude-3-haiku + 20% anthropic/claude-3-opus; other workloads on {}",
            first_single["model"].as_str().unwrap()
        )
    );
}

#[test]
fn the_example_scenario_is_priced_by_its_routes() {
    let v = json(&["cost", "scenarios/claude3-routing.toml"]);
    // support-chat: 600,000 requests, 1,500 in / 300 out. Haiku 85% = 510,000 × (1,500 × 0.25 +
    // 300 × 1.25) ÷ 1M = 510,000 × 0.00075 = $382.50; Opus 15% = 90,000 × 0.045 = $4,050.
    // code-review: 60,000 requests, 3,000 in / 600 out, 800 overhead. Haiku all: 60,000 × 0.0015 =
    // $90; Sonnet 30% = 18,000 × (3,800 × 3 + 600 × 15) ÷ 1M = 18,000 × 0.0204 = $367.20;
    // Opus 8% = 4,800 × (3,800 × 15 + 600 × 75) ÷ 1M = 4,800 × 0.102 = $489.60.
    // Total 382.5 + 4,050 + 90 + 367.2 + 489.6 = $5,379.30.
    assert_eq!(dec(&v["monthly_cost"]), d("5379.3"));
}

/// Writes a scenario to a temporary file and runs `llmplan check` on it.
fn check(body: &str) -> (i32, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.toml");
    std::fs::write(&path, body).unwrap();
    let out = llmplan()
        .args(["check", path.to_str().unwrap()])
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const HEAD: &str = "name = \"t\"\n[[workload]]\nname = \"w\"\nrequests_per_day = 10\ninput_tokens = 100\noutput_tokens = 10\n";

#[test]
fn route_shares_are_summed_exactly() {
    // 0.1 + 0.2 + 0.7 is exactly 1 in decimal (in binary floating point it is 1.0000000000000002).
    let body = format!("{HEAD}[workload.route]\n\"anthropic/claude-3-haiku\" = 0.1\n\"anthropic/claude-3-sonnet\" = 0.2\n\"anthropic/claude-3-opus\" = 0.7\n");
    assert_eq!(check(&body), (0, String::new()));
    let body = format!("{HEAD}[workload.route]\n\"anthropic/claude-3-haiku\" = 0.7\n\"anthropic/claude-3-opus\" = 0.2\n");
    let (code, err) = check(&body);
    assert_eq!(code, 2);
    // Line 7 is the [workload.route] header.
    assert!(err.contains("s.toml:7:"), "{err}");
    assert!(
        err.contains("the route shares of workload `w` sum to 0.9, not 1"),
        "{err}"
    );
    assert!(
        err.contains("\"anthropic/claude-3-opus\" = 0.3"),
        "the help suggests the fix: {err}"
    );
}

#[track_caller]
fn rejects(tail: &str, line: usize, message: &str) {
    let (code, err) = check(&format!("{HEAD}{tail}"));
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains(&format!("s.toml:{line}:")),
        "expected line {line}: {err}"
    );
    assert!(err.contains(message), "expected `{message}`: {err}");
    assert!(
        err.contains("help:"),
        "every fault says how to fix it: {err}"
    );
}

#[test]
fn bad_routes_and_cascades_are_located_and_explained() {
    rejects(
        "[workload.route]\n\"anthropic/claude-3-haiku\" = 1\n",
        7,
        "names 1 model(s); a route needs at least 2",
    );
    rejects(
        "[workload.route]\n\"anthropic/claude-3-haiku\" = 0.5\n\"anthropic/claude-3-opsu\" = 0.5\n",
        9,
        "did you mean `anthropic/claude-3-opus`?",
    );
    rejects(
        "[workload.route]\n\"anthropic/claude-3-haiku\" = 80\n\"anthropic/claude-3-opus\" = 20\n",
        8,
        "must be between 0 and 1",
    );
    rejects(
        "[workload.route]\n\"anthropic/claude-3-haiku\" = 0.5\n\"anthropic/claude-3-opus\" = 0.5\n[workload.cascade]\nmodels = [\"anthropic/claude-3-haiku\", \"anthropic/claude-3-opus\"]\nescalation = [0.2]\n",
        10,
        "has both [workload.route] and [workload.cascade]",
    );
    let cascade = "[workload.cascade]\nmodels = [\"anthropic/claude-3-haiku\", \"anthropic/claude-3-sonnet\", \"anthropic/claude-3-opus\"]\n";
    rejects(
        &format!("{cascade}escalation = [0.3]\n"),
        9,
        "has 3 models, so `escalation` needs 2 share(s), found 1",
    );
    rejects(&format!("{cascade}escalation = [0.1, 0.3]\n"), 9, "`escalation` must not increase: 0.3 of all requests cannot reach `anthropic/claude-3-opus` when only 0.1 reach `anthropic/claude-3-sonnet`");
    rejects(
        &format!("{cascade}escalation = [0.3, 0.1]\nescalation_overhead_tokens = 12.5\n"),
        10,
        "must be a whole number",
    );
    rejects("[workload.cascade]\nmodels = [\"anthropic/claude-3-haiku\", \"anthropic/claude-3-haiku\"]\nescalation = [0.3]\n", 8, "appears twice in the cascade");
    rejects("[workload.cascade]\nmodels = [\"anthropic/claude-3-haiku\", \"anthropic/claude-3-opus\"]\nescalations = [0.3]\n", 9, "unknown field `escalations`");
}

#[test]
fn media_workloads_cannot_be_routed() {
    let body = "name = \"t\"\n[[workload]]\nname = \"img\"\nimages_per_month = 100\n[workload.route]\n\"openai/gpt-4\" = 0.5\n\"anthropic/claude-3-opus\" = 0.5\n";
    let (code, err) = check(body);
    assert_eq!(code, 2);
    assert!(
        err.contains("s.toml:5:")
            && err.contains("generates images or video, so it cannot be routed"),
        "{err}"
    );
}

#[test]
fn a_route_through_a_model_that_fails_a_requirement_is_excluded_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.toml");
    // GPT-4 (8,192-token window) cannot take the 20,000-token prompts any request may bring it.
    let body = "name = \"t\"\n[[workload]]\nname = \"w\"\nrequests_per_day = 10\ninput_tokens = 20000\noutput_tokens = 100\n[workload.route]\n\"anthropic/claude-3-haiku\" = 0.9\n\"openai/gpt-4\" = 0.1\n";
    std::fs::write(&path, body).unwrap();
    let v = json(&["rank", path.to_str().unwrap(), "--all"]);
    assert!(v["ranked"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["kind"] != "mix"));
    let ex = v["excluded"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["model"] == "route: 90% anthropic/claude-3-haiku + 10% openai/gpt-4")
        .unwrap();
    let reasons: Vec<&str> = ex["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    assert_eq!(
        reasons,
        vec!["openai/gpt-4: context window 8,192 tokens < 20,100 needed by workload `w`"]
    );
}

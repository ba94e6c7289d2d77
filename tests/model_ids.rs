//! Friendly model ids through the real binary: unique suffixes and aliases resolve, an ambiguous
//! name fails with its candidates, an unknown one gets a did-you-mean, on the command line and in
//! scenario files alike.
//!
//! tests/fixtures/ids/ holds two made-up vendors with their own prices: `acme/widget-1` (alias
//! `widget-1-20240101`, $1 / $2 per 1M tokens), `acme/widget-2` ($3 / $6), and a reseller with
//! `hub/acme/widget-1` ($1.50 / $3) and `hub/widget-1-20240101` ($0.50 / $1).

mod common;

use common::{dec, json, llmplan};
use predicates::prelude::*;
use rust_decimal::Decimal;
use std::path::PathBuf;

const IDS: [&str; 3] = ["--no-default-profiles", "--profiles", "tests/fixtures/ids"];

fn with_ids(args: &[&str]) -> Vec<String> {
    IDS.iter().chain(args).map(|s| s.to_string()).collect()
}

fn shown_id(name: &str) -> String {
    let args = with_ids(&["show", name]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    json(&args)["id"].as_str().unwrap().to_string()
}

/// A scenario of 100 requests a month of 10,000 input and 10,000 output tokens (1M each way),
/// plus `extra`.
fn scenario(dir: &tempfile::TempDir, extra: &str) -> PathBuf {
    let path = dir.path().join("s.toml");
    std::fs::write(
        &path,
        format!(
            "name = \"ids\"\nhorizon_months = 1\n[[workload]]\nname = \"w\"\nrequests_per_month = 100\ninput_tokens = 10000\noutput_tokens = 10000\n{extra}"
        ),
    )
    .unwrap();
    path
}

/// `rank --all` of a scenario against the fixture catalogue, as JSON.
fn rank_all(s: &std::path::Path) -> serde_json::Value {
    let args = with_ids(&["rank", s.to_str().unwrap(), "--all"]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    json(&args)
}

/// The ranked row of a model, if it is ranked.
fn ranked(r: &serde_json::Value, id: &str) -> Option<serde_json::Value> {
    r["ranked"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["model"] == id)
        .cloned()
}

#[test]
fn suffixes_and_aliases_resolve_to_full_ids() {
    assert_eq!(shown_id("widget-2"), "acme/widget-2");
    // The id without its vendor beats the reseller's deeper suffix `acme/widget-1`.
    assert_eq!(shown_id("widget-1"), "acme/widget-1");
    assert_eq!(shown_id("acme/widget-1-20240101"), "acme/widget-1");
    // `acme/widget-1` is a full id; `hub/acme/widget-1` only when asked for in full.
    assert_eq!(shown_id("acme/widget-1"), "acme/widget-1");
    assert_eq!(shown_id("hub/acme/widget-1"), "hub/acme/widget-1");
}

#[test]
fn an_ambiguous_id_fails_with_every_candidate() {
    llmplan()
        .args(with_ids(&["show", "widget-1-20240101"]))
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "model id `widget-1-20240101` is ambiguous: it names 2 models; give one of them in full: acme/widget-1 (alias), hub/widget-1-20240101",
        ));
    llmplan()
        .args(with_ids(&[
            "cost",
            "scenarios/support-chatbot.toml",
            "--model",
            "widget-1-20240101",
        ]))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is ambiguous"));
}

#[test]
fn an_unknown_id_gets_a_did_you_mean() {
    llmplan()
        .args(with_ids(&["show", "widgt-2"]))
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "no model `widgt-2` in the catalogue; did you mean `acme/widget-2`?",
        ));
    // In the built-in catalogue, the issue's own examples.
    assert_eq!(
        json(&["show", "claude-3-haiku"])["id"],
        "anthropic/claude-3-haiku"
    );
    assert_eq!(
        json(&["show", "claude-3-haiku-20240307"])["id"],
        "anthropic/claude-3-haiku"
    );
    assert_eq!(json(&["show", "gpt-4-turbo"])["id"], "openai/gpt-4-turbo");
    llmplan()
        .args([
            "cost",
            "scenarios/support-chatbot.toml",
            "--model",
            "claude-3-haku",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "did you mean `anthropic/claude-3-haiku`?",
        ));
}

#[test]
fn scenario_references_resolve_and_reports_print_full_ids() {
    let tmp = tempfile::tempdir().unwrap();
    let s = scenario(
        &tmp,
        "[requirements]\nexclude_models = [\"widget-1\"]\n[pricing.discounts]\n\"widget-2\" = 0.5\n",
    );
    let r = rank_all(&s);
    let row = |id: &str| ranked(&r, id);
    // widget-2: 1M × $3 + 1M × $6 = $9, half off = $4.50.
    assert_eq!(
        dec(&row("acme/widget-2").unwrap()["monthly_cost"]),
        Decimal::new(45, 1)
    );
    assert!(row("acme/widget-1").is_none());
    let excluded = r["excluded"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["model"] == "acme/widget-1")
        .expect("widget-1 is excluded");
    assert!(excluded["reasons"][0]
        .as_str()
        .unwrap()
        .contains("exclude_models"));
}

#[test]
fn routes_take_short_names() {
    let tmp = tempfile::tempdir().unwrap();
    let s = scenario(
        &tmp,
        "[workload.route]\n\"widget-2\" = 0.5\n\"hub/widget-1-20240101\" = 0.5\n",
    );
    let args = with_ids(&["cost", s.to_str().unwrap()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let v = json(&args);
    // Half the requests on each: ($3 + $6) ÷ 2 + ($0.50 + $1) ÷ 2 = 4.5 + 0.75 = $5.25.
    assert_eq!(dec(&v["monthly_cost"]), Decimal::new(525, 2));
    let mut legs: Vec<&str> = v["workloads"][0]["route"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["model"].as_str().unwrap())
        .collect();
    legs.sort();
    assert_eq!(legs, ["acme/widget-2", "hub/widget-1-20240101"]);
}

#[test]
fn an_ambiguous_or_doubled_reference_in_a_scenario_is_located() {
    let tmp = tempfile::tempdir().unwrap();
    let s = scenario(
        &tmp,
        "[requirements]\nexclude_models = [\"widget-1-20240101\"]\n",
    );
    llmplan()
        .args(with_ids(&["rank", s.to_str().unwrap()]))
        .assert()
        .code(2)
        .stdout("")
        .stderr(
            predicate::str::contains("s.toml:9:")
                .and(predicate::str::contains("is ambiguous"))
                .and(predicate::str::contains("hub/widget-1-20240101")),
        );
    let s = scenario(
        &tmp,
        "[pricing.discounts]\n\"widget-2\" = 0.1\n\"acme/widget-2\" = 0.2\n",
    );
    llmplan()
        .args(with_ids(&["rank", s.to_str().unwrap()]))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "names `acme/widget-2`, which has a discount already",
        ));
    let s = scenario(
        &tmp,
        "[workload.cascade]\nmodels = [\"widget-2\", \"acme/widget-2\"]\nescalation = [0.1]\n",
    );
    llmplan()
        .args(with_ids(&["rank", s.to_str().unwrap()]))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "`acme/widget-2` appears twice in the cascade",
        ));
}

#[test]
fn sweep_paths_take_short_names_for_discounts_and_overrides() {
    let tmp = tempfile::tempdir().unwrap();
    let s = scenario(
        &tmp,
        "[requirements]\nexclude_models = [\"hub/widget-1-20240101\", \"hub/acme/widget-1\"]\n",
    );
    // widget-1 at an input price of $5 costs 1M × $5 + 1M × $2 = $7, so widget-2 ($9) at half
    // price ($4.50) wins the second row and loses the first.
    let out = llmplan()
        .args(with_ids(&[
            "sweep",
            s.to_str().unwrap(),
            "--vary",
            "pricing.discounts.widget-2=0,0.5",
            "--vary",
            "pricing.override.widget-1.input=5",
            "--format",
            "csv",
        ]))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let csv = String::from_utf8(out.stdout).unwrap();
    let winners: Vec<&str> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(2).unwrap())
        .collect();
    assert_eq!(winners, ["acme/widget-1", "acme/widget-2"], "{csv}");
    llmplan()
        .args(with_ids(&[
            "sweep",
            s.to_str().unwrap(),
            "--vary",
            "pricing.override.widget-1-20240101.input=1,2",
        ]))
        .assert()
        .code(2);
}

/// Runs the command and returns its stdout, failing on a non-zero exit.
fn stdout(args: &[&str]) -> String {
    let out = llmplan().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn every_command_that_takes_a_model_id_takes_a_short_name() {
    // Each pair prints the same report whether the models are named in full or by the id
    // without its vendor.
    let pairs: [(&[&str], &[&str]); 4] = [
        (
            &[
                "breakeven",
                "scenarios/build-or-buy.toml",
                "--model",
                "meta/llama-2-70b",
                "--vs",
                "anthropic/claude-3-haiku",
            ],
            &[
                "breakeven",
                "scenarios/build-or-buy.toml",
                "--model",
                "llama-2-70b",
                "--vs",
                "claude-3-haiku-20240307",
            ],
        ),
        (
            &[
                "throughput",
                "--model",
                "meta/llama-2-7b",
                "--gpu",
                "h100-sxm",
                "--precision",
                "fp8",
                "--input",
                "128",
                "--output",
                "256",
            ],
            &[
                "throughput",
                "--model",
                "llama-2-7b",
                "--gpu",
                "h100-sxm",
                "--precision",
                "fp8",
                "--input",
                "128",
                "--output",
                "256",
            ],
        ),
        (
            &[
                "mix",
                "scenarios/support-chatbot.toml",
                "--target-fit",
                "60",
                "--models",
                "anthropic/claude-3-haiku,anthropic/claude-3-opus",
            ],
            &[
                "mix",
                "scenarios/support-chatbot.toml",
                "--target-fit",
                "60",
                "--models",
                "claude-3-haiku,claude-3-opus-20240229",
            ],
        ),
        (
            &[
                "cost",
                "scenarios/support-chatbot.toml",
                "--model",
                "anthropic/claude-3-haiku",
            ],
            &[
                "cost",
                "scenarios/support-chatbot.toml",
                "--model",
                "claude-3-haiku",
            ],
        ),
    ];
    for (full, short) in pairs {
        let (a, b) = (stdout(full), stdout(short));
        assert!(!a.is_empty());
        assert_eq!(a, b, "{short:?}");
    }
}

#[test]
fn every_command_that_takes_a_model_id_refuses_an_ambiguous_or_unknown_one() {
    let tmp = tempfile::tempdir().unwrap();
    let s = scenario(&tmp, "");
    let s = s.to_str().unwrap();
    let commands: [&[&str]; 6] = [
        &["show", "{}"],
        &["cost", s, "--model", "{}"],
        &["breakeven", s, "--model", "{}", "--vs", "acme/widget-2"],
        &["breakeven", s, "--model", "acme/widget-2", "--vs", "{}"],
        &[
            "throughput",
            "--model",
            "{}",
            "--gpu",
            "h100-sxm",
            "--precision",
            "fp8",
            "--input",
            "1",
            "--output",
            "1",
        ],
        &[
            "mix",
            s,
            "--target-fit",
            "10",
            "--models",
            "acme/widget-2,{}",
        ],
    ];
    for command in commands {
        for (name, expected) in [
            (
                "widget-1-20240101",
                "give one of them in full: acme/widget-1 (alias), hub/widget-1-20240101",
            ),
            ("widgt-2", "did you mean `acme/widget-2`?"),
        ] {
            let args: Vec<String> = command.iter().map(|a| a.replace("{}", name)).collect();
            llmplan()
                .args(with_ids(
                    &args.iter().map(String::as_str).collect::<Vec<_>>(),
                ))
                .assert()
                .code(2)
                .stdout("")
                .stderr(predicate::str::contains(expected));
        }
    }
    // `compare` takes its ids from the scenario, resolved like every reference there.
    let c = scenario(&tmp, "[requirements]\nexclude_models = [\"widgt-2\"]\n");
    llmplan()
        .args(with_ids(&["compare", c.to_str().unwrap()]))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean `acme/widget-2`?"));
}

#[test]
fn custom_eval_scores_take_short_names() {
    let tmp = tempfile::tempdir().unwrap();
    let csv = tmp.path().join("own.csv");
    std::fs::write(&csv, "model,score\nwidget-2,0.9\nacme/widget-1,0.5\n").unwrap();
    let eval = |scores: &str| {
        format!(
            "[[fit.custom]]\nid = \"own\"\nmin = 0\nmax = 1\nchance = 0\nweight = 1\n{scores}\n"
        )
    };
    // Inline and from a file, a short name scores the model it names.
    for scores in [
        "scores = { \"widget-2\" = 0.9, \"acme/widget-1-20240101\" = 0.5 }",
        "scores_file = \"own.csv\"",
    ] {
        let s = scenario(&tmp, &eval(scores));
        let r = rank_all(&s);
        let fit = |id: &str| ranked(&r, id).map(|x| dec(&x["fit"]));
        // Normalised from chance 0 on a 0–1 scale: 0.9 → 90, 0.5 → 50.
        assert_eq!(fit("acme/widget-2"), Some(Decimal::from(90)), "{scores}");
        assert_eq!(fit("acme/widget-1"), Some(Decimal::from(50)), "{scores}");
    }
    // An ambiguous name, and two names of one model, are located.
    let s = scenario(&tmp, &eval("scores = { \"widget-1-20240101\" = 0.5 }"));
    llmplan()
        .args(with_ids(&["rank", s.to_str().unwrap()]))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is ambiguous"));
    let s = scenario(
        &tmp,
        &eval("scores = { \"widget-2\" = 0.5, \"acme/widget-2\" = 0.6 }"),
    );
    llmplan()
        .args(with_ids(&["rank", s.to_str().unwrap()]))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("which has a score already"));
}

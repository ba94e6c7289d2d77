//! Fit that tells the truth, through the real binary on fixture catalogues: chance
//! normalisation, coverage and estimates, the rows without a fit, custom evals and their faults,
//! the balanced exchange rate, and the fit fields of `rank`, `compare` and `mix`.
//!
//! `tests/fixtures/fit/profiles` is a small catalogue of its own (see its header): alpha, beta,
//! gamma and delta have every weighted score, epsilon only chat scores (its fit is an estimate),
//! zeta lacks HumanEval (partly estimated) and eta has no score at all. The chatbot fixture
//! weighs MMLU, GSM8K and HumanEval equally; MMLU is normalised from its chance level of 25:
//! (v − 25) ÷ 0.75, the other two from 0.

mod common;

use common::{dec, llmplan};
use predicates::str::contains;
use rust_decimal::Decimal;
use serde_json::Value;

const PROFILES: [&str; 3] = [
    "--no-default-profiles",
    "--profiles",
    "tests/fixtures/fit/profiles",
];
const CHATBOT: &str = "tests/fixtures/fit/chatbot.toml";

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

/// `llmplan <fixture catalogue> ARGS --format json`, which must succeed.
fn json(args: &[&str]) -> Value {
    let out = llmplan()
        .args(PROFILES)
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn row<'a>(v: &'a Value, model: &str) -> &'a Value {
    v["ranked"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["model"] == model)
        .unwrap_or_else(|| panic!("no row {model}"))
}

fn order(v: &Value) -> Vec<String> {
    v["ranked"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["model"]
                .as_str()
                .unwrap()
                .trim_start_matches("fixture/")
                .to_string()
        })
        .collect()
}

/// A scenario file in a temporary folder.
fn scenario(dir: &tempfile::TempDir, body: &str) -> String {
    let path = dir.path().join("s.toml");
    std::fs::write(&path, body).unwrap();
    path.to_str().unwrap().to_string()
}

fn chatbot_with(extra: &str) -> String {
    std::fs::read_to_string(common::root().join(CHATBOT)).unwrap() + extra
}

#[test]
fn mmlu_is_normalised_from_chance() {
    // 100 × (25 − 25) ÷ 75 = 0 and 100 × (62.5 − 25) ÷ 75 = 50.
    let out = llmplan()
        .args([
            "--no-default-profiles",
            "--profiles",
            "tests/fixtures/fit/chance-profiles",
            "rank",
            "tests/fixtures/fit/chance-mmlu.toml",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let guesser = row(&v, "fixture/guesser");
    assert_eq!(guesser["fit"], "0");
    assert_eq!(guesser["scores"][0]["normalised"], "0");
    assert_eq!(guesser["fit_status"], "observed");
    assert_eq!(row(&v, "fixture/halfway")["fit"], "50");
    assert_eq!(row(&v, "fixture/halfway")["scores"][0]["value"], "62.5");
}

#[test]
fn rank_rows_carry_coverage_band_and_status() {
    let v = json(&["rank", CHATBOT]);
    // gamma: every score published. (66.9333… + 88.9 + 75.9) ÷ 3 = 77.2444…, no band.
    let gamma = row(&v, "fixture/gamma");
    assert_eq!(gamma["fit"], "77.2444");
    assert_eq!(
        (&gamma["fit_low"], &gamma["fit_high"]),
        (&gamma["fit"], &gamma["fit"])
    );
    assert_eq!(gamma["fit_coverage"], "1");
    assert_eq!(gamma["fit_status"], "observed");
    for s in gamma["scores"].as_array().unwrap() {
        assert_eq!(s["imputed"], false);
        assert_eq!(s["setting_majority"], true, "{s}");
    }
    // zeta: MMLU 70.6 → 60.8 and GSM8K 58.4 published, HumanEval estimated: coverage 2 ÷ 3. Its
    // fit is the mean of the three, and its band a third of HumanEval's standard error each way.
    let zeta = row(&v, "fixture/zeta");
    assert_eq!(zeta["fit_status"], "partly_imputed");
    assert_eq!(zeta["fit_coverage"], "0.6667");
    let scores = zeta["scores"].as_array().unwrap();
    let he = scores
        .iter()
        .find(|s| s["benchmark"] == "humaneval")
        .unwrap();
    assert_eq!(he["imputed"], true);
    assert_eq!(he["setting"], Value::Null);
    let (n, lo) = (dec(&he["normalised"]), dec(&he["normalised_low"]));
    let third = Decimal::from(3);
    let fit = (d("60.8") + d("58.4") + n) / third;
    assert_eq!(dec(&zeta["fit"]), fit.round_dp(4));
    assert_eq!(dec(&zeta["fit_low"]), (fit - (n - lo) / third).round_dp(4));
    // MMLU "unspecified" and GSM8K 5-shot are minority settings among these candidates.
    let setting =
        |b: &str| scores.iter().find(|s| s["benchmark"] == b).unwrap()["setting_majority"].clone();
    assert_eq!(setting("mmlu"), false);
    assert_eq!(setting("gsm8k"), false);
    // epsilon: chat scores only, so every weighted score is an estimate.
    let eps = row(&v, "fixture/epsilon");
    assert_eq!(eps["fit_status"], "imputed");
    assert_eq!(eps["fit_coverage"], "0");
    assert!(dec(&eps["fit_low"]) < dec(&eps["fit"]));
    // eta: no score anywhere, so no fit, and it says why.
    let eta = row(&v, "fixture/eta");
    assert_eq!(eta["fit"], Value::Null);
    assert_eq!(eta["fit_low"], Value::Null);
    assert_eq!(eta["fit_status"], "insufficient_data");
    assert!(eta["fit_reason"]
        .as_str()
        .unwrap()
        .contains("no published score"));
    assert_eq!(eta["balanced"], Value::Null);
    assert_eq!(eta["pareto"], false);
}

#[test]
fn the_table_marks_estimates_and_explains_them() {
    llmplan()
        .args(PROFILES)
        .args(["rank", CHATBOT])
        .assert()
        .success()
        .stdout(contains("~95.6"))
        .stdout(contains("│      67% │"))
        .stdout(contains("~ = includes estimates, not published scores"))
        .stdout(contains("No fit (insufficient data): fixture/eta"));
}

#[test]
fn rows_without_a_fit_come_after_every_scored_row() {
    // With min_coverage 0.9, zeta (67%) and epsilon (0%) lose their fits too; eta never had one.
    let dir = tempfile::tempdir().unwrap();
    let s = scenario(&dir, &chatbot_with("min_coverage = 0.9\n"));
    let null_rows = ["eta", "zeta", "epsilon"]; // $3.60, $25.20, $480: by cost
    for objective in ["balanced", "best_fit"] {
        let v = json(&["rank", &s, "--objective", objective]);
        let got = order(&v);
        assert_eq!(got[4..], null_rows, "{objective}: {got:?}");
        let zeta = row(&v, "fixture/zeta");
        assert_eq!(zeta["fit_status"], "insufficient_data");
        assert_eq!(zeta["fit_reason"], "coverage 67% is below min_coverage 90%");
    }
    // best_fit: alpha 87.4333…, beta 79.1, gamma 77.2444…, delta 55.0666…
    let v = json(&["rank", &s, "--objective", "best_fit"]);
    assert_eq!(order(&v)[..4], ["alpha", "beta", "gamma", "delta"]);
    // cheapest ignores fit: eta, at $3.60, is first.
    let v = json(&["rank", &s, "--objective", "cheapest"]);
    assert_eq!(
        order(&v),
        ["eta", "gamma", "delta", "zeta", "beta", "epsilon", "alpha"]
    );
}

#[test]
fn points_per_tenfold_sets_the_exchange_rate() {
    // The cheapest model is eta at $3.60 a month; beta costs $180, fifty times as much.
    //   25 points: 100 − 25 × log10 50 = 57.525750; (79.1 + 57.52575) ÷ 2 = 68.312875 → 68.3129
    //   50 points: 100 − 50 × log10 50 = 15.051500; (79.1 + 15.0515) ÷ 2 = 47.07575 → 47.0758
    //   10 points: 100 − 10 × log10 50 = 83.010300; (79.1 + 83.0103) ÷ 2 = 81.05515 → 81.0552
    let dir = tempfile::tempdir().unwrap();
    let balanced = |p: Option<&str>| {
        let body = match p {
            Some(p) => chatbot_with(&format!("\n[rank]\npoints_per_tenfold = {p}\n")),
            None => chatbot_with(""),
        };
        let v = json(&["rank", &scenario(&dir, &body)]);
        let beta = row(&v, "fixture/beta")["balanced"].clone();
        (beta, v)
    };
    assert_eq!(balanced(None).0, "68.3129");
    assert_eq!(balanced(Some("25")).0, "68.3129");
    let (b50, v50) = balanced(Some("50"));
    assert_eq!(b50, "47.0758");
    assert_eq!(v50["points_per_tenfold"], "50");
    // Gamma at $15: 100 − 50 × log10(15 ÷ 3.6) = 69.010562; (77.2444… + 69.010562) ÷ 2 = 73.1275.
    assert_eq!(row(&v50, "fixture/gamma")["balanced"], "73.1275");
    // At 10 points a tenfold, alpha (87.4333…, $900: 100 − 10 × log10 250 = 76.0206) scores
    // (87.4333… + 76.0206) ÷ 2 = 81.7270 and overtakes beta (81.0552).
    let (b10, v10) = balanced(Some("10"));
    assert_eq!(b10, "81.0552");
    assert_eq!(row(&v10, "fixture/alpha")["balanced"], "81.727");
    let o = order(&v10);
    let at = |m: &str| o.iter().position(|x| x == m).unwrap();
    assert!(at("alpha") < at("beta"), "{o:?}");
    // The note states the rate.
    llmplan()
        .args(PROFILES)
        .arg("rank")
        .arg(scenario(
            &dir,
            &chatbot_with("\n[rank]\npoints_per_tenfold = 50\n"),
        ))
        .assert()
        .success()
        .stdout(contains("cost score = 100 − 50 × log10(cost ÷ cheapest)"));
}

#[test]
fn custom_evals_count_as_observed_inline_or_from_csv() {
    let inline = json(&["rank", "tests/fixtures/fit/custom-inline.toml"]);
    let csv = json(&["rank", "tests/fixtures/fit/custom-csv.toml"]);
    // support-eval weighs 2, on a 0–1 scale from 0:
    //   gamma (66.9333… + 88.9 + 75.9 + 2 × 81) ÷ 5 = 393.7333… ÷ 5 = 78.7467
    //   delta (60 + 57.1 + 48.1 + 2 × 64) ÷ 5 = 293.2 ÷ 5 = 58.64
    for v in [&inline, &csv] {
        let gamma = row(v, "fixture/gamma");
        assert_eq!(gamma["fit"], "78.7467");
        assert_eq!(gamma["fit_status"], "observed");
        let own = gamma["scores"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["benchmark"] == "support-eval")
            .unwrap();
        assert_eq!(own["imputed"], false);
        assert_eq!(own["normalised"], "81");
        assert_eq!(own["weight"], "2");
        assert_eq!(row(v, "fixture/delta")["fit"], "58.64");
        // beta has the three published scores but not the eval: 3 of 5 weight observed.
        let beta = row(v, "fixture/beta");
        assert_eq!(beta["fit_coverage"], "0.6");
        assert_eq!(beta["fit_status"], "partly_imputed");
    }
    let source = |v: &Value| {
        row(v, "fixture/delta")["scores"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["benchmark"] == "support-eval")
            .unwrap()["source"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(source(&csv), "tests/fixtures/fit/evals/support.csv line 3");
    assert!(source(&inline).starts_with("tests/fixtures/fit/custom-inline.toml"));
    // The rest of the two reports is the same.
    assert_eq!(order(&inline), order(&csv));
}

#[test]
fn a_custom_eval_can_be_a_floor() {
    let dir = tempfile::tempdir().unwrap();
    let body =
        std::fs::read_to_string(common::root().join("tests/fixtures/fit/custom-inline.toml"))
            .unwrap()
            + "\n[requirements]\nmin_scores = { \"support-eval\" = 0.7 }\n";
    let v = json(&["rank", &scenario(&dir, &body), "--all"]);
    assert_eq!(order(&v), ["gamma"]);
    let reasons = |m: &str| {
        v["excluded"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["model"] == m)
            .unwrap()["reasons"]
            .clone()
    };
    assert_eq!(
        reasons("fixture/delta")[0],
        "support-eval 0.64 (custom eval) is below the floor of 0.7"
    );
    assert_eq!(
        reasons("fixture/beta")[0],
        "no support-eval score (min_scores requires 0.7)"
    );
}

/// A custom eval reading `csv` from a scenario in a temporary folder; `check` must refuse it
/// with `want` at line `line` of the CSV.
#[track_caller]
fn bad_csv(csv: &str, line: usize, want: &str, help: &str) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("evals")).unwrap();
    std::fs::write(dir.path().join("evals/own.csv"), csv).unwrap();
    let s = scenario(
        &dir,
        "name = \"x\"\n[[workload]]\nname = \"w\"\nrequests_per_day = 1\ninput_tokens = 1\noutput_tokens = 1\n\
         [[fit.custom]]\nid = \"own\"\nmax = 1\nscores_file = \"evals/own.csv\"\n",
    );
    let shown = dir.path().join("evals/own.csv").display().to_string();
    let out = llmplan().args(["check", &s]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(out.stdout.is_empty());
    assert!(
        stderr.contains(&format!("error: {shown}:{line}:")) && stderr.contains(want),
        "{stderr}"
    );
    assert!(stderr.contains(help), "{stderr}");
    // rank refuses it the same way, and writes nothing.
    let target = dir.path().join("out.json");
    llmplan()
        .args(["rank", &s, "--output", target.to_str().unwrap()])
        .assert()
        .code(2);
    assert!(!target.exists());
}

#[test]
fn bad_custom_eval_files_name_the_file_and_line() {
    bad_csv(
        "model,score\nanthropic/claude-3-haiku,0.81\nopenai/gpt-3.5-turbo,sixty\n",
        3,
        "the score of `openai/gpt-3.5-turbo` does not parse",
        "write the score as a plain number",
    );
    bad_csv(
        "model,score\nanthropic/claude-3-haiky,0.81\n",
        2,
        "no model `anthropic/claude-3-haiky` in the catalogue",
        "did you mean `anthropic/claude-3-haiku`?",
    );
    bad_csv(
        "model,score\nanthropic/claude-3-haiku,81\n",
        2,
        "the score of `anthropic/claude-3-haiku` on `own` is 81, outside 0–1",
        "scores lie on the eval's scale",
    );
    bad_csv(
        "model,score\nanthropic/claude-3-haiku,0.81,extra\n",
        2,
        "a row needs 2 fields (model,score), found 3",
        "one model id and its score per line",
    );
    bad_csv(
        "model;score\nanthropic/claude-3-haiku;0.81\n",
        1,
        "the header is `model;score`, not `model,score`",
        "the first line names the two columns",
    );
    bad_csv(
        "model,score\nanthropic/claude-3-haiku,0.81\n\nanthropic/claude-3-haiku,0.8\n",
        4,
        "`anthropic/claude-3-haiku` already has a score on line 2",
        "keep one score per model",
    );
}

#[test]
fn a_registry_chance_off_the_scale_or_without_reason_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("registry.toml");
    std::fs::write(
        &path,
        "[[benchmark]]\nid = \"quiz\"\nname = \"Quiz\"\ndomain = \"knowledge\"\nmin = 0\nmax = 100\nchance = 120\nchance_reason = \"five options\"\n\n\
         [[benchmark]]\nid = \"quiz2\"\nname = \"Quiz 2\"\ndomain = \"knowledge\"\nmin = 0\nmax = 100\nchance = 20\n",
    )
    .unwrap();
    let out = llmplan().arg("check").arg(&path).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(":7:10: `chance` (120) is outside the scale 0–100"),
        "{stderr}"
    );
    assert!(
        stderr.contains(":16:10: `chance` of benchmark `quiz2` has no `chance_reason`"),
        "{stderr}"
    );
}

#[test]
fn compare_never_steps_to_or_from_a_model_without_a_fit() {
    let v = json(&["compare", CHATBOT, "--by", "vendor"]);
    let g = &v["groups"][0];
    let ladder: Vec<&str> = g["ladder"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["model"].as_str().unwrap())
        .collect();
    assert!(!ladder.contains(&"fixture/eta"), "{ladder:?}");
    assert_eq!(ladder.len(), 6);
    for st in g["steps"].as_array().unwrap() {
        assert_ne!(st["from"], "fixture/eta");
        assert_ne!(st["to"], "fixture/eta");
    }
    assert_eq!(g["no_fit"][0]["model"], "fixture/eta");
    assert_eq!(g["no_fit"][0]["fit_status"], "insufficient_data");
    // Every ladder entry and the best model carry the fit fields.
    for x in g["ladder"].as_array().unwrap().iter().chain([&g["best"]]) {
        for key in ["fit", "fit_low", "fit_high", "fit_coverage", "fit_status"] {
            assert!(x.get(key).is_some(), "{key} missing in {x}");
        }
    }
    assert_eq!(g["best"]["model"], "fixture/gamma");
}

#[test]
fn compare_marks_a_step_that_rests_on_an_estimate() {
    let out = llmplan()
        .args(PROFILES)
        .args(["compare", CHATBOT, "--by", "vendor"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let step = |from: &str, to: &str| {
        text.lines()
            .find(|l| {
                l.contains(&format!("fixture/{from} ")) && l.contains(&format!("fixture/{to} "))
            })
            .unwrap_or_else(|| panic!("no step {from} → {to} in\n{text}"))
            .to_string()
    };
    // gamma and delta are both measured; zeta is partly estimated.
    assert!(step("gamma", "delta").contains(" -22.2 "), "{text}");
    assert!(step("delta", "zeta").contains(" ~+1.9 "), "{text}");
}

#[test]
fn mix_rows_carry_the_fit_fields_and_blend_the_band() {
    // zeta (partly estimated) and alpha (observed): a target between them needs a route.
    let v = json(&[
        "mix",
        CHATBOT,
        "--target-fit",
        "70",
        "--models",
        "fixture/zeta,fixture/alpha",
    ]);
    for c in v["candidates"].as_array().unwrap() {
        for key in ["fit", "fit_low", "fit_high", "fit_coverage", "fit_status"] {
            assert!(c.get(key).is_some(), "{key} missing in {c}");
        }
    }
    let zeta = v["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["model"] == "fixture/zeta")
        .unwrap();
    assert_eq!(zeta["fit_status"], "partly_imputed");
    // The plan blends zeta's band with alpha's point: low = Σ share × low.
    assert_eq!(v["kind"], "route");
    assert_eq!(v["fit_status"], "partly_imputed");
    let share = |m: &str| {
        dec(&v["plan"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["model"] == m)
            .unwrap()["share"])
    };
    let alpha_fit = Decimal::from_str_exact("262.3").unwrap() / Decimal::from(3);
    let low = share("fixture/zeta") * dec(&zeta["fit_low"]) + share("fixture/alpha") * alpha_fit;
    assert!((dec(&v["fit_low"]) - low).abs() <= d("0.0002"), "{v}");
    // eta has no fit, so it cannot be a candidate, and says why.
    let v = json(&["mix", CHATBOT, "--target-fit", "70"]);
    let eta = v["excluded"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["model"] == "fixture/eta")
        .unwrap();
    assert!(eta["reasons"][0]
        .as_str()
        .unwrap()
        .starts_with("no fit (insufficient data)"));
}

#[test]
fn imputation_is_deterministic() {
    let a = json(&["rank", CHATBOT]);
    let b = json(&["rank", CHATBOT]);
    assert_eq!(a, b);
}

#[test]
fn a_custom_eval_weight_can_be_swept() {
    // gamma at support-eval weight 0: 77.2444…; at 20: (231.7333… + 20 × 81) ÷ 23 = 80.51014.
    let out = llmplan()
        .args(PROFILES)
        .args([
            "sweep",
            "tests/fixtures/fit/custom-inline.toml",
            "--vary",
            "fit.weights.support-eval=0,20",
            "--format",
            "csv",
            "-q",
        ])
        .output()
        .unwrap();
    let csv = String::from_utf8(out.stdout).unwrap();
    let rows: Vec<&str> = csv.lines().skip(1).collect();
    assert!(rows[0].starts_with("0,fixture/gamma,15,77.2444,"), "{csv}");
    assert!(rows[1].starts_with("20,fixture/gamma,15,80.5101,"), "{csv}");
}

//! Forecasts with ranges through the real binary: degenerate ranges reproduce the deterministic
//! figures, percentiles are in order, win shares sum to 1, a seed fixes every figure, schedules
//! are priced as worked out by hand, and bad ranges are refused with their line.

mod common;

use common::{dec, json, llmplan};
use rust_decimal::Decimal;
use std::str::FromStr;

const FIXED: &str = "tests/fixtures/forecast/fixed.toml";
const DEGENERATE: &str = "tests/fixtures/forecast/degenerate.toml";
const VOLUME: &str = "tests/fixtures/forecast/volume-only.toml";
const SCHEDULE: &str = "tests/fixtures/forecast/schedule.toml";
const EXAMPLE: &str = "scenarios/procurement-price-outlook.toml";

fn rows(v: &serde_json::Value) -> &Vec<serde_json::Value> {
    v["ranked"].as_array().expect("ranked rows")
}

#[test]
fn degenerate_ranges_reproduce_the_deterministic_figures_digit_for_digit() {
    let fixed = json(&["rank", FIXED]);
    let ranged = json(&["rank", DEGENERATE]);
    assert!(
        fixed.get("forecast").is_none(),
        "no forecast without ranges"
    );
    common::assert_degenerate_forecast_reproduces(&fixed, &ranged);
    // Every trial is the same future, so the model with the cheapest horizon (the objective is
    // `cheapest`, and win shares rank on the horizon) wins all of them. Here that is not the
    // cheapest first month: OpenAI's prices fall faster than Anthropic's.
    let winner = rows(&ranged)
        .iter()
        .min_by_key(|r| dec(&r["horizon_cost"]))
        .unwrap();
    assert_ne!(winner["model"], rows(&ranged)[0]["model"]);
    for r in rows(&ranged) {
        let expected = if r["model"] == winner["model"] {
            Decimal::ONE
        } else {
            Decimal::ZERO
        };
        assert_eq!(dec(&r["win_share"]), expected, "{}", r["model"]);
    }
}

#[test]
fn percentiles_are_in_order_and_win_shares_sum_to_one() {
    let v = json(&["rank", EXAMPLE]);
    common::assert_forecast_rows_in_order(&v);
    assert_eq!(v["forecast"]["trials"], 10000);
}

#[test]
fn the_same_seed_gives_the_same_output_and_another_seed_another() {
    let run = |args: &[&str]| llmplan().args(args).output().unwrap().stdout;
    let a = run(&["rank", EXAMPLE, "--format", "json"]);
    let b = run(&["rank", EXAMPLE, "--format", "json"]);
    assert_eq!(a, b);
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("other.toml");
    let text = std::fs::read_to_string(common::root().join(EXAMPLE)).unwrap();
    std::fs::write(&other, text.replace("seed = 1", "seed = 2")).unwrap();
    let c = run(&["rank", other.to_str().unwrap(), "--format", "json"]);
    assert_ne!(a, c);
}

/// The two-piece lognormal's P10 and P90 from n draws have a standard error of
/// √(0.1 × 0.9 ÷ n) ÷ φ(z₀.₉) × σ relative, σ being the log-spread on that side
/// (docs/forecast.md); the test allows four of them.
#[test]
fn a_volume_range_scales_the_deterministic_horizon_within_the_monte_carlo_error() {
    let v = json(&["rank", VOLUME]);
    let r = &rows(&v)[0];
    let horizon = dec(&r["horizon_cost"]);
    let f = |d: Decimal| d.to_string().parse::<f64>().unwrap();
    let (p10, p50, p90) = (15000.0_f64, 25000.0_f64, 40000.0_f64);
    let n = 10000.0_f64;
    let z90 = 1.281_551_565_544_600_4_f64;
    let phi = (-z90 * z90 / 2.0).exp() / (2.0 * std::f64::consts::PI).sqrt();
    let se = |sigma: f64| (0.09_f64 / n).sqrt() / phi * sigma;
    let lo_sigma = (p50 / p10).ln() / z90;
    let hi_sigma = (p90 / p50).ln() / z90;
    let se50 = (0.25_f64 / n).sqrt() * (2.0 * std::f64::consts::PI).sqrt() * hi_sigma.max(lo_sigma);
    for (key, volume, tol) in [
        ("horizon_cost_p10", p10, 4.0 * se(lo_sigma)),
        ("horizon_cost_p50", p50, 4.0 * se50),
        ("horizon_cost_p90", p90, 4.0 * se(hi_sigma)),
    ] {
        let expected = f(horizon) * volume / p50;
        let got = f(dec(&r[key]));
        assert!(
            (got / expected - 1.0).abs() <= tol,
            "{key}: {got} against {expected} (tolerance {tol})"
        );
    }
}

#[test]
fn a_price_schedule_is_priced_as_worked_out_by_hand() {
    let v = json(&["rank", SCHEDULE]);
    let r = rows(&v)
        .iter()
        .find(|r| r["model"] == "openai/gpt-4-turbo")
        .expect("gpt-4-turbo ranks");
    // See the fixture: $40 in months 1 and 2, $20 in months 3 and 4.
    assert_eq!(dec(&r["monthly_cost"]), Decimal::from(40));
    assert_eq!(dec(&r["horizon_cost"]), Decimal::from(120));
}

#[test]
fn a_yearly_change_compounds_monthly() {
    // fixed.toml: openai −40% a year, so f = 0.6^(1/12) = 0.95831…; the horizon is
    // Σ_{k<24} monthly × 1.04^k × f^k = monthly × (1 − q^24) ÷ (1 − q), q = 1.04 f.
    let v = json(&["rank", FIXED]);
    let r = rows(&v)
        .iter()
        .find(|r| r["model"] == "openai/gpt-3.5-turbo")
        .unwrap();
    // 20,000 × 30 = 600,000 requests: 900M input × $1 + 240M output × $2 per 1M = $1,380.
    assert_eq!(dec(&r["monthly_cost"]), Decimal::from(1380));
    let q = 1.04 * 0.6_f64.powf(1.0 / 12.0);
    let expected = 1380.0 * (1.0 - q.powi(24)) / (1.0 - q);
    let got = dec(&r["horizon_cost"]).to_string().parse::<f64>().unwrap();
    assert!((got - expected).abs() < 0.01, "{got} against {expected}");
}

#[test]
fn the_table_shows_the_horizon_range_and_the_win_share() {
    let out = llmplan().args(["rank", EXAMPLE]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("P10 horizon") && text.contains("P90 horizon") && text.contains("win share")
    );
    assert!(text.contains("Forecast: 10,000 trials, seed 1"));
    // Without a forecast the table keeps its shape.
    let out = llmplan().args(["rank", FIXED]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains("P10 horizon") && !text.contains("win share"));
}

fn bad(body: &str) -> (i32, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("bad.toml");
    std::fs::write(&p, body).unwrap();
    let out = llmplan()
        .args(["rank", p.to_str().unwrap()])
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

const BASE: &str = "name = \"b\"\n[[workload]]\nname = \"w\"\nrequests_per_day = 1000\ninput_tokens = 100\noutput_tokens = 100\n";

#[test]
fn bad_ranges_exit_2_with_the_file_and_line() {
    let cache =
        |hit: &str| format!("{BASE}[workload.cache]\nprefix_tokens = 50\nhit_rate = {hit}\n");
    let cases = [
        (
            format!("monthly_growth = {{ p10 = 0.05, p50 = 0.02, p90 = 0.1 }}\n{BASE}"),
            "p10 = 0.05 above p50 = 0.02",
            ":1:",
        ),
        (
            format!("{BASE}[forecast]\ntrials = 0\n"),
            "`trials` must be a whole number from 1 to 1000000",
            ":8:",
        ),
        (
            format!("{BASE}[forecast]\ntrials = 2000000\n"),
            "from 1 to 1000000, found 2000000",
            ":8:",
        ),
        (
            BASE.replace("requests_per_day = 1000", "requests_per_day = { low = 10, high = 5 }"),
            "low = 10 above high = 5",
            ":4:",
        ),
        (
            BASE.replace("requests_per_day = 1000", "requests_per_day = { p10 = 1, p90 = 5 }"),
            "is incomplete",
            ":4:",
        ),
        (
            format!("{BASE}[pricing]\nchange_per_year = {{ \"openia\" = -0.5 }}\n"),
            "did you mean `openai`?",
            ":8:",
        ),
        (
            format!("{BASE}[[pricing.schedule]]\nmodel = \"openai/gpt-4-turbo\"\nfrom_month = 13\ninput = \"5\"\n"),
            "from 1 to 12, found 13",
            ":9:",
        ),
        (
            format!("{BASE}[workload.route]\n\"openai/gpt-3.5-turbo\" = {{ low = 0, high = 0.6 }}\n\"anthropic/claude-3-haiku\" = {{ p10 = 0, p50 = 0.7, p90 = 0.9 }}\n"),
            "could all be drawn as 0, so a trial could not renormalise them",
            ":7:",
        ),
        (
            format!("{BASE}[workload.route]\n\"openai/gpt-3.5-turbo\" = {{ low = 0.2, high = 1.2 }}\n\"anthropic/claude-3-haiku\" = 0.3\n"),
            "`high` must be between 0 and 1, found 1.2",
            ":8:",
        ),
        (
            format!("{BASE}[workload.route]\n\"openai/gpt-3.5-turbo\" = {{ low = 0.2, high = 0.6 }}\n\"anthropic/claude-3-haiku\" = {{ p10 = 0.4, p50 = 0.7, p90 = 0.9 }}\n"),
            "sum to 1.1, not 1",
            ":7:",
        ),
        (
            format!("{BASE}[workload.cascade]\nmodels = [\"openai/gpt-3.5-turbo\", \"anthropic/claude-3-haiku\"]\nescalation = [{{ p10 = 0.3, p50 = 0.2, p90 = 0.4 }}]\n"),
            "p10 = 0.3 above p50 = 0.2",
            ":9:",
        ),
        (
            cache("{ p10 = 0.7, p50 = 0.5, p90 = 0.9 }"),
            "the range of `hit_rate` has p10 = 0.7 above p50 = 0.5",
            ":9:",
        ),
        (
            cache("{ p10 = 0.5, p50 = 0.7, p90 = 1.2 }"),
            "`p90` must be between 0 and 1, found 1.2",
            ":9:",
        ),
        (
            cache("{ low = -0.1, high = 0.5 }"),
            "`low` must be between 0 and 1, found -0.1",
            ":9:",
        ),
        (
            cache("{ low = 0.1 }"),
            "the range of `hit_rate` is incomplete",
            ":9:",
        ),
        // The simple form of caching takes no range: the help points at [workload.cache].
        (
            format!("{BASE}cached_input_share = {{ low = 0.2, high = 0.6 }}\n"),
            "hit_rate = { p10 = …, p50 = …, p90 = … }",
            ":7:",
        ),
        // A hit rate named for correlation on a workload without a cache.
        (
            format!("{BASE}[forecast]\ncorrelate = [{{ inputs = [\"workload.w.cache.hit_rate\", \"workload.w.requests_per_day\"], rho = 0.5 }}]\n"),
            "`workload.w.cache.hit_rate` is not a ranged input of this scenario",
            ":8:",
        ),
    ];
    for (body, message, line) in cases {
        let (code, out, err) = bad(&body);
        assert_eq!(code, 2, "{body}\n{err}");
        assert!(out.is_empty(), "nothing on stdout: {out}");
        assert!(err.contains(message), "{message} in:\n{err}");
        assert!(
            err.contains(&format!("bad.toml{line}")),
            "{line} in:\n{err}"
        );
        // One fault, reported once: a bad range is not also reported as a missing field.
        assert!(
            !err.contains("has no `hit_rate`") && !err.contains("sets neither"),
            "{err}"
        );
    }
}

#[test]
fn decimal_strings_in_ranges_are_exact() {
    let v = json(&["rank", DEGENERATE]);
    assert_eq!(
        v["forecast"]["inputs"][0]["p50"],
        serde_json::Value::String(Decimal::from_str("0.04").unwrap().to_string())
    );
}

#[test]
fn cost_rows_gain_the_forecast_of_their_model() {
    let v = json(&["cost", EXAMPLE, "--model", "openai/gpt-3.5-turbo"]);
    let ranked = json(&["rank", EXAMPLE]);
    let row = rows(&ranked)
        .iter()
        .find(|r| r["model"] == "openai/gpt-3.5-turbo")
        .unwrap();
    for key in [
        "monthly_cost",
        "horizon_cost",
        "monthly_cost_p10",
        "monthly_cost_p90",
        "horizon_cost_p50",
        "win_share",
    ] {
        assert_eq!(v[key], row[key], "{key}");
    }
    // A model that is not a candidate has no forecast, and says so.
    let v = json(&["cost", EXAMPLE, "--model", "openai/gpt-4"]);
    assert!(v["win_share"].is_null() && v["horizon_cost_p10"].is_null());
}

#[test]
fn plot_fan_draws_a_band_for_each_top_model() {
    let out = llmplan()
        .args(["plot", EXAMPLE, "--fan", "--top", "2"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let svg = String::from_utf8(out.stdout).unwrap();
    assert!(svg.starts_with("<svg"));
    assert_eq!(svg.matches("<polygon").count(), 2);
    for label in ["anthropic/claude-3-haiku", "openai/gpt-3.5-turbo"] {
        assert!(svg.lines().any(|l| l.trim() == label), "{label}");
    }
    // Without a forecast there is no fan to draw: a usage error, nothing on stdout.
    let out = llmplan().args(["plot", FIXED, "--fan"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("plot --fan needs a forecast"));
}

#[test]
fn a_sweep_over_moving_prices_agrees_with_rank() {
    // The sweep sends a scenario whose prices move to `rank` at every point, so its horizon is
    // the kernel's month-by-month horizon.
    let out = llmplan()
        .args([
            "sweep",
            FIXED,
            "--vary",
            "monthly_growth=0.04",
            "--format",
            "jsonl",
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let row: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    let ranked = json(&["rank", FIXED]);
    assert_eq!(row["monthly_cost"], rows(&ranked)[0]["monthly_cost"]);
    // The winner of the first month, and its horizon with prices falling 20% a year.
    assert_eq!(row["winner"], rows(&ranked)[0]["model"]);
    assert_eq!(row["horizon_cost"], rows(&ranked)[0]["horizon_cost"]);
}

#[test]
fn route_and_cascade_shares_take_ranges_at_their_median() {
    // A route of 0.5 (the middle of 0.2–0.8) and 0.5 (p50), and a cascade escalating 0.3 (p50),
    // price exactly as the same scenario with those numbers written.
    let route = "[workload.route]\n\"openai/gpt-3.5-turbo\" = { low = 0.2, high = 0.8 }\n\"anthropic/claude-3-haiku\" = { p10 = 0.3, p50 = 0.5, p90 = 0.6 }\n";
    let cascade = "[workload.cascade]\nmodels = [\"openai/gpt-3.5-turbo\", \"anthropic/claude-3-haiku\"]\nescalation = [{ p10 = 0.1, p50 = 0.3, p90 = 0.5 }]\n";
    let fixed = [
        "[workload.route]\n\"openai/gpt-3.5-turbo\" = 0.5\n\"anthropic/claude-3-haiku\" = 0.5\n",
        "[workload.cascade]\nmodels = [\"openai/gpt-3.5-turbo\", \"anthropic/claude-3-haiku\"]\nescalation = [0.3]\n",
    ];
    for (ranged, fixed) in [route, cascade].into_iter().zip(fixed) {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a.toml"), dir.path().join("b.toml"));
        std::fs::write(&a, format!("{BASE}{ranged}")).unwrap();
        std::fs::write(&b, format!("{BASE}{fixed}")).unwrap();
        let ranged = json(&["rank", a.to_str().unwrap()]);
        let fixed = json(&["rank", b.to_str().unwrap()]);
        let routed = |v: &serde_json::Value| -> serde_json::Value {
            rows(v)
                .iter()
                .find(|r| r["kind"] == "mix")
                .cloned()
                .expect("a routed row")
        };
        let (r, f) = (routed(&ranged), routed(&fixed));
        assert_eq!(r["monthly_cost"], f["monthly_cost"], "{r}");
        assert_eq!(r["horizon_cost"], f["horizon_cost"], "{r}");
        assert!(
            ranged["forecast"]["inputs"]
                .to_string()
                .contains("workload.w."),
            "{}",
            ranged["forecast"]
        );
        // The mix's percentiles are in order and no lower than the cheaper model's own bill
        // (every request on it), and the drawn shares spread them.
        let single = |m: &str| {
            dec(&rows(&ranged).iter().find(|x| x["model"] == m).expect(m)["monthly_cost"])
        };
        let (a, b) = (
            single("openai/gpt-3.5-turbo"),
            single("anthropic/claude-3-haiku"),
        );
        let p = |k: &str| dec(&r[format!("monthly_cost_{k}")]);
        assert!(p("p10") <= p("p50") && p("p50") <= p("p90"), "{r}");
        assert!(p("p10") >= a.min(b), "{r}");
        assert!(p("p10") < p("p90"), "the shares were drawn: {r}");
        // The mix ranks beside the models in every trial: the shares, its own included, sum
        // to 1.
        let total: Decimal = rows(&ranged).iter().map(|x| dec(&x["win_share"])).sum();
        assert_eq!(total, Decimal::ONE, "{}", ranged["ranked"]);
        // Without ranges the same mix has no forecast at all.
        assert!(fixed.get("forecast").is_none());
    }
}

#[test]
fn a_degenerate_route_range_reproduces_the_mix_digit_for_digit() {
    // Shares pinned at 0.7 and 0.3 by ranges whose points agree: every trial is the
    // deterministic mix, so each percentile is its bill.
    let body = format!("{BASE}[workload.route]\n\"openai/gpt-3.5-turbo\" = {{ p10 = 0.7, p50 = 0.7, p90 = 0.7 }}\n\"anthropic/claude-3-haiku\" = {{ low = 0.3, high = 0.3 }}\n[forecast]\ntrials = 200\n");
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("d.toml");
    std::fs::write(&p, body).unwrap();
    let v = json(&["rank", p.to_str().unwrap()]);
    let mix = rows(&v)
        .iter()
        .find(|r| r["kind"] == "mix")
        .expect("a mix row");
    for key in ["monthly_cost", "horizon_cost"] {
        for q in ["p10", "p50", "p90"] {
            assert_eq!(mix[key], mix[format!("{key}_{q}")], "{key}_{q}: {mix}");
        }
    }
}

#[test]
fn the_note_names_twelve_ranged_inputs_and_json_lists_every_one() {
    let dir = tempfile::tempdir().expect("temp dir");
    let scenario = |n: usize| {
        let mut text = String::from("name = \"ranged\"\n[forecast]\ntrials = 50\n");
        for i in 0..n {
            text += &format!(
                "[[workload]]\nname = \"w{i}\"\nrequests_per_day = {{ low = 1, high = {} }}\ninput_tokens = 800\noutput_tokens = 200\n",
                100 + i
            );
        }
        let path = dir.path().join(format!("r{n}.toml"));
        std::fs::write(&path, text).expect("write");
        path.to_str().expect("path").to_string()
    };
    let note = |path: &str| {
        let out = llmplan().args(["rank", path]).output().expect("runs");
        assert!(out.status.success());
        let text = String::from_utf8(out.stdout).expect("utf-8");
        let line = text
            .lines()
            .find(|l| l.starts_with("Forecast: "))
            .expect("a forecast note")
            .to_string();
        line
    };
    // 12 inputs: all named, no count.
    let twelve = note(&scenario(12));
    assert!(
        twelve.contains("workload.w11.requests_per_day. P10"),
        "{twelve}"
    );
    assert!(!twelve.contains("more"), "{twelve}");
    // 1,012 inputs: the first 12 named, then the count of the rest.
    let path = scenario(1_012);
    let many = note(&path);
    assert!(
        many.contains("workload.w11.requests_per_day and 1,000 more (JSON's `forecast.inputs` lists every range). P10"),
        "{many}"
    );
    assert!(!many.contains("workload.w12."), "{many}");
    let v = json(&["rank", &path]);
    let inputs = v["forecast"]["inputs"].as_array().expect("inputs");
    assert_eq!(inputs.len(), 1_012);
    assert_eq!(inputs[1_011]["input"], "workload.w1011.requests_per_day");
    assert_eq!(inputs[1_011]["high"], "1111");
}

#[test]
fn a_forecast_with_no_qualifying_model_reports_that_none_qualifies() {
    // A drawn volume and hit rate, and a context window no model has: there is no candidate to
    // estimate. The run used to panic in the estimate (tests/fuzz/ keeps the file).
    let path = "tests/fuzz/scenario-forecast-no-candidate.toml";
    let out = llmplan().args(["rank", path]).output().expect("runs");
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("no model qualifies for `nobody`"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    let v = common::json_exiting(&["rank", path], &[1]);
    assert_eq!(v["forecast"]["inputs"].as_array().map(Vec::len), Some(2));
}

//! A cache hit rate given as a range, through the real binary: a degenerate range reproduces the
//! deterministic figures digit for digit, a uniform range prices as worked out by hand on a
//! fixture catalogue with prices of its own. Bad hit-rate ranges are refused with their line
//! (tests/forecast.rs, with the other bad ranges).

mod common;

use common::{dec, json};
use rust_decimal::Decimal;

/// The fixture catalogue alone: prices of its own, so a catalogue update moves nothing here.
fn fixture_profiles() -> Vec<&'static str> {
    "--no-default-profiles --profiles tests/fixtures/cache/profiles"
        .split(' ')
        .collect()
}
const HIT_RATE: &str = "tests/fixtures/forecast/hit-rate.toml";

/// A decimal written in the test, exactly.
fn d(s: &str) -> Decimal {
    s.parse().expect("a decimal")
}

fn rows(v: &serde_json::Value) -> &Vec<serde_json::Value> {
    v["ranked"].as_array().expect("ranked rows")
}

fn row<'a>(v: &'a serde_json::Value, model: &str) -> &'a serde_json::Value {
    rows(v).iter().find(|r| r["model"] == model).expect(model)
}

/// A scenario whose one workload caches a prefix, as written with `hit_rate` and `volume`, and
/// whose prices for `trend` (a vendor or model id) fall 25% a year.
fn cached(hit_rate: &str, volume: &str, trend: &str) -> String {
    format!(
        "name = \"c\"\nhorizon_months = 24\nmonthly_growth = 0.03\n\
         [[workload]]\nname = \"w\"\nrequests_per_day = {volume}\ninput_tokens = 9000\noutput_tokens = 300\n\
         [workload.cache]\nprefix_tokens = 6000\nhit_rate = {hit_rate}\nstorage_hours_per_month = 200\n\
         [pricing]\nchange_per_year = {{ \"{trend}\" = -0.25 }}\n[forecast]\ntrials = 300\nseed = 3\n"
    )
}

fn rank(profiles: &[&str], body: &str) -> serde_json::Value {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("s.toml");
    std::fs::write(&p, body).unwrap();
    let mut args = profiles.to_vec();
    args.extend(["rank", p.to_str().unwrap()]);
    json(&args)
}

#[test]
fn a_degenerate_hit_rate_range_reproduces_the_deterministic_figures_digit_for_digit() {
    // On the fixture catalogue and on the shipped one (models that cache and models that do
    // not, tiered and flat, trending and not), with the volume a degenerate range too.
    for (profiles, trend) in [
        (fixture_profiles(), "acme/cached"),
        (Vec::new(), "anthropic"),
    ] {
        // On the shipped catalogue a second workload routes its requests, so the mix row (priced
        // trial by trial by the routed kernel) is checked too.
        let route = if profiles.is_empty() {
            "[[workload]]\nname = \"r\"\nrequests_per_day = 700\ninput_tokens = 3000\noutput_tokens = 200\n\
             [workload.cache]\nprefix_tokens = 2500\nhit_rate = HIT\n\
             [workload.route]\n\"anthropic/claude-3-haiku\" = 0.7\n\"openai/gpt-3.5-turbo\" = 0.3\n"
        } else {
            ""
        };
        let scenario = |hit: &str, volume: &str| {
            let body = cached(hit, volume, trend);
            let (head, tail) = body.split_at(body.find("[pricing]").unwrap());
            format!("{head}{}{tail}", route.replace("HIT", hit))
        };
        let fixed = rank(&profiles, &scenario("0.65", "1500"));
        let ranged = rank(
            &profiles,
            &scenario(
                "{ p10 = 0.65, p50 = 0.65, p90 = 0.65 }",
                "{ low = 1500, high = 1500 }",
            ),
        );
        assert_eq!(
            rows(&ranged).iter().any(|r| r["kind"] == "mix"),
            profiles.is_empty()
        );
        assert!(rows(&ranged).len() >= 2);
        common::assert_degenerate_forecast_reproduces(&fixed, &ranged);
    }
}

/// See the fixture: acme/cached costs 5.01 − 3.45 h dollars a month at hit rate h, and acme/plain
/// $4.20 whatever h is. h is uniform on 0.2 to 0.8, so h's 10%, 50% and 90% quantiles are 0.26,
/// 0.5 and 0.74, and the bill falls as h rises: the bill's P10 is the bill at h = 0.74,
/// 5.01 − 3.45 × 0.74 = $2.457; its P50 at h = 0.5, $3.285; its P90 at h = 0.26, $4.113.
///
/// Monte Carlo error (docs/forecast.md): a sample quantile's standard error in probability is
/// √(p (1 − p) ÷ n), 0.003 at P10 and P90 and 0.005 at P50 for n = 10,000; h's density is
/// 1 ÷ 0.6, so in h that is 0.0018 and 0.003, and in dollars 3.45 times that: $0.00621 and
/// $0.01035. The test allows four of them.
///
/// acme/cached is cheaper when 5.01 − 3.45 h < 4.20, that is h > 0.81 ÷ 3.45 = 0.234783, which
/// a uniform h on 0.2 to 0.8 is with probability (0.8 − 0.234783) ÷ 0.6 = 0.942029; a win share's
/// standard error is √(0.942 × 0.058 ÷ 10,000) = 0.0023.
#[test]
fn a_uniform_hit_rate_prices_as_worked_out_by_hand() {
    let mut args = fixture_profiles();
    args.extend(["rank", HIT_RATE]);
    let v = json(&args);
    let cached = row(&v, "acme/cached");
    // The deterministic figures take the middle of the range, h = 0.5: $3.285.
    assert_eq!(dec(&cached["monthly_cost"]), d("3.285"));
    for (p, expected, se) in [
        ("p10", d("2.457"), d("0.00621")),
        ("p50", d("3.285"), d("0.01035")),
        ("p90", d("4.113"), d("0.00621")),
    ] {
        let got = dec(&cached[format!("monthly_cost_{p}")]);
        assert!(
            (got - expected).abs() <= se * Decimal::from(4),
            "{p}: {got} against {expected}"
        );
        // One month, so the horizon is the first month.
        assert_eq!(
            cached[format!("horizon_cost_{p}")],
            cached[format!("monthly_cost_{p}")]
        );
        // Each is the bill of one trial's drawn h, a 6-place decimal in the range:
        // h = (5.01 − bill) ÷ 3.45.
        let h = (d("5.01") - got) / d("3.45");
        assert!(h >= d("0.2") && h <= d("0.8"), "{p}: h = {h}");
    }
    // The plain model bills no cache: every trial is $4.20.
    let plain = row(&v, "acme/plain");
    for p in ["p10", "p50", "p90"] {
        assert_eq!(dec(&plain[format!("monthly_cost_{p}")]), d("4.2"));
    }
    let share = dec(&cached["win_share"]);
    assert!(
        (share - d("0.942029")).abs() <= d("0.0023") * Decimal::from(4),
        "{share}"
    );
    assert_eq!(share + dec(&plain["win_share"]), Decimal::ONE);
    assert_eq!(
        v["forecast"]["inputs"][0]["input"],
        "workload.w.cache.hit_rate"
    );
}

#[test]
fn a_correlated_hit_rate_range_keeps_percentiles_in_order_and_win_shares_summing_to_one() {
    let body = cached(
        "{ p10 = 0.3, p50 = 0.6, p90 = 0.95 }",
        "{ p10 = 800, p50 = 1500, p90 = 2600 }",
        "anthropic",
    )
    .replace("seed = 3", "seed = 3\ncorrelate = [{ inputs = [\"workload.w.requests_per_day\", \"workload.w.cache.hit_rate\"], rho = 0.4 }]");
    let v = rank(&[], &body);
    common::assert_forecast_rows_in_order(&v);
    // Claude 3 Haiku caches the 6,000-token prefix: its bill spreads with the drawn rates.
    let haiku = row(&v, "anthropic/claude-3-haiku");
    assert!(dec(&haiku["monthly_cost_p10"]) < dec(&haiku["monthly_cost_p90"]));
    assert_eq!(
        v["forecast"]["correlations"][0]["inputs"][1],
        "workload.w.cache.hit_rate"
    );
}

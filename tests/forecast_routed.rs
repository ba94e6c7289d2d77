//! A routed mix over a horizon whose prices move, through the real binary: each leg is billed
//! month by month at its own model's prices (a schedule hand-checked, a yearly change equal to the
//! legs' own horizons), and a forecast's drawn price changes move the mix's horizon.

mod common;

use common::{dec, json};
use rust_decimal::Decimal;

const SCHEDULE: &str = "tests/fixtures/forecast/routed-schedule.toml";

fn rows(v: &serde_json::Value) -> &Vec<serde_json::Value> {
    v["ranked"].as_array().expect("ranked rows")
}

fn row<'a>(v: &'a serde_json::Value, model: &str) -> &'a serde_json::Value {
    rows(v)
        .iter()
        .find(|r| r["model"] == model)
        .unwrap_or_else(|| panic!("{model} in {v}"))
}

fn mix(v: &serde_json::Value) -> &serde_json::Value {
    rows(v)
        .iter()
        .find(|r| r["kind"] == "mix")
        .expect("a routed row")
}

fn rank(body: &str) -> serde_json::Value {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("s.toml");
    std::fs::write(&p, body).unwrap();
    json(&["rank", p.to_str().unwrap()])
}

#[test]
fn a_routed_mix_under_a_price_schedule_is_priced_as_worked_out_by_hand() {
    // See the fixture: $21.50 in month 1, $66 over four months.
    let v = json(&["rank", SCHEDULE]);
    let m = mix(&v);
    assert_eq!(dec(&m["monthly_cost"]), Decimal::new(215, 1));
    assert_eq!(dec(&m["horizon_cost"]), Decimal::from(66));
}

/// With every request on one of two models half the time, a bill linear in the requests makes the
/// mix's horizon half of each model's own horizon, whatever its prices do month by month.
const ROUTED: &str = "name = \"r\"\nhorizon_months = 24\nmonthly_growth = 0.02\n\
    [[workload]]\nname = \"w\"\nrequests_per_day = 1000\ninput_tokens = 1000\noutput_tokens = 300\n\
    [workload.route]\n\"openai/gpt-3.5-turbo\" = 0.5\n\"anthropic/claude-3-haiku\" = 0.5\n\
    [requirements]\nvendors = [\"openai\", \"anthropic\"]\nstatuses = [\"ga\", \"preview\"]\n\
    [pricing.override.\"openai/gpt-3.5-turbo\"]\ninput = \"1\"\noutput = \"2\"\n\
    [pricing.override.\"anthropic/claude-3-haiku\"]\ninput = \"0.5\"\noutput = \"3\"\n";

#[test]
fn a_routed_mix_with_a_yearly_price_change_is_half_of_each_models_own_horizon() {
    let v = rank(&format!(
        "{ROUTED}[pricing]\nchange_per_year = {{ \"openai\" = -0.5, \"anthropic\" = -0.2 }}\n"
    ));
    let half = Decimal::new(5, 1);
    let (a, b) = (
        row(&v, "openai/gpt-3.5-turbo"),
        row(&v, "anthropic/claude-3-haiku"),
    );
    let expected = half * dec(&a["horizon_cost"]) + half * dec(&b["horizon_cost"]);
    let got = dec(&mix(&v)["horizon_cost"]);
    // Each leg rounds at the 28th significant digit of its own months.
    assert!(
        (got - expected).abs() < Decimal::new(1, 15),
        "{got} against {expected}"
    );
    // Prices falling make the horizon cheaper than the same mix at constant prices.
    let flat = rank(ROUTED);
    assert!(got < dec(&mix(&flat)["horizon_cost"]));
    assert_eq!(mix(&v)["monthly_cost"], mix(&flat)["monthly_cost"]);
}

#[test]
fn drawn_price_changes_move_a_mixs_horizon_and_a_degenerate_one_reproduces_it() {
    let fixed = rank(&format!(
        "{ROUTED}[pricing]\nchange_per_year = {{ \"openai\" = -0.5 }}\n"
    ));
    let degenerate = rank(&format!(
        "{ROUTED}[pricing]\nchange_per_year = {{ \"openai\" = {{ p10 = -0.5, p50 = -0.5, p90 = -0.5 }} }}\n[forecast]\ntrials = 200\n"
    ));
    for key in ["monthly_cost", "horizon_cost"] {
        for p in ["p10", "p50", "p90"] {
            assert_eq!(
                mix(&fixed)[key],
                mix(&degenerate)[format!("{key}_{p}")],
                "{key}_{p}"
            );
        }
    }
    let drawn = rank(&format!(
        "{ROUTED}[pricing]\nchange_per_year = {{ \"openai\" = {{ p10 = -0.7, p50 = -0.5, p90 = -0.1 }} }}\n[forecast]\ntrials = 500\n"
    ));
    let m = mix(&drawn);
    let h = |p: &str| dec(&m[format!("horizon_cost_{p}")]);
    assert!(h("p10") < h("p50") && h("p50") < h("p90"), "{m}");
    // A price change starts after the first month, which every trial bills alike.
    assert_eq!(m["monthly_cost_p10"], m["monthly_cost_p90"]);
}

/// tests/fixtures/routing/route-budget.toml with 40% of requests on Opus: Opus alone is over the
/// $1,000 budget, the mix is not, and its blended MMLU fit (60% Haiku, 40% Opus) is above every
/// single model within the budget, so under `best_fit` it ranks first.
fn budget_route(opus: &str) -> String {
    let text =
        std::fs::read_to_string(common::root().join("tests/fixtures/routing/route-budget.toml"))
            .unwrap();
    text.replace(
        "\"anthropic/claude-3-haiku\" = 0.8",
        "\"anthropic/claude-3-haiku\" = { low = 0.6, high = 0.6 }",
    )
    .replace(
        "\"anthropic/claude-3-opus\" = 0.2",
        &format!("\"anthropic/claude-3-opus\" = {opus}"),
    ) + "[forecast]\ntrials = 400\n"
}

#[test]
fn a_routed_mix_takes_part_in_the_win_share() {
    // Every trial the deterministic mix: it ranks first, so it wins every trial.
    let v = rank(&budget_route("{ p10 = 0.4, p50 = 0.4, p90 = 0.4 }"));
    assert_eq!(rows(&v)[0]["kind"], "mix", "{}", v["ranked"]);
    assert_eq!(dec(&mix(&v)["win_share"]), Decimal::ONE);
    // Opus's share drawn around 0.4: the trials that send few requests to Opus blend a fit below
    // Claude 3 Sonnet's and lose to it; the others win. The shares still sum to 1.
    let v = rank(&budget_route("{ p10 = 0.1, p50 = 0.4, p90 = 0.6 }"));
    let share = dec(&mix(&v)["win_share"]);
    assert!(share > Decimal::ZERO && share < Decimal::ONE, "{share}");
    let total: Decimal = rows(&v).iter().map(|r| dec(&r["win_share"])).sum();
    assert_eq!(total, Decimal::ONE);
    assert!(dec(&row(&v, "anthropic/claude-3-sonnet")["win_share"]) > Decimal::ZERO);
}

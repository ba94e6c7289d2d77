//! Invariants of a forecast over random ranges (growth, volume, cache hit rate, price change):
//! percentiles in order on every row, win shares summing to one, the same seed giving the same outlook, and drawn route shares summing to one.

use crate::catalogue::Catalogue;
use crate::rank::rank;
use crate::scenario::Scenario;
use crate::source::SourceFile;
use proptest::prelude::*;
use rust_decimal::Decimal;

fn scenario(text: String) -> Scenario {
    let cat = Catalogue::embedded().unwrap();
    Scenario::from_source(
        &SourceFile {
            name: "p.toml".into(),
            text,
        },
        &cat,
    )
    .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]
    #[test]
    fn percentiles_are_in_order_and_shares_sum_to_one(
        g in (0u32..5, 0u32..5, 0u32..10),
        v in (1u32..20, 0u32..20, 0u32..40),
        c in (0u32..50, 0u32..30, 0u32..30),
        objective in 0usize..3,
        seed in 0u64..1000,
        months in 1u32..40,
        h in (0u32..40, 0u32..30, 0u32..30),
    ) {
        // Ranges built in order from non-negative steps: p10 ≤ p50 ≤ p90.
        let growth = (Decimal::new(g.0.into(), 2), Decimal::new((g.0 + g.1).into(), 2), Decimal::new((g.0 + g.1 + g.2).into(), 2));
        let volume = (v.0 * 1000, (v.0 + v.1) * 1000, (v.0 + v.1 + v.2) * 1000);
        let change = (Decimal::new(-i64::from(c.0 + 20), 2), Decimal::new(-i64::from(c.0 + 20) + i64::from(c.1), 2), Decimal::new(-i64::from(c.0 + 20) + i64::from(c.1 + c.2), 2));
        let objective = ["cheapest", "best_fit", "balanced"][objective];
        let hit = (Decimal::new(h.0.into(), 2), Decimal::new((h.0 + h.1).into(), 2), Decimal::new((h.0 + h.1 + h.2).into(), 2));
        let s = scenario(format!(
            "name = \"p\"\nhorizon_months = {months}\nmonthly_growth = {{ p10 = \"{}\", p50 = \"{}\", p90 = \"{}\" }}\n\
             [[workload]]\nname = \"w\"\nrequests_per_day = {{ p10 = {}, p50 = {}, p90 = {} }}\ninput_tokens = 9000\noutput_tokens = 200\n\
             [workload.cache]\nprefix_tokens = 5000\nhit_rate = {{ p10 = \"{}\", p50 = \"{}\", p90 = \"{}\" }}\n\
             [pricing]\nchange_per_year = {{ \"openai\" = {{ p10 = \"{}\", p50 = \"{}\", p90 = \"{}\" }} }}\n\
             [forecast]\ntrials = 400\nseed = {seed}\n[rank]\nobjective = \"{objective}\"\n",
            growth.0, growth.1, growth.2, volume.0, volume.1, volume.2, hit.0, hit.1, hit.2, change.0, change.1, change.2
        ));
        let cat = Catalogue::embedded().unwrap();
        let r = rank(&s, &cat).unwrap();
        let o = super::outlook(&s, &cat, &r.ranked, 0).unwrap().unwrap();
        let mut total = Decimal::ZERO;
        for m in &o.models {
            for p in [m.monthly, m.horizon] {
                prop_assert!(p.p10 <= p.p50 && p.p50 <= p.p90, "{}: {:?}", m.model, p);
            }
            total += m.win_share;
        }
        prop_assert_eq!(total, Decimal::ONE);
        let again = super::outlook(&s, &cat, &r.ranked, 0).unwrap().unwrap();
        prop_assert_eq!(o, again);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    /// Every trial's drawn route shares are at least 0 and sum to exactly 1, and every trial's
    /// drawn escalations never increase, whatever the ranges (within the checks).
    #[test]
    fn drawn_shares_sum_to_one_and_escalations_never_increase(
        a in (0u32..50, 0u32..50, 0u32..50),
        b in 0u32..40,
        e in (0u32..30, 0u32..30, 0u32..30),
        seed in 0u64..1000,
    ) {
        use super::draws::{draw, scenario_of};
        use crate::scenario::routing::Routing;
        // Share A: p10 = a.0, p50 = a.0 + a.1, p90 = a.0 + a.1 + a.2 in hundredths, each capped
        // at 1; share B is a uniform range whose middle is 1 − A's median, so the medians sum
        // to 1 as the checks require.
        let q = |x: u32| Decimal::new(i64::from(x.min(100)), 2);
        let (p10, p50, p90) = (q(a.0), q(a.0 + a.1), q(a.0 + a.1 + a.2));
        let rest = Decimal::ONE - p50;
        let half = Decimal::new(i64::from(b), 2).min(rest);
        let (low, high) = (rest - half, (rest + half).min(Decimal::ONE));
        prop_assume!(low + high == rest * Decimal::TWO);
        prop_assume!(p10 > Decimal::ZERO || low > Decimal::ZERO);
        let esc = (q(e.0 + e.1 + e.2), q(e.0 + e.1), q(e.0));
        let s = scenario(format!(
            "name = \"p\"\n\
             [[workload]]\nname = \"r\"\nrequests_per_day = 1000\ninput_tokens = 900\noutput_tokens = 200\n\
             [workload.route]\n\"openai/gpt-3.5-turbo\" = {{ p10 = \"{p10}\", p50 = \"{p50}\", p90 = \"{p90}\" }}\n\
             \"anthropic/claude-3-haiku\" = {{ low = \"{low}\", high = \"{high}\" }}\n\
             [[workload]]\nname = \"c\"\nrequests_per_day = 1000\ninput_tokens = 900\noutput_tokens = 200\n\
             [workload.cascade]\nmodels = [\"openai/gpt-3.5-turbo\", \"anthropic/claude-3-haiku\", \"anthropic/claude-3-opus\"]\n\
             escalation = [{{ low = \"{}\", high = \"{}\" }}, {{ p10 = \"{}\", p50 = \"{}\", p90 = \"{}\" }}]\n\
             [forecast]\ntrials = 200\nseed = {seed}\n",
            esc.1, esc.0, esc.2, esc.1, esc.0
        ));
        let f = s.forecast.clone().expect("ranges make a forecast");
        let d = draw(&f);
        for t in 0..f.trials as usize {
            let x = scenario_of(&s, &f, &d, t);
            let Some(Routing::Route(shares)) = x.workloads[0].routing.as_deref() else { panic!("a route") };
            prop_assert!(shares.iter().all(|r| r.share >= Decimal::ZERO), "{shares:?}");
            prop_assert_eq!(shares.iter().map(|r| r.share).sum::<Decimal>(), Decimal::ONE);
            let Some(Routing::Cascade(c)) = x.workloads[1].routing.as_deref() else { panic!("a cascade") };
            prop_assert!(c.escalation.windows(2).all(|w| w[1] <= w[0]), "{:?}", c.escalation);
            prop_assert!(c.escalation.iter().all(|e| *e >= Decimal::ZERO && *e <= Decimal::ONE));
        }
    }
}

/// A routed mix's blended fit in every trial is the mix row's fit when every range is degenerate:
/// the trial's answer shares are the row's, over the same models' fits.
#[test]
fn a_mixs_trial_fit_is_its_rows_fit_when_every_range_is_degenerate() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/routing/route-budget.toml"
    ))
    .unwrap()
    .replace(
        "\"anthropic/claude-3-opus\" = 0.2",
        "\"anthropic/claude-3-opus\" = { p10 = 0.2, p50 = 0.2, p90 = 0.2 }",
    )
    .replace(
        "requests_per_day = 1000 ",
        "requests_per_day = { low = 1000, high = 1000 } ",
    );
    let s = scenario(text + "[forecast]\ntrials = 50\n");
    let cat = Catalogue::embedded().unwrap();
    let r = rank(&s, &cat).unwrap();
    let f = s.forecast.clone().unwrap();
    assert_eq!(f.inputs.len(), 2, "{:?}", f.inputs);
    let d = super::draws::draw(&f);
    let t = super::mix::trials(&s, &f, &d, &cat, &s.fx(&cat), &r.ranked)
        .unwrap()
        .expect("a mix row");
    assert!(t.row.fit.is_some());
    assert!(
        t.fits.iter().all(|x| *x == t.row.fit),
        "{:?} against {:?}",
        t.fits[0],
        t.row.fit
    );
    assert!(t
        .bills
        .iter()
        .all(|b| *b == (t.row.monthly_cost, t.row.horizon_cost)));
}

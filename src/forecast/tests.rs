//! Invariants of a forecast over random ranges: percentiles in order on every row, win shares
//! summing to one, and the same seed giving the same outlook.

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
    ) {
        // Ranges built in order from non-negative steps: p10 ≤ p50 ≤ p90.
        let growth = (Decimal::new(g.0.into(), 2), Decimal::new((g.0 + g.1).into(), 2), Decimal::new((g.0 + g.1 + g.2).into(), 2));
        let volume = (v.0 * 1000, (v.0 + v.1) * 1000, (v.0 + v.1 + v.2) * 1000);
        let change = (Decimal::new(-i64::from(c.0 + 20), 2), Decimal::new(-i64::from(c.0 + 20) + i64::from(c.1), 2), Decimal::new(-i64::from(c.0 + 20) + i64::from(c.1 + c.2), 2));
        let objective = ["cheapest", "best_fit", "balanced"][objective];
        let s = scenario(format!(
            "name = \"p\"\nhorizon_months = {months}\nmonthly_growth = {{ p10 = \"{}\", p50 = \"{}\", p90 = \"{}\" }}\n\
             [[workload]]\nname = \"w\"\nrequests_per_day = {{ p10 = {}, p50 = {}, p90 = {} }}\ninput_tokens = 900\noutput_tokens = 200\n\
             [pricing]\nchange_per_year = {{ \"openai\" = {{ p10 = \"{}\", p50 = \"{}\", p90 = \"{}\" }} }}\n\
             [forecast]\ntrials = 400\nseed = {seed}\n[rank]\nobjective = \"{objective}\"\n",
            growth.0, growth.1, growth.2, volume.0, volume.1, volume.2, change.0, change.1, change.2
        ));
        let cat = Catalogue::embedded().unwrap();
        let r = rank(&s, &cat).unwrap();
        let o = super::outlook(&s, &cat, &r.ranked, 0).unwrap().unwrap();
        let mut total = Decimal::ZERO;
        for m in &o.models {
            for p in [m.monthly, m.horizon] {
                prop_assert!(p.p10 <= p.p50 && p.p50 <= p.p90, "{}: {:?}", m.model, p);
            }
            total += m.win_share.unwrap_or_default();
        }
        prop_assert_eq!(total, Decimal::ONE);
        let again = super::outlook(&s, &cat, &r.ranked, 0).unwrap().unwrap();
        prop_assert_eq!(o, again);
    }
}

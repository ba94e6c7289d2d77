//! One test per cost rule, each with its expected value worked out by hand in the comment.

use super::*;
use crate::catalogue::model::{Plan, Price, Tier};
use crate::catalogue::Catalogue;
use crate::money::Currency;
use crate::source::SourceFile;
use std::str::FromStr;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

/// A model priced $3 in / $15 out per 1M, $0.30 cached, 50% batch discount, and a tier above
/// 100k input tokens at $6 / $22.50.
fn model() -> Model {
    let cat = Catalogue::embedded().unwrap();
    let mut m = cat.model("anthropic/claude-3-sonnet").unwrap().clone();
    m.price = Some(Price {
        input: Some(d("3")),
        output: Some(d("15")),
        cached_input: Some(d("0.3")),
        cache: Default::default(),
        batch_discount: Some(d("0.5")),
        per_image: None,
        per_video_second: None,
        tiers: vec![Tier {
            above_input_tokens: 100_000,
            input: d("6"),
            output: d("22.5"),
            cached_input: None,
            cache_write: None,
        }],
        plans: vec![],
        as_of: "test".into(),
        source: "test".into(),
    });
    m
}

fn scenario(body: &str) -> Scenario {
    let cat = Catalogue::embedded().unwrap();
    let src = SourceFile {
        name: "test.toml".into(),
        text: format!("name = \"t\"\n{body}"),
    };
    Scenario::from_source(&src, &cat).unwrap()
}

/// The monthly cost of a scenario on a model.
fn monthly_of(s: &Scenario, m: &Model) -> Decimal {
    let cat = Catalogue::embedded().unwrap();
    model_cost(s, m, &s.fx(&cat)).unwrap().unwrap().monthly_cost
}

fn monthly(body: &str) -> Decimal {
    let cat = Catalogue::embedded().unwrap();
    let s = scenario(body);
    model_cost(&s, &model(), &s.fx(&cat))
        .unwrap()
        .unwrap()
        .monthly_cost
}

const BASE: &str = "[[workload]]\nname = \"w\"\nrequests_per_day = 1000\ninput_tokens = 2000\noutput_tokens = 500\n";

#[test]
fn a_full_discount_on_a_converted_price_costs_exactly_nothing() {
    // Found by the property test: a CNY model with a 100% discount, converted to dollars line
    // by line, summed to -0.00000000000000000000001. The total is now converted as one
    // amount: (subtotal - subtotal x 1) = 0 in yuan, 0 in dollars, however large the volume.
    let cat = Catalogue::embedded().unwrap();
    let qwen = cat.model("alibaba/qwen-2.0").unwrap();
    for requests in [651_776, 651_777, 9_999_999] {
        let s = scenario(&format!(
            "days_per_month = 1\nhorizon_months = 2\n[[workload]]\nname = \"w\"\n\
             requests_per_month = {requests}\ninput_tokens = 8254\noutput_tokens = 5978\n\
             cached_input_share = 0.04\n[pricing]\ndiscounts = {{ alibaba = 1 }}\n"
        ));
        let c = model_cost(&s, qwen, &s.fx(&cat)).unwrap().unwrap();
        assert_eq!(c.monthly_cost, Decimal::ZERO, "at {requests}");
        assert_eq!(c.horizon_cost, Decimal::ZERO, "at {requests}");
        // The lines still show the bill before the discount and the discount itself.
        let lines = &c.workloads[0].lines;
        assert!(lines.get(Kind::Metered(Meter::Input)) > Decimal::ZERO);
        assert!(lines.get(Kind::Discount) < Decimal::ZERO);
    }
}

#[test]
fn plain_tokens() {
    // R = 1000 × 30 = 30,000. Input 60M tokens × $3/M = $180. Output 15M × $15/M = $225.
    assert_eq!(monthly(BASE), d("405"));
}

#[test]
fn requests_per_month_and_days() {
    // 45,000 requests: input 90M × 3 = 270; output 22.5M × 15 = 337.5 → 607.5.
    let body = "[[workload]]\nname = \"w\"\nrequests_per_month = 45000\ninput_tokens = 2000\noutput_tokens = 500\n";
    assert_eq!(monthly(body), d("607.5"));
    // 1000/day × 22 days = 22,000 requests: 44M × 3 = 132; 11M × 15 = 165 → 297.
    assert_eq!(monthly(&format!("days_per_month = 22\n{BASE}")), d("297"));
}

#[test]
fn tier_bills_the_whole_request_at_the_tier_price() {
    // 150k input tokens > 100k threshold: every token at $6 / $22.50.
    // R = 100 × 30 = 3,000. Input 450M × 6 = 2,700. Output 3M × 22.5 = 67.5 → 2,767.5.
    let body = "[[workload]]\nname = \"w\"\nrequests_per_day = 100\ninput_tokens = 150000\noutput_tokens = 1000\n";
    assert_eq!(monthly(body), d("2767.5"));
    // Exactly at the threshold is not above it: 100k tokens at $3.
    // R = 3,000. Input 300M × 3 = 900. Output 3M × 15 = 45 → 945.
    let body = "[[workload]]\nname = \"w\"\nrequests_per_day = 100\ninput_tokens = 100000\noutput_tokens = 1000\n";
    assert_eq!(monthly(body), d("945"));
}

#[test]
fn cached_input_at_the_cached_price() {
    // 60M input, 40% cached: 36M fresh × 3 = 108; 24M cached × 0.30 = 7.2; output 225 → 340.2.
    assert_eq!(
        monthly(&format!("{BASE}cached_input_share = 0.4\n")),
        d("340.2")
    );
}

#[test]
fn cached_input_without_a_cached_price_pays_input_price() {
    let s = scenario(&format!("{BASE}cached_input_share = 0.4\n"));
    let mut m = model();
    m.price.as_mut().unwrap().cached_input = None;
    // Same as plain: 405.
    assert_eq!(monthly_of(&s, &m), d("405"));
}

#[test]
fn batch_share_at_the_batch_discount() {
    // Gross 405; 30% of requests at 50% off: saving 405 × 0.3 × 0.5 = 60.75 → 344.25.
    assert_eq!(monthly(&format!("{BASE}batch_share = 0.3\n")), d("344.25"));
    // A model without a batch price pays full price.
    let s = scenario(&format!("{BASE}batch_share = 0.3\n"));
    let mut m = model();
    m.price.as_mut().unwrap().batch_discount = None;
    assert_eq!(monthly_of(&s, &m), d("405"));
}

#[test]
fn vendor_and_model_discounts() {
    // 10% off the vendor: 405 × 0.9 = 364.5.
    assert_eq!(
        monthly(&format!(
            "{BASE}[pricing]\ndiscounts = {{ anthropic = 0.1 }}\n"
        )),
        d("364.5")
    );
    // The model's own discount beats the vendor's: 405 × 0.75 = 303.75.
    let body = format!("{BASE}[pricing]\ndiscounts = {{ anthropic = 0.1, \"anthropic/claude-3-sonnet\" = 0.25 }}\n");
    assert_eq!(monthly(&body), d("303.75"));
}

#[test]
fn override_replaces_list_prices_then_discount_applies() {
    // Override $2 / $10: 60M × 2 = 120; 15M × 10 = 150 → 270; then 10% off → 243.
    let body = format!(
        "{BASE}[pricing]\ndiscounts = {{ anthropic = 0.1 }}\n[pricing.override.\"anthropic/claude-3-sonnet\"]\ninput = 2\noutput = \"10\"\n"
    );
    assert_eq!(monthly(&body), d("243"));
}

#[test]
fn currency_conversion() {
    // USD 405 at 7.2 CNY per USD = CNY 2,916.
    assert_eq!(
        monthly(&format!(
            "currency = \"CNY\"\n{BASE}[pricing]\nfx = {{ CNY = 7.2 }}\n"
        )),
        d("2916")
    );
    // A CNY-priced model reported in USD: 720 CNY at 7.2 = USD 100.
    let s = scenario(&format!("{BASE}[pricing]\nfx = {{ CNY = 7.2 }}\n"));
    let mut m = model();
    m.currency = Currency::parse("CNY").unwrap();
    m.price.as_mut().unwrap().tiers.clear();
    // In CNY the bill is 405 CNY → 405 / 7.2 = 56.25 USD.
    assert_eq!(monthly_of(&s, &m), d("56.25"));
}

#[test]
fn growth_over_the_horizon() {
    // 3 months at 10% growth: 405 + 445.5 + 490.05 = 1,340.55.
    let cat = Catalogue::embedded().unwrap();
    let s = scenario(&format!("horizon_months = 3\nmonthly_growth = 0.1\n{BASE}"));
    let c = model_cost(&s, &model(), &s.fx(&cat)).unwrap().unwrap();
    assert_eq!(c.horizon_cost, d("1340.55"));
    assert_eq!(
        horizon_cost(d("100"), 12, Decimal::ZERO).unwrap(),
        d("1200")
    );
    assert_eq!(horizon_cost(d("100"), 2, d("-0.5")).unwrap(), d("150"));
}

#[test]
fn media_unit_prices_and_plans() {
    let cat = Catalogue::embedded().unwrap();
    let s = scenario("[[workload]]\nname = \"img\"\nimages_per_month = 10000\n");
    let mut m = model();
    let p = m.price.as_mut().unwrap();
    p.per_image = Some(d("0.04"));
    // 10,000 × 0.04 = 400.
    assert_eq!(monthly_of(&s, &m), d("400"));
    // Plans: 10,000 images on a 3,000-image $30 plan needs 4 subscriptions = 120; a
    // 15,000-image $100 plan needs 1 = 100. The cheapest is 100.
    let p = m.price.as_mut().unwrap();
    p.per_image = None;
    p.plans = vec![
        Plan {
            name: "a".into(),
            monthly: d("30"),
            images: Some(d("3000")),
            video_seconds: None,
        },
        Plan {
            name: "b".into(),
            monthly: d("100"),
            images: Some(d("15000")),
            video_seconds: None,
        },
    ];
    assert_eq!(monthly_of(&s, &m), d("100"));
    // No unit price and no plan with an image count: unpriced, with the reason.
    m.price.as_mut().unwrap().plans.clear();
    assert_eq!(
        model_cost(&s, &m, &s.fx(&cat)).unwrap(),
        Err(Unpriced::Reason("no price per image".into()))
    );
}

#[test]
fn components_add_up_and_are_reported() {
    let cat = Catalogue::embedded().unwrap();
    let s = scenario(&format!("{BASE}cached_input_share = 0.4\nbatch_share = 0.3\n[pricing]\ndiscounts = {{ anthropic = 0.1 }}\n"));
    let c = model_cost(&s, &model(), &s.fx(&cat)).unwrap().unwrap();
    let w = &c.workloads[0];
    // fresh 36M × 3 = 108; cached 24M × 0.3 = 7.2; out 225; gross 340.2;
    // batch −340.2 × 0.3 × 0.5 = −51.03; subtotal 289.17; discount −28.917; total 260.253.
    assert_eq!(
        (
            w.lines.get(Kind::Metered(Meter::Input)),
            w.lines.get(Kind::Metered(Meter::CachedRead)),
            w.lines.get(Kind::Metered(Meter::Output))
        ),
        (d("108"), d("7.2"), d("225"))
    );
    assert_eq!(
        (
            w.lines.get(Kind::BatchSaving),
            w.lines.get(Kind::Discount),
            w.cost
        ),
        (d("-51.03"), d("-28.917"), d("260.253"))
    );
    assert_eq!(
        (w.input_tokens, w.cached_input_tokens, w.output_tokens),
        (d("60000000"), d("24000000"), d("15000000"))
    );
}

#[test]
fn overflow_is_an_error_at_the_volume_line_not_a_panic() {
    let cat = Catalogue::embedded().unwrap();
    // Line 1 is the name; the volume is on line 4, its value from column 20.
    let s = scenario("[[workload]]\nname = \"w\"\nrequests_per_day = \"70000000000000000000000000\"\ninput_tokens = 1000000000\noutput_tokens = 1\n");
    let Err(Error::Input(d)) = model_cost(&s, &model(), &s.fx(&cat)) else {
        panic!("expected a located input error");
    };
    assert_eq!(
        (d[0].file.as_str(), d[0].line, d[0].column),
        ("test.toml", Some(4), Some(20))
    );
    assert!(
        d[0].message
            .starts_with("arithmetic overflow (input tokens of workload `w` on "),
        "{}",
        d[0].message
    );
}

#[test]
fn unpriced_models_say_why() {
    let cat = Catalogue::embedded().unwrap();
    let s = scenario(BASE);
    let mut m = model();
    m.price = None;
    m.price_note = Some("open weights".into());
    assert_eq!(
        model_cost(&s, &m, &s.fx(&cat)).unwrap(),
        Err(Unpriced::Reason("no public price (open weights)".into()))
    );
}

#[test]
fn each_component_records_its_quantity_price_and_source() {
    let cat = Catalogue::embedded().unwrap();
    let s = scenario(
        "[[workload]]\nname = \"w\"\nrequests_per_day = 100\ninput_tokens = 150000\noutput_tokens = 1000\n\
         cached_input_share = 0.5\nbatch_share = 0.2\n[pricing]\ndiscounts = { anthropic = 0.1 }\n\
         [pricing.override.\"anthropic/claude-3-sonnet\"]\noutput = 10\n",
    );
    let c = model_cost(&s, &model(), &s.fx(&cat)).unwrap().unwrap();
    let w = &c.workloads[0];
    // R = 100 × 30 = 3,000 requests of 150k input tokens: above the 100k tier. Input 450M tokens,
    // half cached: 225M fresh at the tier's $6 and 225M cached, which the tier does not price, at
    // the tier's input price $6. Output 3M at the override's $10. A fifth of each is batched at
    // 50% off: 45M × −$3, 45M × −$3, 0.6M × −$5.
    // Subtotal 1,350 + 1,350 + 30 − 135 − 135 − 3 = 2,457; 10% off: −245.7; total 2,211.3.
    // Each component as "kind (meter): quantity × unit price [source] = amount".
    let got: Vec<String> = w
        .components
        .iter()
        .map(|c| {
            format!(
                "{:?} ({:?}): {} × {} [{:?}] = {}",
                c.kind,
                c.on,
                c.quantity.normalize(),
                c.unit_price.normalize(),
                c.source,
                c.amount.normalize()
            )
        })
        .collect();
    let tier = |m: &str| format!("Price {{ level: Tier(100000), of: {m} }}");
    let over = "Price { level: Override, of: Output }";
    assert_eq!(
        got,
        [
            format!(
                "Metered(Input) (Some(Input)): 225000000 × 6 [{}] = 1350",
                tier("Input")
            ),
            format!(
                "Metered(CachedRead) (Some(CachedRead)): 225000000 × 6 [{}] = 1350",
                tier("Input")
            ),
            format!("Metered(Output) (Some(Output)): 3000000 × 10 [{over}] = 30"),
            format!(
                "BatchSaving (Some(Input)): 45000000 × -3 [{}] = -135",
                tier("Input")
            ),
            format!(
                "BatchSaving (Some(CachedRead)): 45000000 × -3 [{}] = -135",
                tier("Input")
            ),
            format!("BatchSaving (Some(Output)): 600000 × -5 [{over}] = -3"),
            "Discount (None): 2457 × -0.1 [Discount(Some(\"anthropic\"))] = -245.7".to_string(),
        ]
    );
    assert_eq!(w.tier_above_input_tokens, Some(100_000));
    assert_eq!(w.lines.get(Kind::BatchSaving), d("-273"));
    assert_eq!(w.cost, d("2211.3"));
    // The lines, discount included, add up to the total.
    assert_eq!(w.lines.sum(), Some(w.cost));
}

//! Invariants of the planner, checked on generated scenarios against the embedded catalogue:
//!
//! - a scenario written back to TOML and read again costs exactly the same;
//! - cost never falls when any volume rises;
//! - converting an amount into another currency and back loses nothing money can show.
//!
//! Case counts are modest so the file runs in a few seconds; each case prices every model.

use llmplan::catalogue::model::{Model, Plan};
use llmplan::cost::{model_cost, ModelCost};
use llmplan::money::{money_string, Currency};
use llmplan::scenario::raw::RawScenario;
use llmplan::source::SourceFile;
use llmplan::{Catalogue, Scenario};
use proptest::prelude::*;
use rust_decimal::Decimal;
use std::str::FromStr;
use std::sync::OnceLock;

fn catalogue() -> &'static Catalogue {
    static CAT: OnceLock<Catalogue> = OnceLock::new();
    CAT.get_or_init(|| Catalogue::embedded().expect("embedded catalogue"))
}

/// Every priced model in the catalogue, plus two made-up media models, so that subscription
/// plans and per-second video prices are exercised too (the catalogue prices images per unit
/// only): one sells only plans that include images and video, one charges per video second.
fn priced_models() -> &'static [Model] {
    static MODELS: OnceLock<Vec<Model>> = OnceLock::new();
    MODELS.get_or_init(|| {
        let cat = catalogue();
        let mut models: Vec<Model> = cat
            .models
            .iter()
            .filter(|m| m.price.is_some())
            .cloned()
            .collect();
        let base = cat
            .model("openai/dall-e-3")
            .expect("DALL·E 3 is catalogued")
            .clone();
        let d = |s: &str| Decimal::from_str(s).expect("decimal");
        let plan = |name: &str, monthly: &str, images: &str, video: &str| Plan {
            name: name.into(),
            monthly: d(monthly),
            images: Some(d(images)),
            video_seconds: Some(d(video)),
        };
        let mut plans_only = base.clone();
        plans_only.id = "test/plans-only".into();
        let price = plans_only.price.as_mut().expect("priced");
        price.per_image = None;
        price.plans = vec![
            plan("small", "10", "200", "60"),
            plan("large", "60", "1500", "600"),
        ];
        let mut per_second = base;
        per_second.id = "test/per-second".into();
        let price = per_second.price.as_mut().expect("priced");
        price.per_video_second = Some(d("0.05"));
        models.push(plans_only);
        models.push(per_second);
        models
    })
}

/// One generated workload. Shares are hundredths, written as TOML floats such as `0.35`, so the
/// float-to-exact-decimal path of the reader is exercised too.
#[derive(Debug, Clone)]
struct Work {
    per_day: bool,
    requests: u64,
    input_tokens: u64,
    output_tokens: u64,
    cached_pct: u8,
    batch_pct: u8,
    images: u64,
    video_seconds: u64,
}

/// One generated scenario: all text, all images or all video, since no model prices a mix.
#[derive(Debug, Clone)]
struct Gen {
    cny: bool,
    days_per_month: u64,
    horizon_months: u64,
    growth_pct: i8,
    work: Vec<Work>,
    discount: Option<(usize, u8)>,
    override_price: Option<(usize, u16, u16)>,
}

impl Gen {
    fn to_toml(&self) -> String {
        let mut t = format!(
            "name = \"generated\"\ncurrency = \"{}\"\ndays_per_month = {}\nhorizon_months = {}\nmonthly_growth = {}\n",
            if self.cny { "CNY" } else { "USD" },
            self.days_per_month,
            self.horizon_months,
            f64::from(self.growth_pct) / 100.0,
        );
        for (i, w) in self.work.iter().enumerate() {
            t.push_str(&format!("\n[[workload]]\nname = \"w{i}\"\n"));
            if w.requests > 0 {
                let key = if w.per_day {
                    "requests_per_day"
                } else {
                    "requests_per_month"
                };
                t.push_str(&format!(
                    "{key} = {}\ninput_tokens = {}\noutput_tokens = {}\ncached_input_share = {}\nbatch_share = {}\n",
                    w.requests,
                    w.input_tokens,
                    w.output_tokens,
                    f64::from(w.cached_pct) / 100.0,
                    f64::from(w.batch_pct) / 100.0
                ));
            }
            if w.images > 0 {
                t.push_str(&format!("images_per_month = {}\n", w.images));
            }
            if w.video_seconds > 0 {
                t.push_str(&format!("video_seconds_per_month = {}\n", w.video_seconds));
            }
        }
        let cat = catalogue();
        let mut pricing = String::new();
        if let Some((v, pct)) = self.discount {
            let vendor = cat
                .vendors
                .keys()
                .nth(v % cat.vendors.len())
                .expect("a vendor");
            pricing.push_str(&format!(
                "discounts = {{ {vendor} = {} }}\n",
                f64::from(pct) / 100.0
            ));
        }
        if let Some((m, input, output)) = self.override_price {
            let models: Vec<&Model> = cat.models.iter().filter(|m| m.price.is_some()).collect();
            let id = &models[m % models.len()].id;
            pricing.push_str(&format!(
                "[pricing.override.\"{id}\"]\ninput = \"{}\"\noutput = {}\n",
                Decimal::new(i64::from(input), 2),
                output
            ));
        }
        if !pricing.is_empty() || self.cny {
            t.push_str("\n[pricing]\n");
            if self.cny {
                t.push_str("fx = { CNY = \"7.19\" }\n");
            }
            t.push_str(&pricing);
        }
        t
    }
}

/// What a generated scenario buys.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Text,
    Images,
    Video,
}

fn work(kind: Kind) -> impl Strategy<Value = Work> {
    // Prompts are short, or long enough to sit near the long-prompt tiers (128k tokens).
    let input_tokens = prop_oneof![1u64..20_000, 100_000u64..300_000];
    (
        any::<bool>(),
        1u64..2_000_000,
        input_tokens,
        0u64..8_000,
        0u8..=100,
        0u8..=100,
        1u64..50_000,
    )
        .prop_map(
            move |(
                per_day,
                requests,
                input_tokens,
                output_tokens,
                cached_pct,
                batch_pct,
                media,
            )| Work {
                per_day,
                requests: if matches!(kind, Kind::Text) {
                    requests
                } else {
                    0
                },
                input_tokens,
                output_tokens,
                cached_pct,
                batch_pct,
                images: if matches!(kind, Kind::Images) {
                    media
                } else {
                    0
                },
                video_seconds: if matches!(kind, Kind::Video) {
                    media
                } else {
                    0
                },
            },
        )
}

fn scenario_gen() -> impl Strategy<Value = Gen> {
    prop_oneof![4 => Just(Kind::Text), 1 => Just(Kind::Images), 1 => Just(Kind::Video)]
        .prop_flat_map(|kind| {
            (
                any::<bool>(),
                1u64..=31,
                1u64..=36,
                -50i8..=50,
                prop::collection::vec(work(kind), 1..=3),
                prop::option::of((any::<usize>(), 0u8..=100)),
                prop::option::of((any::<usize>(), 0u16..5_000, 0u16..100)),
            )
        })
        .prop_map(
            |(cny, days_per_month, horizon_months, growth_pct, work, discount, override_price)| {
                Gen {
                    cny,
                    days_per_month,
                    horizon_months,
                    growth_pct,
                    work,
                    discount,
                    override_price,
                }
            },
        )
}

fn scenario(text: &str) -> Scenario {
    let src = SourceFile::from_text("generated.toml".into(), text.to_string()).expect("not empty");
    Scenario::from_source(&src, catalogue())
        .unwrap_or_else(|e| panic!("generated scenario is valid: {e}\n{text}"))
}

/// The bill on every model that can price the scenario, by model id.
fn bills(s: &Scenario) -> Vec<(String, ModelCost)> {
    let fx = s.fx(catalogue());
    priced_models()
        .iter()
        .filter_map(
            |m| match model_cost(s, m, &fx).expect("no overflow at these volumes") {
                Ok(c) => Some((m.id.clone(), c)),
                Err(_) => None,
            },
        )
        .collect()
}

/// The volumes that may rise, one at a time.
#[derive(Debug, Clone, Copy)]
enum Volume {
    Requests,
    InputTokens,
    OutputTokens,
    Images,
    VideoSeconds,
    DaysPerMonth,
    HorizonMonths,
}

fn raise(p: &Gen, what: Volume, workload: usize, by: u64) -> Gen {
    let mut q = p.clone();
    let i = workload % q.work.len();
    let w = &mut q.work[i];
    match what {
        // Only a workload that already has requests gains tokens: adding the first request would
        // change what kind of work it is, not how much.
        Volume::Requests if w.requests > 0 => w.requests += by,
        Volume::InputTokens if w.requests > 0 => w.input_tokens += by,
        Volume::OutputTokens if w.requests > 0 => w.output_tokens += by,
        Volume::Images if w.images > 0 => w.images += by,
        Volume::VideoSeconds if w.video_seconds > 0 => w.video_seconds += by,
        Volume::DaysPerMonth => q.days_per_month = (q.days_per_month + by).min(31),
        Volume::HorizonMonths => q.horizon_months += by % 24,
        _ => {}
    }
    q
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    /// Reading a scenario, writing the parsed file back out as TOML and reading that again gives
    /// the same bill on every model, to the last digit: every number survives the round trip
    /// exactly, floats included.
    #[test]
    fn toml_round_trip_keeps_every_cost(p in scenario_gen()) {
        let text = p.to_toml();
        let first = scenario(&text);
        let raw: RawScenario = toml::from_str(&text).expect("parses");
        let again = toml::to_string(&raw).expect("serialises");
        let second = scenario(&again);
        // Writing it out a second time changes nothing: the written form is a fixed point.
        let raw2: RawScenario = toml::from_str(&again).expect("parses");
        prop_assert_eq!(toml::to_string(&raw2).expect("serialises"), again.clone());
        let (a, b) = (bills(&first), bills(&second));
        prop_assert!(!a.is_empty(), "no model priced\n{}", text);
        prop_assert_eq!(a, b, "\n{}\n---\n{}", text, again);
    }

}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    /// Cost never falls when any volume rises: requests, tokens, images, video seconds, days in
    /// the month or months in the horizon, on every priced model in the catalogue.
    #[test]
    fn cost_never_falls_when_a_volume_rises(
        p in scenario_gen(),
        what in prop_oneof![
            Just(Volume::Requests), Just(Volume::InputTokens), Just(Volume::OutputTokens),
            Just(Volume::Images), Just(Volume::VideoSeconds), Just(Volume::DaysPerMonth),
            Just(Volume::HorizonMonths),
        ],
        workload in 0usize..3,
        by in 1u64..200_000,
    ) {
        let before = bills(&scenario(&p.to_toml()));
        let q = raise(&p, what, workload, by);
        let after = bills(&scenario(&q.to_toml()));
        prop_assert_eq!(before.len(), after.len(), "a volume change made a model (un)priceable");
        for ((id, b), (_, a)) in before.iter().zip(&after) {
            prop_assert!(a.monthly_cost >= b.monthly_cost, "{} monthly fell from {} to {} raising {:?}", id, b.monthly_cost, a.monthly_cost, what);
            prop_assert!(a.horizon_cost >= b.horizon_cost, "{} horizon fell from {} to {} raising {:?}", id, b.horizon_cost, a.horizon_cost, what);
            for (wb, wa) in b.workloads.iter().zip(&a.workloads) {
                prop_assert!(wa.cost >= wb.cost, "{} workload {} fell raising {:?}", id, wb.name, what);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

    /// Converting into a currency and back is exact to within 10⁻¹² of a unit for any amount up to
    /// 10¹² at any rate from 0.001 to 10,000 units per USD (the bound documented in
    /// `catalogue/fx.rs`), and an amount with at most six decimals comes back with the same
    /// `money_string`: nothing money can show is lost.
    #[test]
    fn currency_round_trip_loses_nothing_money_shows(
        units in 0i64..1_000_000_000_000_000_000,
        rate_a in 1i64..10_000_000,
        rate_b in 1i64..10_000_000,
        a_is_usd in any::<bool>(),
    ) {
        let amount = Decimal::new(units, 6);
        let mut fx = catalogue().fx.clone();
        let a = if a_is_usd { Currency::USD } else { Currency::parse("AAA").expect("code") };
        let b = Currency::parse("BBB").expect("code");
        if !a_is_usd {
            fx.set(a, Decimal::new(rate_a, 3));
        }
        fx.set(b, Decimal::new(rate_b, 3));
        let there = fx.convert(amount, a, b).expect("converts");
        let back = fx.convert(there, b, a).expect("converts back");
        let bound = Decimal::from_str("0.000000000001").expect("decimal");
        prop_assert!((back - amount).abs() <= bound, "{} {} → {} {} → {} {}", amount, a, there, b, back, a);
        prop_assert_eq!(money_string(back), money_string(amount));
    }
}

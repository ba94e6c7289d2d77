//! Prompt caching billed by hand: hits, misses, the minimum prefix and storage, each expected
//! value worked out in the comment. The prices are the tests' own (the published ones, copied),
//! so a catalogue update does not move them.

use crate::catalogue::cache::CacheTerms;
use crate::catalogue::model::{Model, Price, Tier};
use crate::catalogue::Catalogue;
use crate::cost::cache::Status;
use crate::cost::{model_cost, Kind, Meter, ModelCost};
use crate::scenario::Scenario;
use crate::source::SourceFile;
use rust_decimal::Decimal;
use std::str::FromStr;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

/// A model with these prices per 1M tokens (input, output, cache read) and caching terms.
fn priced(id: &str, io: (&str, &str), read: &str, cache: CacheTerms, tiers: Vec<Tier>) -> Model {
    let cat = Catalogue::embedded().unwrap();
    let mut m = cat.model(id).unwrap().clone();
    m.price = Some(Price {
        input: Some(d(io.0)),
        output: Some(d(io.1)),
        cached_input: Some(d(read)),
        cache,
        batch_discount: None,
        per_image: None,
        per_video_second: None,
        tiers,
        plans: vec![],
        as_of: "test".into(),
        source: "test".into(),
    });
    m
}

/// Claude 3 Haiku as Anthropic published it on 2024-08-14: $0.25 in, $1.25 out, cache write
/// $0.30, cache read $0.03 (not 1.25× and 0.1× the input price), prefixes of 2,048 tokens or more.
fn haiku() -> Model {
    priced(
        "anthropic/claude-3-haiku",
        ("0.25", "1.25"),
        "0.03",
        CacheTerms {
            cache_write: Some(d("0.30")),
            min_cacheable_tokens: Some(2048),
            ..CacheTerms::default()
        },
        vec![],
    )
}

fn bill(body: &str, m: &Model) -> ModelCost {
    let cat = Catalogue::embedded().unwrap();
    let src = SourceFile::from_text("t.toml".into(), format!("name = \"t\"\n{body}")).unwrap();
    let s = Scenario::from_source(&src, &cat).unwrap();
    model_cost(&s, m, &s.fx(&cat)).unwrap().unwrap()
}

/// 10,000 requests a month of 3,000 input and 200 output tokens.
const WORK: &str = "[[workload]]\nname = \"w\"\nrequests_per_month = 10000\ninput_tokens = 3000\noutput_tokens = 200\n";

fn cached(prefix: u64, hit_rate: &str) -> String {
    format!("{WORK}[workload.cache]\nprefix_tokens = {prefix}\nhit_rate = {hit_rate}\n")
}

fn line(c: &ModelCost, m: Meter) -> Decimal {
    c.workloads[0].lines.get(Kind::Metered(m)).normalize()
}

#[test]
fn haiku_caching_costs_more_than_no_cache_at_a_low_hit_rate_and_less_at_a_high_one() {
    let m = haiku();
    // No cache: input 10,000 × 3,000 = 30M × $0.25 = $7.50; output 2M × $1.25 = $2.50.
    let none = bill(WORK, &m);
    assert_eq!(none.monthly_cost, d("10"));
    // Prefix 2,500 of every request: 25M prefix tokens a month.
    // Hit rate 0.9: hits 22.5M × $0.03 = $0.675; misses 2.5M × $0.30 = $0.75;
    // the rest of the input 5M × $0.25 = $1.25; output $2.50. Total $5.175.
    let high = bill(&cached(2500, "0.9"), &m);
    assert_eq!(high.monthly_cost, d("5.175"));
    assert_eq!(
        [
            Meter::CachedRead,
            Meter::CacheWrite,
            Meter::Input,
            Meter::Output
        ]
        .map(|x| line(&high, x)),
        [d("0.675"), d("0.75"), d("1.25"), d("2.5")]
    );
    // Hit rate 0.1: hits 2.5M × $0.03 = $0.075; misses 22.5M × $0.30 = $6.75; rest $1.25;
    // output $2.50. Total $10.575: the write premium outweighs the few hits, so caching at a low
    // hit rate costs more than not caching ($10), as well as more than at 0.9.
    let low = bill(&cached(2500, "0.1"), &m);
    assert_eq!(low.monthly_cost, d("10.575"));
    assert_eq!(line(&low, Meter::CacheWrite), d("6.75"));
    assert!(low.monthly_cost > none.monthly_cost && none.monthly_cost > high.monthly_cost);
    // Break-even per prefix token: 0.30 − 0.27 h = 0.25 at h = 5/27 ≈ 0.185.
    assert_eq!(high.workloads[0].cache.unwrap().status, Status::Cached);
}

#[test]
fn a_prefix_below_the_minimum_bills_the_whole_input_at_the_input_price() {
    let m = haiku();
    // 2,047 tokens is one short of Haiku's 2,048: no hit, no miss, no write premium; the bill is
    // the no-cache bill, $10, and the workload says why.
    let short = bill(&cached(2047, "0.9"), &m);
    assert_eq!(short.monthly_cost, d("10"));
    assert_eq!(line(&short, Meter::CachedRead), Decimal::ZERO);
    assert_eq!(line(&short, Meter::CacheWrite), Decimal::ZERO);
    assert_eq!(line(&short, Meter::Input), d("7.5"));
    let status = short.workloads[0].cache.unwrap().status;
    assert_eq!(
        status,
        Status::BelowMinimum {
            prefix_tokens: 2047,
            min_cacheable_tokens: 2048
        }
    );
    assert!(status
        .note("w", "h")
        .unwrap()
        .contains("below the 2048 tokens"));
    // Exactly 2,048 is cached: 20.48M prefix tokens, hits 18.432M × $0.03 = $0.55296, misses
    // 2.048M × $0.30 = $0.6144, rest 9.52M × $0.25 = $2.38, output $2.50: $6.04736.
    let at = bill(&cached(2048, "0.9"), &m);
    assert_eq!(at.monthly_cost, d("6.04736"));
}

#[test]
fn a_model_without_cache_prices_bills_the_prefix_as_input() {
    // Claude 3 Sonnet never had caching: $3 / $15 and nothing else. 30M × $3 = $90;
    // 2M × $15 = $30: $120 with or without the cache table.
    let mut m = priced(
        "anthropic/claude-3-sonnet",
        ("3", "15"),
        "0",
        CacheTerms::default(),
        vec![],
    );
    m.price.as_mut().unwrap().cached_input = None;
    let c = bill(&cached(2500, "0.9"), &m);
    assert_eq!(c.monthly_cost, d("120"));
    assert_eq!(line(&c, Meter::CacheWrite), Decimal::ZERO);
    assert_eq!(c.workloads[0].cache.unwrap().status, Status::NoCachePrices);
}

#[test]
fn storage_bills_prefix_tokens_times_hours_and_a_miss_without_a_write_price_bills_input() {
    // Gemini 1.5 Pro, June 2024: $3.50 / $10.50, cached $0.875, storage $4.50 per 1M tokens per
    // hour, prefixes of 32,768 tokens or more, no write price; above 128k, $7 / $21 / $1.75.
    let m = priced(
        "google/gemini-1.5-pro",
        ("3.5", "10.5"),
        "0.875",
        CacheTerms {
            min_cacheable_tokens: Some(32_768),
            cache_storage_per_mtok_hour: Some(d("4.50")),
            ..CacheTerms::default()
        },
        vec![Tier {
            above_input_tokens: 128_000,
            input: d("7"),
            output: d("21"),
            cached_input: Some(d("1.75")),
            cache_write: None,
        }],
    );
    // 1,000 requests of 40,000 input and 500 output tokens; a 32,768-token prefix found 90% of
    // the time, kept 720 hours a month.
    let body = "[[workload]]\nname = \"w\"\nrequests_per_month = 1000\ninput_tokens = 40000\noutput_tokens = 500\n\
                [workload.cache]\nprefix_tokens = 32768\nhit_rate = 0.9\nstorage_hours_per_month = 720\n";
    let c = bill(body, &m);
    // prefix tokens 32,768,000: hits 29,491,200 × $0.875 = $25.8048; misses 3,276,800 at the
    // input price $3.50 = $11.4688; the rest 7,232,000 × $3.50 = $25.312; output 500,000 ×
    // $10.50 = $5.25; storage 32,768 × 720 = 23,592,960 token-hours × $4.50 = $106.16832.
    // Total $174.00392.
    assert_eq!(
        [
            Meter::CachedRead,
            Meter::CacheWrite,
            Meter::Input,
            Meter::Output,
            Meter::CacheStorage
        ]
        .map(|x| line(&c, x)),
        [
            d("25.8048"),
            d("11.4688"),
            d("25.312"),
            d("5.25"),
            d("106.16832")
        ]
    );
    assert_eq!(c.monthly_cost, d("174.00392"));
    // The miss is priced at the input price, and says so.
    let miss = c.workloads[0]
        .components
        .iter()
        .find(|x| x.kind == Kind::Metered(Meter::CacheWrite))
        .unwrap();
    assert_eq!(
        miss.source,
        crate::cost::Source::Price {
            level: crate::cost::Level::List,
            of: Meter::Input
        }
    );
    // Prompts of 200,000 tokens bill at the 128k tier, except storage, which has no tier:
    // prefix 32,768,000: hits × $1.75 = $51.6096; misses × $7 = $22.9376; the rest
    // 167,232,000 × $7 = $1,170.624; output × $21 = $10.50; storage $106.16832.
    // Total $1,361.83952.
    let long = body.replace("input_tokens = 40000", "input_tokens = 200000");
    assert_eq!(bill(&long, &m).monthly_cost, d("1361.83952"));
}

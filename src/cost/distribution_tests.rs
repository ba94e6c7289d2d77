//! The bill of request-size distributions, against hand-computed figures (buckets) and an
//! independent numerical integration (lognormal).

use super::*;
use crate::catalogue::model::{Price, Tier};
use crate::catalogue::Catalogue;
use crate::source::SourceFile;
use std::str::FromStr;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

/// A model at Gemini 1.5 Pro's May 2024 list prices: $3.50 in / $10.50 out per 1M tokens, and
/// $7 / $21 for prompts above 128k tokens, with a 128k window.
fn tiered() -> Model {
    let cat = Catalogue::embedded().unwrap();
    let mut m = cat.model("anthropic/claude-3-sonnet").unwrap().clone();
    m.context_window = Some(128_000);
    m.price = Some(Price {
        input: Some(d("3.5")),
        output: Some(d("10.5")),
        cached_input: None,
        cache: Default::default(),
        batch_discount: None,
        per_image: None,
        per_video_second: None,
        tiers: vec![Tier {
            above_input_tokens: 128_000,
            input: d("7"),
            output: d("21"),
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
        text: format!("name = \"t\"\n[[workload]]\nname = \"w\"\n{body}"),
    };
    Scenario::from_source(&src, &cat).unwrap()
}

fn bill(body: &str) -> ModelCost {
    let cat = Catalogue::embedded().unwrap();
    let s = scenario(body);
    model_cost(&s, &tiered(), &s.fx(&cat)).unwrap().unwrap()
}

#[test]
fn buckets_across_the_128k_tier_are_billed_exactly() {
    let c = bill(
        "requests_per_month = 10000\n\
         input_tokens = { buckets = [[1000, 0.5], [8000, 0.3], [150000, 0.2]] }\n\
         output_tokens = 500\n",
    );
    // List price: 8,000 requests, 10,000 × (1,000 × 0.5 + 8,000 × 0.3) = 29M input tokens,
    //   29 × $3.50 = $101.50; 8,000 × 500 = 4M output tokens, 4 × $10.50 = $42.
    // Above 128k: 2,000 requests, 10,000 × 150,000 × 0.2 = 300M input tokens, 300 × $7 = $2,100;
    //   2,000 × 500 = 1M output tokens, 1 × $21 = $21.
    // Total $101.50 + $42 + $2,100 + $21 = $2,264.50. Billed at the mean request (32,900 tokens,
    // under the threshold) it would be 329 × $3.50 + 5 × $10.50 = $1,204.
    assert_eq!(c.monthly_cost, d("2264.50"));
    let w = &c.workloads[0];
    assert_eq!(w.input_tokens, d("329000000"));
    assert_eq!(w.lines.get(Kind::Metered(Meter::Input)), d("2201.50"));
    assert_eq!(w.lines.get(Kind::Metered(Meter::Output)), d("63"));
    let shares: Vec<_> = w
        .tiers
        .iter()
        .map(|t| (t.above_input_tokens, t.share.normalize()))
        .collect();
    assert_eq!(shares, [(None, d("0.8")), (Some(128_000), d("0.2"))]);
}

/// ∫ g(x) f(x) dx over (a, b] for the lognormal density f, by composite Simpson in u = ln x,
/// independent of the closed forms the bill uses.
fn integrate(mu: f64, sigma: f64, a: f64, b: f64, g: impl Fn(f64) -> f64) -> f64 {
    let lo = a.ln().max(mu - 14.0 * sigma);
    let hi = b.ln().min(mu + 14.0 * sigma);
    if hi <= lo {
        return 0.0;
    }
    let n = 200_000;
    let h = (hi - lo) / n as f64;
    let f = |u: f64| {
        let z = (u - mu) / sigma;
        g(u.exp()) * (-0.5 * z * z).exp() / (sigma * (2.0 * std::f64::consts::PI).sqrt())
    };
    let mut sum = f(lo) + f(hi);
    for i in 1..n {
        sum += f(lo + i as f64 * h) * if i % 2 == 1 { 4.0 } else { 2.0 };
    }
    sum * h / 3.0
}

#[test]
fn a_lognormal_bill_matches_a_numerical_integration() {
    // Prompts with a mean of about 100k tokens and a coefficient of variation of 0.5: p50 =
    // 100,000 ÷ √1.25 ≈ 89,443, p95 = p50 × e^(1.6449 × 0.4724) ≈ 194,510.
    let c = bill(
        "requests_per_month = 10000\n\
         input_tokens = { p50 = 89443, p95 = 194510 }\n\
         output_tokens = 500\n",
    );
    let (mu, sigma) = (
        89_443f64.ln(),
        (194_510f64 / 89_443f64).ln() / 1.644_853_626_951_472_2,
    );
    let r = 10_000.0;
    let t = 128_000.0;
    // Per request: below the threshold $3.50 per 1M input and $10.50 per 1M output; above, $7
    // and $21.
    let below = integrate(mu, sigma, 1e-300, t, |x| (3.5 * x + 10.5 * 500.0) / 1e6);
    let above = integrate(mu, sigma, t, f64::INFINITY, |x| {
        (7.0 * x + 21.0 * 500.0) / 1e6
    });
    let want = r * (below + above);
    let got = c.monthly_cost.to_string().parse::<f64>().unwrap();
    assert!(
        (got / want - 1.0).abs() < 1e-6,
        "bill {got}, integral {want}"
    );
    // About 22% of requests cross 128k, and billing the average understates the bill by about
    // 27%: the mean request (≈ 100k tokens) is all at the list price.
    let share = integrate(mu, sigma, t, f64::INFINITY, |_| 1.0);
    let over = c.workloads[0].tiers[1]
        .share
        .to_string()
        .parse::<f64>()
        .unwrap();
    assert!((over / share - 1.0).abs() < 1e-6, "{over} vs {share}");
    assert!((0.22..0.23).contains(&over));
    let at_mean = r * (3.5 * 100_000.0 + 10.5 * 500.0) / 1e6;
    assert!(
        (1.0 - at_mean / got - 0.27).abs() < 0.01,
        "{at_mean} vs {got}"
    );
}

#[test]
fn a_capped_lognormal_bills_the_tail_at_the_cap() {
    // Capped at p95 = 150,000: 5% of requests carry exactly 150,000 tokens, all above 128k.
    let c = bill(
        "requests_per_month = 1000\n\
         input_tokens = { p50 = 20000, p95 = 150000, max = 150000 }\n\
         output_tokens = 0\n",
    );
    let (mu, sigma) = (
        20_000f64.ln(),
        (150_000f64 / 20_000f64).ln() / 1.644_853_626_951_472_2,
    );
    let t = 128_000.0;
    let below = integrate(mu, sigma, 1e-300, t, |x| 3.5 * x / 1e6);
    let mid = integrate(mu, sigma, t, 150_000.0, |x| 7.0 * x / 1e6);
    let cap = 0.05 * 7.0 * 150_000.0 / 1e6;
    let want = 1_000.0 * (below + mid + cap);
    let got = c.monthly_cost.to_string().parse::<f64>().unwrap();
    assert!(
        (got / want - 1.0).abs() < 1e-6,
        "bill {got}, integral {want}"
    );
}

#[test]
fn the_percentile_request_sets_the_context_and_overflow_counts_the_rest() {
    let s = scenario(
        "requests_per_month = 10000\n\
         input_tokens = { p50 = 89443, p95 = 194510 }\n\
         output_tokens = 500\n",
    );
    let w = &s.workloads[0];
    // The 99th percentile: σ = ln(194,510 ÷ 89,443) ÷ 1.64485 = 0.472309, and
    // 89,443 × e^(2.326348 × 0.472309) = 89,443 × 3.00042 ≈ 268,367, plus 500 output tokens.
    assert!(
        (268_800..268_900).contains(&w.context_tokens),
        "{}",
        w.context_tokens
    );
    // The share above 128,000 − 500 tokens, ≈ 22.6%.
    let o = s.overflow_share(128_000);
    assert!((0.22..0.23).contains(&o), "{o}");
    let fails = crate::eligibility::requirement_failures(&s, &tiered());
    assert!(
        fails
            .iter()
            .any(|f| f.code == crate::reason::ReasonCode::ContextWindow
                && f.text.contains("of requests overflow")),
        "{fails:?}"
    );
}

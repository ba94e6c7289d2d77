//! The cost of running a scenario's workloads on one model: exact, and defined once.
//!
//! For each workload, with R requests a month (`requests_per_day × days_per_month`, or
//! `requests_per_month`):
//!
//! 1. The price tier is chosen by the per-request `input_tokens`: a request whose input exceeds a
//!    tier's `above_input_tokens` is billed entirely at that tier's prices.
//! 2. A `[pricing.override]` replaces whichever list prices it sets, at every tier.
//! 3. input = R × input_tokens × (1 − cached_input_share) × input price ÷ 1M;
//!    cached input = R × input_tokens × cached_input_share × cached price ÷ 1M, where the cached
//!    price is `cached_input` or, for a model without one, the input price;
//!    output = R × output_tokens × output price ÷ 1M.
//! 4. Batch: a share `batch_share` of requests costs (1 − `batch_discount`); a model without a batch
//!    price pays full price for them. The saving is reported as a negative line.
//! 5. Media: images × `per_image` and video seconds × `per_video_second`, or else the cheapest
//!    whole number of subscriptions to one plan that covers the volume.
//! 6. The discount (a model's own, else its vendor's) takes its fraction off everything above.
//! 7. Each line is converted into the scenario currency: amount × rate(to) ÷ rate(from).
//!
//! The horizon cost is Σ monthly × (1 + growth)^k for k = 0 … horizon_months − 1.
//! Every step uses checked `Decimal` arithmetic: an overflow is an error, never a wrap. The error
//! names the scenario line that caused it: the workload's volume, the exchange rate, or the
//! growth and horizon.

use crate::catalogue::fx::FxTable;
use crate::catalogue::model::{Model, Price};
use crate::diag::KeyPath;
use crate::error::{Error, Result};
use crate::money::Currency;
use crate::scenario::{Scenario, Workload};
use rust_decimal::Decimal;
use serde::Serialize;

/// One million, the unit token prices are quoted per.
pub const MILLION: Decimal = Decimal::from_parts(1_000_000, 0, 0, false, 0);

/// The bill for one workload on one model, in the scenario currency.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WorkloadCost {
    /// Workload name.
    pub name: String,
    /// Requests a month.
    pub requests: Decimal,
    /// Input tokens a month, cached ones included.
    pub input_tokens: Decimal,
    /// Of which served from cache.
    pub cached_input_tokens: Decimal,
    /// Output tokens a month.
    pub output_tokens: Decimal,
    /// Images a month.
    pub images: Decimal,
    /// Seconds of video a month.
    pub video_seconds: Decimal,
    /// The tier threshold applied, if a tier was.
    pub tier_above_input_tokens: Option<u64>,
    /// Fresh input tokens.
    pub input_cost: Decimal,
    /// Cached input tokens.
    pub cached_input_cost: Decimal,
    /// Output tokens.
    pub output_cost: Decimal,
    /// Batch saving (zero or negative).
    pub batch_savings: Decimal,
    /// Images and video.
    pub media_cost: Decimal,
    /// Discount (zero or negative).
    pub discount: Decimal,
    /// The total.
    pub cost: Decimal,
    /// For a routed workload, each model's part; the lines above are their sums.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub route: Vec<LegCost>,
}

/// One model's part of a routed workload's bill.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LegCost {
    /// Model id.
    pub model: String,
    /// Share of the workload's requests sent to this model.
    pub share: Decimal,
    /// Share of the workload's requests whose final answer this model gives.
    pub answers: Decimal,
    /// Requests a month sent to this model.
    pub requests: Decimal,
    /// Input tokens each of those requests carries (the workload's plus any escalation overhead).
    pub input_tokens_per_request: u64,
    /// The tier threshold applied, if a tier was.
    pub tier_above_input_tokens: Option<u64>,
    /// This model's part of the bill, in the scenario currency.
    pub cost: Decimal,
}

/// The bill for a whole scenario on one model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelCost {
    /// Model id.
    pub model: String,
    /// Scenario currency.
    pub currency: Currency,
    /// Per workload.
    pub workloads: Vec<WorkloadCost>,
    /// Sum of the workloads for the first month.
    pub monthly_cost: Decimal,
    /// Months in the horizon.
    pub horizon_months: u32,
    /// Sum over the horizon with growth.
    pub horizon_cost: Decimal,
}

/// Why a model cannot be priced for a scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unpriced {
    /// A plain reason for the exclusion list.
    Reason(String),
}

/// Prices a scenario on a model. `Ok(Err(_))` means the model has no price for this work.
///
/// Routes are ignored: every workload runs on `model` alone (see `routed` for routed workloads).
pub fn model_cost(
    scenario: &Scenario,
    model: &Model,
    fx: &FxTable,
) -> Result<std::result::Result<ModelCost, Unpriced>> {
    let mut workloads = Vec::with_capacity(scenario.workloads.len());
    let mut monthly = Decimal::ZERO;
    for w in &scenario.workloads {
        let at = |e| scenario.overflow_at(&scenario.volume_path(&w.name), e);
        let wc = match workload_on(scenario, w, model, fx)? {
            Ok(wc) => wc,
            Err(u) => return Ok(Err(u)),
        };
        monthly = monthly
            .checked_add(wc.cost)
            .ok_or_else(|| at(Error::Overflow(format!("monthly cost on {}", model.id))))?;
        workloads.push(wc);
    }
    let horizon = horizon_cost(monthly, scenario.horizon_months, scenario.monthly_growth)
        .map_err(|e| scenario.overflow_at(&scenario.horizon_path(), e))?;
    Ok(Ok(ModelCost {
        model: model.id.clone(),
        currency: scenario.currency,
        workloads,
        monthly_cost: monthly,
        horizon_months: scenario.horizon_months,
        horizon_cost: horizon,
    }))
}

/// Prices one workload on one model, ignoring any route. Routed workloads are priced leg by leg
/// through this same function, each leg being the workload scaled to its share of requests.
pub fn workload_on(
    scenario: &Scenario,
    w: &Workload,
    model: &Model,
    fx: &FxTable,
) -> Result<std::result::Result<WorkloadCost, Unpriced>> {
    let Some(price) = &model.price else {
        let why = match &model.price_note {
            Some(note) => format!("no public price ({note})"),
            None => "no public price".to_string(),
        };
        return Ok(Err(Unpriced::Reason(why)));
    };
    // Blame the workload's own volume line; a routed leg keeps the name of its workload.
    workload_cost(scenario, w, model, price, fx)
        .map_err(|e| scenario.overflow_at(&scenario.volume_path(&w.name), e))
}

/// Token prices per 1M after tier selection and overrides, in the vendor's currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenPrices {
    /// Input.
    pub input: Decimal,
    /// Cached input.
    pub cached_input: Decimal,
    /// Output.
    pub output: Decimal,
    /// Fraction off batch requests.
    pub batch_discount: Decimal,
    /// Tier threshold applied.
    pub tier: Option<u64>,
}

/// The effective token prices for a request with `input_tokens` of input, or `None` if the model
/// is not priced per token.
pub fn token_prices(
    scenario: &Scenario,
    model: &Model,
    price: &Price,
    input_tokens: u64,
) -> Option<TokenPrices> {
    let (mut input, mut output) = (price.input?, price.output?);
    let mut cached = price.cached_input;
    let mut tier_at = None;
    if let Some(tier) = price
        .tiers
        .iter()
        .rev()
        .find(|t| input_tokens > t.above_input_tokens)
    {
        input = tier.input;
        output = tier.output;
        cached = tier.cached_input;
        tier_at = Some(tier.above_input_tokens);
    }
    if let Some(o) = scenario.pricing.overrides.get(&model.id) {
        input = o.input.unwrap_or(input);
        output = o.output.unwrap_or(output);
        cached = o.cached_input.or(cached);
    }
    Some(TokenPrices {
        input,
        cached_input: cached.unwrap_or(input),
        output,
        batch_discount: price.batch_discount.unwrap_or(Decimal::ZERO),
        tier: tier_at,
    })
}

fn workload_cost(
    scenario: &Scenario,
    w: &Workload,
    model: &Model,
    price: &Price,
    fx: &FxTable,
) -> Result<std::result::Result<WorkloadCost, Unpriced>> {
    // The context is written only when an operation overflows: formatting it for every operation
    // would cost more than the arithmetic.
    let ctx = |what: &str| format!("{what} of workload `{}` on {}", w.name, model.id);
    let over = |what: &str| Error::Overflow(ctx(what));
    let mul = |a: Decimal, b: Decimal, what: &str| a.checked_mul(b).ok_or_else(|| over(what));
    let add = |a: Decimal, b: Decimal, what: &str| a.checked_add(b).ok_or_else(|| over(what));
    let per_million = |tokens: Decimal, price: Decimal, what: &str| {
        mul(tokens, price, what)?
            .checked_div(MILLION)
            .ok_or_else(|| over(what))
    };
    let r = w.monthly_requests(scenario.days_per_month)?;
    let (mut input_cost, mut cached_cost, mut output_cost, mut batch) =
        (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
    let (mut in_tok, mut cached_tok, mut out_tok) = (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
    let mut tier = None;
    if w.requests.is_some() {
        let Some(p) = token_prices(scenario, model, price, w.input_tokens) else {
            return Ok(Err(Unpriced::Reason("no per-token price".into())));
        };
        tier = p.tier;
        in_tok = mul(r, Decimal::from(w.input_tokens), "input tokens")?;
        cached_tok = mul(in_tok, w.cached_input_share, "cached tokens")?;
        let fresh = in_tok - cached_tok;
        out_tok = mul(r, Decimal::from(w.output_tokens), "output tokens")?;
        input_cost = per_million(fresh, p.input, "input cost")?;
        cached_cost = per_million(cached_tok, p.cached_input, "cached input cost")?;
        output_cost = per_million(out_tok, p.output, "output cost")?;
        let gross = add(add(input_cost, cached_cost, "cost")?, output_cost, "cost")?;
        batch = -mul(
            mul(gross, w.batch_share, "batch")?,
            p.batch_discount,
            "batch",
        )?;
    }
    let media = if w.images_per_month.is_zero() && w.video_seconds_per_month.is_zero() {
        Decimal::ZERO
    } else {
        match media_cost(w, price, &ctx("media cost"))? {
            Ok(m) => m,
            Err(u) => return Ok(Err(u)),
        }
    };
    let subtotal = [input_cost, cached_cost, output_cost, batch, media]
        .into_iter()
        .try_fold(Decimal::ZERO, |a, b| add(a, b, "cost"))?;
    let d = scenario.pricing.discount_for(&model.id, &model.vendor);
    let discount = -mul(subtotal, d, "discount")?;
    let to = scenario.currency;
    // A conversion overflows on an absurd rate: blame the scenario's own rate if it set one.
    let rate_path = [model.currency, to]
        .into_iter()
        .find(|c| scenario.pricing.fx.contains_key(c))
        .map(|c| KeyPath::root().key("pricing").key("fx").key(c.code()));
    let conv = |x: Decimal| {
        fx.convert(x, model.currency, to)
            .map_err(|e| match &rate_path {
                Some(p) => scenario.overflow_at(p, e),
                None => e,
            })
    };
    // The total is converted as one amount, not summed from the converted lines: each conversion
    // rounds at the 28th digit, and the lines' roundings could leave a fully discounted bill a
    // hair below zero, or make a larger volume cost a hair less. Converting is monotone, so the
    // total is never negative and never falls when a volume rises; it differs from the sum of
    // the lines below by at most a few units of the 28th digit.
    let cost = conv(add(subtotal, discount, "cost")?)?;
    let (input_cost, cached_cost, output_cost, batch, media, discount) = (
        conv(input_cost)?,
        conv(cached_cost)?,
        conv(output_cost)?,
        conv(batch)?,
        conv(media)?,
        conv(discount)?,
    );
    Ok(Ok(WorkloadCost {
        name: w.name.clone(),
        requests: r,
        input_tokens: in_tok,
        cached_input_tokens: cached_tok,
        output_tokens: out_tok,
        images: w.images_per_month,
        video_seconds: w.video_seconds_per_month,
        tier_above_input_tokens: tier,
        input_cost,
        cached_input_cost: cached_cost,
        output_cost,
        batch_savings: batch,
        media_cost: media,
        discount,
        cost,
        route: Vec::new(),
    }))
}

/// Images and video: unit prices where the model has them, else the cheapest plan.
fn media_cost(
    w: &Workload,
    price: &Price,
    what: &str,
) -> Result<std::result::Result<Decimal, Unpriced>> {
    let mut total = Decimal::ZERO;
    for (need, unit, noun) in [
        (w.images_per_month, price.per_image, "image"),
        (
            w.video_seconds_per_month,
            price.per_video_second,
            "video second",
        ),
    ] {
        if need.is_zero() {
            continue;
        }
        if let Some(u) = unit {
            total = add(total, mul(need, u, what)?, what)?;
            continue;
        }
        let mut best: Option<Decimal> = None;
        for plan in &price.plans {
            let included = if noun == "image" {
                plan.images
            } else {
                plan.video_seconds
            };
            let Some(inc) = included.filter(|i| !i.is_zero()) else {
                continue;
            };
            let subs = need
                .checked_div(inc)
                .ok_or_else(|| Error::Overflow(what.to_string()))?
                .ceil();
            let c = mul(subs, plan.monthly, what)?;
            best = Some(best.map_or(c, |b| b.min(c)));
        }
        match best {
            Some(c) => total = add(total, c, what)?,
            None => return Ok(Err(Unpriced::Reason(format!("no price per {noun}")))),
        }
    }
    Ok(Ok(total))
}

/// Σ monthly × (1 + growth)^k for k = 0 … months − 1.
pub fn horizon_cost(monthly: Decimal, months: u32, growth: Decimal) -> Result<Decimal> {
    let factor = Decimal::ONE + growth;
    let mut month = monthly;
    let mut total = Decimal::ZERO;
    for _ in 0..months {
        total = add(total, month, "horizon cost")?;
        month = mul(month, factor, "horizon cost")?;
    }
    Ok(total)
}

/// `tokens × price ÷ 1M`, checked.
pub fn per_million(tokens: Decimal, price: Decimal, what: &str) -> Result<Decimal> {
    mul(tokens, price, what)?
        .checked_div(MILLION)
        .ok_or_else(|| Error::Overflow(what.to_string()))
}

/// Checked multiplication.
pub fn mul(a: Decimal, b: Decimal, what: &str) -> Result<Decimal> {
    a.checked_mul(b)
        .ok_or_else(|| Error::Overflow(what.to_string()))
}

/// Checked addition.
pub fn add(a: Decimal, b: Decimal, what: &str) -> Result<Decimal> {
    a.checked_add(b)
        .ok_or_else(|| Error::Overflow(what.to_string()))
}

#[cfg(test)]
mod tests {
    //! One test per cost rule, each with its expected value worked out by hand in the comment.

    use super::*;
    use crate::catalogue::model::{Plan, Tier};
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
            cache_write: None,
            batch_discount: Some(d("0.5")),
            per_image: None,
            per_video_second: None,
            tiers: vec![Tier {
                above_input_tokens: 100_000,
                input: d("6"),
                output: d("22.5"),
                cached_input: None,
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
            assert!(c.workloads[0].input_cost > Decimal::ZERO);
            assert!(c.workloads[0].discount < Decimal::ZERO);
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
        let cat = Catalogue::embedded().unwrap();
        let s = scenario(&format!("{BASE}cached_input_share = 0.4\n"));
        let mut m = model();
        m.price.as_mut().unwrap().cached_input = None;
        // Same as plain: 405.
        assert_eq!(
            model_cost(&s, &m, &s.fx(&cat))
                .unwrap()
                .unwrap()
                .monthly_cost,
            d("405")
        );
    }

    #[test]
    fn batch_share_at_the_batch_discount() {
        // Gross 405; 30% of requests at 50% off: saving 405 × 0.3 × 0.5 = 60.75 → 344.25.
        assert_eq!(monthly(&format!("{BASE}batch_share = 0.3\n")), d("344.25"));
        // A model without a batch price pays full price.
        let cat = Catalogue::embedded().unwrap();
        let s = scenario(&format!("{BASE}batch_share = 0.3\n"));
        let mut m = model();
        m.price.as_mut().unwrap().batch_discount = None;
        assert_eq!(
            model_cost(&s, &m, &s.fx(&cat))
                .unwrap()
                .unwrap()
                .monthly_cost,
            d("405")
        );
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
        let cat = Catalogue::embedded().unwrap();
        let s = scenario(&format!("{BASE}[pricing]\nfx = {{ CNY = 7.2 }}\n"));
        let mut m = model();
        m.currency = Currency::parse("CNY").unwrap();
        m.price.as_mut().unwrap().tiers.clear();
        // In CNY the bill is 405 CNY → 405 / 7.2 = 56.25 USD.
        assert_eq!(
            model_cost(&s, &m, &s.fx(&cat))
                .unwrap()
                .unwrap()
                .monthly_cost,
            d("56.25")
        );
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
        assert_eq!(
            model_cost(&s, &m, &s.fx(&cat))
                .unwrap()
                .unwrap()
                .monthly_cost,
            d("400")
        );
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
        assert_eq!(
            model_cost(&s, &m, &s.fx(&cat))
                .unwrap()
                .unwrap()
                .monthly_cost,
            d("100")
        );
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
            (w.input_cost, w.cached_input_cost, w.output_cost),
            (d("108"), d("7.2"), d("225"))
        );
        assert_eq!(
            (w.batch_savings, w.discount, w.cost),
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
}

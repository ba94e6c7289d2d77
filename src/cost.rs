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
pub fn model_cost(
    scenario: &Scenario,
    model: &Model,
    fx: &FxTable,
) -> Result<std::result::Result<ModelCost, Unpriced>> {
    let Some(price) = &model.price else {
        let why = match &model.price_note {
            Some(note) => format!("no public price ({note})"),
            None => "no public price".to_string(),
        };
        return Ok(Err(Unpriced::Reason(why)));
    };
    let mut workloads = Vec::with_capacity(scenario.workloads.len());
    let mut monthly = Decimal::ZERO;
    for (i, w) in scenario.workloads.iter().enumerate() {
        let at = |e| scenario.overflow_at(&scenario.volume_path(i), e);
        let wc = match workload_cost(scenario, w, model, price, fx).map_err(at)? {
            Ok(wc) => wc,
            Err(u) => return Ok(Err(u)),
        };
        monthly = add(monthly, wc.cost, &format!("monthly cost on {}", model.id)).map_err(at)?;
        workloads.push(wc);
    }
    let horizon =
        horizon_cost(monthly, scenario.horizon_months, scenario.monthly_growth).map_err(|e| {
            let key = if scenario.monthly_growth.is_zero() {
                "horizon_months"
            } else {
                "monthly_growth"
            };
            scenario.overflow_at(&KeyPath::root().key(key), e)
        })?;
    Ok(Ok(ModelCost {
        model: model.id.clone(),
        currency: scenario.currency,
        workloads,
        monthly_cost: monthly,
        horizon_months: scenario.horizon_months,
        horizon_cost: horizon,
    }))
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
    let ctx = |what: &str| format!("workload `{}` on {}: {what}", w.name, model.id);
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
        in_tok = mul(r, Decimal::from(w.input_tokens), &ctx("input tokens"))?;
        cached_tok = mul(in_tok, w.cached_input_share, &ctx("cached tokens"))?;
        let fresh = in_tok - cached_tok;
        out_tok = mul(r, Decimal::from(w.output_tokens), &ctx("output tokens"))?;
        input_cost = per_million(fresh, p.input, &ctx("input cost"))?;
        cached_cost = per_million(cached_tok, p.cached_input, &ctx("cached input cost"))?;
        output_cost = per_million(out_tok, p.output, &ctx("output cost"))?;
        let gross = add(
            add(input_cost, cached_cost, &ctx("cost"))?,
            output_cost,
            &ctx("cost"),
        )?;
        batch = -mul(
            mul(gross, w.batch_share, &ctx("batch"))?,
            p.batch_discount,
            &ctx("batch"),
        )?;
    }
    let media = match media_cost(w, price, &ctx("media cost"))? {
        Ok(m) => m,
        Err(u) => return Ok(Err(u)),
    };
    let subtotal = [input_cost, cached_cost, output_cost, batch, media]
        .into_iter()
        .try_fold(Decimal::ZERO, |a, b| add(a, b, &ctx("cost")))?;
    let d = scenario.pricing.discount_for(&model.id, &model.vendor);
    let discount = -mul(subtotal, d, &ctx("discount"))?;
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
    let (input_cost, cached_cost, output_cost, batch, media, discount) = (
        conv(input_cost)?,
        conv(cached_cost)?,
        conv(output_cost)?,
        conv(batch)?,
        conv(media)?,
        conv(discount)?,
    );
    let cost = [input_cost, cached_cost, output_cost, batch, media, discount]
        .into_iter()
        .try_fold(Decimal::ZERO, |a, b| add(a, b, &ctx("cost")))?;
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

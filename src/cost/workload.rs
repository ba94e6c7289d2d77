//! The bill of one workload on one model: its components, their lines, and the total.
//!
//! The components are the workload's quantities ([`super::quantity`]) at their unit prices
//! ([`super::price`]), its media ([`super::media`]) and the discount. The total, before conversion,
//! is Σ quantity × coefficient over the components, the coefficient being the unit price with the
//! discount folded in ([`super::price::coefficient`]): the same sum the sweep's fast path takes in
//! fixed point. It equals the sum of the lines, discount included.
//!
//! Each line and the total are then converted into the scenario currency: amount × rate(to) ÷
//! rate(from). The total is converted as one amount, not summed from the converted lines: each
//! conversion rounds at the 28th digit, and the lines' roundings could leave a fully discounted
//! bill a hair below zero, or make a larger volume cost a hair less. Converting is monotone, so the
//! total is never negative and never falls when a volume rises; it differs from the sum of the
//! converted lines by at most a few units of the 28th digit.

use super::bill::Billed;
use super::bill::{TierShare, Unpriced, WorkloadCost};
use super::cache::CacheBill;
use super::component::Component;
use super::kind::{Kind, Term};
use super::lines::Lines;
use super::media;
use super::price::{coefficient, discount, term_price};
use super::quantity::{quantities, Overflow, Profile, Volumes};
use super::tokens::Refusal;
use crate::catalogue::fx::FxTable;
use crate::catalogue::model::{Model, Price};
use crate::diag::KeyPath;
use crate::error::{Error, Result};
use crate::scenario::{Scenario, Workload};
use rust_decimal::Decimal;

/// Prices one workload on one model, ignoring any route. Routed workloads are priced leg by leg
/// through this same function, each leg being the workload scaled to its share of requests.
pub fn workload_on(
    scenario: &Scenario,
    w: &Workload,
    model: &Model,
    fx: &FxTable,
) -> Result<std::result::Result<WorkloadCost, Unpriced>> {
    workload_priced(scenario, scenario, w, model, fx)
}

/// [`workload_on`] under the prices, rates and calendar of `priced`, which need not hold any
/// workload ([`Scenario::prices_only`]), blaming an overflow on `w`'s volume line in `located`:
/// for a caller that prices each workload under several price lists at once.
pub fn workload_priced(
    priced: &Scenario,
    located: &Scenario,
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
    bill(priced, w, model, price, fx)
        .map_err(|e| located.overflow_at(&located.volume_path(&w.name), e))
}

fn bill(
    s: &Scenario,
    w: &Workload,
    model: &Model,
    price: &Price,
    fx: &FxTable,
) -> Result<std::result::Result<WorkloadCost, Unpriced>> {
    // The context is written only when an operation overflows: formatting it for every operation
    // would cost more than the arithmetic.
    let over =
        |what: &str| Error::overflow(format!("{what} of workload `{}` on {}", w.name, model.id));
    let counted = |Overflow(what)| over(what);
    let r = w.monthly_requests(s.days_per_month)?;
    let mut volumes = Volumes {
        requests: r,
        ..Volumes::default()
    };
    let mut components = Vec::with_capacity(Term::COUNT + 1);
    let mut tier = None;
    let mut billed = None;
    let mut tiers = Vec::new();
    let mut cache = None;
    if w.requests.is_some() {
        if !price.has_token_prices() {
            return Ok(Err(Unpriced::Reason("no per-token price".into())));
        }
        let profile = Profile::of(s, model, price);
        let size = match profile.sizing.request(w) {
            Ok(size) => size,
            Err(Refusal::Reason(why)) => return Ok(Err(Unpriced::Reason(why))),
            Err(Refusal::Overflow) => return Err(over("billed tokens")),
        };
        let q = quantities(w, r, &profile, size).map_err(counted)?;
        billed = Some(Billed {
            size,
            note: profile.sizing.note(w),
        });
        volumes = q.volumes;
        let scale = profile.sizing.scale(w).map_err(|_| over("billed tokens"))?;
        cache = profile
            .cache_status(w, size, &scale)
            .map(|status| CacheBill {
                status,
                cache_write_tokens: volumes.cache_write_tokens,
                cache_storage_token_hours: volumes.cache_storage_token_hours,
            });
        for part in &q.parts {
            tier = profile.threshold(part.tier);
            tiers.push(TierShare {
                above_input_tokens: tier,
                share: if r.is_zero() {
                    Decimal::ONE
                } else {
                    part.requests
                        .checked_div(r)
                        .ok_or_else(|| over("requests"))?
                },
                requests: part.requests,
            });
            for term in Term::all() {
                let quantity = part.terms[term.index()];
                if quantity.is_zero() {
                    continue;
                }
                let Some(p) = term_price(s, model, price, term, part.tier) else {
                    continue;
                };
                let spec = term.meter.spec();
                let kind = term.kind();
                let c = Component::new(
                    kind,
                    Some(term.meter),
                    quantity,
                    spec.per,
                    p.price,
                    p.source,
                )
                .ok_or_else(|| over(kind.label().what))?;
                components.push(c);
            }
        }
    }
    if w.is_media() {
        match media::components(w, price).map_err(counted)? {
            Ok(c) => components.extend(c),
            Err(u) => return Ok(Err(u)),
        }
    }
    let mut lines = Lines::default();
    for c in &components {
        lines.add(c.kind, c.amount).ok_or_else(|| over("cost"))?;
    }
    let subtotal = lines.sum().ok_or_else(|| over("cost"))?;
    let (d, source) = discount(s, model);
    let off = Component::new(Kind::Discount, None, subtotal, Decimal::ONE, -d, source)
        .ok_or_else(|| over("discount"))?;
    lines.set(Kind::Discount, off.amount);
    // The total: Σ quantity × coefficient, the discount folded into each coefficient.
    let keep = Decimal::ONE - d;
    let mut total = Decimal::ZERO;
    for c in &components {
        total = coefficient(c.unit_price, c.per, keep)
            .and_then(|each| total.checked_add(c.quantity.checked_mul(each)?))
            .ok_or_else(|| over("cost"))?;
    }
    components.push(off);
    let to = s.currency;
    // A conversion overflows on an absurd rate: blame the scenario's own rate if it set one.
    let rate_path = [model.currency, to]
        .into_iter()
        .find(|c| s.pricing.fx.contains_key(c))
        .map(|c| KeyPath::root().key("pricing").key("fx").key(c.code()));
    let conv = |x: Decimal| {
        fx.convert(x, model.currency, to)
            .map_err(|e| match &rate_path {
                Some(p) => s.overflow_at(p, e),
                None => e,
            })
    };
    Ok(Ok(WorkloadCost {
        name: w.name.clone(),
        requests: volumes.requests,
        input_tokens: volumes.input_tokens,
        cached_input_tokens: volumes.cached_input_tokens,
        output_tokens: volumes.output_tokens,
        images: w.images_per_month,
        video_seconds: w.video_seconds_per_month,
        tier_above_input_tokens: tier,
        billed,
        tiers,
        cache,
        cost: conv(total)?,
        lines: lines.try_map(conv)?,
        components,
        route: Vec::new(),
    }))
}

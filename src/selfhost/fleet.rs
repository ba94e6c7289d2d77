//! From a scenario's tokens to a monthly bill for self-hosting one model on one kind of GPU.
//!
//! busy hours   = Σ workloads (input tokens ÷ prefill rate + output tokens ÷ decode rate) ÷ 3,600
//! replicas     = max(min_replicas, ⌈busy hours ÷ (hours in the month × utilization)⌉)
//! monthly cost = replicas × GPUs per replica × hours in the month × price per GPU-hour
//! $ per 1M tokens (at utilization) = GPUs × price × busy hours ÷ utilization ÷ tokens × 10⁶
//!
//! Replicas run all month: a fleet is paid for whether it is busy or not, which is why
//! `min_replicas` is a fixed cost. Every workload is assumed to share the fleet, and its part of
//! the bill is its share of the busy hours.

use super::div;
use super::memory::{size, Sizing};
use super::roofline::{compute_tps, decode, Decode};
use super::shape::Shape;
use crate::catalogue::fx::FxTable;
use crate::catalogue::hardware::Accelerator;
use crate::catalogue::model::Model;
use crate::catalogue::vocab::Precision;
use crate::catalogue::Catalogue;
use crate::cost::{add, horizon_cost, mul, Kind, Lines, Meter, ModelCost, WorkloadCost, MILLION};
use crate::error::Result;
use crate::money::Currency;
use crate::scenario::{Scenario, Selfhost};
use rust_decimal::Decimal;
use serde::Serialize;

/// Seconds in an hour.
const HOUR: Decimal = Decimal::from_parts(3600, 0, 0, false, 0);

/// One workload's load on the fleet.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WorkloadLoad {
    /// Workload name.
    pub name: String,
    /// Input tokens a month (all prefilled: no prefix cache is assumed).
    pub input_tokens: Decimal,
    /// Output tokens a month.
    pub output_tokens: Decimal,
    /// Decode throughput at this workload's context.
    pub decode: Decode,
    /// Hours of prefill a month on one replica.
    pub prefill_hours: Decimal,
    /// Hours of decode a month on one replica.
    pub decode_hours: Decimal,
}

/// A self-hosted candidate: one model on one kind of GPU, estimated.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Estimate {
    /// Model id.
    pub model: String,
    /// Accelerator id.
    pub gpu: String,
    /// Weight precision.
    pub precision: Precision,
    /// Sequences decoded together.
    pub batch: u64,
    /// The longest context a replica must hold, tokens.
    pub context_tokens: u64,
    /// Memory sizing of one replica.
    pub sizing: Sizing,
    /// Prefill tokens a second on one replica.
    pub prefill_tps: Decimal,
    /// Load per workload.
    pub workloads: Vec<WorkloadLoad>,
    /// Hours one replica is busy in the first month.
    pub busy_hours: Decimal,
    /// Hours in a month (days_per_month × 24).
    pub hours_per_month: Decimal,
    /// Share of paid hours spent serving.
    pub utilization: Decimal,
    /// Replicas kept running whatever the load.
    pub min_replicas: u64,
    /// Replicas in the first month.
    pub replicas: u64,
    /// Price per GPU-hour in the scenario currency.
    pub gpu_hourly: Decimal,
    /// Input plus output tokens in the first month.
    pub tokens: Decimal,
    /// Cost per 1M tokens when replicas are busy `utilization` of the time: the marginal rate.
    pub cost_per_mtok: Decimal,
    /// The bill.
    pub cost: ModelCost,
}

impl Estimate {
    /// GPUs in one replica.
    pub fn gpus(&self) -> u64 {
        self.sizing.gpus
    }

    /// One replica for a month, in the scenario currency: GPUs × hours × price per GPU-hour.
    pub fn replica_month(&self) -> Result<Decimal> {
        replica_month(self.sizing.gpus, self.hours_per_month, self.gpu_hourly)
    }

    /// Tokens one replica serves in a month at the utilization.
    pub fn replica_capacity(&self) -> Result<Decimal> {
        let what = "replica capacity";
        div(
            mul(
                mul(self.hours_per_month, self.utilization, what)?,
                self.tokens,
                what,
            )?,
            self.busy_hours,
            what,
        )
    }
}

/// Replicas needed for `busy` replica-hours a month: max(min, ⌈busy ÷ (hours × utilization)⌉).
pub fn replicas_for(busy: Decimal, hours: Decimal, utilization: Decimal, min: u64) -> Result<u64> {
    let what = "replica count";
    let needed = div(busy, mul(hours, utilization, what)?, what)?.ceil();
    let needed = u64::try_from(needed).map_err(|_| crate::Error::Overflow(what.into()))?;
    Ok(needed.max(min))
}

fn replica_month(gpus: u64, hours: Decimal, hourly: Decimal) -> Result<Decimal> {
    mul(
        mul(Decimal::from(gpus), hours, "replica cost")?,
        hourly,
        "replica cost",
    )
}

/// Estimates serving a scenario's text workloads with `model` on `gpu`. `Ok(Err(reason))` when
/// this pairing cannot serve it.
///
/// An overflow can only come from absurd input, so it is reported at the scenario line to fix:
/// the horizon for horizon sums, else the volume of the busiest text workload.
pub fn estimate(
    scenario: &Scenario,
    spec: &Selfhost,
    model: &Model,
    gpu: &Accelerator,
    cat: &Catalogue,
    fx: &FxTable,
) -> Result<std::result::Result<Estimate, String>> {
    estimate_unlocated(scenario, spec, model, gpu, cat, fx).map_err(|e| {
        let path = match &e {
            crate::Error::Overflow(what) if what.contains("horizon") => scenario.horizon_path(),
            _ => {
                let busiest = scenario
                    .workloads
                    .iter()
                    .filter(|w| w.requests.is_some())
                    .max_by_key(|w| {
                        w.monthly_requests(scenario.days_per_month)
                            .unwrap_or_default()
                    });
                match busiest {
                    Some(w) => scenario.volume_path(&w.name),
                    None => return e,
                }
            }
        };
        scenario.overflow_at(&path, e)
    })
}

fn estimate_unlocated(
    scenario: &Scenario,
    spec: &Selfhost,
    model: &Model,
    gpu: &Accelerator,
    cat: &Catalogue,
    fx: &FxTable,
) -> Result<std::result::Result<Estimate, String>> {
    let shape = match Shape::from_model(model, spec.precision) {
        Ok(s) => s,
        Err(why) => return Ok(Err(why)),
    };
    let text: Vec<_> = scenario
        .workloads
        .iter()
        .filter(|w| w.requests.is_some())
        .collect();
    let Some(context_tokens) = text.iter().map(|w| w.context_tokens).max() else {
        return Ok(Err("the scenario has no text workloads to serve".into()));
    };
    let sizing = match size(&shape, spec.precision, gpu, spec.batch, context_tokens)? {
        Ok(s) => s,
        Err(why) => return Ok(Err(why)),
    };
    let Some(hourly_usd) = spec.hourly_usd(cat, &gpu.id) else {
        return Ok(Err(format!(
            "no price for {}; set [selfhost] gpu_hourly_price",
            gpu.id
        )));
    };
    let gpu_hourly = fx.convert(hourly_usd, Currency::USD, scenario.currency)?;
    let prefill_tps = compute_tps(&shape, spec.precision, gpu, sizing.gpus)?;
    let mut workloads = Vec::with_capacity(text.len());
    let (mut busy_hours, mut tokens) = (Decimal::ZERO, Decimal::ZERO);
    for w in text {
        let what = format!("workload `{}` self-hosted on {}", w.name, gpu.id);
        let r = w.monthly_requests(scenario.days_per_month)?;
        let input_tokens = mul(r, Decimal::from(w.input_tokens), &what)?;
        let output_tokens = mul(r, Decimal::from(w.output_tokens), &what)?;
        // Mid-way through a reply the cache holds the prompt and half the output.
        let avg_context =
            Decimal::from(w.input_tokens) + Decimal::from(w.output_tokens) / Decimal::TWO;
        let dec = decode(
            &shape,
            spec.precision,
            gpu,
            sizing.gpus,
            spec.batch,
            avg_context,
        )?;
        let prefill_hours = div(div(input_tokens, prefill_tps, &what)?, HOUR, &what)?;
        let decode_hours = div(div(output_tokens, dec.tokens_per_s, &what)?, HOUR, &what)?;
        busy_hours = add(add(busy_hours, prefill_hours, &what)?, decode_hours, &what)?;
        tokens = add(add(tokens, input_tokens, &what)?, output_tokens, &what)?;
        workloads.push(WorkloadLoad {
            name: w.name.clone(),
            input_tokens,
            output_tokens,
            decode: dec,
            prefill_hours,
            decode_hours,
        });
    }
    let hours_per_month = Decimal::from(scenario.days_per_month * 24);
    let replicas = replicas_for(
        busy_hours,
        hours_per_month,
        spec.utilization,
        spec.min_replicas,
    )?;
    let month = replica_month(sizing.gpus, hours_per_month, gpu_hourly)?;
    let monthly_cost = mul(month, Decimal::from(replicas), "self-hosted monthly cost")?;
    let what = "self-hosted cost per 1M tokens";
    let gpu_hours_at_u = div(
        mul(busy_hours, Decimal::from(sizing.gpus), what)?,
        spec.utilization,
        what,
    )?;
    let cost_per_mtok = div(
        mul(mul(gpu_hours_at_u, gpu_hourly, what)?, MILLION, what)?,
        tokens,
        what,
    )?;
    let horizon = fleet_horizon(busy_hours, hours_per_month, spec, month, scenario)?;
    let cost = model_cost(
        scenario,
        &model.id,
        &workloads,
        busy_hours,
        monthly_cost,
        horizon,
    )?;
    Ok(Ok(Estimate {
        model: model.id.clone(),
        gpu: gpu.id.clone(),
        precision: spec.precision,
        batch: spec.batch,
        context_tokens,
        sizing,
        prefill_tps,
        workloads,
        busy_hours,
        hours_per_month,
        utilization: spec.utilization,
        min_replicas: spec.min_replicas,
        replicas,
        gpu_hourly,
        tokens,
        cost_per_mtok,
        cost,
    }))
}

/// Σ over the horizon of the fleet each month needs as volume grows: replicas step up, never
/// fractionally.
fn fleet_horizon(
    busy: Decimal,
    hours: Decimal,
    spec: &Selfhost,
    month: Decimal,
    s: &Scenario,
) -> Result<Decimal> {
    if s.monthly_growth.is_zero() {
        let r = replicas_for(busy, hours, spec.utilization, spec.min_replicas)?;
        return horizon_cost(
            mul(month, Decimal::from(r), "horizon cost")?,
            s.horizon_months,
            Decimal::ZERO,
        );
    }
    let factor = Decimal::ONE + s.monthly_growth;
    let (mut load, mut total) = (busy, Decimal::ZERO);
    for _ in 0..s.horizon_months {
        let r = replicas_for(load, hours, spec.utilization, spec.min_replicas)?;
        total = add(
            total,
            mul(month, Decimal::from(r), "horizon cost")?,
            "horizon cost",
        )?;
        load = mul(load, factor, "horizon cost")?;
    }
    Ok(total)
}

/// The fleet's bill split over workloads by busy hours; within a workload, prefill is billed as
/// input and decode as output. The last workload takes the remainder so the parts add up exactly.
fn model_cost(
    s: &Scenario,
    id: &str,
    loads: &[WorkloadLoad],
    busy: Decimal,
    monthly: Decimal,
    horizon: Decimal,
) -> Result<ModelCost> {
    let what = "self-hosted cost split";
    let mut left = monthly;
    let mut workloads = Vec::with_capacity(loads.len());
    for (i, l) in loads.iter().enumerate() {
        let hours = l.prefill_hours + l.decode_hours;
        let cost = if i + 1 == loads.len() {
            left
        } else {
            div(mul(monthly, hours, what)?, busy, what)?
        };
        left -= cost;
        let input_cost = if hours.is_zero() {
            Decimal::ZERO
        } else {
            div(mul(cost, l.prefill_hours, what)?, hours, what)?
        };
        let mut lines = Lines::default();
        lines.set(Kind::Metered(Meter::Input), input_cost);
        lines.set(Kind::Metered(Meter::Output), cost - input_cost);
        workloads.push(WorkloadCost {
            name: l.name.clone(),
            requests: s
                .workloads
                .iter()
                .find(|w| w.name == l.name)
                .map(|w| w.monthly_requests(s.days_per_month))
                .transpose()?
                .unwrap_or_default(),
            input_tokens: l.input_tokens,
            cached_input_tokens: Decimal::ZERO,
            output_tokens: l.output_tokens,
            images: Decimal::ZERO,
            video_seconds: Decimal::ZERO,
            tier_above_input_tokens: None,
            lines,
            cost,
            components: Vec::new(),
            route: Vec::new(),
        });
    }
    Ok(ModelCost {
        model: id.to_string(),
        currency: s.currency,
        workloads,
        monthly_cost: monthly,
        horizon_months: s.horizon_months,
        horizon_cost: horizon,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replicas_round_up_and_respect_the_floor() {
        let d = Decimal::from;
        // 720 h × 0.6 = 432 busy hours per replica.
        assert_eq!(
            replicas_for(d(432), d(720), Decimal::new(6, 1), 1).unwrap(),
            1
        );
        assert_eq!(
            replicas_for(d(433), d(720), Decimal::new(6, 1), 1).unwrap(),
            2
        );
        assert_eq!(
            replicas_for(d(10), d(720), Decimal::new(6, 1), 3).unwrap(),
            3
        );
    }
}

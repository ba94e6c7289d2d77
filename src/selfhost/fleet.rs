//! From a scenario's tokens to the cheapest fleet that serves one open-weight model.
//!
//! For every candidate GPU and every tensor-parallel degree the model allows, one replica is sized
//! ([`memory`](super::memory)), its batch chosen ([`batch`](super::batch)) and its throughput
//! estimated ([`roofline`](super::roofline)). Then, for each configuration:
//!
//! busy hours   = Σ workloads requests × (prefill + output × step) ÷ batch ÷ 3,600
//! replicas     = max(min_replicas, ⌈busy hours × peak_to_average ÷ (hours_per_month × utilization)⌉)
//!                + spare_replicas
//! monthly cost = replicas × GPUs per replica × hours_per_month × price per GPU-hour
//!
//! and the configuration with the lowest monthly cost wins (ties: fewer GPUs, then the lower
//! horizon cost). Replicas run all month: a fleet is paid for whether it is busy or not. Busy hours
//! are an estimate in `f64`; the replica count is a whole number and the bill is exact `Decimal`.

use super::batch::{choose, Caps, Limit};
use super::memory::Memory;
use super::roofline::{Engine, Run};
use super::shape::Shape;
use crate::catalogue::fx::FxTable;
use crate::catalogue::hardware::{Accelerator, Calibration};
use crate::catalogue::model::Model;
use crate::catalogue::vocab::{KvPrecision, Precision};
use crate::catalogue::Catalogue;
use crate::cost::{horizon_cost, mul, Kind, Lines, Meter, ModelCost, WorkloadCost, MILLION};
use crate::error::{Error, Overflow, Result};
use crate::money::Currency;
use crate::scenario::{Scenario, Selfhost, Workload};
use rust_decimal::prelude::{FromPrimitive, ToPrimitive};
use rust_decimal::Decimal;
use serde::Serialize;
use std::cmp::Ordering;

/// One workload's load on the fleet.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WorkloadLoad {
    /// Workload name.
    pub name: String,
    /// Requests a month.
    pub requests: Decimal,
    /// Input tokens a month (all prefilled: no prefix cache is assumed).
    pub input_tokens: Decimal,
    /// Output tokens a month.
    pub output_tokens: Decimal,
    /// The batch this workload runs at, and its timings.
    pub run: Run,
    /// What capped the batch.
    pub limited_by: Limit,
    /// Cache the batch holds on average, GB.
    pub kv_cache_gb: f64,
    /// Replica-hours of prefill a month.
    pub prefill_hours: f64,
    /// Replica-hours of decode a month.
    pub decode_hours: f64,
}

impl WorkloadLoad {
    /// Replica-hours a month.
    pub fn hours(&self) -> f64 {
        self.prefill_hours + self.decode_hours
    }
}

/// A self-hosted fleet: one model on replicas of one GPU configuration, estimated.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Estimate {
    /// Model id.
    pub model: String,
    /// Accelerator id.
    pub gpu: String,
    /// Weight precision.
    pub precision: Precision,
    /// Cache precision.
    pub kv_precision: KvPrecision,
    /// GPUs in one replica: its tensor-parallel degree.
    pub tensor_parallel: u64,
    /// Weights, GB.
    pub weights_gb: f64,
    /// Usable memory of one replica after the runtime reserve, GB.
    pub usable_gb: f64,
    /// The load of the workload that keeps the fleet busiest: the most replica-hours, the last
    /// of equals. Every workload's load is made again when a report writes it
    /// ([`Estimate::each_load`]), so an estimate's size does not grow with the workloads.
    pub dominant: Option<WorkloadLoad>,
    /// Text workloads served: one load and one part of the bill each.
    pub served: usize,
    /// Replica-hours of work in the first month, at average load.
    pub busy_hours: f64,
    /// Hours paid for in a month.
    pub hours_per_month: Decimal,
    /// Share of a replica's estimated throughput planned on.
    pub utilization: Decimal,
    /// Peak load ÷ average load.
    pub peak_to_average: Decimal,
    /// Replicas kept running whatever the load.
    pub min_replicas: u64,
    /// Replicas on top of those the peak needs.
    pub spare_replicas: u64,
    /// Replicas in the first month.
    pub replicas: u64,
    /// Price per GPU-hour in the scenario currency.
    pub gpu_hourly: Decimal,
    /// Input plus output tokens in the first month.
    pub tokens: Decimal,
    /// Cost per 1M tokens of adding capacity: one replica-month ÷ the tokens it serves.
    pub cost_per_mtok: Decimal,
    /// The bill's totals. Its `workloads` is empty: the fleet's bill split over the workloads is
    /// made again when a report writes it ([`Estimate::each_bill`]).
    pub cost: ModelCost,
    /// The `[selfhost]` settings it was sized under.
    #[serde(skip)]
    pub spec: Selfhost,
}

impl Estimate {
    /// GPUs in one replica.
    pub fn gpus(&self) -> u64 {
        self.tensor_parallel
    }

    /// The batch of the workload that keeps the fleet busiest: the row's headline batch.
    pub fn batch(&self) -> u64 {
        self.dominant.as_ref().map_or(0, |w| w.run.batch)
    }

    /// Hands `each` every text workload's load on this fleet, in the scenario's order: made again
    /// by the same sizing that made the estimate from `s`, the scenario it was planned for.
    pub fn each_load(
        &self,
        s: &Scenario,
        cat: &Catalogue,
        each: &mut dyn FnMut(WorkloadLoad),
    ) -> Result<()> {
        let again = |why: String| {
            Error::Output(format!(
                "the self-hosted estimate of {} on {} cannot be made again: {why}",
                self.model, self.gpu
            ))
        };
        let model = cat
            .model(&self.model)
            .ok_or_else(|| again("the model is not in the catalogue".into()))?;
        let gpu = cat
            .hardware
            .get(&self.gpu)
            .ok_or_else(|| again("the GPU is not in the catalogue".into()))?;
        let job = job(s, &self.spec, model, cat).map_err(again)?;
        if job.served != self.served {
            return Err(again(
                "the scenario's workloads are not those it was sized for".into(),
            ));
        }
        let (engine, memory) = replica(&job, gpu, self.tensor_parallel).map_err(again)?;
        for w in job.text() {
            each(load(&job, &engine, &memory, gpu, w)?.map_err(again)?);
        }
        Ok(())
    }

    /// Hands `each` every text workload's part of the fleet's bill, in the scenario's order (see
    /// [`Split`]): made again from the loads, as the estimate's totals were.
    pub fn each_bill(
        &self,
        s: &Scenario,
        cat: &Catalogue,
        each: &mut dyn FnMut(WorkloadCost),
    ) -> Result<()> {
        let mut split = Split::new(self.cost.monthly_cost, self.busy_hours, self.served);
        let mut failed = None;
        self.each_load(s, cat, &mut |l| {
            if failed.is_none() {
                match split.part(l.prefill_hours, l.hours()) {
                    Ok((cost, input)) => each(bill(l, cost, input)),
                    Err(e) => failed = Some(e),
                }
            }
        })?;
        failed.map_or(Ok(()), Err)
    }

    /// One replica for a month, in the scenario currency: GPUs × hours × price per GPU-hour.
    pub fn replica_month(&self) -> Result<Decimal> {
        replica_month(self.tensor_parallel, self.hours_per_month, self.gpu_hourly)
    }

    /// Tokens of this mix one replica serves in a month, at the planned utilization with room for
    /// the peak: hours × utilization ÷ peak_to_average × tokens ÷ busy hours.
    pub fn replica_capacity(&self) -> Result<Decimal> {
        let what = "replica capacity";
        let busy = to_decimal(self.busy_hours, what)?;
        let hours = replica_hours(self.hours_per_month, self.utilization, self.peak_to_average)?;
        super::div(mul(hours, self.tokens, what)?, busy, what)
    }
}

/// A configuration the planner tried, with its cost or why it cannot serve.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Considered {
    /// Model id.
    pub model: String,
    /// Accelerator id.
    pub gpu: String,
    /// GPUs in a replica; `None` when the GPU was ruled out before sizing.
    pub tensor_parallel: Option<u64>,
    /// The headline batch, when it serves.
    pub batch: Option<u64>,
    /// Replicas in the first month, when it serves.
    pub replicas: Option<u64>,
    /// The monthly bill, when it serves.
    pub monthly_cost: Option<Decimal>,
    /// Why it cannot serve.
    pub reason: Option<String>,
}

/// Every configuration tried for one model, and the cheapest.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// The cheapest fleet, if any configuration serves.
    pub best: Option<Estimate>,
    /// Every configuration tried, in catalogue order.
    pub considered: Vec<Considered>,
}

impl Plan {
    /// Why no configuration serves: the reason of the largest group tried on each GPU.
    pub fn reason(&self) -> String {
        let mut per_gpu: Vec<(&str, &str)> = Vec::new();
        for c in &self.considered {
            let Some(r) = &c.reason else { continue };
            match per_gpu.iter_mut().find(|(g, _)| *g == c.gpu) {
                Some(slot) => slot.1 = r,
                None => per_gpu.push((&c.gpu, r)),
            }
        }
        if per_gpu.is_empty() {
            return "no GPU to try: [selfhost] gpus is empty".into();
        }
        let parts: Vec<String> = per_gpu
            .iter()
            .map(|(g, r)| format!("on {g}: {r}"))
            .collect();
        format!("no GPU configuration serves it ({})", parts.join("; "))
    }
}

/// Replicas for `busy` replica-hours a month:
/// max(min, ⌈busy × peak ÷ (hours × utilization)⌉) + spare.
pub fn replicas_for(busy: f64, per_replica_hours: f64, min: u64, spare: u64) -> Result<u64> {
    let what = "replica count";
    let needed = (busy / per_replica_hours).ceil();
    if !needed.is_finite() || needed < 0.0 || needed >= u64::MAX as f64 {
        return Err(Error::overflow(what));
    }
    (needed as u64)
        .max(min)
        .checked_add(spare)
        .ok_or_else(|| Error::overflow(what))
}

/// Hours of work one replica takes on in a month: hours × utilization ÷ peak_to_average.
fn replica_hours(hours: Decimal, utilization: Decimal, peak: Decimal) -> Result<Decimal> {
    super::div(
        mul(hours, utilization, "replica hours")?,
        peak,
        "replica hours",
    )
}

fn replica_month(gpus: u64, hours: Decimal, hourly: Decimal) -> Result<Decimal> {
    mul(
        mul(Decimal::from(gpus), hours, "replica cost")?,
        hourly,
        "replica cost",
    )
}

fn to_decimal(x: f64, what: &str) -> Result<Decimal> {
    Decimal::from_f64(x).ok_or_else(|| Error::overflow(what))
}

fn to_f64(x: Decimal) -> f64 {
    x.to_f64().unwrap_or(f64::MAX)
}

/// The cheapest fleet for `model` among the GPUs of `spec`, with every configuration tried.
/// `Ok(Err(reason))` when the model cannot be self-hosted at all.
///
/// An overflow can only come from absurd input, so it is reported at the scenario line to fix:
/// the horizon for horizon sums, else the volume of the busiest text workload.
pub fn plan(
    scenario: &Scenario,
    spec: &Selfhost,
    model: &Model,
    cat: &Catalogue,
    fx: &FxTable,
) -> Result<std::result::Result<Plan, String>> {
    plan_unlocated(scenario, spec, model, cat, fx).map_err(|e| locate(scenario, e))
}

fn locate(scenario: &Scenario, e: Error) -> Error {
    let path = match &e {
        Error::Overflow(Overflow::Horizon) => scenario.horizon_path(),
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
}

impl Job<'_> {
    /// The workloads a fleet serves: those with a request volume, in the scenario's order.
    fn text(&self) -> impl Iterator<Item = &Workload> + '_ {
        self.scenario
            .workloads
            .iter()
            .filter(|w| w.requests.is_some())
    }
}

/// What every configuration of one model shares.
struct Job<'a> {
    scenario: &'a Scenario,
    spec: &'a Selfhost,
    model: &'a Model,
    shape: Shape,
    cal: &'a Calibration,
    /// Text workloads: those with a request volume ([`Job::text`]).
    served: usize,
    longest: u64,
    caps: Caps,
}

fn plan_unlocated(
    scenario: &Scenario,
    spec: &Selfhost,
    model: &Model,
    cat: &Catalogue,
    fx: &FxTable,
) -> Result<std::result::Result<Plan, String>> {
    let job = match job(scenario, spec, model, cat) {
        Ok(j) => j,
        Err(why) => return Ok(Err(why)),
    };
    let mut considered = Vec::new();
    let mut best: Option<Estimate> = None;
    for gpu in spec.gpus.iter().filter_map(|g| cat.hardware.get(g)) {
        let ruled_out = |reason: String| Considered {
            model: model.id.clone(),
            gpu: gpu.id.clone(),
            tensor_parallel: None,
            batch: None,
            replicas: None,
            monthly_cost: None,
            reason: Some(reason),
        };
        let Some(hourly_usd) = spec.hourly_usd(cat, &gpu.id) else {
            considered.push(ruled_out(format!(
                "no price for {}; set [selfhost] gpu_hourly_price",
                gpu.id
            )));
            continue;
        };
        if gpu.tflops_for(spec.precision).is_none() {
            considered.push(ruled_out(format!(
                "{} has no {} tensor cores; use bf16 or int8 weights on it",
                gpu.id, spec.precision
            )));
            continue;
        }
        let hourly = fx.convert(hourly_usd, Currency::USD, scenario.currency)?;
        for gpus in job.shape.tp_degrees() {
            let (entry, estimate) = match configuration(&job, gpu, gpus, hourly)? {
                Ok(e) => (
                    Considered {
                        model: model.id.clone(),
                        gpu: gpu.id.clone(),
                        tensor_parallel: Some(gpus),
                        batch: Some(e.batch()),
                        replicas: Some(e.replicas),
                        monthly_cost: Some(e.cost.monthly_cost),
                        reason: None,
                    },
                    Some(e),
                ),
                Err(why) => (
                    Considered {
                        tensor_parallel: Some(gpus),
                        ..ruled_out(why)
                    },
                    None,
                ),
            };
            considered.push(entry);
            if let Some(e) = estimate {
                if best.as_ref().is_none_or(|b| cheaper(&e, b)) {
                    best = Some(e);
                }
            }
        }
    }
    Ok(Ok(Plan { best, considered }))
}

/// Lower monthly cost; then fewer GPUs in all; then the lower horizon cost.
fn cheaper(a: &Estimate, b: &Estimate) -> bool {
    let gpus = |e: &Estimate| e.replicas.saturating_mul(e.tensor_parallel);
    (a.cost.monthly_cost, gpus(a), a.cost.horizon_cost)
        < (b.cost.monthly_cost, gpus(b), b.cost.horizon_cost)
}

fn job<'a>(
    scenario: &'a Scenario,
    spec: &'a Selfhost,
    model: &'a Model,
    cat: &'a Catalogue,
) -> std::result::Result<Job<'a>, String> {
    let shape = Shape::from_model(model)?;
    Shape::check_precision(model, spec.precision)?;
    let Some(cal) = cat.hardware.calibration.as_ref() else {
        return Err(
            "the hardware catalogue has no [calibration], so throughput cannot be estimated".into(),
        );
    };
    let text = scenario.workloads.iter().filter(|w| w.requests.is_some());
    let Some(longest) = text.clone().map(|w| w.context_tokens).max() else {
        return Err("the scenario has no text workloads to serve".into());
    };
    let served = text.count();
    Ok(Job {
        scenario,
        spec,
        model,
        shape,
        cal,
        served,
        longest,
        caps: Caps::from_spec(spec),
    })
}

/// One replica of `gpus` GPUs of `gpu`: its throughput model and its memory, or why the model
/// cannot run on it.
fn replica(
    job: &Job,
    gpu: &Accelerator,
    gpus: u64,
) -> std::result::Result<(Engine, Memory), String> {
    let spec = job.spec;
    let engine = Engine::new(
        &job.shape,
        gpu,
        gpus,
        spec.precision,
        spec.kv_precision,
        job.cal,
    )?;
    let memory = Memory::new(
        &job.shape,
        spec.precision,
        spec.kv_precision,
        gpu,
        gpus,
        spec.runtime_reserve,
    );
    Ok((engine, memory))
}

/// One text workload's load on a replica: its batch, and the replica-hours it takes a month.
/// `Ok(Err(why))` when no batch serves it.
fn load(
    job: &Job,
    engine: &Engine,
    memory: &Memory,
    gpu: &Accelerator,
    w: &Workload,
) -> Result<std::result::Result<WorkloadLoad, String>> {
    let choice = match choose(
        engine,
        memory,
        w.input_tokens,
        w.output_tokens,
        job.longest,
        &job.caps,
        &gpu.id,
    ) {
        Ok(c) => c,
        Err(why) if job.served == 1 => return Ok(Err(why)),
        Err(why) => return Ok(Err(format!("workload `{}`: {why}", w.name))),
    };
    let requests = w.monthly_requests(job.scenario.days_per_month)?;
    let tokens = |per: u64| {
        requests
            .checked_mul(Decimal::from(per))
            .ok_or_else(|| overflow_on(w, gpu))
    };
    let (input_tokens, output_tokens) = (tokens(w.input_tokens)?, tokens(w.output_tokens)?);
    let run = choice.run;
    let per_request = to_f64(requests) / run.batch as f64 / 3600.0;
    Ok(Ok(WorkloadLoad {
        name: w.name.clone(),
        requests,
        input_tokens,
        output_tokens,
        run,
        limited_by: choice.limited_by,
        kv_cache_gb: memory.kv_cache_gb(
            run.batch,
            w.input_tokens as f64 + w.output_tokens as f64 / 2.0,
        ),
        prefill_hours: per_request * run.prefill_s,
        decode_hours: per_request * run.output as f64 * run.step_s,
    }))
}

/// An overflow in a workload's tokens on a GPU. The message is made only when it is needed: the
/// sizing runs for every workload of every configuration tried.
fn overflow_on(w: &Workload, gpu: &Accelerator) -> Error {
    Error::overflow(format!("workload `{}` self-hosted on {}", w.name, gpu.id))
}

/// Sizes and prices one configuration: `gpus` GPUs of `gpu` a replica, at `hourly` a GPU-hour in
/// the scenario currency. Each workload's load is made, added in and dropped; only the busiest
/// is kept.
fn configuration(
    job: &Job,
    gpu: &Accelerator,
    gpus: u64,
    hourly: Decimal,
) -> Result<std::result::Result<Estimate, String>> {
    let (s, spec) = (job.scenario, job.spec);
    let (engine, memory) = match replica(job, gpu, gpus) {
        Ok(r) => r,
        Err(why) => return Ok(Err(why)),
    };
    let mut busy_hours = 0.0;
    let mut dominant: Option<WorkloadLoad> = None;
    let mut tokens = Decimal::ZERO;
    for w in job.text() {
        let l = match load(job, &engine, &memory, gpu, w)? {
            Ok(l) => l,
            Err(why) => return Ok(Err(why)),
        };
        tokens = tokens
            .checked_add(l.input_tokens)
            .and_then(|t| t.checked_add(l.output_tokens))
            .ok_or_else(|| overflow_on(w, gpu))?;
        busy_hours += l.hours();
        // As `Iterator::max_by` picks: a later workload replaces one that is not busier.
        let busier = |d: &WorkloadLoad| {
            d.hours().partial_cmp(&l.hours()).unwrap_or(Ordering::Equal) == Ordering::Greater
        };
        if !dominant.as_ref().is_some_and(busier) {
            dominant = Some(l);
        }
    }
    let per_replica = replica_hours(spec.hours_per_month, spec.utilization, spec.peak_to_average)?;
    let replicas = replicas_for(
        busy_hours,
        to_f64(per_replica),
        spec.min_replicas,
        spec.spare_replicas,
    )?;
    let month = replica_month(gpus, spec.hours_per_month, hourly)?;
    let monthly_cost = mul(month, Decimal::from(replicas), "self-hosted monthly cost")?;
    let horizon = fleet_horizon(busy_hours, to_f64(per_replica), spec, month, s)?;
    let cost = ModelCost {
        model: job.model.id.clone(),
        currency: s.currency,
        workloads: Vec::new(),
        monthly_cost,
        horizon_months: s.horizon_months,
        horizon_cost: horizon,
    };
    let mut e = Estimate {
        model: job.model.id.clone(),
        gpu: gpu.id.clone(),
        precision: spec.precision,
        kv_precision: spec.kv_precision,
        tensor_parallel: gpus,
        weights_gb: memory.weights_gb,
        usable_gb: memory.usable_gb,
        dominant,
        served: job.served,
        busy_hours,
        hours_per_month: spec.hours_per_month,
        utilization: spec.utilization,
        peak_to_average: spec.peak_to_average,
        min_replicas: spec.min_replicas,
        spare_replicas: spec.spare_replicas,
        replicas,
        gpu_hourly: hourly,
        tokens,
        cost_per_mtok: Decimal::ZERO,
        cost,
        spec: spec.clone(),
    };
    if busy_hours > 0.0 {
        let what = "self-hosted cost per 1M tokens";
        e.cost_per_mtok = mul(
            super::div(e.replica_month()?, e.replica_capacity()?, what)?,
            MILLION,
            what,
        )?;
    }
    Ok(Ok(e))
}

/// Σ over the horizon of the fleet each month needs as volume grows: replicas step up, never
/// fractionally.
fn fleet_horizon(
    busy: f64,
    per_replica: f64,
    spec: &Selfhost,
    month: Decimal,
    s: &Scenario,
) -> Result<Decimal> {
    let fleet = |load: f64| -> Result<Decimal> {
        let r = replicas_for(load, per_replica, spec.min_replicas, spec.spare_replicas)?;
        mul(month, Decimal::from(r), Overflow::Horizon)
    };
    if s.monthly_growth.is_zero() {
        return horizon_cost(fleet(busy)?, s.horizon_months, Decimal::ZERO);
    }
    let factor = 1.0 + to_f64(s.monthly_growth);
    let (mut load, mut total) = (busy, Decimal::ZERO);
    for _ in 0..s.horizon_months {
        total = crate::cost::add(total, fleet(load)?, Overflow::Horizon)?;
        load *= factor;
    }
    Ok(total)
}

/// The fleet's bill split over workloads by busy hours, one workload at a time in the scenario's
/// order; within a workload, prefill is billed as input and decode as output. The last workload
/// takes the remainder so the parts add up exactly.
///
/// A split is made only for a fleet that was sized, and then cannot fail: its busy hours are a
/// finite sum (else its replica count would have failed) of non-negative hours, so every share
/// is between 0 and 1 and every part at most the bill.
pub struct Split {
    monthly: Decimal,
    busy: f64,
    left: Decimal,
    remaining: usize,
}

impl Split {
    /// A split of `monthly` over `workloads` workloads that are busy `busy` replica-hours in all.
    pub fn new(monthly: Decimal, busy: f64, workloads: usize) -> Split {
        Split {
            monthly,
            busy,
            left: monthly,
            remaining: workloads,
        }
    }

    /// The next workload's part, given its prefill hours and all its hours: its cost, and the
    /// input (prefill) part of that cost.
    pub fn part(&mut self, prefill_hours: f64, hours: f64) -> Result<(Decimal, Decimal)> {
        let what = "self-hosted cost split";
        let share = |part: f64, whole: f64| -> Result<Decimal> {
            if whole > 0.0 {
                to_decimal(part / whole, what)
            } else {
                Ok(Decimal::ZERO)
            }
        };
        self.remaining = self.remaining.saturating_sub(1);
        let cost = if self.remaining == 0 {
            self.left
        } else {
            mul(self.monthly, share(hours, self.busy)?, what)?.min(self.left)
        };
        self.left -= cost;
        let input_cost = mul(cost, share(prefill_hours, hours)?, what)?.min(cost);
        Ok((cost, input_cost))
    }
}

/// A workload's part of the fleet's bill, as the bill of an API model is written.
fn bill(l: WorkloadLoad, cost: Decimal, input_cost: Decimal) -> WorkloadCost {
    let mut lines = Lines::default();
    lines.set(Kind::Metered(Meter::Input), input_cost);
    lines.set(Kind::Metered(Meter::Output), cost - input_cost);
    WorkloadCost {
        name: l.name,
        requests: l.requests,
        input_tokens: l.input_tokens,
        cached_input_tokens: Decimal::ZERO,
        output_tokens: l.output_tokens,
        images: Decimal::ZERO,
        video_seconds: Decimal::ZERO,
        tier_above_input_tokens: None,
        billed: None,
        tiers: Vec::new(),
        cache: None,
        lines,
        cost,
        components: Vec::new(),
        route: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replicas_round_up_respect_the_floor_and_add_spares() {
        // 730 h × 0.6 = 438 busy hours per replica.
        let per = 438.0;
        assert_eq!(replicas_for(438.0, per, 1, 0).unwrap(), 1);
        assert_eq!(replicas_for(438.1, per, 1, 0).unwrap(), 2);
        assert_eq!(replicas_for(10.0, per, 3, 0).unwrap(), 3);
        // One spare on top of the two the load needs: 3.
        assert_eq!(replicas_for(438.1, per, 1, 1).unwrap(), 3);
        // A peak twice the average halves what a replica takes on: 438 busy hours need 2.
        assert_eq!(replicas_for(438.0, per / 2.0, 1, 0).unwrap(), 2);
        assert!(replicas_for(f64::INFINITY, per, 1, 0).is_err());
    }

    #[test]
    fn a_split_gives_each_workload_its_share_of_the_busy_hours_and_the_last_what_is_left() {
        // $100 over 3 workloads busy 4 hours in all: 1 h (half of it prefill), 1 h (all decode)
        // and 2 h (three quarters prefill).
        let mut split = Split::new(Decimal::ONE_HUNDRED, 4.0, 3);
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(split.part(0.5, 1.0).unwrap(), (d("25"), d("12.5")));
        assert_eq!(split.part(0.0, 1.0).unwrap(), (d("25"), d("0")));
        // The last takes the $50 left, whatever its share says.
        assert_eq!(split.part(1.5, 2.0).unwrap(), (d("50"), d("37.5")));
        // $10 over three equal workloads: 3.33 each as the share's decimal says, and the last
        // takes the remainder, so the parts add up to $10 exactly.
        let mut split = Split::new(Decimal::TEN, 3.0, 3);
        let parts: Vec<Decimal> = (0..3).map(|_| split.part(0.0, 1.0).unwrap().0).collect();
        let third = Decimal::TEN * Decimal::from_f64(1.0 / 3.0).unwrap();
        assert_eq!(parts, [third, third, Decimal::TEN - third - third]);
        assert_eq!(parts.iter().sum::<Decimal>(), Decimal::TEN);
        // No busy hours: every part but the last is nothing.
        let mut split = Split::new(Decimal::TEN, 0.0, 2);
        assert_eq!(
            split.part(0.0, 0.0).unwrap(),
            (Decimal::ZERO, Decimal::ZERO)
        );
        assert_eq!(split.part(0.0, 0.0).unwrap(), (Decimal::TEN, Decimal::ZERO));
    }

    /// The line a diagnostic points at, and its message.
    fn located(s: &Scenario, e: Error) -> (Option<usize>, String) {
        match locate(s, e) {
            Error::Input(d) => (d[0].line, d[0].message.clone()),
            other => panic!("not located: {other}"),
        }
    }

    #[test]
    fn a_horizon_overflow_points_at_the_horizon_and_any_other_at_the_busiest_volume() {
        let cat = Catalogue::embedded().unwrap();
        let src = crate::source::SourceFile {
            name: "s.toml".into(),
            text: "name = \"t\"\nhorizon_months = 24\n\
                   [[workload]]\nname = \"a\"\nrequests_per_day = 10\ninput_tokens = 1\noutput_tokens = 1\n\
                   [[workload]]\nname = \"b\"\nrequests_per_day = 99\ninput_tokens = 1\noutput_tokens = 1\n"
                .into(),
        };
        let s = Scenario::from_source(&src, &cat).unwrap();
        // Line 2 is horizon_months; workload b's volume is on line 10.
        assert_eq!(
            located(&s, Error::Overflow(Overflow::Horizon)),
            (
                Some(2),
                "arithmetic overflow (horizon cost): the amounts are too large to compute exactly"
                    .into()
            )
        );
        // A quantity that merely mentions the horizon in its name is not the horizon sum.
        assert_eq!(
            located(&s, Error::overflow("replica count for the horizon")).0,
            Some(10)
        );
        assert_eq!(located(&s, Error::overflow("replica count")).0, Some(10));
    }
}

//! Every candidate's bill in every trial, estimated from the kernel's bilinear forms
//! ([`super::linear`]) by streaming over the ranged inputs.
//!
//! A trial's estimate of a model's bill in one price segment is
//!
//! ```text
//! (constant + Σ slope × draw) + Σ d × volume × hit rate
//! ```
//!
//! - the **constant** is the bill of every undrawn workload plus each drawn workload's bill with
//!   its drawn inputs at 0, summed exactly in workload order and then made a float;
//! - each drawn volume and hit rate adds its **slope** times its draw to it, in input order;
//! - each workload whose volume and hit rate are both drawn adds its **product** d × V × h to a
//!   second sum, in workload order, and that sum is added last.
//!
//! The sums are made in that order, one operation at a time, so an estimate is the same floating
//! point number however the work is split. Nothing here keeps a coefficient or a draw for every
//! input: the inputs are taken a block of workloads at a time, the block's coefficients made by
//! the kernel for every candidate and price segment, and each trial's draws for the block made
//! from its place in the stream ([`super::draws::Cursor`]) and added to the trial's running sums.
//! What is held throughout is two running sums for each trial, candidate and price segment (one
//! when no workload has a product), and each trial's draws of the scenario-wide inputs (growth and
//! price changes), so memory does not grow with the number of workloads.
//!
//! Two passes over the workloads, in the order the kernel would meet them: the constants, then the
//! slopes and products, a block at a time.
//!
//! A candidate the kernel cannot bill is left out; when the kernel fails (an overflow), the
//! error reported is the one the kernel meets first, candidate by candidate in ranking order and,
//! within a candidate, segment by segment and workload by workload.

use super::draws::{Cursor, Draws};
use super::linear::{bilinear, bill_at, Axes};
use crate::catalogue::fx::FxTable;
use crate::catalogue::model::Model;
use crate::cost::horizon::{priced_under, PricePath};
use crate::cost::workload_priced;
use crate::error::{Error, Result};
use crate::scenario::forecast::{Forecast, Target};
use crate::scenario::Scenario;
use rayon::prelude::*;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use std::borrow::Cow;

/// Inputs taken at a time: a block's coefficients take 24 bytes per input, candidate and price
/// segment (about 0.3 MB for 50 candidates).
const BLOCK: usize = 256;

/// How a candidate's prices trend: a fixed monthly factor, or a drawn yearly change.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Trend {
    /// Every trial moves prices by this factor a month.
    Fixed(f64),
    /// The yearly change is this scenario-wide draw ([`Estimates::wide`]).
    Drawn(usize),
}

/// A candidate whose bill is estimated.
#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    /// Its index among the models given to [`estimate`].
    pub candidate: usize,
    /// The first month (0-based) of each price segment; the first is 0.
    pub starts: Vec<u32>,
    /// Its price trend.
    pub trend: Trend,
}

/// Every trial's place in its draws, running sums and scenario-wide draws, trial-major: a trial's
/// sums are `width` numbers (each candidate's segments in turn), its products as many when some
/// workload has them, and its scenario-wide draws `wide` numbers (at least 1, so that each trial
/// has a part).
struct Lanes {
    cursors: Vec<Cursor>,
    sums: Vec<f64>,
    products: Vec<f64>,
    wide: Vec<f64>,
    width: usize,
    products_width: usize,
    wide_width: usize,
}

/// Every estimated candidate's segment bills in every trial.
pub struct Estimates {
    /// The candidates estimated, in the order given; one the kernel cannot bill is left out.
    pub forms: Vec<Form>,
    /// Where the drawn `monthly_growth` is among the scenario-wide draws, if it is drawn.
    pub growth: Option<usize>,
    /// Where each form's segments start in a trial's sums.
    columns: Vec<usize>,
    /// Every trial's sums and scenario-wide draws.
    lanes: Lanes,
}

impl Estimates {
    /// Form `k`'s bill in each of its price segments in trial `t`, before growth and trend.
    pub fn segments(&self, t: usize, k: usize) -> &[f64] {
        let at = t * self.lanes.width + self.columns[k];
        &self.lanes.sums[at..at + self.forms[k].starts.len()]
    }

    /// Trial `t`'s draw of scenario-wide input `slot` (growth or a price change).
    pub fn wide(&self, t: usize, slot: usize) -> f64 {
        self.lanes.wide[t * self.lanes.wide_width + slot]
    }
}

/// Where a candidate's bill first fails, in the order the kernel meets it: (segment, workload,
/// step), the step being [`BASE`], [`FORM`] or [`SUM`]; `error` is `None` when the kernel cannot
/// bill the workload on it.
struct Fault {
    at: (usize, usize, u8),
    error: Option<Error>,
}

/// A workload's bill with its drawn inputs at 0 (or its bill, undrawn).
const BASE: u8 = 0;
/// Its other corners and its coefficients.
const FORM: u8 = 1;
/// Adding its bill to the constant.
const SUM: u8 = 2;

/// A candidate as it is estimated.
struct Candidate<'a> {
    model: &'a Model,
    starts: Vec<u32>,
    /// The scenario as it prices the candidate in each segment ([`priced_under`]).
    priced: Vec<Cow<'a, Scenario>>,
    trend: Trend,
    /// Its first column in a trial's sums.
    column: usize,
    fault: Option<Fault>,
}

impl Candidate<'_> {
    /// Whether the kernel's work at `at` comes before the candidate's first fault.
    fn live(&self, at: (usize, usize, u8)) -> bool {
        self.fault.as_ref().is_none_or(|f| at < f.at)
    }

    /// Records a fault at `at` if it is the first.
    fn fail(&mut self, at: (usize, usize, u8), error: Option<Error>) {
        if self.live(at) {
            self.fault = Some(Fault { at, error });
        }
    }
}

/// What one input of a block does to a trial's sums.
#[derive(Debug, Clone, Copy)]
enum Step {
    /// Scenario-wide: kept in this slot.
    Wide(usize),
    /// The volume of the block's `row`-th drawn workload.
    Volume(usize),
    /// The hit rate of the block's `row`-th drawn workload.
    HitRate(usize),
    /// Drawn but not billed by a single model (a route share or an escalation); also a second
    /// volume of one workload, which validation refuses.
    Skip,
}

/// A run of inputs covering whole workloads, and the coefficients of their drawn workloads.
struct Block {
    steps: Vec<Step>,
    /// The drawn workloads, by index, with their drawn axes.
    rows: Vec<(usize, Axes)>,
    /// (slope of the volume, slope of the hit rate, product) of each row and column, row-major.
    coef: Vec<[f64; 3]>,
}

/// Each candidate's estimated bill in each trial of `d`, in the segments of its price path.
pub fn estimate(
    s: &Scenario,
    f: &Forecast,
    d: &Draws,
    models: &[&Model],
    fx: &FxTable,
) -> Result<Estimates> {
    let float = |x: Decimal| x.to_f64().unwrap_or(f64::MAX);
    let wide_inputs: Vec<usize> = (0..f.inputs.len())
        .filter(|&i| matches!(f.inputs[i].target, Target::Growth | Target::Change(_)))
        .collect();
    // The first input with a target, as a slot among the scenario-wide draws.
    let wide_slot = |t: &Target| {
        let i = f.inputs.iter().position(|x| x.target == *t)?;
        wide_inputs.binary_search(&i).ok()
    };
    let mut columns = 0;
    let mut candidates: Vec<Candidate> = models
        .iter()
        .map(|&m| {
            let path = PricePath::of(s, m);
            let segments = path.segments(s.horizon_months);
            let key = [&m.id, &m.vendor]
                .into_iter()
                .find(|k| s.pricing.change_per_year.contains_key(k.as_str()));
            let trend = match key.and_then(|k| wide_slot(&Target::Change(k.clone()))) {
                Some(slot) => Trend::Drawn(slot),
                None => Trend::Fixed(float(path.factor)),
            };
            let c = Candidate {
                model: m,
                starts: segments.iter().map(|(start, _)| *start).collect(),
                priced: segments
                    .iter()
                    .map(|(_, entry)| priced_under(s, m, *entry))
                    .collect(),
                trend,
                column: columns,
                fault: None,
            };
            columns += c.starts.len();
            c
        })
        .collect();
    let width = columns;

    // Which inputs of each workload are drawn (a workload sets one volume: validation refuses
    // both `requests_per_day` and `requests_per_month`).
    let mut axes = vec![Axes::default(); s.workloads.len()];
    for input in &f.inputs {
        match input.target {
            Target::Volume(w) => axes[w].volume = true,
            Target::HitRate(w) => axes[w].hit_rate = true,
            _ => {}
        }
    }

    // The constants, candidate by candidate.
    let constants: Vec<Vec<f64>> = candidates
        .par_iter_mut()
        .map(|c| {
            let mut out = Vec::with_capacity(c.priced.len());
            'segments: for si in 0..c.priced.len() {
                let mut constant = Decimal::ZERO;
                for (wi, w) in s.workloads.iter().enumerate() {
                    let priced = &*c.priced[si];
                    let base = if axes[wi] == Axes::default() {
                        workload_priced(priced, s, w, c.model, fx).map(|r| r.ok().map(|x| x.cost))
                    } else {
                        let zero = Decimal::ZERO;
                        bill_at(priced, s, c.model, fx, wi, axes[wi], zero, zero)
                    };
                    let sum = match base {
                        // The message is made only on an overflow.
                        Ok(Some(x)) => constant.checked_add(x).ok_or_else(|| {
                            let e = Error::overflow(format!("monthly cost on {}", c.model.id));
                            s.overflow_at(&s.volume_path(&w.name), e)
                        }),
                        Ok(None) => {
                            c.fail((si, wi, BASE), None);
                            break 'segments;
                        }
                        Err(e) => {
                            c.fail((si, wi, BASE), Some(e));
                            break 'segments;
                        }
                    };
                    match sum {
                        Ok(x) => constant = x,
                        Err(e) => {
                            c.fail((si, wi, SUM), Some(e));
                            break 'segments;
                        }
                    }
                }
                out.push(float(constant));
            }
            out.resize(c.priced.len(), 0.0);
            out
        })
        .collect();
    let trials = d.trials();
    // With no candidate there is nothing to sum (and no part of a trial to sum it in).
    let products = width > 0 && axes.iter().any(|a| a.volume && a.hit_rate);
    drop(axes);
    let products_width = if products { width } else { 1 };
    let wide_width = wide_inputs.len().max(1);
    let mut lanes = Lanes {
        cursors: (0..trials).into_par_iter().map(|t| d.cursor(t)).collect(),
        sums: constants
            .iter()
            .flatten()
            .copied()
            .cycle()
            .take(trials * width)
            .collect(),
        products: vec![0.0; trials * products_width],
        wide: vec![0.0; trials * wide_width],
        width,
        products_width,
        wide_width,
    };
    drop(constants);
    if width > 0 {
        stream(s, f, d, fx, &mut candidates, &mut lanes);
    }
    // The products are added to the slopes' sum last, in workload order.
    if products {
        lanes
            .sums
            .par_chunks_mut(width)
            .zip(lanes.products.par_chunks(width))
            .for_each(|(sums, products)| {
                for (sum, p) in sums.iter_mut().zip(products) {
                    *sum += p;
                }
            });
        lanes.products = Vec::new();
    }
    lanes.cursors = Vec::new();

    let mut forms = Vec::new();
    let mut starts_at = Vec::new();
    for (k, c) in candidates.into_iter().enumerate() {
        match c.fault {
            Some(Fault { error: Some(e), .. }) => return Err(e),
            Some(Fault { error: None, .. }) => {}
            None => {
                starts_at.push(c.column);
                forms.push(Form {
                    candidate: k,
                    starts: c.starts,
                    trend: c.trend,
                });
            }
        }
    }
    Ok(Estimates {
        forms,
        growth: wide_slot(&Target::Growth),
        columns: starts_at,
        lanes,
    })
}

/// The slopes of every block of inputs added to every trial's sums, and the products to its
/// products' sums.
fn stream(
    s: &Scenario,
    f: &Forecast,
    d: &Draws,
    fx: &FxTable,
    candidates: &mut [Candidate],
    lanes: &mut Lanes,
) {
    let width = lanes.width;
    let mut next = 0;
    let mut wide = 0;
    while next < f.inputs.len() {
        let mut block = plan(f, &mut next, &mut wide);
        coefficients(s, fx, candidates, &mut block, width);
        let block = &block;
        lanes
            .cursors
            .par_iter_mut()
            .zip(lanes.sums.par_chunks_mut(width))
            .zip(lanes.products.par_chunks_mut(lanes.products_width))
            .zip(lanes.wide.par_chunks_mut(lanes.wide_width))
            .for_each_init(Vec::new, |held, (((cursor, sums), products), wide)| {
                held.clear();
                held.resize(block.rows.len(), None);
                for step in &block.steps {
                    if matches!(step, Step::Skip) {
                        d.skip(cursor);
                        continue;
                    }
                    let Some((_, _, x)) = d.next(cursor) else {
                        return;
                    };
                    let row = |r: usize| &block.coef[r * width..(r + 1) * width];
                    match *step {
                        Step::Wide(slot) => wide[slot] = x,
                        Step::Volume(r) => {
                            held[r] = Some(x);
                            for (sum, k) in sums.iter_mut().zip(row(r)) {
                                *sum += k[0] * x;
                            }
                        }
                        Step::HitRate(r) => {
                            for (sum, k) in sums.iter_mut().zip(row(r)) {
                                *sum += k[1] * x;
                            }
                            // A drawn volume and hit rate: d × V × h.
                            if let Some(v) = held[r] {
                                for (p, k) in products.iter_mut().zip(row(r)) {
                                    *p += k[2] * v * x;
                                }
                            }
                        }
                        Step::Skip => {}
                    }
                }
            });
    }
}

/// The next block of inputs from `next`: at least [`BLOCK`] of them unless the inputs run out,
/// ending with a workload's last; `wide` counts the scenario-wide inputs met so far.
fn plan(f: &Forecast, next: &mut usize, wide: &mut usize) -> Block {
    let mut block = Block {
        steps: Vec::new(),
        rows: Vec::new(),
        coef: Vec::new(),
    };
    let mut last = None;
    while let Some(input) = f.inputs.get(*next) {
        let w = input.target.workload();
        if block.steps.len() >= BLOCK && (w.is_none() || w != last) {
            break;
        }
        last = w;
        *next += 1;
        let mut row = |w: usize| {
            if block.rows.last().map(|r| r.0) != Some(w) {
                block.rows.push((w, Axes::default()));
            }
            block.rows.len() - 1
        };
        let step = match input.target {
            Target::Growth | Target::Change(_) => {
                *wide += 1;
                Step::Wide(*wide - 1)
            }
            Target::Volume(w) => {
                let r = row(w);
                if block.rows[r].1.volume {
                    Step::Skip
                } else {
                    block.rows[r].1.volume = true;
                    Step::Volume(r)
                }
            }
            Target::HitRate(w) => {
                let r = row(w);
                block.rows[r].1.hit_rate = true;
                Step::HitRate(r)
            }
            Target::RouteShare(..) | Target::Escalation(..) => Step::Skip,
        };
        block.steps.push(step);
    }
    block
}

/// The block's coefficients (the slope of the volume, of the hit rate, and the product) for every
/// candidate and segment, from the kernel. A candidate's columns are 0 from its first fault on.
fn coefficients(
    s: &Scenario,
    fx: &FxTable,
    candidates: &mut [Candidate],
    block: &mut Block,
    width: usize,
) {
    let float = |x: Decimal| x.to_f64().unwrap_or(f64::MAX);
    let rows = &block.rows;
    let per_candidate: Vec<Vec<[f64; 3]>> = candidates
        .par_iter_mut()
        .map(|c| {
            let segments = c.priced.len();
            let mut out = vec![[0.0; 3]; rows.len() * segments];
            for si in 0..segments {
                for (r, &(wi, axes)) in rows.iter().enumerate() {
                    if axes == Axes::default() || !c.live((si, wi, FORM)) {
                        continue;
                    }
                    match bilinear(&c.priced[si], s, c.model, fx, wi, axes) {
                        Ok(Some(form)) => {
                            out[r * segments + si] = [float(form.b), float(form.c), float(form.d)];
                        }
                        Ok(None) => c.fail((si, wi, FORM), None),
                        Err(e) => c.fail((si, wi, FORM), Some(e)),
                    }
                }
            }
            out
        })
        .collect();
    block.coef = vec![[0.0; 3]; rows.len() * width];
    for (c, coef) in candidates.iter().zip(per_candidate) {
        let segments = c.priced.len();
        for r in 0..rows.len() {
            block.coef[r * width + c.column..r * width + c.column + segments]
                .copy_from_slice(&coef[r * segments..(r + 1) * segments]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::Catalogue;
    use crate::cost::horizon::priced_under;
    use crate::forecast::draws::{draw, scenario_of};
    use crate::forecast::linear::tests::scenario;
    use proptest::prelude::*;

    /// `n` workloads, each with a drawn volume (three points or uniform, a day or a month) or a
    /// fixed one, some past every long-prompt threshold, and every third with a prompt cache
    /// whose hit rate is drawn (or fixed, every sixth); a schedule gives Claude 3 Haiku a second
    /// price segment.
    fn body(n: usize, seed: u64, trials: u32) -> String {
        let mut out = String::from("horizon_months = 6\n");
        for i in 0..n {
            let volume = match i % 4 {
                0 => format!(
                    "requests_per_day = {{ p10 = {}, p50 = {}, p90 = {} }}",
                    10 + i,
                    200 + i,
                    900 + 3 * i
                ),
                1 => format!(
                    "requests_per_month = {{ low = {}, high = {} }}",
                    1000 + i,
                    90_000 + 7 * i
                ),
                2 => format!("requests_per_day = {}", 100 + i),
                _ => format!("requests_per_day = {{ low = 1, high = {} }}", 50 + i),
            };
            // A cached prefix is at least 2,500 tokens, past every minimum the catalogue sets.
            let input = if i % 5 == 0 {
                150_000 + i
            } else {
                3_000 + 37 * i
            };
            out += &format!("[[workload]]\nname = \"w{i}\"\n{volume}\ninput_tokens = {input}\noutput_tokens = {}\n", 100 + i % 400);
            if i % 3 == 0 {
                let hit = if i % 6 == 0 {
                    "0.4".to_string()
                } else {
                    format!("{{ low = 0.0{}, high = 0.9 }}", 1 + i % 8)
                };
                out += &format!("[workload.cache]\nprefix_tokens = {}\nhit_rate = {hit}\nstorage_hours_per_month = 5\n", 2_500 + i % 300);
            }
        }
        out + &format!(
            "[[pricing.schedule]]\nmodel = \"anthropic/claude-3-haiku\"\nfrom_month = 3\ninput = \"0.2\"\noutput = \"1\"\n\
             [forecast]\ntrials = {trials}\nseed = {seed}\n"
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(6))]
        /// Each trial's estimate of each model's bill in each price segment is the kernel's bill of
        /// the trial's drawn scenario at that segment's prices, to 1 part in 10⁹: over scenarios
        /// of one workload to several blocks of inputs, with drawn volumes, drawn hit rates (and
        /// so products) and a schedule.
        #[test]
        fn a_trials_estimate_is_the_kernels_bill_at_its_draws(
            n in prop_oneof![1usize..8, 200usize..330],
            seed in 0u64..10_000,
        ) {
            let cat = Catalogue::embedded().unwrap();
            let s = scenario(&body(n, seed, 5));
            let f = s.forecast.clone().unwrap();
            let d = draw(&f);
            let fx = s.fx(&cat);
            let models: Vec<&Model> = cat.models.iter().step_by(4).chain(cat.model("anthropic/claude-3-haiku")).collect();
            let est = estimate(&s, &f, &d, &models, &fx).unwrap();
            prop_assert!(est.forms.len() >= 4, "only {} models estimated", est.forms.len());
            prop_assert!(est.forms.iter().any(|k| k.starts.len() == 2), "no model has a schedule");
            for t in 0..f.trials as usize {
                let trial = scenario_of(&s, &f, &d, t);
                for (k, form) in est.forms.iter().enumerate() {
                    let m = models[form.candidate];
                    let path = PricePath::of(&trial, m);
                    let segments = path.segments(trial.horizon_months);
                    prop_assert_eq!(segments.len(), form.starts.len());
                    for (si, (_, entry)) in segments.iter().enumerate() {
                        // The kernel's bill of each of the trial's workloads at the segment's
                        // prices, summed.
                        let priced = priced_under(&trial, m, *entry);
                        let kernel: Decimal = trial
                            .workloads
                            .iter()
                            .map(|w| workload_priced(&priced, &trial, w, m, &fx).unwrap().unwrap().cost)
                            .sum();
                        let kernel = kernel.to_f64().unwrap();
                        let got = est.segments(t, k)[si];
                        prop_assert!(
                            (got - kernel).abs() <= kernel.abs().max(1.0) * 1e-9,
                            "{} trial {} segment {}: {} against {}", m.id, t, si, got, kernel
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn a_model_without_a_price_is_left_out_and_the_rest_keep_their_order() {
        let cat = Catalogue::embedded().unwrap();
        let s = scenario(
            "[[workload]]\nname = \"w\"\nrequests_per_day = { low = 1, high = 1000 }\ninput_tokens = 1000\noutput_tokens = 100\n\
             [[pricing.schedule]]\nmodel = \"anthropic/claude-3-haiku\"\nfrom_month = 3\ninput = \"0.2\"\noutput = \"1\"\n\
             [forecast]\ntrials = 4\n",
        );
        let f = s.forecast.clone().unwrap();
        let d = draw(&f);
        let unpriced = cat.models.iter().find(|m| m.price.is_none()).unwrap();
        let haiku = cat.model("anthropic/claude-3-haiku").unwrap();
        let opus = cat.model("anthropic/claude-3-opus").unwrap();
        let est = estimate(&s, &f, &d, &[haiku, unpriced, opus], &s.fx(&cat)).unwrap();
        let kept: Vec<usize> = est.forms.iter().map(|k| k.candidate).collect();
        assert_eq!(kept, vec![0, 2]);
        // Haiku's schedule starts its second segment at month 3 (0-based 2); Opus has one.
        assert_eq!(est.forms[0].starts, vec![0, 2]);
        assert_eq!(est.forms[1].starts, vec![0]);
        // Opus bills 15 and 75 a million against Haiku's 0.25 and 1.25 in its first segment: a
        // request costs 0.015 + 0.0075 against 0.00025 + 0.000125, 60 times as much, whatever the
        // trial's volume.
        for t in 0..4 {
            let ratio = est.segments(t, 1)[0] / est.segments(t, 0)[0];
            assert!((ratio - 60.0).abs() < 1e-6, "trial {t}: {ratio}");
        }
    }
}

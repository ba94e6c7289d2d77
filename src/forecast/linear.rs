//! A model's bill as a function of the drawn inputs, derived from the kernel.
//!
//! Within a month at fixed prices a workload's bill is bilinear in its request volume V and its
//! cache hit rate h: a + b V + c h + d V h. Every quantity the kernel counts is V times a
//! per-request figure, or a constant (cache storage, media), and the cache splits a request's
//! prefix into hits, a share h of it, and misses, the rest ([`crate::cost::cache`]); the tier a
//! request is billed at depends on the tokens of one request, not on how many there are or how
//! often its prefix is cached. So the kernel's bill at the corners V ∈ {0, 1}, h ∈ {0, 1} gives
//! the bill at any V and h ([`Bilinear`]), and the month's bill is a sum of those. An input that
//! is not drawn keeps the scenario's value and its coefficients are 0. The kernel is asked once
//! per model, price segment and corner; the formula is never written here. A property test
//! (`tests::bilinear_bill_is_the_kernels`) holds a + b V + c h + d V h equal to the kernel's bill
//! at V and h, and another (`tests::a_trials_bill_is_the_kernels_at_its_draws`) holds it equal to
//! the kernel's bill of a trial's drawn scenario.
//!
//! These coefficients only *order* the trials and count the wins, in floating point. Every figure
//! printed is the kernel's exact bill of the trial found at that rank ([`super::run`]).

use crate::catalogue::fx::FxTable;
use crate::catalogue::model::Model;
use crate::cost::horizon::{priced_under, PricePath};
use crate::cost::{add, workload_on};
use crate::error::{Error, Result};
use crate::scenario::forecast::{Forecast, Target};
use crate::scenario::{Requests, Scenario};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

/// The bill of one price segment: a constant, a slope for each drawn input, and a coefficient for
/// each drawn volume times its workload's drawn hit rate.
#[derive(Debug, Clone)]
pub struct Segment {
    /// First month (0-based).
    pub start: u32,
    /// The bill of the undrawn workloads, and the drawn ones' bill with their drawn inputs at 0.
    pub constant: f64,
    /// (input index, bill per unit of that input).
    pub slopes: Vec<(usize, f64)>,
    /// (volume input, hit rate input, bill per unit of their product).
    pub products: Vec<(usize, usize, f64)>,
}

/// How the model's prices trend: a fixed monthly factor or a drawn yearly change.
#[derive(Debug, Clone, Copy)]
pub enum Trend {
    /// Every trial moves prices by this factor a month.
    Fixed(f64),
    /// The yearly change is input `i`.
    Drawn(usize),
}

/// A model's bill in every month, linear in the draws.
#[derive(Debug, Clone)]
pub struct Linear {
    /// Price segments, earliest first; the first starts at month 0.
    pub segments: Vec<Segment>,
    /// The price trend.
    pub trend: Trend,
}

/// One workload's bill as the kernel gives it: a + b V + c h + d V h, V its volume (in the unit
/// it is written in, a day or a month) and h its cache hit rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bilinear {
    /// The bill at V = 0 and h = 0 (an undrawn input at its value).
    pub a: Decimal,
    /// Per unit of volume.
    pub b: Decimal,
    /// Per unit of hit rate.
    pub c: Decimal,
    /// Per unit of volume × hit rate.
    pub d: Decimal,
}

impl Bilinear {
    /// The bill at volume `v` and hit rate `h`, exact.
    pub fn at(&self, v: Decimal, h: Decimal) -> Option<Decimal> {
        let vh = v.checked_mul(h)?;
        self.a
            .checked_add(self.b.checked_mul(v)?)?
            .checked_add(self.c.checked_mul(h)?)?
            .checked_add(self.d.checked_mul(vh)?)
    }
}

/// Which of a workload's inputs are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Axes {
    /// Its request volume.
    pub volume: bool,
    /// Its cache hit rate.
    pub hit_rate: bool,
}

/// The kernel's bill of workload `w` as a [`Bilinear`] in the drawn `axes`: from its bill at each
/// corner (0 or 1 for each drawn input, the scenario's value for the others). `None` when the
/// model cannot bill it.
pub fn bilinear(
    s: &Scenario,
    m: &Model,
    fx: &FxTable,
    w: usize,
    axes: Axes,
) -> Result<Option<Bilinear>> {
    let at = |v: Decimal, h: Decimal| -> Result<Option<Decimal>> {
        let mut wl = s.workloads[w].clone();
        if axes.volume {
            wl.requests = match wl.requests {
                Some(Requests::PerMonth(_)) => Some(Requests::PerMonth(v)),
                _ => Some(Requests::PerDay(v)),
            };
        }
        if axes.hit_rate {
            if let Some(c) = wl.cache.as_mut() {
                c.hit_rate = h;
            }
        }
        Ok(workload_on(s, &wl, m, fx)?.ok().map(|c| c.cost))
    };
    let (zero, one) = (Decimal::ZERO, Decimal::ONE);
    let Some(f00) = at(zero, zero)? else {
        return Ok(None);
    };
    let corner = |on: bool, v, h| -> Result<Option<Decimal>> {
        if on {
            at(v, h)
        } else {
            Ok(Some(f00))
        }
    };
    let (Some(f10), Some(f01), Some(f11)) = (
        corner(axes.volume, one, zero)?,
        corner(axes.hit_rate, zero, one)?,
        corner(axes.volume && axes.hit_rate, one, one)?,
    ) else {
        return Ok(None);
    };
    let name = &s.workloads[w].name;
    let over = || {
        let e = Error::overflow(format!(
            "the forecast's bill of workload `{name}` on {}",
            m.id
        ));
        s.overflow_at(&s.volume_path(name), e)
    };
    let d = f11
        .checked_sub(f10)
        .and_then(|x| x.checked_sub(f01))
        .and_then(|x| x.checked_add(f00))
        .ok_or_else(over)?;
    Ok(Some(Bilinear {
        a: f00,
        b: f10.checked_sub(f00).ok_or_else(over)?,
        c: f01.checked_sub(f00).ok_or_else(over)?,
        d: if axes.volume && axes.hit_rate {
            d
        } else {
            zero
        },
    }))
}

/// The linear form of `m`'s bill under `s`'s prices, with the drawn inputs of `f`.
pub fn linear(s: &Scenario, f: &Forecast, m: &Model, fx: &FxTable) -> Result<Option<Linear>> {
    let path = PricePath::of(s, m);
    let mut segments = Vec::new();
    let input = |t: Target| f.inputs.iter().position(|i| i.target == t);
    let float = |d: Decimal| d.to_f64().unwrap_or(f64::MAX);
    let sum = |a: Decimal, b: Decimal, workload: &str| {
        add(a, b, format!("monthly cost on {}", m.id).as_str())
            .map_err(|e| s.overflow_at(&s.volume_path(workload), e))
    };
    for (start, entry) in path.segments(s.horizon_months) {
        let sc = priced_under(s, m, entry);
        let mut constant = Decimal::ZERO;
        let mut slopes = Vec::new();
        let mut products = Vec::new();
        for (wi, w) in sc.workloads.iter().enumerate() {
            let (volume, hit) = (input(Target::Volume(wi)), input(Target::HitRate(wi)));
            if volume.is_none() && hit.is_none() {
                match workload_on(&sc, w, m, fx)? {
                    Ok(c) => constant = sum(constant, c.cost, &w.name)?,
                    Err(_) => return Ok(None),
                }
                continue;
            }
            let axes = Axes {
                volume: volume.is_some(),
                hit_rate: hit.is_some(),
            };
            let Some(form) = bilinear(&sc, m, fx, wi, axes)? else {
                return Ok(None);
            };
            constant = sum(constant, form.a, &w.name)?;
            if let Some(v) = volume {
                slopes.push((v, float(form.b)));
            }
            if let Some(h) = hit {
                slopes.push((h, float(form.c)));
            }
            if let (Some(v), Some(h)) = (volume, hit) {
                products.push((v, h, float(form.d)));
            }
        }
        segments.push(Segment {
            start,
            constant: float(constant),
            slopes,
            products,
        });
    }
    let key = [&m.id, &m.vendor]
        .into_iter()
        .find(|k| s.pricing.change_per_year.contains_key(k.as_str()));
    let trend = match key.and_then(|k| input(Target::Change(k.clone()))) {
        Some(i) => Trend::Drawn(i),
        None => Trend::Fixed(float(path.factor)),
    };
    Ok(Some(Linear { segments, trend }))
}

impl Segment {
    /// The segment's monthly bill (before growth and trend) in the trial whose inputs are
    /// `floats`, in floating point: a key that orders the trials, never an amount printed (the
    /// percentiles are priced again exactly by the kernel).
    pub fn bill(&self, floats: &[f64]) -> f64 {
        let linear = self
            .slopes
            .iter()
            .fold(self.constant, |acc, &(i, b)| acc + b * floats[i]);
        self.products
            .iter()
            .fold(linear, |acc, &(i, j, d)| acc + d * floats[i] * floats[j])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::Catalogue;
    use crate::source::SourceFile;
    use proptest::prelude::*;

    fn scenario(body: &str) -> Scenario {
        let cat = Catalogue::embedded().unwrap();
        let src = SourceFile {
            name: "t.toml".into(),
            text: format!("name = \"t\"\n{body}"),
        };
        Scenario::from_source(&src, &cat).unwrap()
    }

    /// Equal up to the kernel's own rounding: a conversion rounds at the 28th significant digit,
    /// far below the printed cent.
    fn same(form: Decimal, kernel: Decimal) -> bool {
        (form - kernel).abs() <= kernel.abs().max(Decimal::ONE) * Decimal::new(1, 18)
    }

    /// A workload with a `[workload.cache]`: `volume` requests a day of `input` and `output`
    /// tokens, a prefix of `prefix_pct`% of the input, a hit rate of `hit` millionths, `hours` of
    /// storage and `batch`% batched. `buckets` spreads the input over two sizes, the second past
    /// every long-prompt threshold of the catalogue, so a model with tiers bills two parts.
    struct Work {
        volume: u64,
        input: u64,
        output: u64,
        prefix_pct: u64,
        hit: u32,
        hours: u32,
        batch: u32,
        buckets: bool,
    }

    fn cached_workload(w: Work) -> String {
        let Work {
            volume,
            input,
            output,
            prefix_pct,
            hit,
            hours,
            batch,
            buckets,
        } = w;
        let tokens = if buckets {
            format!(
                "{{ buckets = [[{input}, 0.6], [{}, 0.4]] }}",
                input + 300_000
            )
        } else {
            input.to_string()
        };
        format!(
            "[[workload]]\nname = \"w\"\nrequests_per_day = {volume}\ninput_tokens = {tokens}\noutput_tokens = {output}\nbatch_share = \"{}\"\n\
             [workload.cache]\nprefix_tokens = {}\nhit_rate = \"{}\"\nstorage_hours_per_month = {hours}\n",
            Decimal::new(batch.into(), 2),
            (input * prefix_pct / 100).max(1),
            Decimal::new(hit.into(), 6),
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// a + b V + c h + d V h, from the kernel's corners, is the kernel's bill at V and h, on
        /// every catalogue model: whether it caches the prefix or not, tiered or not, batched or
        /// not, with storage or without. With one input drawn, the other keeps its value.
        #[test]
        fn bilinear_bill_is_the_kernels(
            volume in 0u64..50_000_000,
            hit in 0u32..=1_000_000,
            input in 1u64..200_000,
            output in 0u64..5_000,
            prefix_pct in 1u64..=100,
            hours in 0u32..1_000,
            batch in 0u32..=100,
            buckets in any::<bool>(),
            model in 0usize..200,
        ) {
            let cat = Catalogue::embedded().unwrap();
            let m = &cat.models[model % cat.models.len()];
            let s = scenario(&cached_workload(Work { volume, input, output, prefix_pct, hit, hours, batch, buckets }));
            let fx = s.fx(&cat);
            let kernel = workload_on(&s, &s.workloads[0], m, &fx).unwrap().ok().map(|c| c.cost);
            let (v, h) = (Decimal::from(volume), Decimal::new(hit.into(), 6));
            for (volume, hit_rate) in [(true, true), (true, false), (false, true)] {
                let form = bilinear(&s, m, &fx, 0, Axes { volume, hit_rate }).unwrap();
                match (kernel, form) {
                    (Some(k), Some(f)) => {
                        // An undrawn input is held at its value, so it enters as 0 here.
                        let at = f
                            .at(if volume { v } else { Decimal::ZERO }, if hit_rate { h } else { Decimal::ZERO })
                            .unwrap();
                        prop_assert!(same(at, k), "{} at V = {}, h = {}: {} against {}", m.id, v, h, at, k);
                    }
                    (None, None) => {}
                    (k, f) => prop_assert!(false, "priced one way only: {:?} {:?}", k, f),
                }
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(16))]
        /// A trial's bill from the form, at the trial's drawn volume and hit rate, is the
        /// kernel's bill of the trial's drawn scenario ([`crate::forecast::draws::scenario_of`]):
        /// exactly in `Decimal`, and to 1 part in 10⁹ in the floating point that orders trials.
        #[test]
        fn a_trials_bill_is_the_kernels_at_its_draws(
            seed in 0u64..10_000,
            hit in (0u32..40, 0u32..30, 0u32..30),
            prefix_pct in 1u64..=100,
            buckets in any::<bool>(),
        ) {
            use crate::forecast::draws::{draw, scenario_of};
            let cat = Catalogue::embedded().unwrap();
            let q = |x: u32| Decimal::new(x.into(), 2);
            let (p10, p50, p90) = (q(hit.0), q(hit.0 + hit.1), q(hit.0 + hit.1 + hit.2));
            let body = cached_workload(Work { volume: 20_000, input: 4_000, output: 300, prefix_pct, hit: 0, hours: 24, batch: 0, buckets })
                .replace("requests_per_day = 20000", "requests_per_day = { p10 = 8000, p50 = 20000, p90 = 45000 }")
                .replace("hit_rate = \"0.000000\"", &format!("hit_rate = {{ p10 = \"{p10}\", p50 = \"{p50}\", p90 = \"{p90}\" }}"));
            let s = scenario(&format!("{body}[forecast]\ntrials = 50\nseed = {seed}\n"));
            let f = s.forecast.clone().unwrap();
            let d = draw(&f);
            let fx = s.fx(&cat);
            let vi = f.inputs.iter().position(|i| i.target == Target::Volume(0)).unwrap();
            let hi = f.inputs.iter().position(|i| i.target == Target::HitRate(0)).unwrap();
            for m in cat.models.iter().step_by(3) {
                let Some(form) = bilinear(&s, m, &fx, 0, Axes { volume: true, hit_rate: true }).unwrap() else {
                    continue;
                };
                let lin = linear(&s, &f, m, &fx).unwrap().unwrap();
                for t in 0..f.trials as usize {
                    let trial = scenario_of(&s, &f, &d, t);
                    let k = workload_on(&trial, &trial.workloads[0], m, &fx).unwrap().unwrap().cost;
                    let values = d.values(t);
                    let at = form.at(values[vi], values[hi]).unwrap();
                    prop_assert!(same(at, k), "{} trial {}: {} against {}", m.id, t, at, k);
                    let float = lin.segments[0].bill(&d.floats(t));
                    let k = k.to_f64().unwrap();
                    prop_assert!((float - k).abs() <= k.abs().max(1.0) * 1e-9, "{} trial {}: {} against {}", m.id, t, float, k);
                }
            }
        }
    }
}

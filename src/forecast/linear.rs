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
//! at V and h; [`super::estimate`] sums the forms over the workloads, trial by trial, and its own
//! property test holds that sum equal to the kernel's bill of each trial's drawn scenario.
//!
//! These coefficients only *order* the trials and count the wins, in floating point. Every figure
//! printed is the kernel's exact bill of the trial found at that rank ([`super::run`]).

use super::draws::set;
use crate::catalogue::fx::FxTable;
use crate::catalogue::model::Model;
use crate::cost::workload_priced;
use crate::error::{Error, Result};
use crate::scenario::forecast::Target;
use crate::scenario::Scenario;
use rust_decimal::Decimal;

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

/// The kernel's bill of workload `w` of `located` at volume `v` and hit rate `h` on the drawn
/// `axes` (an undrawn input keeps the scenario's value, and each drawn one is set as a trial sets
/// it, [`super::draws::set`]), under the prices of `priced` (the scenario itself, or its prices
/// in one price segment, [`Scenario::prices_only`]). `None` when the model cannot bill it.
#[allow(clippy::too_many_arguments)]
pub fn bill_at(
    priced: &Scenario,
    located: &Scenario,
    m: &Model,
    fx: &FxTable,
    w: usize,
    axes: Axes,
    v: Decimal,
    h: Decimal,
) -> Result<Option<Decimal>> {
    let mut wl = located.workloads[w].clone();
    if axes.volume {
        set(&mut wl, &Target::Volume(w), v);
    }
    if axes.hit_rate {
        set(&mut wl, &Target::HitRate(w), h);
    }
    Ok(workload_priced(priced, located, &wl, m, fx)?
        .ok()
        .map(|c| c.cost))
}

/// The kernel's bill of workload `w` as a [`Bilinear`] in the drawn `axes`: from its bill at each
/// corner (0 or 1 for each drawn input, the scenario's value for the others), under the prices
/// of `priced` ([`bill_at`]). `None` when the model cannot bill it.
pub fn bilinear(
    priced: &Scenario,
    located: &Scenario,
    m: &Model,
    fx: &FxTable,
    w: usize,
    axes: Axes,
) -> Result<Option<Bilinear>> {
    let at = |v, h| bill_at(priced, located, m, fx, w, axes, v, h);
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
    let name = &located.workloads[w].name;
    let over = || {
        let e = Error::overflow(format!(
            "the forecast's bill of workload `{name}` on {}",
            m.id
        ));
        located.overflow_at(&located.volume_path(name), e)
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

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::catalogue::Catalogue;
    use crate::cost::workload_on;
    use crate::source::SourceFile;
    use proptest::prelude::*;

    pub(crate) fn scenario(body: &str) -> Scenario {
        let cat = Catalogue::embedded().unwrap();
        let src = SourceFile {
            name: "t.toml".into(),
            text: format!("name = \"t\"\n{body}"),
        };
        Scenario::from_source(&src, &cat).unwrap()
    }

    /// Equal up to the kernel's own rounding: a conversion rounds at the 28th significant digit,
    /// far below the printed cent.
    pub(crate) fn same(form: Decimal, kernel: Decimal) -> bool {
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
                let form = bilinear(&s, &s, m, &fx, 0, Axes { volume, hit_rate }).unwrap();
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
}

//! A model's bill as a linear function of the drawn volumes, derived from the kernel.
//!
//! Within a month at fixed prices a workload's bill is linear in its request volume: its
//! quantities are the volume times per-request figures, and its tier depends on the tokens of one
//! request, not on how many there are. So the kernel's bill at volume 0 (a) and at volume 1 (a + b)
//! give the bill at any volume V as a + b × V, and the month's bill is a sum of those. The kernel
//! is asked once per model and price segment; the formula is never written here. A property test
//! (`tests::linear_bill_is_the_kernels`) holds a + b × V equal to the kernel's bill at V.
//!
//! These coefficients only *order* the trials and count the wins, in floating point. Every figure
//! printed is the kernel's exact bill of the trial found at that rank ([`super::run`]).

use crate::catalogue::fx::FxTable;
use crate::catalogue::model::Model;
use crate::cost::horizon::{priced_under, PricePath};
use crate::cost::workload_on;
use crate::error::Result;
use crate::scenario::forecast::{Forecast, Target};
use crate::scenario::{Requests, Scenario};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

/// The bill of one price segment: a constant plus a slope for each drawn volume.
#[derive(Debug, Clone)]
pub struct Segment {
    /// First month (0-based).
    pub start: u32,
    /// The bill of the undrawn workloads, and the drawn ones' bill at volume 0.
    pub constant: f64,
    /// (input index, bill per unit of that input).
    pub slopes: Vec<(usize, f64)>,
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

/// The kernel's bill of workload `w` at volume 0 and the change per unit of volume, in the unit
/// the volume is written in (a day or a month); `None` when the model cannot bill it.
pub fn coefficients(
    s: &Scenario,
    m: &Model,
    fx: &FxTable,
    w: usize,
) -> Result<Option<(Decimal, Decimal)>> {
    let at = |v: Decimal| -> Result<Option<Decimal>> {
        let mut wl = s.workloads[w].clone();
        wl.requests = match wl.requests {
            Some(Requests::PerMonth(_)) => Some(Requests::PerMonth(v)),
            _ => Some(Requests::PerDay(v)),
        };
        Ok(workload_on(s, &wl, m, fx)?.ok().map(|c| c.cost))
    };
    let (Some(a), Some(a1)) = (at(Decimal::ZERO)?, at(Decimal::ONE)?) else {
        return Ok(None);
    };
    Ok(Some((a, a1 - a)))
}

/// The linear form of `m`'s bill under `s`'s prices, with the drawn inputs of `f`.
pub fn linear(s: &Scenario, f: &Forecast, m: &Model, fx: &FxTable) -> Result<Option<Linear>> {
    let path = PricePath::of(s, m);
    let mut segments = Vec::new();
    let drawn = |w: usize| f.inputs.iter().position(|i| i.target == Target::Volume(w));
    let float = |d: Decimal| d.to_f64().unwrap_or(f64::MAX);
    for (start, entry) in path.segments(s.horizon_months) {
        let sc = priced_under(s, m, entry);
        let mut constant = Decimal::ZERO;
        let mut slopes = Vec::new();
        for (wi, w) in sc.workloads.iter().enumerate() {
            match drawn(wi) {
                None => match workload_on(&sc, w, m, fx)? {
                    Ok(c) => constant += c.cost,
                    Err(_) => return Ok(None),
                },
                Some(i) => match coefficients(&sc, m, fx, wi)? {
                    Some((a, b)) => {
                        constant += a;
                        slopes.push((i, float(b)));
                    }
                    None => return Ok(None),
                },
            }
        }
        segments.push(Segment {
            start,
            constant: float(constant),
            slopes,
        });
    }
    let key = [&m.id, &m.vendor]
        .into_iter()
        .find(|k| s.pricing.change_per_year.contains_key(k.as_str()));
    let trend = match key.and_then(|k| {
        f.inputs
            .iter()
            .position(|i| i.target == Target::Change(k.clone()))
    }) {
        Some(i) => Trend::Drawn(i),
        None => Trend::Fixed(float(path.factor)),
    };
    Ok(Some(Linear { segments, trend }))
}

impl Segment {
    /// The segment's monthly bill (before growth and trend) in trial `t`.
    pub fn bill(&self, floats: &[Vec<f64>], t: usize) -> f64 {
        self.slopes
            .iter()
            .fold(self.constant, |acc, &(i, b)| acc + b * floats[i][t])
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

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn linear_bill_is_the_kernels(
            volume in 0u64..50_000_000,
            input in 1u64..300_000,
            output in 0u64..5_000,
            cached in 0u32..=100,
            batch in 0u32..=100,
            model in 0usize..50,
        ) {
            let cat = Catalogue::embedded().unwrap();
            let m = &cat.models[model % cat.models.len()];
            let s = scenario(&format!(
                "[[workload]]\nname = \"w\"\nrequests_per_day = {volume}\ninput_tokens = {input}\noutput_tokens = {output}\ncached_input_share = {}\nbatch_share = {}\n",
                Decimal::new(cached.into(), 2), Decimal::new(batch.into(), 2)
            ));
            let fx = s.fx(&cat);
            let kernel = workload_on(&s, &s.workloads[0], m, &fx).unwrap().ok().map(|c| c.cost);
            let lin = coefficients(&s, m, &fx, 0).unwrap();
            match (kernel, lin) {
                (Some(k), Some((a, b))) => {
                    let v = Decimal::from(volume);
                    prop_assert_eq!(
                        crate::money::money_string(a + b * v),
                        crate::money::money_string(k),
                        "{} at {}", m.id, v
                    );
                }
                (None, None) => {}
                (k, l) => prop_assert!(false, "priced one way only: {:?} {:?}", k, l),
            }
        }
    }
}

//! The sampled inputs of every trial, and the scenario each trial is priced on.
//!
//! A three-point volume is drawn from the two-piece normal of the logarithms of its points (a
//! two-piece lognormal: positive, with the same 10%, 50% and 90% quantiles); a growth, a price
//! change or a cache hit rate from the two-piece normal of the points themselves, since a growth
//! or a change may be negative and a hit rate may sit near 1.
//!
//! A draw is floating point only until it becomes an input: it is then rounded, half to even, to
//! the decimal places its range was written with (at least 0 for a volume, so whole requests when
//! the range is written in whole requests, and at least 6 for a growth, a price change, a share
//! or a hit rate), and clamped to the field's domain (a volume at 0, a growth or a change at
//! −0.99 and 10, a share or a hit rate at 0 and 1). From there on everything is the exact kernel:
//! a drawn hit rate of 0.812345 is billed exactly as a file that says `hit_rate = 0.812345`
//! (hits = requests × prefix × hit rate tokens, which the kernel does not round to whole
//! tokens, written or drawn). A degenerate range draws its point itself, no float at all.

use super::sample::{exp, ln, normal_cdf, two_piece, Rng};
use crate::scenario::forecast::{Forecast, Target};
use crate::scenario::range::Range;
use crate::scenario::routing::{RouteShare, Routing};
use crate::scenario::{Requests, Scenario, Workload};
use rust_decimal::prelude::{FromPrimitive, ToPrimitive};
use rust_decimal::{Decimal, RoundingStrategy};

/// Every input's value in every trial, made again on demand: what is kept is where each trial's
/// part of the stream starts (32 bytes a trial), never the values themselves, which would take 24
/// bytes a trial for every ranged input.
#[derive(Debug, Clone)]
pub struct Draws<'f> {
    f: &'f Forecast,
    /// The generator at the start of each trial.
    starts: Vec<Rng>,
    /// (input, its correlated group) of each input in a group, by input: nothing for the others.
    grouped: Vec<(usize, usize)>,
    /// Each group's weights of the common score and of an input's own.
    weights: Vec<(f64, f64)>,
}

/// One trial's place in its draws, for a caller that takes a trial's inputs one at a time, in
/// input order ([`Draws::next`]): 32 bytes of generator state, the trial's common scores and the
/// next input's index.
#[derive(Debug, Clone)]
pub struct Cursor {
    rng: Rng,
    common: Vec<f64>,
    next: usize,
}

/// Draws every trial of `f`. The stream is consumed in a fixed order (per trial: each correlated
/// group's common score, then each input's own score), so a seed fixes every value.
pub fn draw(f: &Forecast) -> Draws<'_> {
    let n = f.trials as usize;
    let mut grouped = Vec::new();
    let mut weights = Vec::with_capacity(f.correlations.len());
    for (g, c) in f.correlations.iter().enumerate() {
        let rho = c.rho.to_f64().unwrap_or(0.0);
        weights.push((rho.sqrt(), (1.0 - rho).sqrt()));
        grouped.extend(c.inputs.iter().map(|&i| (i, g)));
    }
    // An input is in one group at most (`scenario::forecast`).
    grouped.sort_unstable();
    // Each score takes one number from the stream (`Rng::normal`).
    let per_trial = f.correlations.len() + f.inputs.len();
    let mut rng = Rng::new(f.seed);
    let mut starts = Vec::with_capacity(n);
    for _ in 0..n {
        starts.push(rng.clone());
        for _ in 0..per_trial {
            rng.next_u64();
        }
    }
    Draws {
        f,
        starts,
        grouped,
        weights,
    }
}

impl Draws<'_> {
    /// Trials drawn.
    pub fn trials(&self) -> usize {
        self.starts.len()
    }

    /// Where trial `t`'s draws start: before its first input, with its correlated groups'
    /// common scores drawn.
    pub fn cursor(&self, t: usize) -> Cursor {
        let mut rng = self.starts[t].clone();
        let common = self.f.correlations.iter().map(|_| rng.normal()).collect();
        Cursor {
            rng,
            common,
            next: 0,
        }
    }

    /// The value of the input `c` stands before, exactly and as a float, with its index; `c`
    /// moves on to the next input. `None` after the last.
    pub fn next(&self, c: &mut Cursor) -> Option<(usize, Decimal, f64)> {
        let i = c.next;
        let input = self.f.inputs.get(i)?;
        c.next += 1;
        let own = c.rng.normal();
        let z = match self.grouped.binary_search_by_key(&i, |&(input, _)| input) {
            Ok(k) => {
                let g = self.grouped[k].1;
                let (a, b) = self.weights[g];
                a * c.common[g] + b * own
            }
            Err(_) => own,
        };
        let v = value(&input.range, &input.target, z);
        Some((i, v, v.to_f64().unwrap_or(0.0)))
    }

    /// Moves `c` past the input it stands before without making its value: the same part of the
    /// stream [`Draws::next`] would take (one number: a score is one uniform draw, inverted).
    pub fn skip(&self, c: &mut Cursor) {
        if c.next < self.f.inputs.len() {
            c.next += 1;
            c.rng.next_u64();
        }
    }

    /// Trial `t`'s value of each input, in input order, handed to `each` exactly and as a float.
    fn each(&self, t: usize, mut each: impl FnMut(Decimal, f64)) {
        let mut c = self.cursor(t);
        while let Some((_, v, x)) = self.next(&mut c) {
            each(v, x);
        }
    }

    /// Trial `t`'s value of each input, exact, in input order.
    pub fn values(&self, t: usize) -> Vec<Decimal> {
        let mut out = Vec::with_capacity(self.f.inputs.len());
        self.each(t, |v, _| out.push(v));
        out
    }

    /// Trial `t`'s value of each input as a float, for the estimates, into `out`.
    pub fn floats_into(&self, t: usize, out: &mut Vec<f64>) {
        out.clear();
        self.each(t, |_, x| out.push(x));
    }

    /// Trial `t`'s value of each input as a float.
    pub fn floats(&self, t: usize) -> Vec<f64> {
        let mut out = Vec::with_capacity(self.f.inputs.len());
        self.floats_into(t, &mut out);
        out
    }
}

/// The input a normal score stands for.
fn value(r: &Range, target: &Target, z: f64) -> Decimal {
    if r.is_degenerate() {
        return r.point();
    }
    let f = |d: Decimal| d.to_f64().unwrap_or(0.0);
    let x = match (*r, target) {
        // A volume is positive and its uncertainty multiplicative: its two-piece normal is
        // fitted to the logarithms of the three points, so no draw is zero or negative.
        (
            Range::Quantiles { p10, p50, p90 },
            Target::Volume(_) | Target::RouteShare(..) | Target::Escalation(..),
        ) if p10 > Decimal::ZERO => exp(two_piece(ln(f(p10)), ln(f(p50)), ln(f(p90)), z)),
        (Range::Quantiles { p10, p50, p90 }, _) => two_piece(f(p10), f(p50), f(p90), z),
        (Range::Uniform { low, high }, _) => f(low) + (f(high) - f(low)) * normal_cdf(z),
    };
    let (lo, hi, dp) = match target {
        Target::Volume(_) => (0.0, f64::MAX, 0),
        Target::Growth | Target::Change(_) => (-0.99, 10.0, 6),
        // A share whose range is above 0 stays above 0 after rounding, so a route with one
        // such share always renormalises (`scenario::forecast` refuses a route without one).
        Target::RouteShare(..) | Target::Escalation(..) if r.bounds().0 > Decimal::ZERO => {
            (1e-6, 1.0, 6)
        }
        Target::RouteShare(..) | Target::Escalation(..) => (0.0, 1.0, 6),
        // A hit rate uses its points themselves: clamping at 0 and 1 moves only draws beyond
        // p10 and p90, so the three points stay its quantiles, and one near 1 is not pushed
        // above it as a lognormal would be.
        Target::HitRate(_) => (0.0, 1.0, 6),
    };
    let x = x.clamp(lo, hi);
    Decimal::from_f64(x)
        .unwrap_or(Decimal::ZERO)
        .round_dp_with_strategy(r.scale().max(dp), RoundingStrategy::MidpointNearestEven)
}

/// One trial as the kernel prices it: its settings (the scenario's, with the trial's drawn growth
/// and price changes) and its input values, from which [`Trial::workloads`] makes its workloads
/// one at a time. So a trial is priced (`cost::model_cost_over`, `routed::plan_cost_over`) without
/// a copy of the scenario's workloads.
pub struct Trial<'a> {
    s: &'a Scenario,
    f: &'a Forecast,
    values: Vec<Decimal>,
    /// The scenario's settings and prices in this trial; it holds no workload.
    pub settings: Scenario,
}

impl<'f> Draws<'f> {
    /// Trial `t` of scenario `s`.
    pub fn trial<'a>(&'a self, s: &'a Scenario, t: usize) -> Trial<'a> {
        let values = self.values(t);
        let mut settings = s.prices_only();
        set_wide(&mut settings, self.f, &values);
        Trial {
            s,
            f: self.f,
            values,
            settings,
        }
    }
}

impl Trial<'_> {
    /// Hands the trial's workloads to `each`, in order, until it returns `false`
    /// ([`each_workload`]).
    pub fn workloads(&self, each: &mut dyn FnMut(&Workload) -> bool) {
        each_workload(self.s, self.f, &self.values, each)
    }
}

/// The scenario of trial `t`: the deterministic scenario with each ranged input at its draw
/// ([`Draws::trial`], its workloads copied in).
pub fn scenario_of(s: &Scenario, f: &Forecast, d: &Draws, t: usize) -> Scenario {
    debug_assert!(std::ptr::eq(f, d.f));
    let trial = d.trial(s, t);
    let mut workloads = Vec::with_capacity(s.workloads.len());
    trial.workloads(&mut |w| {
        workloads.push(w.clone());
        true
    });
    Scenario {
        workloads,
        ..trial.settings
    }
}

/// Sets a trial's scenario-wide draws, growth and price changes, of its input `values` in `x`.
fn set_wide(x: &mut Scenario, f: &Forecast, values: &[Decimal]) {
    for (input, &v) in f.inputs.iter().zip(values) {
        match &input.target {
            Target::Growth => x.monthly_growth = v,
            Target::Change(k) => {
                x.pricing.change_per_year.insert(k.clone(), v);
            }
            _ => {}
        }
    }
}

/// Each workload of the trial whose input values are `values`, in order, handed to `each` until
/// it returns `false`: the scenario's own where nothing of it is drawn and it has no route, else a
/// copy with its draws set, its route shares renormalised to sum to 1 and its escalations capped
/// so they never increase. One copy is made at a time, so a trial's workloads are never all held.
fn each_workload(
    s: &Scenario,
    f: &Forecast,
    values: &[Decimal],
    each: &mut dyn FnMut(&Workload) -> bool,
) {
    // The inputs are in workload order (`scenario::forecast::check`).
    let mut k = 0;
    for (i, w) in s.workloads.iter().enumerate() {
        let mut copy = None;
        while let Some(input) = f.inputs.get(k) {
            match input.target.workload() {
                Some(j) if j > i => break,
                Some(j) if j == i => set(
                    copy.get_or_insert_with(|| w.clone()),
                    &input.target,
                    values[k],
                ),
                _ => {}
            }
            k += 1;
        }
        if w.routing.is_some() {
            settle(copy.get_or_insert_with(|| w.clone()));
        }
        if !each(copy.as_ref().unwrap_or(w)) {
            return;
        }
    }
}

/// Sets one drawn value of a workload: a volume in the unit it is written in (a day unless a
/// month), a route share, a cache hit rate or an escalation.
pub fn set(wl: &mut Workload, target: &Target, v: Decimal) {
    match target {
        Target::Volume(_) => {
            wl.requests = match wl.requests {
                Some(Requests::PerMonth(_)) => Some(Requests::PerMonth(v)),
                _ => Some(Requests::PerDay(v)),
            };
        }
        Target::RouteShare(_, slot) => {
            if let Some(Routing::Route(shares)) = wl.routing.as_deref_mut() {
                if let Some(r) = shares.get_mut(*slot) {
                    r.share = v;
                }
            }
        }
        Target::HitRate(_) => {
            if let Some(c) = wl.cache.as_mut() {
                c.hit_rate = v;
            }
        }
        Target::Escalation(_, step) => {
            if let Some(Routing::Cascade(c)) = wl.routing.as_deref_mut() {
                if let Some(e) = c.escalation.get_mut(*step) {
                    *e = v;
                }
            }
        }
        Target::Growth | Target::Change(_) => {}
    }
}

/// A routed workload's route renormalised, or its escalations capped.
fn settle(wl: &mut Workload) {
    match wl.routing.as_deref_mut() {
        Some(Routing::Route(shares)) => renormalise(shares),
        Some(Routing::Cascade(c)) => never_increasing(&mut c.escalation),
        None => {}
    }
}

/// Scales a route's drawn shares so they sum to exactly 1: each becomes share ÷ sum, rounded
/// half to even to 12 decimal places, and the last takes 1 − the others, so
/// the sum is 1 to the digit. Shares that already sum to 1 (undrawn, or the deterministic
/// ones) are left as they are. A sum of 0 cannot occur (`scenario::forecast` refuses a route
/// whose shares could all be 0, and a share above 0 draws at least 0.000001).
pub fn renormalise(shares: &mut [RouteShare]) {
    let sum: Decimal = shares.iter().map(|r| r.share).sum();
    if sum == Decimal::ONE || sum.is_zero() {
        return;
    }
    let mut given = Decimal::ZERO;
    let last = shares.len().saturating_sub(1);
    for r in shares[..last].iter_mut() {
        r.share = (r.share / sum).round_dp_with_strategy(12, RoundingStrategy::MidpointNearestEven);
        given += r.share;
    }
    if let Some(r) = shares.last_mut() {
        r.share = Decimal::ONE - given;
    }
}

/// Caps each drawn escalation share at the one before it, so the list never increases: no more
/// requests reach a later model than reached the one before.
pub fn never_increasing(escalation: &mut [Decimal]) {
    for i in 1..escalation.len() {
        escalation[i] = escalation[i].min(escalation[i - 1]);
    }
}

#[cfg(test)]
mod share_tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn route(shares: &[&str]) -> Vec<RouteShare> {
        shares
            .iter()
            .enumerate()
            .map(|(i, s)| RouteShare {
                model: format!("m/{i}"),
                share: d(s),
            })
            .collect()
    }

    #[test]
    fn drawn_route_shares_are_renormalised_to_sum_to_exactly_one() {
        // 0.3 + 0.9 = 1.2: 0.3 ÷ 1.2 = 0.25, and the last takes 1 − 0.25 = 0.75.
        let mut r = route(&["0.3", "0.9"]);
        renormalise(&mut r);
        assert_eq!((r[0].share, r[1].share), (d("0.25"), d("0.75")));
        // 0.2 + 0.2 + 0.2 = 0.6: 0.2 ÷ 0.6 = 0.333333333333 (12 places, half to even), twice;
        // the last takes 1 − 0.666666666666 = 0.333333333334.
        let mut r = route(&["0.2", "0.2", "0.2"]);
        renormalise(&mut r);
        let got: Vec<Decimal> = r.iter().map(|x| x.share).collect();
        assert_eq!(
            got,
            vec![
                d("0.333333333333"),
                d("0.333333333333"),
                d("0.333333333334")
            ]
        );
        assert_eq!(got.iter().sum::<Decimal>(), Decimal::ONE);
        // Shares that already sum to 1 are untouched, digit for digit.
        let mut r = route(&["0.7", "0.3"]);
        renormalise(&mut r);
        assert_eq!((r[0].share, r[1].share), (d("0.7"), d("0.3")));
    }

    #[test]
    fn a_drawn_hit_rate_keeps_its_quantiles_is_clamped_to_0_and_1_and_has_6_places() {
        use crate::scenario::forecast::Target;
        let r = Range::Quantiles {
            p10: d("0.1"),
            p50: d("0.5"),
            p90: d("0.9"),
        };
        let at = |z: f64| value(&r, &Target::HitRate(0), z);
        // The normal's 10%, 50% and 90% scores give the three points (the two-piece normal of
        // the points themselves, not of their logarithms).
        let z90 = 1.281_551_565_544_600_4;
        assert_eq!([at(-z90), at(0.0), at(z90)], [d("0.1"), d("0.5"), d("0.9")]);
        // 0.5 + 8 × 0.4 ÷ 1.2816 = 2.997…: clamped to 1; 0.5 − 2.997… clamped to 0.
        assert_eq!([at(-8.0), at(8.0)], [Decimal::ZERO, Decimal::ONE]);
        // 0.5 + 0.3 × 0.4 ÷ 1.28155 = 0.593636…: rounded half to even to 6 places.
        assert_eq!(at(0.3), d("0.593636"));
    }

    #[test]
    fn drawn_escalation_never_increases() {
        // 0.3 then a drawn 0.4: capped at 0.3; a drawn 0.1 after it stays.
        let mut e = vec![d("0.3"), d("0.4"), d("0.1")];
        never_increasing(&mut e);
        assert_eq!(e, vec![d("0.3"), d("0.3"), d("0.1")]);
    }
}

#[cfg(test)]
mod cursor_tests {
    use super::*;
    use crate::forecast::linear::tests::scenario;

    #[test]
    fn a_skipped_input_leaves_the_values_after_it_as_they_are() {
        // Three ranged inputs, two of them correlated, so the common score is drawn first.
        let s = scenario(
            "monthly_growth = { p10 = 0.01, p50 = 0.03, p90 = 0.08 }\n\
             [[workload]]\nname = \"a\"\nrequests_per_day = { p10 = 100, p50 = 200, p90 = 900 }\ninput_tokens = 500\noutput_tokens = 50\n\
             [[workload]]\nname = \"b\"\nrequests_per_month = { low = 1000, high = 9000 }\ninput_tokens = 500\noutput_tokens = 50\n\
             [forecast]\ntrials = 20\nseed = 3\n\
             correlate = [{ inputs = [\"monthly_growth\", \"workload.b.requests_per_month\"], rho = 0.7 }]\n",
        );
        let f = s.forecast.clone().unwrap();
        let d = draw(&f);
        for t in 0..20 {
            let values = d.values(t);
            assert_eq!(values.len(), 3);
            for skipped in 0..3 {
                let mut c = d.cursor(t);
                for _ in 0..skipped {
                    d.skip(&mut c);
                }
                for (i, expected) in values.iter().enumerate().skip(skipped) {
                    let (at, v, x) = d.next(&mut c).unwrap();
                    assert_eq!((at, v), (i, *expected), "trial {t}, {skipped} skipped");
                    assert_eq!(x, expected.to_f64().unwrap());
                }
                assert!(d.next(&mut c).is_none());
                // Past the last input, a skip takes nothing.
                d.skip(&mut c);
                assert!(d.next(&mut c).is_none());
            }
        }
    }
}

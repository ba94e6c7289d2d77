//! `llmplan sweep --plot`: the monthly cost of the leading candidates along the first axis, with
//! the sweep's crossovers marked, as a [`chart::sweep::Sweep`].
//!
//! The rows have streamed away by the time the chart is drawn, and a grid can have billions of
//! points, so the chart does not keep rows. It is drawn along the first axis with the other axes at
//! their first value (the line the crossovers are found on) from at most [`MAX_SAMPLES`] evenly
//! spaced values of that axis, plus the values at each crossover, so every mark sits exactly on its
//! line. Each of those points is ranked in full, which gives every candidate's cost there, not only
//! the winner's. The leading candidates are those that win or come second at a plotted value or
//! take part in a crossover, at most [`MAX_SERIES`] of them, winners first.

use super::crossover::label_number;
use super::engine::{Engine, Who};
use super::values::Spec;
use super::Summary;
use crate::chart::sweep::{Crossover, Series, Sweep};
use crate::error::Result;
use crate::money::format_money;
use crate::rank::{rank_with, Bills};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// The most values of the first axis ranked for the chart, besides the crossovers.
pub const MAX_SAMPLES: u64 = 200;

/// The most lines drawn: one colour each.
pub const MAX_SERIES: usize = crate::chart::PALETTE.len();

/// One plotted value: every qualifying candidate's monthly cost, and the first two.
struct Point {
    costs: BTreeMap<Who, Decimal>,
    top: Vec<Who>,
}

/// Builds the chart of a finished sweep.
pub fn chart(e: &Engine, summary: &Summary) -> Result<Sweep> {
    let axis = &e.axes[0];
    let n = axis.len();
    let crossings: Vec<&super::Crossover> =
        summary.crossovers.iter().filter(|c| c.axis == 0).collect();
    let mut xs: Vec<Decimal> = samples(n).into_iter().map(|i| axis.get(i)).collect();
    let whole = e.setters[0].whole();
    for c in &crossings {
        xs.extend(around(c, whole));
    }
    xs.sort();
    xs.dedup();
    let mut w = e.worker();
    for (a, v) in e.axes.iter().enumerate() {
        e.set(&mut w, a, v.get(0));
    }
    let mut points = Vec::with_capacity(xs.len());
    let mut mix_label = None;
    for x in &xs {
        e.set(&mut w, 0, *x);
        // Totals only: the chart plots each row's monthly cost.
        let r = rank_with(&w.scn, e.cat, Bills::Totals)?;
        let mut costs = BTreeMap::new();
        for row in &r.ranked {
            let who = e.who(row);
            if !row.answered_by.is_empty() {
                mix_label = Some((who.clone(), row.model.clone()));
            }
            // Several rows can share a name (one self-hosted model on several GPUs): the best
            // ranked stands for them, as in the rows.
            costs.entry(who).or_insert(row.monthly_cost);
        }
        let top = r.ranked.iter().take(2).map(|row| e.who(row)).collect();
        points.push(Point { costs, top });
    }
    let (leading, dropped) = leading(&points, &crossings);
    let name = |who: &Who| match &mix_label {
        // A mix is named after its whole plan, far wider than the chart's margin.
        Some((m, _)) if m == who => super::engine::MIX.to_string(),
        _ => e.name(who).to_string(),
    };
    let series: Vec<Series> = leading
        .iter()
        .map(|who| Series {
            label: name(who),
            costs: points.iter().map(|p| p.costs.get(who).copied()).collect(),
        })
        .collect();
    let at = |x: Decimal| xs.binary_search(&x).ok().map(|i| &points[i]);
    let ascending = crossings.iter().all(|c| c.hi >= c.lo);
    let marks = crossings
        .iter()
        .filter_map(|c| {
            // On the new winner's line where it takes over; when nothing qualifies after, at the
            // end of the old winner's line.
            let on = |x: Decimal, who: &Option<Who>| {
                let who = who.as_ref()?;
                Some((x, *at(x)?.costs.get(who)?))
            };
            let (x, cost) = on(c.at, &c.to)
                .or_else(|| around(c, whole).into_iter().find_map(|x| on(x, &c.from)))?;
            let side = if ascending { "above" } else { "below" };
            let what =
                c.to.as_ref()
                    .map_or("no model qualifies".into(), |w| format!("{} wins", name(w)));
            Some(Crossover {
                at: x,
                cost,
                from: c.from.as_ref().map_or(String::new(), name),
                to: c.to.as_ref().map_or(String::new(), name),
                label: format!("{what} {side} {}", label_number(c.at)),
            })
        })
        .collect();
    Ok(Sweep {
        title: format!("{}: monthly cost of the leading models", e.base.name),
        subtitle: subtitle(e),
        axis: e.setters[0].path.clone(),
        series,
        crossovers: marks,
        currency: e.base.currency,
        log_x: matches!(axis.spec, Spec::Log { .. }),
        budget: budget(e),
        notes: notes(e, n, dropped, mix_label.as_ref()),
        xs,
    })
}

/// The values ranked around a crossover: the boundary, the values just either side of it (so both
/// lines run up to their mark), and the last grid value before it. The old winner qualifies at
/// one of them, so a mark can always sit on a line.
fn around(c: &super::Crossover, whole: bool) -> Vec<Decimal> {
    let step = if whole {
        Decimal::ONE
    } else {
        sixth_digit(c.at)
    };
    let (lo, hi) = (c.lo.min(c.hi), c.lo.max(c.hi));
    let mut out = vec![c.at];
    out.extend(
        [c.at - step, c.at + step]
            .into_iter()
            .filter(|x| lo <= *x && *x <= hi),
    );
    out.push(c.lo);
    out
}

/// One unit in the sixth significant digit of `d`, the precision crossovers are given to.
fn sixth_digit(d: Decimal) -> Decimal {
    let digits = d
        .abs()
        .normalize()
        .trunc()
        .to_string()
        .trim_start_matches('0')
        .len() as i64;
    let exp = if d.abs() >= Decimal::ONE {
        digits - 6
    } else {
        // 0.000123…: the first significant digit is at 10^-(leading zeros + 1).
        let frac = d.abs().normalize().to_string();
        let zeros = frac
            .trim_start_matches("0.")
            .chars()
            .take_while(|c| *c == '0')
            .count() as i64;
        -(zeros + 1) - 5
    };
    if exp >= 0 {
        Decimal::from(10u64.pow(exp as u32))
    } else {
        Decimal::new(1, (-exp).min(28) as u32)
    }
}

/// Evenly spaced indices of an axis of `n` values, both ends included.
fn samples(n: u64) -> Vec<u64> {
    if n <= MAX_SAMPLES {
        return (0..n).collect();
    }
    let mut out: Vec<u64> = (0..MAX_SAMPLES)
        .map(|i| (u128::from(i) * u128::from(n - 1) / u128::from(MAX_SAMPLES - 1)) as u64)
        .collect();
    out.dedup();
    out
}

/// Winners first (in the order they appear along the axis), then the crossovers' candidates,
/// then the runners-up; at most [`MAX_SERIES`], with the number left out.
fn leading(points: &[Point], crossings: &[&super::Crossover]) -> (Vec<Who>, usize) {
    let mut out: Vec<Who> = Vec::new();
    let mut add = |w: &Who| {
        if !out.contains(w) {
            out.push(w.clone());
        }
    };
    points
        .iter()
        .filter_map(|p| p.top.first())
        .for_each(&mut add);
    crossings
        .iter()
        .flat_map(|c| [&c.from, &c.to])
        .flatten()
        .for_each(&mut add);
    points
        .iter()
        .filter_map(|p| p.top.get(1))
        .for_each(&mut add);
    let dropped = out.len().saturating_sub(MAX_SERIES);
    out.truncate(MAX_SERIES);
    (out, dropped)
}

/// What the diamonds are, and the values of the axes not drawn.
fn subtitle(e: &Engine) -> String {
    let mut text = format!(
        "◆ where the winner changes, ranked by {}",
        e.base.objective.as_str()
    );
    let others: Vec<String> = e
        .setters
        .iter()
        .zip(&e.axes)
        .skip(1)
        .map(|(s, v)| format!("{} = {}", s.path, v.label(0)))
        .collect();
    if !others.is_empty() {
        text.push_str(&format!(
            "; other axes at their first value: {}",
            others.join(", ")
        ));
    }
    text
}

/// The budget line, unless the budget itself is what the chart sweeps.
fn budget(e: &Engine) -> Option<Decimal> {
    if e.setters[0].target == super::path::Target::Global(super::field::GlobalField::MaxMonthlyCost)
    {
        return None;
    }
    let mut w = e.worker();
    for (a, v) in e.axes.iter().enumerate() {
        e.set(&mut w, a, v.get(0));
    }
    w.scn.requirements.max_monthly_cost
}

/// The longest note, in characters, that fits across the chart.
const NOTE_CHARS: usize = 130;

fn notes(e: &Engine, n: u64, dropped: usize, mix: Option<&(Who, String)>) -> Vec<String> {
    let mut first = format!(
        "Lines: each model's monthly cost where it qualifies, ranked in full at {} of the {} values along the axis and at each crossover.",
        samples(n).len(),
        crate::money::grouped_int(Decimal::from(n))
    );
    if dropped > 0 {
        first.push_str(&format!(" {dropped} more leading models not drawn."));
    }
    let mut out = vec![first];
    if let Some(b) = budget(e) {
        out.push(format!(
            "Dashed: max_monthly_cost {}; a model above it does not qualify.",
            format_money(b, e.base.currency)
        ));
    }
    // When the routes are swept the mix's plan changes along the axis; otherwise spell it out.
    if let (Some((_, label)), false) = (mix, e.setters.iter().any(|s| s.routing())) {
        let mut text = format!("mix = {label}");
        if text.chars().count() > NOTE_CHARS {
            text = text.chars().take(NOTE_CHARS - 1).collect::<String>() + "…";
        }
        out.push(text);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samples_are_even_and_keep_both_ends() {
        assert_eq!(samples(3), vec![0, 1, 2]);
        let s = samples(1_000_001);
        assert_eq!(s.len(), MAX_SAMPLES as usize);
        assert_eq!((s[0], s[199]), (0, 1_000_000));
        // 1,000,000 × 1 ÷ 199 = 5,025.1…, so the second sample is index 5,025.
        assert_eq!(s[1], 5_025);
    }

    #[test]
    fn the_sixth_significant_digit() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(sixth_digit(d("0.327586")), d("0.000001"));
        assert_eq!(sixth_digit(d("1111.11")), d("0.01"));
        assert_eq!(sixth_digit(d("66666.7")), d("0.1"));
        assert_eq!(sixth_digit(d("0.00123456")), d("0.00000001"));
        assert_eq!(sixth_digit(d("12345678")), d("100"));
    }
}

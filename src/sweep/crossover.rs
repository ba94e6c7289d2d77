//! Crossovers: where along an axis the winner changes, refined between grid points by bisection.
//!
//! Each axis is read along one line of the grid: the other axes at their first value. The grid
//! pass reports every change of winner on those lines ([`LineEvent`]); each change is then narrowed
//! between its two grid values by bisection, to a whole number for a whole field and to six
//! significant digits otherwise.

use super::engine::{Engine, Row, Who};
use crate::error::Result;
use rust_decimal::Decimal;

/// The most crossovers reported per axis; a wildly oscillating winner is summarised.
pub const MAX_PER_AXIS: usize = 64;

/// A point on one axis's line, as the grid pass saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineEvent {
    /// The axis.
    pub axis: usize,
    /// Index of the value along the axis.
    pub index: u64,
    /// The winner there.
    pub winner: Option<Who>,
}

/// A change of winner along an axis.
#[derive(Debug, Clone, PartialEq)]
pub struct Crossover {
    /// The axis.
    pub axis: usize,
    /// Winner before (index into the catalogue), or none.
    pub from: Option<Who>,
    /// Winner after, or none.
    pub to: Option<Who>,
    /// The last grid value `from` wins at.
    pub lo: Decimal,
    /// The first grid value `to` wins at.
    pub hi: Decimal,
    /// The refined boundary: the first value (whole field) or the boundary to six significant
    /// digits (other fields) at which `from` no longer wins.
    pub at: Decimal,
}

/// A raw change on an axis line: (axis, index before, index after, winner before, winner after).
pub type Change = (usize, u64, u64, Option<Who>, Option<Who>);

/// Folds line events, in grid order, into raw changes per axis.
#[derive(Debug, Default)]
pub struct Tracker {
    last: Vec<Option<(u64, Option<Who>)>>,
    /// First winner on each axis's line.
    pub first: Vec<Option<Option<Who>>>,
    /// Changes found: (axis, index before, index after, from, to).
    pub changes: Vec<Change>,
    /// Changes dropped because an axis had too many.
    pub dropped: Vec<usize>,
}

impl Tracker {
    /// A tracker for `axes` axes.
    pub fn new(axes: usize) -> Tracker {
        Tracker {
            last: vec![None; axes],
            first: vec![None; axes],
            changes: Vec::new(),
            dropped: vec![0; axes],
        }
    }

    /// Takes the next event of a line.
    pub fn push(&mut self, e: LineEvent) {
        if self.first[e.axis].is_none() {
            self.first[e.axis] = Some(e.winner.clone());
        }
        if let Some((_, w)) = self.last[e.axis].take() {
            if w != e.winner {
                // Points on a line come one index apart, and a chunk reports only its first point
                // and its changes, so the point before a change is always the one just before it.
                if self.changes.iter().filter(|c| c.0 == e.axis).count() < MAX_PER_AXIS {
                    self.changes.push((
                        e.axis,
                        e.index.saturating_sub(1),
                        e.index,
                        w,
                        e.winner.clone(),
                    ));
                } else {
                    self.dropped[e.axis] += 1;
                }
            }
        }
        self.last[e.axis] = Some((e.index, e.winner));
    }
}

/// Narrows every change by bisection.
///
/// Between two grid values with different winners the winner may change more than once: a floor
/// of 100 on MMLU, tried against 0, passes through every model's own score on the way. Each
/// change is narrowed in turn, from the lower grid value, until the winner is the one the grid
/// shows at the upper value; so the last change stated for a bracket always leads to the winner
/// the grid shows, and never past it.
pub fn refine(engine: &Engine, t: &Tracker) -> Result<Vec<Crossover>> {
    let mut out: Vec<Crossover> = Vec::new();
    for (axis, i, j, from, grid_to) in &t.changes {
        let (axis, i, j) = (*axis, *i, *j);
        let values = &engine.axes[axis];
        let (lo_grid, hi_grid) = (values.get(i), values.get(j));
        let mut w = engine.worker();
        for (a, v) in engine.axes.iter().enumerate() {
            engine.set(&mut w, a, v.get(0));
        }
        let mut winner_at = |x: Decimal| -> Result<Option<Who>> {
            engine.set(&mut w, axis, x);
            Ok(engine.eval(&mut w)?.winner.map(|p| p.who))
        };
        let whole = engine.setters[axis].whole();
        let mut from = from.clone();
        let mut lo = lo_grid;
        loop {
            let (at, past, to) = bisect(&mut winner_at, &from, lo, hi_grid, whole)?;
            out.push(Crossover {
                axis,
                from: from.clone(),
                to: to.clone(),
                lo: lo_grid,
                hi: hi_grid,
                at,
            });
            let links = out.iter().filter(|c| c.axis == axis).count();
            if &to == grid_to || past == hi_grid || links >= MAX_PER_AXIS {
                break;
            }
            from = to;
            lo = past;
        }
    }
    Ok(out)
}

/// Narrows where `from`, the winner at `lo`, stops winning on the way to `hi`, where it does not
/// win. Returns the boundary (see [`Crossover::at`]), the closest value past it that was
/// evaluated, and the winner there.
fn bisect(
    winner_at: &mut impl FnMut(Decimal) -> Result<Option<Who>>,
    from: &Option<Who>,
    lo: Decimal,
    hi: Decimal,
    whole: bool,
) -> Result<(Decimal, Decimal, Option<Who>)> {
    let (mut lo, mut hi) = (lo, hi);
    let mut to = winner_at(hi)?;
    for _ in 0..200 {
        let mid = if whole {
            ((lo + hi) / Decimal::TWO).floor()
        } else {
            (lo + hi) / Decimal::TWO
        };
        let done = if whole {
            (hi - lo).abs() <= Decimal::ONE
        } else {
            (hi - lo).abs() <= hi.abs().max(lo.abs()) * Decimal::new(1, 9)
        };
        if done || mid == lo || mid == hi {
            break;
        }
        let m = winner_at(mid)?;
        if &m == from {
            lo = mid;
        } else {
            hi = mid;
            to = m;
        }
    }
    let at = if whole {
        hi
    } else {
        hi.round_sf(6).unwrap_or(hi).normalize()
    };
    Ok((at, hi, to))
}

/// One sentence per axis: who wins where.
pub fn summary(engine: &Engine, t: &Tracker, xs: &[Crossover]) -> Vec<String> {
    let name = |w: Option<&Who>| {
        w.map_or("no model qualifies".to_string(), |i| {
            engine.name(i).to_string()
        })
    };
    let wins = |w: Option<&Who>| {
        w.map_or("no model qualifies".to_string(), |i| {
            format!("{} wins", engine.name(i))
        })
    };
    let mut out = Vec::new();
    for (a, setter) in engine.setters.iter().enumerate() {
        let lead = if engine.axes.len() > 1 {
            format!("Along {} (other axes at their first value)", setter.path)
        } else {
            format!("Along {}", setter.path)
        };
        let mine: Vec<&Crossover> = xs.iter().filter(|c| c.axis == a).collect();
        let first = t.first[a].as_ref().and_then(Option::as_ref);
        if mine.is_empty() {
            let v = &engine.axes[a];
            out.push(format!(
                "{lead}: {} at every value from {} to {}.",
                name(first),
                v.label(0),
                v.label(v.len() - 1)
            ));
            continue;
        }
        let ascending = mine.iter().all(|c| c.hi >= c.lo);
        let mut text = format!("{lead}: {}", wins(mine[0].from.as_ref()));
        for c in &mine {
            let at = label_number(c.at);
            if ascending {
                text.push_str(&format!(" below {at}; above it, {}", wins(c.to.as_ref())));
            } else {
                text.push_str(&format!(" above {at}; below it, {}", wins(c.to.as_ref())));
            }
        }
        text.push('.');
        // Brackets of the grid in which bisection found more than one change.
        let mut crowded: Vec<(Decimal, Decimal, usize)> = Vec::new();
        for c in &mine {
            match crowded.last_mut() {
                Some((lo, hi, n)) if *lo == c.lo && *hi == c.hi => *n += 1,
                _ => crowded.push((c.lo, c.hi, 1)),
            }
        }
        for (lo, hi, n) in crowded.into_iter().filter(|(_, _, n)| *n > 1) {
            text.push_str(&format!(
                " Between the grid values {} and {} the winner changes {n} times, each change narrowed by bisection; a finer grid may show more.",
                label_number(lo),
                label_number(hi)
            ));
        }
        if t.dropped[a] > 0 {
            text.push_str(&format!(" ({} more changes not listed.)", t.dropped[a]));
        }
        out.push(text);
    }
    out
}

/// A number for people: thousands separators, decimals as they are.
pub fn label_number(d: Decimal) -> String {
    let s = d.normalize().to_string();
    let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
    let (sign, digits) = int.strip_prefix('-').map_or(("", int), |d| ("-", d));
    let mut grouped = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    if frac.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{frac}")
    }
}

/// Collects, within one chunk of the grid, the first point of each axis line and every change.
/// A point lies on axis `a`'s line when every other coordinate is 0.
#[derive(Debug, Default)]
pub struct ChunkEvents {
    last: Vec<Option<Option<Who>>>,
    /// The events, in grid order.
    pub events: Vec<LineEvent>,
}

impl ChunkEvents {
    /// Events for a grid of `axes` axes.
    pub fn new(axes: usize) -> ChunkEvents {
        ChunkEvents {
            last: vec![None; axes],
            events: Vec::new(),
        }
    }

    /// Looks at one row.
    pub fn see(&mut self, coords: &[u64], row: &Row) {
        let nonzero = coords.iter().filter(|c| **c != 0).count();
        if nonzero > 1 {
            return;
        }
        let winner = row.winner.as_ref().map(|p| p.who.clone());
        for (a, &c) in coords.iter().enumerate() {
            if (nonzero == 0 || c != 0) && self.last[a].as_ref() != Some(&winner) {
                self.last[a] = Some(winner.clone());
                self.events.push(LineEvent {
                    axis: a,
                    index: c,
                    winner: winner.clone(),
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tracker_finds_changes_in_order() {
        let mut t = Tracker::new(1);
        // As a chunk reports them: the first point, then the changes at indices 2 and 3.
        let m = |i| Some(Who::Model(i));
        for (i, w) in [(0, m(1)), (2, m(2)), (3, None)] {
            t.push(LineEvent {
                axis: 0,
                index: i,
                winner: w,
            });
        }
        assert_eq!(
            t.changes,
            vec![(0, 1, 2, m(1), m(2)), (0, 2, 3, m(2), None)]
        );
        assert_eq!(label_number(Decimal::new(111111, 2)), "1,111.11");
    }
}

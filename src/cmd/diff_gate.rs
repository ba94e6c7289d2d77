//! The spend gate of `llmplan diff`: what the chosen model costs before and after a change, the
//! winner switch included, and the thresholds a CI job fails on.
//!
//! The chosen model is each scenario's winner. Spend before is BASE's winner's monthly cost under
//! BASE; spend after is NEW's winner's monthly cost under NEW. When a change moves the choice
//! (excluding a model, raising a floor), the gate sees the whole jump from the old winner to the
//! new one, not the new winner compared with itself.
//!
//! Three thresholds, each optional, any of which crossed makes the run exit 1:
//! - `--fail-above AMOUNT`: monthly change > AMOUNT;
//! - `--fail-above-percent P`: monthly change > P % of spend before (any increase from zero
//!   crosses it);
//! - `--fail-if-monthly-above AMOUNT`: spend after > AMOUNT.
//!
//! A NEW scenario in which no model qualifies fails every gate that is set: its spend cannot be
//! judged. A BASE in which none qualifies counts as spend 0 before.

use crate::catalogue::Catalogue;
use crate::cost::WorkloadCost;
use crate::error::{Error, Result};
use crate::money::{format_money, Currency};
use crate::num::parse_decimal;
use crate::rank::{bills_again, model_bills_again, Deployment, Ranked, Ranking};
use crate::render::{Cell, Doc, LazyRows, Section};
use crate::report::diff::{DiffGate, DiffGateCheck};
use crate::report::value::{Exact, Money};
use crate::scenario::Scenario;
use rust_decimal::Decimal;
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

/// The thresholds given on the command line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Limits {
    /// `--fail-above`: the largest monthly increase allowed.
    pub above: Option<Decimal>,
    /// `--fail-above-percent`: the largest monthly increase allowed, in percent of spend before.
    pub above_percent: Option<Decimal>,
    /// `--fail-if-monthly-above`: the largest monthly spend allowed after the change.
    pub monthly_above: Option<Decimal>,
}

impl Limits {
    /// Reads the three flags; each must be a plain decimal of 0 or more.
    pub fn parse(
        above: Option<&str>,
        above_percent: Option<&str>,
        monthly_above: Option<&str>,
    ) -> Result<Limits> {
        let read = |flag: &str, what: &str, v: Option<&str>| -> Result<Option<Decimal>> {
            let Some(t) = v else { return Ok(None) };
            let d = parse_decimal(t).map_err(|e| Error::Usage(format!("{flag}: {e}")))?;
            if d.is_sign_negative() && !d.is_zero() {
                return Err(Error::Usage(format!(
                    "{flag} must be 0 or more, found {d}; it is {what}"
                )));
            }
            Ok(Some(d))
        };
        Ok(Limits {
            above: read(
                "--fail-above",
                "the largest monthly increase allowed",
                above,
            )?,
            above_percent: read(
                "--fail-above-percent",
                "the largest monthly increase allowed, in percent",
                above_percent,
            )?,
            monthly_above: read(
                "--fail-if-monthly-above",
                "the largest monthly spend allowed",
                monthly_above,
            )?,
        })
    }

    /// Whether any threshold was given.
    pub fn any(&self) -> bool {
        self.above.is_some() || self.above_percent.is_some() || self.monthly_above.is_some()
    }
}

/// Chosen-model spend before and after.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spend {
    /// BASE's winner, if any model qualifies under BASE.
    pub chosen_before: Option<String>,
    /// NEW's winner, if any model qualifies under NEW.
    pub chosen_after: Option<String>,
    /// BASE's winner's monthly cost under BASE (0 when none qualifies).
    pub monthly_before: Decimal,
    /// NEW's winner's monthly cost under NEW (0 when none qualifies).
    pub monthly_after: Decimal,
    /// After − before.
    pub monthly_change: Decimal,
    /// The change in percent of spend before, to 2 decimals; `None` when spend before is 0.
    pub monthly_change_percent: Option<Decimal>,
    /// NEW's winner's horizon cost under NEW − BASE's winner's under BASE.
    pub horizon_change: Decimal,
}

impl Spend {
    /// The chosen models' spend from two rankings.
    pub fn of(base: &Ranking, new: &Ranking) -> Result<Spend> {
        let pick = |r: &Ranking| {
            r.ranked
                .first()
                .map_or((None, Decimal::ZERO, Decimal::ZERO), |w| {
                    (Some(w.model.clone()), w.monthly_cost, w.horizon_cost)
                })
        };
        let (chosen_before, monthly_before, horizon_before) = pick(base);
        let (chosen_after, monthly_after, horizon_after) = pick(new);
        let overflow = |what: &str| Error::Overflow(format!("chosen-model {what}").into());
        let monthly_change = monthly_after
            .checked_sub(monthly_before)
            .ok_or_else(|| overflow("monthly change"))?;
        let horizon_change = horizon_after
            .checked_sub(horizon_before)
            .ok_or_else(|| overflow("horizon change"))?;
        let monthly_change_percent = if monthly_before.is_zero() {
            None
        } else {
            Some(
                monthly_change
                    .checked_mul(Decimal::ONE_HUNDRED)
                    .and_then(|x| x.checked_div(monthly_before))
                    .ok_or_else(|| overflow("monthly change in percent"))?
                    .round_dp(2),
            )
        };
        Ok(Spend {
            chosen_before,
            chosen_after,
            monthly_before,
            monthly_after,
            monthly_change,
            monthly_change_percent,
            horizon_change,
        })
    }

    /// Whether the chosen model changed.
    pub fn switched(&self) -> bool {
        self.chosen_before != self.chosen_after
    }
}

/// One threshold and how the change measured against it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    /// The flag, such as `--fail-above`.
    pub flag: &'static str,
    /// Its value.
    pub limit: Decimal,
    /// Whether it was crossed.
    pub crossed: bool,
    /// One sentence for people: what was measured against what.
    pub text: String,
}

/// Measures the spend against every threshold given.
pub fn checks(spend: &Spend, limits: &Limits, cur: Currency) -> Vec<Check> {
    let m = |v: Decimal| format_money(v, cur);
    let none = spend.chosen_after.is_none();
    let mut out = Vec::new();
    if let Some(l) = limits.above {
        let crossed = none || spend.monthly_change > l;
        out.push(Check {
            flag: "--fail-above",
            limit: l,
            crossed,
            text: if none {
                "NEW has no qualifying model, so the increase cannot be judged".into()
            } else {
                format!(
                    "chosen-model spend changes by {} a month ({}), {} the limit of {}",
                    signed_money(spend.monthly_change, cur),
                    movement(spend, cur),
                    if crossed { "above" } else { "within" },
                    m(l)
                )
            },
        });
    }
    if let Some(p) = limits.above_percent {
        let crossed = none
            || match spend.monthly_change_percent {
                Some(pc) => pc > p,
                None => spend.monthly_change > Decimal::ZERO,
            };
        out.push(Check {
            flag: "--fail-above-percent",
            limit: p,
            crossed,
            text: if none {
                "NEW has no qualifying model, so the increase cannot be judged".into()
            } else {
                match spend.monthly_change_percent {
                    Some(pc) => format!(
                        "chosen-model spend changes by {}%, {} the limit of {}%",
                        signed(pc),
                        if crossed { "above" } else { "within" },
                        p.normalize()
                    ),
                    None => format!(
                        "chosen-model spend rises from nothing to {}, {} the limit of {}%",
                        m(spend.monthly_after),
                        if crossed { "above" } else { "within" },
                        p.normalize()
                    ),
                }
            },
        });
    }
    if let Some(l) = limits.monthly_above {
        let crossed = none || spend.monthly_after > l;
        out.push(Check {
            flag: "--fail-if-monthly-above",
            limit: l,
            crossed,
            text: if none {
                "NEW has no qualifying model, so its spend cannot be judged".into()
            } else {
                format!(
                    "chosen-model spend after the change is {} a month, {} the ceiling of {}",
                    m(spend.monthly_after),
                    if crossed { "above" } else { "within" },
                    m(l)
                )
            },
        });
    }
    out
}

/// The fields `diff --format json` has for the gate.
pub fn fields(spend: &Spend, limits: &Limits, checks: &[Check]) -> DiffGate {
    DiffGate {
        chosen_before: spend.chosen_before.clone(),
        chosen_after: spend.chosen_after.clone(),
        monthly_before: Money::of(spend.monthly_before),
        monthly_after: Money::of(spend.monthly_after),
        monthly_change: Money::of(spend.monthly_change),
        monthly_change_percent: spend.monthly_change_percent.map(Exact::of),
        horizon_change: Money::of(spend.horizon_change),
        fail_above: limits.above.map(Money::of),
        fail_above_percent: limits.above_percent.map(Exact::of),
        fail_if_monthly_above: limits.monthly_above.map(Money::of),
        failed: checks.iter().any(|c| c.crossed),
        gates: checks
            .iter()
            .map(|c| DiffGateCheck {
                flag: c.flag,
                limit: Exact::of(c.limit),
                crossed: c.crossed,
                message: c.text.clone(),
            })
            .collect(),
    }
}

/// One sentence on the chosen-model spend, for the notes and the comment.
pub fn summary(spend: &Spend, cur: Currency) -> String {
    let m = |v: Decimal| format_money(v, cur);
    let name = |w: &Option<String>| w.clone().unwrap_or_else(|| "no qualifying model".into());
    let pct = spend
        .monthly_change_percent
        .map_or(String::new(), |p| format!(" ({}%)", signed(p)));
    if spend.switched() {
        format!(
            "Chosen-model spend: {} at {} → {} at {} a month, a change of {}{pct}; over the horizon {}.",
            name(&spend.chosen_before),
            m(spend.monthly_before),
            name(&spend.chosen_after),
            m(spend.monthly_after),
            signed_money(spend.monthly_change, cur),
            signed_money(spend.horizon_change, cur)
        )
    } else {
        format!(
            "Chosen-model spend: {} {} → {} a month, a change of {}{pct}; over the horizon {}.",
            name(&spend.chosen_after),
            m(spend.monthly_before),
            m(spend.monthly_after),
            signed_money(spend.monthly_change, cur),
            signed_money(spend.horizon_change, cur)
        )
    }
}

/// An amount under BASE and under NEW, either missing.
pub type Pair = [Option<Decimal>; 2];

/// Whose bill a side of a per-workload table shows.
#[derive(Debug, Clone)]
pub enum Bill {
    /// None: that side has no model.
    Nothing,
    /// The API bill of a model known to price the scenario, made again by the kernel as the
    /// table is written.
    Api(String),
    /// A ranked row's bill (a self-hosted fleet's, a mix's), made again as the table is written
    /// ([`bills_again`]).
    Row(Rc<Ranked>),
}

impl Bill {
    /// The bill of a ranked row, made again as the table is written.
    pub fn of(row: Option<&Ranked>) -> Bill {
        match row {
            None => Bill::Nothing,
            Some(r) if r.answered_by.is_empty() && matches!(r.deployment, Deployment::Api) => {
                Bill::Api(r.model.clone())
            }
            Some(r) => Bill::Row(Rc::new(r.clone())),
        }
    }
}

/// The two scenarios a diff compares, and the catalogue that prices them: what its per-workload
/// tables price again as they are written.
pub struct Sides {
    /// BASE.
    pub base: Scenario,
    /// NEW.
    pub new: Scenario,
    /// The catalogue.
    pub cat: Catalogue,
}

impl Sides {
    /// Hands `each` every workload's monthly cost on `on_base` under BASE and on `on_new` under
    /// NEW, paired by name: NEW's workloads in order, then those only BASE has. A side without a
    /// model, or whose model the scenario cannot price, has no cost for any workload. The bills
    /// are made by the kernel now, and only BASE's costs are held, by name, while NEW's are
    /// handed over.
    pub fn each_workload(
        &self,
        on_base: &Bill,
        on_new: &Bill,
        each: &mut dyn FnMut(&str, Pair),
    ) -> Result<()> {
        let mut before: HashMap<String, Decimal> = HashMap::new();
        self.bills(&self.base, on_base, &mut |w| {
            before.insert(w.name, w.cost);
        })?;
        let priced = self.bills(&self.new, on_new, &mut |w| {
            each(&w.name, [before.get(&w.name).copied(), Some(w.cost)]);
        })?;
        let named: HashSet<&str> = match priced {
            true => self.new.workloads.iter().map(|w| w.name.as_str()).collect(),
            false => HashSet::new(),
        };
        for w in &self.base.workloads {
            if let (false, Some(cost)) = (named.contains(w.name.as_str()), before.get(&w.name)) {
                each(&w.name, [Some(*cost), None]);
            }
        }
        Ok(())
    }

    /// Hands `each` the bill for each of `s`'s workloads, as made, and says whether there were
    /// any: none for no bill or an uncatalogued model. A [`Bill::Api`] names a model known to
    /// price `s` (a ranked row's, or one the diff priced), so no bill is handed over from a model
    /// that then fails; should it fail all the same, that is an error, not a part of a table.
    fn bills(&self, s: &Scenario, bill: &Bill, each: &mut dyn FnMut(WorkloadCost)) -> Result<bool> {
        let mut any = false;
        let mut counted = |w| {
            any = true;
            each(w)
        };
        match bill {
            Bill::Nothing => return Ok(false),
            Bill::Row(row) => bills_again(s, &self.cat, row, &mut counted)?,
            Bill::Api(id) => match self.cat.model(id) {
                Some(m) => model_bills_again(s, &self.cat, m, &mut counted)?,
                None => return Ok(false),
            },
        }
        Ok(any)
    }
}

/// The chosen model's bill per workload: BASE's winner under BASE against NEW's winner under NEW.
/// Its rows are made as the report is written ([`Sides::each_workload`]).
pub fn workload_section(
    base: &Ranking,
    new: &Ranking,
    sides: &Rc<Sides>,
    cur: Currency,
) -> Section {
    let (b, n) = (base.ranked.first(), new.ranked.first());
    let title = match (b, n) {
        (Some(b), Some(n)) if b.model != n.model => format!(
            "Chosen-model spend per workload: {} (BASE) → {} (NEW)",
            b.model, n.model
        ),
        (_, Some(n)) => format!("Chosen-model spend per workload: {}", n.model),
        (Some(b), None) => format!("Chosen-model spend per workload: {} (BASE)", b.model),
        (None, None) => "Chosen-model spend per workload".to_string(),
    };
    let mut s = Section::new(
        Some(title),
        &["workload", ">monthly before", ">monthly after", ">change"],
    );
    let cell = move |v: Option<Decimal>| {
        v.map_or_else(
            || Cell {
                text: "—".into(),
                raw: String::new(),
            },
            |v| Cell::money(v, cur),
        )
    };
    let (b, n) = (Bill::of(b), Bill::of(n));
    let sides = Rc::clone(sides);
    s.lazy = Some(LazyRows::new(move |sink| {
        sides.each_workload(&b, &n, &mut |name, [before, after]| {
            let change = match (before, after) {
                (Some(a), Some(b)) => b.checked_sub(a),
                (None, Some(b)) => Some(b),
                (Some(a), None) => Some(-a),
                (None, None) => None,
            };
            sink(vec![
                Cell::plain(name),
                cell(before),
                cell(after),
                cell(change),
            ]);
        })
    }));
    s
}

/// The pull-request comment of `diff --format markdown`: the summary first, then the breakdown
/// (the report's tables, folded), then the gate result.
pub fn comment(
    spend: &Spend,
    checks: &[Check],
    doc: &Doc,
    title: &str,
    horizon_months: u32,
    cur: Currency,
) -> crate::error::Result<String> {
    let m = |v: Decimal| format_money(v, cur);
    let name = |w: &Option<String>| {
        w.as_ref()
            .map_or("no qualifying model".to_string(), |w| format!("`{w}`"))
    };
    let mut out = format!("## llmplan diff: {}\n\n", md(title));
    let verb = match spend.monthly_change.cmp(&Decimal::ZERO) {
        std::cmp::Ordering::Greater => "rises",
        std::cmp::Ordering::Less => "falls",
        std::cmp::Ordering::Equal => "is unchanged",
    };
    let pct = spend
        .monthly_change_percent
        .map_or(String::new(), |p| format!(" ({}%)", signed(p)));
    out.push_str(&format!(
        "**Chosen-model spend {verb}: {} → {} a month, {}{pct}.**",
        m(spend.monthly_before),
        m(spend.monthly_after),
        signed_money(spend.monthly_change, cur)
    ));
    if spend.switched() {
        out.push_str(&format!(
            " The chosen model changes from {} to {}.",
            name(&spend.chosen_before),
            name(&spend.chosen_after)
        ));
    } else {
        out.push_str(&format!(
            " The chosen model stays {}.",
            name(&spend.chosen_after)
        ));
    }
    out.push_str("\n\n| | before | after | change |\n|---|---:|---:|---:|\n");
    out.push_str(&format!(
        "| chosen model | {} | {} | {} |\n",
        name(&spend.chosen_before),
        name(&spend.chosen_after),
        if spend.switched() { "switched" } else { "same" }
    ));
    out.push_str(&format!(
        "| monthly | {} | {} | {}{pct} |\n",
        m(spend.monthly_before),
        m(spend.monthly_after),
        signed_money(spend.monthly_change, cur)
    ));
    out.push_str(&format!(
        "| {horizon_months}-month horizon | | | {} |\n\n",
        signed_money(spend.horizon_change, cur)
    ));
    let tables = Doc {
        json: Value::Null,
        sections: doc.sections.clone(),
        notes: doc.notes.clone(),
    };
    out.push_str("<details><summary>Breakdown</summary>\n\n");
    out.push_str(&crate::render::render(
        &tables,
        crate::render::Format::Markdown,
    )?);
    out.push_str("\n</details>\n\n### Gate\n\n");
    if checks.is_empty() {
        out.push_str("No threshold set (`--fail-above`, `--fail-above-percent`, `--fail-if-monthly-above`).\n");
    } else {
        let failed = checks.iter().any(|c| c.crossed);
        out.push_str(if failed {
            "❌ **Failed**: the job exits 1.\n\n"
        } else {
            "✅ **Passed**: every threshold holds.\n\n"
        });
        for c in checks {
            out.push_str(&format!(
                "- {} `{} {}`: {}.\n",
                if c.crossed { "❌" } else { "✅" },
                c.flag,
                c.limit.normalize(),
                md(&c.text)
            ));
        }
    }
    Ok(out)
}

fn md(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// `a $1.00 → $2.00` or `a $1.00 → b $2.00`.
fn movement(spend: &Spend, cur: Currency) -> String {
    let name = |w: &Option<String>| w.clone().unwrap_or_else(|| "no qualifying model".into());
    if spend.switched() {
        format!(
            "{} {} → {} {}",
            name(&spend.chosen_before),
            format_money(spend.monthly_before, cur),
            name(&spend.chosen_after),
            format_money(spend.monthly_after, cur)
        )
    } else {
        format!(
            "{} {} → {}",
            name(&spend.chosen_after),
            format_money(spend.monthly_before, cur),
            format_money(spend.monthly_after, cur)
        )
    }
}

/// `+$1.00`, `-$1.00` or `$0.00`.
pub fn signed_money(v: Decimal, cur: Currency) -> String {
    if v > Decimal::ZERO {
        format!("+{}", format_money(v, cur))
    } else {
        format_money(v, cur)
    }
}

fn signed(v: Decimal) -> String {
    let v = v.normalize();
    if v > Decimal::ZERO {
        format!("+{v}")
    } else {
        v.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spend(before: Option<(&str, i64)>, after: Option<(&str, i64)>) -> Spend {
        let b = before.map_or(Decimal::ZERO, |(_, v)| Decimal::from(v));
        let a = after.map_or(Decimal::ZERO, |(_, v)| Decimal::from(v));
        Spend {
            chosen_before: before.map(|(m, _)| m.to_string()),
            chosen_after: after.map(|(m, _)| m.to_string()),
            monthly_before: b,
            monthly_after: a,
            monthly_change: a - b,
            monthly_change_percent: if b.is_zero() {
                None
            } else {
                Some(((a - b) * Decimal::ONE_HUNDRED / b).round_dp(2))
            },
            horizon_change: Decimal::ZERO,
        }
    }

    fn limits(above: Option<i64>, pct: Option<i64>, ceiling: Option<i64>) -> Limits {
        Limits {
            above: above.map(Decimal::from),
            above_percent: pct.map(Decimal::from),
            monthly_above: ceiling.map(Decimal::from),
        }
    }

    #[test]
    fn each_threshold_is_crossed_strictly_above_its_limit() {
        // 400 → 500: +100, +25%.
        let s = spend(Some(("a", 400)), Some(("b", 500)));
        let crossed = |l: Limits| {
            checks(&s, &l, Currency::USD)
                .iter()
                .map(|c| c.crossed)
                .collect::<Vec<_>>()
        };
        assert_eq!(crossed(limits(Some(100), None, None)), [false]);
        assert_eq!(crossed(limits(Some(99), None, None)), [true]);
        assert_eq!(crossed(limits(None, Some(25), None)), [false]);
        assert_eq!(crossed(limits(None, Some(24), None)), [true]);
        assert_eq!(crossed(limits(None, None, Some(500))), [false]);
        assert_eq!(crossed(limits(None, None, Some(499))), [true]);
        assert_eq!(
            crossed(limits(Some(1000), Some(24), Some(1000))),
            [false, true, false]
        );
    }

    #[test]
    fn no_winner_after_fails_and_none_before_counts_as_zero() {
        let s = spend(Some(("a", 400)), None);
        assert!(checks(
            &s,
            &limits(Some(1_000_000), Some(1000), Some(1_000_000)),
            Currency::USD
        )
        .iter()
        .all(|c| c.crossed));
        // From nothing to 10: no percentage exists, and any increase crosses the percent gate.
        let s = spend(None, Some(("b", 10)));
        assert_eq!(s.monthly_change_percent, None);
        let c = checks(&s, &limits(None, Some(1000), None), Currency::USD);
        assert!(c[0].crossed, "{}", c[0].text);
    }
}

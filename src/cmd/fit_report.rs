//! How every command shows a fit: `~` before an estimate, the coverage beside it, and notes that
//! say what was estimated and what could not be scored. The JSON fields, the same everywhere
//! (`fit`, `fit_low`, `fit_high`, `fit_coverage`, `fit_status`), are [`crate::report::fit`].

use crate::fit::{Fit, FitStatus};
use crate::render::Cell;
use crate::scenario::raw::MissingPolicy;
use crate::scenario::Scenario;
use rust_decimal::Decimal;

/// The mark before a fit that includes estimated scores.
pub const ESTIMATE_MARK: &str = "~";

/// The fit cell: one decimal, `~` before an estimate, `—` for no fit. CSV gets the number.
pub fn fit_cell(f: &Fit) -> Cell {
    let mut c = Cell::score(f.fit);
    if f.fit.is_some() && f.status.is_estimate() {
        c.text = format!("{ESTIMATE_MARK}{}", c.text);
    }
    c
}

/// The coverage cell: a whole percentage for people, the fraction for CSV.
pub fn coverage_cell(f: &Fit) -> Cell {
    Cell {
        text: format!("{}%", (f.coverage * Decimal::ONE_HUNDRED).round_dp(0)),
        raw: f.coverage.round_dp(4).normalize().to_string(),
    }
}

/// A fit with its band for a note: `~84.1 (80.2–88.0)`, or `80.0`.
pub fn fit_with_band(f: &Fit) -> String {
    match (f.fit, f.low, f.high) {
        (Some(v), Some(l), Some(h)) if f.status.is_estimate() => format!(
            "{ESTIMATE_MARK}{:.1} ({:.1}–{:.1})",
            v.round_dp(1),
            l.round_dp(1),
            h.round_dp(1)
        ),
        (Some(v), _, _) => format!("{:.1}", v.round_dp(1)),
        _ => "no fit".into(),
    }
}

/// The notes on how fit was made, for a report of `rows` (label, fit).
pub fn notes<'f>(s: &Scenario, rows: impl IntoIterator<Item = (&'f str, &'f Fit)>) -> Vec<String> {
    let rows: Vec<(&str, &Fit)> = rows.into_iter().collect();
    let mut n = Vec::new();
    if s.fit.weights.is_empty() {
        n.push("Fit: no benchmark is weighted (the default language benchmarks say nothing about image or video generators), so no model has a fit; set [fit] weights to score them.".into());
        return n;
    }
    let weights = s
        .fit
        .weights
        .iter()
        .map(|(k, v)| format!("{k}×{}", v.normalize()))
        .collect::<Vec<_>>()
        .join(", ");
    let origin = if s.fit.default_weights && s.fit.custom.is_empty() {
        " (default weights; set [fit] weights in the scenario)"
    } else {
        ""
    };
    let missing = match s.fit.missing {
        MissingPolicy::Impute => "a missing score is estimated from the model's other scores",
        MissingPolicy::Zero => "a missing score counts as 0 (chance)",
        MissingPolicy::Skip => "missing scores are skipped",
        MissingPolicy::Exclude => "a missing score excludes the model",
    };
    n.push(format!(
        "Fit (0–100) = weighted mean of benchmark scores normalised from chance (0) to the best score (100): {weights}{origin}; {missing} (missing = \"{}\").",
        s.fit.missing.as_str()
    ));
    let mut coverage =
        "Coverage = the share of the fit's weight with an observed score".to_string();
    if !s.fit.min_coverage.is_zero() {
        coverage.push_str(&format!(
            "; below min_coverage {}% a model gets no fit",
            (s.fit.min_coverage * Decimal::ONE_HUNDRED).normalize()
        ));
    }
    coverage.push('.');
    let estimated: Vec<String> = rows
        .iter()
        .filter(|(_, f)| f.fit.is_some() && f.status.is_estimate())
        .map(|(label, f)| format!("{label} {}", fit_with_band(f)))
        .collect();
    if !estimated.is_empty() {
        coverage.push_str(&format!(
            " {ESTIMATE_MARK} = includes estimates, not published scores: each missing score is imputed from the model's observed ones by a one-factor model of the catalogue (docs/fit.md), and the fit's band (in brackets) is about one standard error: {}.",
            estimated.join("; ")
        ));
    }
    n.push(coverage);
    // Rows without a fit, grouped by reason in order of first appearance.
    let mut by_reason: Vec<(&str, Vec<&str>)> = Vec::new();
    for (label, f) in rows.iter().filter(|(_, f)| f.fit.is_none()) {
        let reason = f.reason.as_deref().unwrap_or("insufficient data");
        match by_reason.iter_mut().find(|(r, _)| *r == reason) {
            Some((_, labels)) => labels.push(label),
            None => by_reason.push((reason, vec![label])),
        }
    }
    let unknown: Vec<String> = by_reason
        .iter()
        .map(|(reason, labels)| format!("{} ({reason})", labels.join(", ")))
        .collect();
    if !unknown.is_empty() {
        n.push(format!(
            "No fit (insufficient data): {}. They rank after every model with a fit, by cost, except under objective = \"cheapest\".",
            unknown.join("; ")
        ));
    }
    let mut unimputable: Vec<&str> = rows
        .iter()
        .flat_map(|(_, f)| f.unimputable.iter().map(String::as_str))
        .collect();
    unimputable.sort();
    unimputable.dedup();
    if !unimputable.is_empty() {
        n.push(format!(
            "Cannot be estimated, since fewer than {} models in the catalogue report it (an estimate learns each benchmark's relation to the others from the models that report it), and left out of the fits that lack it: {}.",
            crate::fit::factor::MIN_REPORTING,
            unimputable.join(", ")
        ));
    }
    if let Some(line) = settings_note(rows.iter().map(|(_, f)| *f)) {
        n.push(line);
    }
    n
}

/// Which setting each observed score was taken at, counted, flagging benchmarks whose rows mix
/// settings.
fn settings_note<'f>(fits: impl Iterator<Item = &'f Fit>) -> Option<String> {
    let mut settings: Vec<(String, Vec<(String, usize)>)> = Vec::new();
    for u in fits.flat_map(|f| &f.used).filter(|u| !u.imputed) {
        let Some(setting) = &u.setting else { continue };
        let i = match settings.iter().position(|(b, _)| *b == u.benchmark) {
            Some(i) => i,
            None => {
                settings.push((u.benchmark.clone(), Vec::new()));
                settings.len() - 1
            }
        };
        let entry = &mut settings[i].1;
        match entry.iter_mut().find(|(s, _)| s == setting) {
            Some((_, c)) => *c += 1,
            None => entry.push((setting.clone(), 1)),
        }
    }
    if settings.is_empty() {
        return None;
    }
    settings.sort_by(|a, b| a.0.cmp(&b.0));
    let text = |(b, ss): &(String, Vec<(String, usize)>)| {
        format!(
            "{b} {}",
            ss.iter()
                .map(|(s, c)| format!("{s} ×{c}"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let all = settings.iter().map(text).collect::<Vec<_>>().join("; ");
    let mixed: Vec<&str> = settings
        .iter()
        .filter(|(_, ss)| ss.len() > 1)
        .map(|(b, _)| b.as_str())
        .collect();
    let mut line = format!(
        "Benchmark settings used (each model's score at the setting most candidates share): {all}."
    );
    if !mixed.is_empty() {
        line.push_str(&format!(
            " Settings are mixed for {}: those scores are not strictly like with like, and JSON marks the minority ones setting_majority = false.",
            mixed.join(", ")
        ));
    }
    Some(line)
}

/// Whether any of the fits is an estimate or unknown: a report then needs the notes above.
pub fn any_uncertain<'f>(fits: impl IntoIterator<Item = &'f Fit>) -> bool {
    fits.into_iter()
        .any(|f| f.fit.is_none() || f.status != FitStatus::Observed)
}

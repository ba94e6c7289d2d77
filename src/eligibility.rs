//! Which models may be candidates for a scenario: the hard requirements (status, vendors,
//! context, output, modalities, capabilities, languages, open weights) and the score floors.
//!
//! Shared below every ranking: `rank`, the routed candidate, `mix` and the sweep's fast path all
//! ask the same questions here, so a model is excluded for the same reasons everywhere.

use crate::catalogue::model::Model;
use crate::catalogue::vocab::Modality;
use crate::fit::{Fit, Scorer};
use crate::money::{format_money, grouped_int};
use crate::reason::{Reason, ReasonCode as Code};
use crate::scenario::raw::MissingPolicy;
use crate::scenario::Scenario;
use rust_decimal::Decimal;

/// The score floors a model fails: `min_scores`, and missing scores under `fit.missing = "exclude"`.
pub fn score_failures(scenario: &Scenario, scorer: &Scorer, m: &Model, f: &Fit) -> Vec<Reason> {
    let mut reasons = Vec::new();
    for (id, floor) in &scenario.requirements.min_scores {
        match scorer.observed(m, id) {
            Some(s) if s.value >= *floor => {}
            Some(s) => reasons.push(Reason::new(
                Code::MinScore,
                format!(
                    "{id} {} ({}) is below the floor of {floor}",
                    s.value.normalize(),
                    s.setting
                ),
            )),
            None if scenario.requirements.allow_unscored => {}
            None => reasons.push(Reason::new(
                Code::MinScore,
                format!("no {id} score (min_scores requires {floor})"),
            )),
        }
    }
    if scenario.fit.missing == MissingPolicy::Exclude && !f.missing.is_empty() {
        reasons.push(Reason::new(
            Code::MissingScore,
            format!(
                "no score for {} (fit.missing = \"exclude\")",
                f.missing.join(", ")
            ),
        ));
    }
    reasons
}

/// The `min_scores` benchmarks a model has no score for: kept but unverified when the scenario
/// sets `min_scores_missing = "allow"`.
pub fn unverified_floors(scenario: &Scenario, scorer: &Scorer, m: &Model) -> Vec<String> {
    scenario
        .requirements
        .min_scores
        .keys()
        .filter(|id| scorer.observed(m, id).is_none())
        .cloned()
        .collect()
}

/// Every requirement a model fails before prices and scores are looked at.
pub fn requirement_failures(s: &Scenario, m: &Model) -> Vec<Reason> {
    let req = &s.requirements;
    let mut out = Vec::new();
    let mut push = |code: Code, text: String| out.push(Reason::new(code, text));
    if !req.statuses.contains(&m.status) {
        push(Code::Status, m.status.exclusion_reason());
    }
    if !req.vendors.is_empty() && !req.vendors.contains(&m.vendor) {
        push(
            Code::VendorFilter,
            format!("vendor `{}` is not in requirements.vendors", m.vendor),
        );
    }
    if req.exclude_vendors.contains(&m.vendor) {
        push(
            Code::VendorFilter,
            format!("vendor `{}` is in requirements.exclude_vendors", m.vendor),
        );
    }
    if req.exclude_models.contains(&m.id) {
        push(
            Code::ModelFilter,
            "listed in requirements.exclude_models".into(),
        );
    }
    let text_work = s.workloads.iter().any(|w| w.requests.is_some());
    let needed_ctx = s
        .workloads
        .iter()
        .filter(|w| w.requests.is_some())
        .map(|w| (w.context_tokens, w.name.as_str()))
        .max_by_key(|x| x.0);
    // One context reason, naming whichever need is larger: the workload's or the floor.
    let need = match (needed_ctx, req.min_context_tokens) {
        (Some((w, name)), Some(min)) if w > min => {
            Some((w, format!("needed by workload `{name}`")))
        }
        (_, Some(min)) => Some((min, "required by min_context_tokens".to_string())),
        (Some((w, name)), None) => Some((w, format!("needed by workload `{name}`"))),
        (None, None) => None,
    };
    if let Some((need, why)) = need {
        match m.context_window {
            Some(have) if have < need => push(
                Code::ContextWindow,
                format!(
                    "context window {} tokens < {} {why}{}",
                    grouped_int(Decimal::from(have)),
                    grouped_int(Decimal::from(need)),
                    overflow_note(s, have)
                ),
            ),
            None => push(Code::ContextWindow, "context window unknown".into()),
            _ => {}
        }
    }
    if let (Some(max_out), Some(w)) = (
        m.max_output_tokens,
        s.workloads
            .iter()
            .filter(|w| w.requests.is_some())
            .max_by_key(|w| w.output_at(req.context_percentile)),
    ) {
        let wanted = w.output_at(req.context_percentile);
        if max_out < wanted {
            push(
                Code::MaxOutput,
                format!(
                    "max output {} tokens < {} wanted by workload `{}`",
                    grouped_int(Decimal::from(max_out)),
                    grouped_int(Decimal::from(wanted)),
                    w.name
                ),
            );
        }
    }
    let mut inputs: Vec<Modality> = req.modalities.clone();
    let mut outputs: Vec<Modality> = req.output_modalities.clone();
    if text_work {
        inputs.push(Modality::Text);
        outputs.push(Modality::Text);
    }
    if s.workloads.iter().any(|w| !w.images_per_month.is_zero()) {
        outputs.push(Modality::Image);
    }
    if s.workloads
        .iter()
        .any(|w| !w.video_seconds_per_month.is_zero())
    {
        outputs.push(Modality::Video);
    }
    inputs.sort();
    inputs.dedup();
    outputs.sort();
    outputs.dedup();
    for modality in inputs {
        if !m.reads(modality) {
            push(
                Code::InputModality,
                format!("does not accept {modality} input"),
            );
        }
    }
    for modality in outputs {
        if !m.writes(modality) {
            push(
                Code::OutputModality,
                format!("does not produce {modality} output"),
            );
        }
    }
    for c in &req.capabilities {
        if !m.capabilities.contains(c) {
            push(Code::Capability, format!("lacks capability `{c}`"));
        }
    }
    for l in &req.languages {
        if !m.languages.contains(l) {
            push(Code::Language, format!("does not list language `{l}`"));
        }
    }
    match req.open_weights {
        Some(true) if !m.open_weights => push(
            Code::OpenWeights,
            "weights are not open (requirements.open_weights = true)".into(),
        ),
        Some(false) if m.open_weights => push(
            Code::OpenWeights,
            "weights are open (requirements.open_weights = false)".into(),
        ),
        _ => {}
    }
    out
}

/// For a scenario whose request sizes vary, how many requests a window too small for the
/// percentile request would overflow: `" (the 99th-percentile request; 22.1% of requests overflow)"`.
fn overflow_note(s: &Scenario, window: u64) -> String {
    if !s.has_distributions() {
        return String::new();
    }
    let p = s.requirements.context_percentile * Decimal::ONE_HUNDRED;
    format!(
        " (the {}th-percentile request; {} of requests overflow)",
        p.normalize(),
        crate::scenario::distribution::percent(s.overflow_share(window))
    )
}

/// Why a candidate costing `monthly` a month is over the scenario's `max_monthly_cost`, if it is:
/// the one wording of the budget reason for single models and routed candidates alike.
pub fn over_budget(s: &Scenario, monthly: Decimal) -> Option<Reason> {
    let max = s.requirements.max_monthly_cost?;
    (monthly > max).then(|| {
        Reason::new(
            Code::OverBudget,
            format!(
                "over budget: {} a month > {} max_monthly_cost",
                format_money(monthly, s.currency),
                format_money(max, s.currency)
            ),
        )
    })
}

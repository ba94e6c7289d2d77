//! Which models may be candidates for a scenario: the hard requirements (status, vendors,
//! context, output, modalities, capabilities, languages, open weights) and the score floors.
//!
//! Shared below every ranking: `rank`, the routed candidate, `mix` and the sweep's fast path all
//! ask the same questions here, so a model is excluded for the same reasons everywhere.

use crate::catalogue::model::Model;
use crate::catalogue::vocab::Modality;
use crate::fit::{Fit, Scorer};
use crate::money::grouped_int;
use crate::scenario::raw::MissingPolicy;
use crate::scenario::Scenario;
use rust_decimal::Decimal;

/// The score floors a model fails: `min_scores`, and missing scores under `fit.missing = "exclude"`.
pub fn score_failures(scenario: &Scenario, scorer: &Scorer, m: &Model, f: &Fit) -> Vec<String> {
    let mut reasons = Vec::new();
    for (id, floor) in &scenario.requirements.min_scores {
        match scorer.observed(m, id) {
            Some(s) if s.value >= *floor => {}
            Some(s) => reasons.push(format!(
                "{id} {} ({}) is below the floor of {floor}",
                s.value.normalize(),
                s.setting
            )),
            None if scenario.requirements.allow_unscored => {}
            None => reasons.push(format!("no {id} score (min_scores requires {floor})")),
        }
    }
    if scenario.fit.missing == MissingPolicy::Exclude && !f.missing.is_empty() {
        reasons.push(format!(
            "no score for {} (fit.missing = \"exclude\")",
            f.missing.join(", ")
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
pub fn requirement_failures(s: &Scenario, m: &Model) -> Vec<String> {
    let req = &s.requirements;
    let mut out = Vec::new();
    if !req.statuses.contains(&m.status) {
        out.push(m.status.exclusion_reason());
    }
    if !req.vendors.is_empty() && !req.vendors.contains(&m.vendor) {
        out.push(format!(
            "vendor `{}` is not in requirements.vendors",
            m.vendor
        ));
    }
    if req.exclude_vendors.contains(&m.vendor) {
        out.push(format!(
            "vendor `{}` is in requirements.exclude_vendors",
            m.vendor
        ));
    }
    if req.exclude_models.contains(&m.id) {
        out.push("listed in requirements.exclude_models".into());
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
            Some(have) if have < need => out.push(format!(
                "context window {} tokens < {} {why}",
                grouped_int(Decimal::from(have)),
                grouped_int(Decimal::from(need))
            )),
            None => out.push("context window unknown".into()),
            _ => {}
        }
    }
    if let (Some(max_out), Some(w)) = (
        m.max_output_tokens,
        s.workloads
            .iter()
            .filter(|w| w.requests.is_some())
            .max_by_key(|w| w.output_tokens),
    ) {
        if max_out < w.output_tokens {
            out.push(format!(
                "max output {} tokens < {} wanted by workload `{}`",
                grouped_int(Decimal::from(max_out)),
                grouped_int(Decimal::from(w.output_tokens)),
                w.name
            ));
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
            out.push(format!("does not accept {modality} input"));
        }
    }
    for modality in outputs {
        if !m.writes(modality) {
            out.push(format!("does not produce {modality} output"));
        }
    }
    for c in &req.capabilities {
        if !m.capabilities.contains(c) {
            out.push(format!("lacks capability `{c}`"));
        }
    }
    for l in &req.languages {
        if !m.languages.contains(l) {
            out.push(format!("does not list language `{l}`"));
        }
    }
    match req.open_weights {
        Some(true) if !m.open_weights => {
            out.push("weights are not open (requirements.open_weights = true)".into())
        }
        Some(false) if m.open_weights => {
            out.push("weights are open (requirements.open_weights = false)".into())
        }
        _ => {}
    }
    out
}

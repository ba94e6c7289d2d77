//! Why a model is excluded, as a code from a closed set and a sentence for people.
//!
//! The code is decided where the exclusion is decided (`eligibility`, `rank`, `routed_rank`,
//! `mix`), never read back from the text, so scripts can group and filter exclusions by a stable
//! key while the sentences stay free to improve. `excluded[]` rows in JSON carry `reasons` and a
//! parallel `reason_codes`; the README lists the set.

use serde::Serialize;
use std::fmt;

/// The closed set of exclusion codes. Adding one is a change to the JSON contract: list it in the
/// README's table of reason codes.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ReasonCode {
    /// The model's status (announced, research, retired, …) is not in `requirements.statuses`.
    Status,
    /// The vendor is not in `requirements.vendors`, or is in `requirements.exclude_vendors`.
    VendorFilter,
    /// The model is in `requirements.exclude_models`.
    ModelFilter,
    /// The context window is too small for a workload or `min_context_tokens`, or unknown.
    ContextWindow,
    /// The largest reply is smaller than a workload's `output_tokens`.
    MaxOutput,
    /// The model does not read an input modality the scenario needs.
    InputModality,
    /// The model does not produce an output modality the scenario needs.
    OutputModality,
    /// The model lacks a required capability.
    Capability,
    /// The model does not list a required language.
    Language,
    /// The weights are open or closed against `requirements.open_weights`.
    OpenWeights,
    /// A benchmark score is below its `min_scores` floor, or missing for a floor.
    MinScore,
    /// A weighted benchmark has no score and `fit.missing = "exclude"`.
    MissingScore,
    /// No fit can be computed: none of the weighted benchmarks is scored (`mix`).
    NoFit,
    /// The model has no price for some of the work (no public price, no price per image, …).
    Unpriced,
    /// The monthly cost is above `requirements.max_monthly_cost`.
    OverBudget,
    /// No self-hosted fleet can serve the workload on the GPUs tried.
    Selfhost,
    /// A routed candidate cannot run some workload: no route and no single model qualifies.
    Route,
}

impl ReasonCode {
    /// Every code, in the order the README lists them.
    pub const ALL: [ReasonCode; 17] = [
        ReasonCode::Status,
        ReasonCode::VendorFilter,
        ReasonCode::ModelFilter,
        ReasonCode::ContextWindow,
        ReasonCode::MaxOutput,
        ReasonCode::InputModality,
        ReasonCode::OutputModality,
        ReasonCode::Capability,
        ReasonCode::Language,
        ReasonCode::OpenWeights,
        ReasonCode::MinScore,
        ReasonCode::MissingScore,
        ReasonCode::NoFit,
        ReasonCode::Unpriced,
        ReasonCode::OverBudget,
        ReasonCode::Selfhost,
        ReasonCode::Route,
    ];

    /// The code as JSON writes it: `context_window`.
    pub fn as_str(self) -> &'static str {
        match self {
            ReasonCode::Status => "status",
            ReasonCode::VendorFilter => "vendor_filter",
            ReasonCode::ModelFilter => "model_filter",
            ReasonCode::ContextWindow => "context_window",
            ReasonCode::MaxOutput => "max_output",
            ReasonCode::InputModality => "input_modality",
            ReasonCode::OutputModality => "output_modality",
            ReasonCode::Capability => "capability",
            ReasonCode::Language => "language",
            ReasonCode::OpenWeights => "open_weights",
            ReasonCode::MinScore => "min_score",
            ReasonCode::MissingScore => "missing_score",
            ReasonCode::NoFit => "no_fit",
            ReasonCode::Unpriced => "unpriced",
            ReasonCode::OverBudget => "over_budget",
            ReasonCode::Selfhost => "selfhost",
            ReasonCode::Route => "route",
        }
    }
}

impl fmt::Display for ReasonCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One reason a model is excluded: its code and its sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason {
    /// The code, from the closed set.
    pub code: ReasonCode,
    /// The sentence, for people.
    pub text: String,
}

impl Reason {
    /// A reason.
    pub fn new(code: ReasonCode, text: impl Into<String>) -> Reason {
        Reason {
            code,
            text: text.into(),
        }
    }

    /// The same reason with its sentence prefixed, such as a routed candidate's leg id.
    pub fn prefixed(self, prefix: &str) -> Reason {
        Reason {
            code: self.code,
            text: format!("{prefix}{}", self.text),
        }
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// The sentences of several reasons joined with `; `.
pub fn join(reasons: &[Reason]) -> String {
    reasons
        .iter()
        .map(|r| r.text.as_str())
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_distinct_snake_case_and_serialise_as_written() {
        let mut seen = std::collections::BTreeSet::new();
        for c in ReasonCode::ALL {
            assert!(seen.insert(c.as_str()), "{c} twice");
            assert!(c
                .as_str()
                .chars()
                .all(|x| x.is_ascii_lowercase() || x == '_'));
            assert_eq!(serde_json::to_value(c).unwrap(), c.as_str());
        }
    }
}

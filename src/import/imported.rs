//! What every importer produces: models mapped from another catalogue, each with the notes that
//! say what it lost on the way, ready to be written as profile files.

use crate::catalogue::model::{Price, Score};
use crate::catalogue::vocab::{Capability, Modality, Status};
use std::collections::BTreeMap;

/// One model mapped from one entry of another catalogue.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    /// Where it came from in the source: a LiteLLM key, or a models.dev file path.
    pub key: String,
    /// The vendor id of its profile: LiteLLM's `litellm_provider`, models.dev's provider folder.
    pub provider: String,
    /// `<provider>/<slug>`.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Whether it can be bought.
    pub status: Status,
    /// Release date, `YYYY-MM-DD` or `YYYY-MM`.
    pub released: Option<String>,
    /// Prompt plus output, in tokens.
    pub context_window: Option<u64>,
    /// Longest prompt, in tokens, where the source gives it apart from the context window.
    pub max_input_tokens: Option<u64>,
    /// Longest output, in tokens.
    pub max_output_tokens: Option<u64>,
    /// What it reads.
    pub input_modalities: Vec<Modality>,
    /// What it writes.
    pub output_modalities: Vec<Modality>,
    /// Mapped capabilities, in vocabulary order.
    pub capabilities: Vec<Capability>,
    /// Whether the weights are published.
    pub open_weights: bool,
    /// Per-1M prices with provenance; `None` when the source gives none the planner can hold.
    pub price: Option<Price>,
    /// What could not be carried over, for the profile's `price_note` and the report.
    pub notes: Vec<Note>,
    /// Benchmarks and languages copied from the catalogue model this one is a snapshot or
    /// re-host of (see `inherit`).
    pub inherited: Option<Inherited>,
}

/// What an imported model took over from a catalogue model.
#[derive(Debug, Clone, PartialEq)]
pub struct Inherited {
    /// The catalogue model's id.
    pub from: String,
    /// Which matching rule found it, for the file's comment and the report.
    pub rule: &'static str,
    /// Its benchmark scores, each marked `inherited_from`.
    pub benchmarks: Vec<Score>,
    /// Its languages.
    pub languages: Vec<String>,
}

/// Something an imported model lost or should be known for. The label groups models in the
/// report; the text, with the model's own details, goes into its `price_note`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Note {
    /// Batch prices that are not one fraction off both list prices.
    BatchUneven,
    /// A batch price for only one direction.
    BatchOneSided,
    /// A token limit that is not a positive whole number.
    BadLimit,
    /// No input limit or context window: the context window is unknown.
    NoContextWindow,
    /// Retired because its deprecation date has passed.
    Retired {
        /// `YYYY-MM-DD`.
        date: String,
        /// Where the source says so, if it does.
        source: Option<String>,
    },
    /// A deprecation date still ahead of the as-of date.
    DeprecationScheduled {
        /// `YYYY-MM-DD`.
        date: String,
        /// Where the source says so, if it does.
        source: Option<String>,
    },
    /// Listed as deprecated (models.dev `status = "deprecated"`).
    Deprecated,
    /// Every price is zero in the source: imported without a price.
    ZeroPrice,
    /// A $0 price kept by `--keep-zero-prices`.
    ZeroPriceKept,
    /// A text model priced for input and at $0 for output.
    ZeroOutput,
    /// A comment beside the prices names another unit than 1M tokens.
    OtherUnit {
        /// The comment.
        comment: String,
    },
    /// Priced only in units the planner cannot bill.
    Unbillable {
        /// The source's price fields, comma-separated.
        fields: String,
    },
    /// The source gives no price at all.
    NoPrice,
    /// An input price without an output price, or the reverse.
    HalfPrice,
    /// Served through OpenAI's Responses API rather than chat completions.
    ResponsesApi,
    /// A text-completion model rather than a chat model.
    CompletionApi,
    /// A modality outside the vocabulary.
    OtherModality {
        /// The values left out, comma-separated.
        values: String,
    },
    /// Price fields the importer does not map.
    OtherPrices {
        /// The fields, comma-separated.
        fields: String,
    },
    /// A price written with more digits than a person types: probably a floating-point sum.
    FloatNoise {
        /// The fields, comma-separated.
        fields: String,
    },
    /// Long-prompt tiers that cannot be mapped.
    BadTiers,
    /// Named as an embedding, rerank or moderation model, but listed as writing text.
    KindByName {
        /// What it writes instead.
        output: Modality,
    },
    /// Matches a catalogue model by name, but its own facts say it is another model.
    NotInherited {
        /// The catalogue model's id.
        from: String,
        /// What contradicts the match.
        why: String,
    },
    /// The source's name holds a character that does not print: the id's slug is the name.
    UnprintableName {
        /// The source's name, escaped.
        name: String,
    },
}

impl Note {
    /// The note's kind, shown once in the report for every model that has it.
    pub fn label(&self) -> &'static str {
        match self {
            Note::BatchUneven => "batch prices are not one fraction off both list prices, so batch_discount is left out",
            Note::BatchOneSided => "a batch price for only input or only output, so batch_discount is left out",
            Note::BadLimit => "a token limit that is not a positive whole number is left out",
            Note::NoContextWindow => "no input limit or context window, so the context window is unknown (rank excludes it)",
            Note::Retired { .. } => "deprecation_date is on or before the as-of date, so the status is retired",
            Note::DeprecationScheduled { .. } => "a deprecation_date after the as-of date: still ga, retired from that date",
            Note::Deprecated => "listed as deprecated, so the status is retired",
            Note::ZeroPrice => "every price is $0 in the source, imported without a price (--keep-zero-prices keeps $0)",
            Note::ZeroPriceKept => "a $0 price in the source, kept by --keep-zero-prices",
            Note::OtherUnit { .. } => "a comment beside the prices gives another unit than 1M tokens: imported without a price",
            Note::ZeroOutput => "writes text, yet priced for input and at $0 for output, as embedding, rerank and transcription models and routers are billed: imported without a price (--keep-zero-prices keeps it)",
            Note::Unbillable { .. } => "priced only per character, second, pixel, query or image token, which the planner cannot bill: imported without a price",
            Note::NoPrice => "no price in the source, imported without one",
            Note::HalfPrice => "an input price without an output price, or the reverse: imported without a price",
            Note::ResponsesApi => "mode `responses`: served through the Responses API, not chat completions",
            Note::CompletionApi => "mode `completion`: a text-completion model, not chat",
            Note::OtherModality { .. } => "a modality outside the vocabulary is left out",
            Note::OtherPrices { .. } => "price fields the importer does not map are left out",
            Note::FloatNoise { .. } => "a price written with 16 or more significant digits (probably float noise), imported as written",
            Note::BadTiers => "long-prompt tiers that cannot be mapped are left out",
            Note::KindByName { .. } => "named as an embedding, rerank or moderation model but listed as writing text: output set to embedding or scores",
            Note::NotInherited { .. } => "named like a catalogue model, but its context window is larger: a later model under the same name, so no benchmarks or languages are inherited",
            Note::UnprintableName { .. } => "a name holding a character that does not print (a control, bidirectional or zero-width character), so the name is the id's slug",
        }
    }

    /// The note for this model's `price_note`.
    pub fn text(&self) -> String {
        let cite = |s: &Option<String>| s.as_ref().map(|s| format!(" ({s})")).unwrap_or_default();
        match self {
            Note::Retired { date, source } => format!(
                "deprecation_date {date}{} is on or before the as-of date, so the status is retired",
                cite(source)
            ),
            Note::DeprecationScheduled { date, source } => format!(
                "deprecation_date {date}{}: retired from then",
                cite(source)
            ),
            Note::Unbillable { fields } => format!(
                "priced only as {fields}, which the planner cannot bill, so imported without a price"
            ),
            Note::OtherUnit { comment } => format!(
                "the [cost] table's comment `{comment}` gives another unit than 1M tokens, so imported without a price"
            ),
            Note::OtherModality { values } => {
                format!("modalities outside the vocabulary left out: {values}")
            }
            Note::OtherPrices { fields } => format!("price fields left out: {fields}"),
            Note::FloatNoise { fields } => format!(
                "{fields} written with 16 or more significant digits (probably a floating-point sum), imported as written"
            ),
            Note::NotInherited { from, why } => format!(
                "named like {from}, but {why}: a later model under the same name, so its benchmarks and languages are not inherited"
            ),
            Note::UnprintableName { name } => format!(
                "the source's name \"{name}\" holds a character that does not print, so the name is the id's slug"
            ),
            Note::KindByName { output } => format!(
                "its name says it is an embedding, rerank or moderation model, though the source lists text output, so it writes {output}"
            ),
            other => other.label().to_string(),
        }
    }
}

/// The result of mapping a whole catalogue.
#[derive(Debug, Default)]
pub struct Mapping {
    /// Imported models, in source order.
    pub models: Vec<Imported>,
    /// Skipped entries: key and reason, in source order.
    pub skipped: Vec<(String, String)>,
}

impl Mapping {
    /// Imported models grouped by provider, each group in source order.
    pub fn by_provider(&self) -> BTreeMap<&str, Vec<&Imported>> {
        let mut out: BTreeMap<&str, Vec<&Imported>> = BTreeMap::new();
        for m in &self.models {
            out.entry(m.provider.as_str()).or_default().push(m);
        }
        out
    }
}

/// A name, family or vendor name as the catalogue accepts it: the whitespace around it trimmed
/// (models.dev writes a few names with a trailing tab), `None` when nothing is left or what is
/// left holds a character that does not print (the rule of [`crate::terminal::hidden_char`]).
pub fn printable(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty() && crate::terminal::hidden_char(t).is_none()).then(|| t.to_string())
}

/// Whether an id's slug is one the catalogue accepts: whole `/`-parts, no whitespace and no
/// character that does not print.
pub fn usable_slug(slug: &str) -> bool {
    crate::catalogue::profile::is_slug(slug) && crate::terminal::hidden_char(slug).is_none()
}

/// What a model writes, read from its names, when a source lists an embedding, rerank or
/// moderation model as writing text: a name holding `embed` writes `embedding`, one holding
/// `rerank` or `moderation` writes `scores` (case ignored). Only applied to a model listed as
/// writing text alone, with a note.
pub fn kind_by_name<'a>(names: impl IntoIterator<Item = &'a str>) -> Option<Modality> {
    names.into_iter().find_map(|n| {
        let n = n.to_ascii_lowercase();
        if n.contains("embed") {
            Some(Modality::Embedding)
        } else if n.contains("rerank") || n.contains("moderation") {
            Some(Modality::Scores)
        } else {
            None
        }
    })
}

/// Corrects a text-only output by [`kind_by_name`], noting it.
pub fn correct_kind<'a>(
    output: &mut Vec<Modality>,
    names: impl IntoIterator<Item = &'a str>,
    notes: &mut Vec<Note>,
) {
    if output.as_slice() != [Modality::Text] {
        return;
    }
    if let Some(kind) = kind_by_name(names) {
        *output = vec![kind];
        notes.push(Note::KindByName { output: kind });
    }
}

/// Whether every amount of a price is zero: the source lists the model at $0, which for a
/// hosted model usually means "not known" rather than "free".
pub fn all_zero(p: &Price) -> bool {
    let amounts = [
        p.input,
        p.output,
        p.cached_input,
        p.cache.cache_write,
        p.per_image,
        p.per_video_second,
    ];
    amounts.iter().flatten().all(|d| d.is_zero())
        && amounts.iter().any(Option::is_some)
        && p.tiers.iter().all(|t| {
            t.input.is_zero() && t.output.is_zero() && t.cached_input.is_none_or(|c| c.is_zero())
        })
}

/// Applies the $0 rule. A price whose every amount is zero is dropped with a note: for a hosted
/// model $0 usually means "not known", not "free". So is the price of a model that writes text
/// but is priced for input and at $0 for output: no text generator gives its output away, while
/// embedding, rerank and transcription models and routers are billed so, and sources list some of
/// them as writing text. `keep` keeps both as given, with a note.
pub fn zero_rule(
    price: Option<Price>,
    writes_text: bool,
    keep: bool,
    notes: &mut Vec<Note>,
) -> Option<Price> {
    let p = price?;
    let zero_output = writes_text
        && p.output.is_some_and(|o| o.is_zero())
        && p.input.is_some_and(|i| !i.is_zero());
    let note = if all_zero(&p) {
        Note::ZeroPrice
    } else if zero_output {
        Note::ZeroOutput
    } else {
        return Some(p);
    };
    if keep {
        notes.push(Note::ZeroPriceKept);
        Some(p)
    } else {
        notes.push(note);
        None
    }
}

/// The number of significant digits of a decimal as written.
pub fn significant_digits(text: &str) -> usize {
    let mantissa = text.split(['e', 'E']).next().unwrap_or(text);
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let trimmed = digits.trim_start_matches('0');
    trimmed.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    fn price(input: i64, output: i64) -> Price {
        Price {
            input: Some(Decimal::from(input)),
            output: Some(Decimal::from(output)),
            cached_input: None,
            cache: Default::default(),
            batch_discount: None,
            per_image: None,
            per_video_second: None,
            tiers: Vec::new(),
            plans: Vec::new(),
            as_of: "2024-01-01".into(),
            source: "t".into(),
        }
    }

    #[test]
    fn only_an_all_zero_price_or_free_text_output_is_dropped() {
        let mut notes = Vec::new();
        assert_eq!(zero_rule(Some(price(0, 0)), true, false, &mut notes), None);
        assert_eq!(notes, [Note::ZeroPrice]);
        notes.clear();
        assert_eq!(
            zero_rule(Some(price(0, 0)), true, true, &mut notes),
            Some(price(0, 0))
        );
        assert_eq!(notes, [Note::ZeroPriceKept]);
        notes.clear();
        // Perplexity's online models: $0 input, paid output. A real price, kept.
        assert_eq!(
            zero_rule(Some(price(0, 3)), true, false, &mut notes),
            Some(price(0, 3))
        );
        assert!(notes.is_empty());
        // Paid input, free output: real for an embedding model, not for a text writer.
        assert_eq!(
            zero_rule(Some(price(1, 0)), false, false, &mut notes),
            Some(price(1, 0))
        );
        assert!(notes.is_empty());
        assert_eq!(zero_rule(Some(price(1, 0)), true, false, &mut notes), None);
        assert_eq!(notes, [Note::ZeroOutput]);
        let mut cached = price(0, 0);
        cached.cached_input = Some(Decimal::ONE);
        assert!(!all_zero(&cached));
    }

    #[test]
    fn embedding_and_rerank_models_are_known_by_name() {
        assert_eq!(
            kind_by_name(["Qwen3-Embedding-4B"]),
            Some(Modality::Embedding)
        );
        assert_eq!(
            kind_by_name(["x", "BGE Reranker Base"]),
            Some(Modality::Scores)
        );
        assert_eq!(
            kind_by_name(["omni-moderation-latest"]),
            Some(Modality::Scores)
        );
        assert_eq!(kind_by_name(["gpt-4o-mini", "GPT-4o mini"]), None);
        let mut notes = Vec::new();
        let mut out = vec![Modality::Text];
        correct_kind(&mut out, ["mistral-embed"], &mut notes);
        assert_eq!(out, [Modality::Embedding]);
        assert_eq!(
            notes,
            [Note::KindByName {
                output: Modality::Embedding
            }]
        );
        // Listed as writing something else than text alone: left as the source says.
        let mut both = vec![Modality::Text, Modality::Image];
        correct_kind(&mut both, ["image-embed"], &mut notes);
        assert_eq!(both, [Modality::Text, Modality::Image]);
    }

    #[test]
    fn digits_are_counted_as_written() {
        assert_eq!(significant_digits("0.024999999999999998"), 17);
        assert_eq!(significant_digits("0.025"), 2);
        assert_eq!(significant_digits("1.63e-07"), 3);
        assert_eq!(significant_digits("400_000"), 6);
    }
}

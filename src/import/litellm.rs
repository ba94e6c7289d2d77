//! LiteLLM's `model_prices_and_context_window.json`, the most widely used list of LLM prices,
//! mapped into vendor profiles: one profile per `litellm_provider`.
//!
//! What is mapped, exactly (prices are USD per token there, per 1M tokens here):
//! - `input_cost_per_token`, `output_cost_per_token` → `input`, `output` (× 1,000,000);
//! - `cache_read_input_token_cost` → `cached_input`;
//! - `input_cost_per_token_batches` and `output_cost_per_token_batches` → `batch_discount`, only
//!   when both are the same fraction of the list prices (the planner has one batch discount);
//! - `*_above_<N>k_tokens` and `tiered_pricing` ranges → `[[model.price.tiers]]` above N × 1,000
//!   input tokens; a price a tier does not restate stays at the base price, as in LiteLLM;
//! - `max_input_tokens` → `context_window`, `max_output_tokens` → `max_output_tokens`;
//! - `supports_vision` / `_audio_input` / `_video_input` → input modalities;
//!   `supports_function_calling`, `_prompt_caching`, `_system_messages` → capabilities;
//! - a `deprecation_date` on or before the as-of date → status `retired`, otherwise `ga`.
//!
//! An entry is skipped, with its reason counted, when it is not a chat model, has no per-token
//! price, holds a string where a number belongs, has a price the planner cannot hold, or repeats
//! an id. Nothing is guessed: a missing figure stays missing.

use super::json::{self, Kind, Members};
use crate::catalogue::model::{Price, Tier};
use crate::catalogue::profile::{is_slug, is_vendor_id};
use crate::catalogue::vocab::{Capability, Modality, Status};
use crate::cost::MILLION;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde_json::value::RawValue;
use std::collections::BTreeMap;

/// Where the prices came from, written into every price's `source`.
#[derive(Debug, Clone)]
pub struct Provenance {
    /// The file name as given, without its folder.
    pub file_name: String,
    /// The date the prices were read, `YYYY-MM-DD`.
    pub as_of: String,
}

/// One chat model mapped from one entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    /// The entry's key in the LiteLLM file.
    pub key: String,
    /// `litellm_provider`, the vendor id of the profile.
    pub provider: String,
    /// `<provider>/<key without a repeated provider prefix>`.
    pub id: String,
    /// `ga`, or `retired` after its deprecation date.
    pub status: Status,
    /// From `max_input_tokens`.
    pub context_window: Option<u64>,
    /// From `max_output_tokens`.
    pub max_output_tokens: Option<u64>,
    /// Text, plus image, audio or video where LiteLLM says so.
    pub input_modalities: Vec<Modality>,
    /// Text, plus audio where LiteLLM says so.
    pub output_modalities: Vec<Modality>,
    /// Mapped capabilities, in vocabulary order.
    pub capabilities: Vec<Capability>,
    /// Per-1M prices with provenance.
    pub price: Price,
    /// What could not be carried over, for the profile's `price_note` and the report.
    pub notes: Vec<Note>,
}

/// Why an entry was skipped.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Skip {
    /// The entry is not a JSON object.
    NotAnObject,
    /// An `alias_of` entry carries no prices of its own.
    Alias,
    /// A field the importer maps holds a string (LiteLLM's `sample_spec` documents fields so).
    StringValue,
    /// No `litellm_provider`.
    NoProvider,
    /// No `mode`.
    NoMode,
    /// A mode other than `chat` (embedding, image generation, speech, ...).
    NotChat(String),
    /// Neither per-token price, though it may be priced per character, second or image.
    NoTokenPrice,
    /// An input price without an output price, or the reverse.
    HalfPrice,
    /// A price that is negative, not a number, or has more digits than a decimal holds.
    BadNumber,
    /// `tiered_pricing` ranges that do not start at 0 and join up, or that disagree with the
    /// flat prices.
    BadTiers,
    /// The provider is not usable as a vendor id, or the key not as a model id.
    BadId,
    /// The id was already taken by an earlier entry.
    DuplicateId,
    /// A key written twice: inside the entry, at any depth, or the entry's own key in the file.
    DuplicateKey,
}

impl Skip {
    /// The reason as shown in the report; entries are counted by it.
    pub fn reason(&self) -> String {
        match self {
            Skip::NotAnObject => "not a JSON object".into(),
            Skip::Alias => "alias_of another entry, without prices of its own".into(),
            Skip::StringValue => "a string where a number belongs".into(),
            Skip::NoProvider => "no litellm_provider".into(),
            Skip::NoMode => "no mode".into(),
            Skip::NotChat(mode) => format!("mode `{mode}`, not chat"),
            Skip::NoTokenPrice => "no per-token price".into(),
            Skip::HalfPrice => "an input price without an output price, or the reverse".into(),
            Skip::BadNumber => "a price that is negative, not a number or too precise".into(),
            Skip::BadTiers => "tiered_pricing ranges that cannot be mapped".into(),
            Skip::BadId => "provider or key unusable as a model id".into(),
            Skip::DuplicateId => "same id as an earlier entry".into(),
            Skip::DuplicateKey => {
                "a key written twice (in the entry, or the entry's own key in the file), so which value is meant is unclear".into()
            }
        }
    }
}

/// Something an imported model lost on the way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Note {
    /// Batch prices that are not one fraction off both list prices.
    BatchUneven,
    /// A batch price for only one direction.
    BatchOneSided,
    /// A token limit that is not a positive whole number.
    BadLimit,
    /// No `max_input_tokens`: the context window is unknown.
    NoContextWindow,
    /// Retired because its deprecation date has passed.
    Deprecated,
}

impl Note {
    /// The note as shown in the report and in `price_note`.
    pub fn text(self) -> &'static str {
        match self {
            Note::BatchUneven => "batch prices are not one fraction off both list prices, so batch_discount is left out",
            Note::BatchOneSided => "a batch price for only input or only output, so batch_discount is left out",
            Note::BadLimit => "max_input_tokens or max_output_tokens is not a positive whole number and is left out",
            Note::NoContextWindow => "no max_input_tokens, so the context window is unknown (rank excludes it)",
            Note::Deprecated => "deprecation_date is on or before the as-of date, so the status is retired",
        }
    }
}

/// The result of mapping a whole file.
#[derive(Debug, Default)]
pub struct Mapping {
    /// Imported chat models, in file order.
    pub models: Vec<Imported>,
    /// Skipped entries: key and reason, in file order.
    pub skipped: Vec<(String, Skip)>,
}

impl Mapping {
    /// Imported models grouped by provider, each group in file order.
    pub fn by_provider(&self) -> BTreeMap<&str, Vec<&Imported>> {
        let mut out: BTreeMap<&str, Vec<&Imported>> = BTreeMap::new();
        for m in &self.models {
            out.entry(m.provider.as_str()).or_default().push(m);
        }
        out
    }
}

/// Maps every entry of a LiteLLM price file. Fails only when the text is not a JSON object.
pub fn map(text: &str, prov: &Provenance) -> serde_json::Result<Mapping> {
    let entries = Members::parse(text)?;
    let mut out = Mapping::default();
    let mut taken: BTreeMap<String, String> = BTreeMap::new();
    let mut count: BTreeMap<&str, usize> = BTreeMap::new();
    for (key, _) in &entries.0 {
        *count.entry(key.as_str()).or_default() += 1;
    }
    for (key, raw) in &entries.0 {
        if count[key.as_str()] > 1 || json::duplicate_key(raw).is_some() {
            out.skipped.push((key.clone(), Skip::DuplicateKey));
            continue;
        }
        match entry(key, raw, prov) {
            Ok(m) if taken.contains_key(&m.id) => {
                out.skipped.push((key.clone(), Skip::DuplicateId))
            }
            Ok(m) => {
                taken.insert(m.id.clone(), key.clone());
                out.models.push(m);
            }
            Err(skip) => out.skipped.push((key.clone(), skip)),
        }
    }
    Ok(out)
}

/// The fields whose numbers the importer reads; a string in any of them skips the entry.
const NUMBER_FIELDS: &[&str] = &[
    "input_cost_per_token",
    "output_cost_per_token",
    "cache_read_input_token_cost",
    "input_cost_per_token_batches",
    "output_cost_per_token_batches",
    "max_input_tokens",
    "max_output_tokens",
];

const TIER_FIELDS: [&str; 3] = [
    "input_cost_per_token_above_",
    "output_cost_per_token_above_",
    "cache_read_input_token_cost_above_",
];

/// Maps one entry, or says why not.
pub fn entry(key: &str, raw: &RawValue, prov: &Provenance) -> Result<Imported, Skip> {
    if json::kind(raw) != Kind::Object {
        return Err(Skip::NotAnObject);
    }
    let m = Members::parse(raw.get()).map_err(|_| Skip::NotAnObject)?;
    let has = |f: &str| m.get(f).is_some_and(|v| json::kind(v) != Kind::Null);
    if m.get("alias_of").is_some()
        && !has("input_cost_per_token")
        && !has("output_cost_per_token")
        && !has("tiered_pricing")
    {
        return Err(Skip::Alias);
    }
    let strings = m.0.iter().any(|(f, v)| {
        json::kind(v) == Kind::String
            && (NUMBER_FIELDS.contains(&f.as_str()) || tier_field(f).is_some())
    });
    if strings {
        return Err(Skip::StringValue);
    }
    let provider = m
        .get("litellm_provider")
        .and_then(json::string)
        .ok_or(Skip::NoProvider)?;
    match m.get("mode").and_then(json::string) {
        None => return Err(Skip::NoMode),
        Some(mode) if mode != "chat" => return Err(Skip::NotChat(mode)),
        Some(_) => {}
    }
    let slug = key.strip_prefix(&format!("{provider}/")).unwrap_or(key);
    if !is_vendor_id(&provider) || !is_slug(slug) {
        return Err(Skip::BadId);
    }
    let id = format!("{provider}/{slug}");

    let mut notes = Vec::new();
    let price = price(&m, key, prov, &mut notes)?;
    let limit = |f: &str, notes: &mut Vec<Note>| match m
        .get(f)
        .map(|v| (json::kind(v), json::decimal(v)))
    {
        None | Some((Kind::Null, _)) => None,
        Some((_, Some(d))) if d > Decimal::ZERO && d.fract().is_zero() => d.to_u64(),
        Some(_) => {
            notes.push(Note::BadLimit);
            None
        }
    };
    let context_window = limit("max_input_tokens", &mut notes);
    let max_output_tokens = limit("max_output_tokens", &mut notes);
    if context_window.is_none() && !notes.contains(&Note::BadLimit) {
        notes.push(Note::NoContextWindow);
    }
    let flag = |f: &str| m.get(f).and_then(json::boolean).unwrap_or(false);
    let mut input_modalities = vec![Modality::Text];
    for (f, modality) in [
        ("supports_vision", Modality::Image),
        ("supports_audio_input", Modality::Audio),
        ("supports_video_input", Modality::Video),
    ] {
        if flag(f) {
            input_modalities.push(modality);
        }
    }
    let mut output_modalities = vec![Modality::Text];
    if flag("supports_audio_output") {
        output_modalities.push(Modality::Audio);
    }
    let mut capabilities: Vec<Capability> = [
        ("supports_function_calling", Capability::FunctionCalling),
        ("supports_prompt_caching", Capability::PromptCaching),
        ("supports_system_messages", Capability::SystemPrompt),
    ]
    .into_iter()
    .filter(|(f, _)| flag(f))
    .map(|(_, c)| c)
    .collect();
    if price.batch_discount.is_some() {
        capabilities.push(Capability::BatchApi);
    }
    capabilities.sort();
    let deprecated = m
        .get("deprecation_date")
        .and_then(json::string)
        .filter(|d| is_date(d))
        .is_some_and(|d| d <= prov.as_of);
    let status = if deprecated {
        notes.push(Note::Deprecated);
        Status::Retired
    } else {
        Status::Ga
    };
    notes.sort();
    notes.dedup();
    Ok(Imported {
        key: key.to_string(),
        provider,
        id,
        status,
        context_window,
        max_output_tokens,
        input_modalities,
        output_modalities,
        capabilities,
        price,
        notes,
    })
}

/// `YYYY-MM-DD`.
pub fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// The threshold in tokens and the index into [`TIER_FIELDS`] of a `*_above_<N>k_tokens` field.
fn tier_field(field: &str) -> Option<(u64, usize)> {
    TIER_FIELDS.iter().enumerate().find_map(|(i, prefix)| {
        let n = field.strip_prefix(prefix)?.strip_suffix("k_tokens")?;
        if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        Some((n.parse::<u64>().ok()?.checked_mul(1000)?, i))
    })
}

/// A per-token price as a per-1M price: `Ok(None)` when absent.
fn per_million(v: Option<&RawValue>) -> Result<Option<Decimal>, Skip> {
    let Some(v) = v.filter(|v| json::kind(v) != Kind::Null) else {
        return Ok(None);
    };
    let d = json::decimal(v).ok_or(Skip::BadNumber)?;
    if d.is_sign_negative() && !d.is_zero() {
        return Err(Skip::BadNumber);
    }
    d.checked_mul(MILLION)
        .map(|p| Some(p.normalize()))
        .ok_or(Skip::BadNumber)
}

/// The three prices of one level: input, output, cached input.
type Level = (Option<Decimal>, Option<Decimal>, Option<Decimal>);

fn level(m: &Members) -> Result<Level, Skip> {
    Ok((
        per_million(m.get("input_cost_per_token"))?,
        per_million(m.get("output_cost_per_token"))?,
        per_million(m.get("cache_read_input_token_cost"))?,
    ))
}

fn price(m: &Members, key: &str, prov: &Provenance, notes: &mut Vec<Note>) -> Result<Price, Skip> {
    let (mut input, mut output, mut cached) = level(m)?;
    let mut tiers: Vec<Tier> = Vec::new();
    if let Some(raw) = m
        .get("tiered_pricing")
        .filter(|v| json::kind(v) != Kind::Null)
    {
        let ranges = ranges(raw)?;
        let ((_, (base_in, base_out, base_cached)), rest) =
            ranges.split_first().ok_or(Skip::BadTiers)?;
        for (flat, ranged) in [
            (&mut input, *base_in),
            (&mut output, *base_out),
            (&mut cached, *base_cached),
        ] {
            match (*flat, ranged) {
                (Some(a), Some(b)) if a != b => return Err(Skip::BadTiers),
                (None, b) => *flat = b,
                _ => {}
            }
        }
        for (above, (i, o, c)) in rest {
            let (Some(i), Some(o)) = (i, o) else {
                return Err(Skip::BadTiers);
            };
            tiers.push(Tier {
                above_input_tokens: *above,
                input: *i,
                output: *o,
                cached_input: c.or(cached),
                cache_write: None,
            });
        }
    }
    let (input, output) = match (input, output) {
        (Some(i), Some(o)) => (i, o),
        (None, None) => return Err(Skip::NoTokenPrice),
        _ => return Err(Skip::HalfPrice),
    };
    let mut above: BTreeMap<u64, [Option<Decimal>; 3]> = BTreeMap::new();
    for (f, v) in &m.0 {
        if let Some((threshold, i)) = tier_field(f) {
            above.entry(threshold).or_default()[i] = per_million(Some(v))?;
        }
    }
    if !above.is_empty() && !tiers.is_empty() {
        return Err(Skip::BadTiers);
    }
    // A price a tier does not restate stays at the base price, as LiteLLM computes it.
    let mut level_prices = (input, output, cached);
    for (threshold, [i, o, c]) in above {
        level_prices = (
            i.unwrap_or(level_prices.0),
            o.unwrap_or(level_prices.1),
            c.or(level_prices.2),
        );
        tiers.push(Tier {
            above_input_tokens: threshold,
            input: level_prices.0,
            output: level_prices.1,
            cached_input: level_prices.2,
            cache_write: None,
        });
    }
    let batch_discount = batch(m, input, output, notes)?;
    let cite = m
        .get("source")
        .and_then(json::string)
        .filter(|s| s.starts_with("http"))
        .map(|s| format!("; LiteLLM cites {s}"))
        .unwrap_or_default();
    Ok(Price {
        input: Some(input),
        output: Some(output),
        cached_input: cached,
        cache: Default::default(),
        batch_discount,
        per_image: None,
        per_video_second: None,
        tiers,
        plans: Vec::new(),
        as_of: prov.as_of.clone(),
        source: format!(
            "LiteLLM {} (read {}), entry `{key}`, USD per token × 1,000,000{cite}",
            prov.file_name, prov.as_of
        ),
    })
}

/// `tiered_pricing`: ranges that start at 0 and join up, as (start, input, output, cached).
fn ranges(raw: &RawValue) -> Result<Vec<(u64, Level)>, Skip> {
    let items: Vec<Box<RawValue>> = serde_json::from_str(raw.get()).map_err(|_| Skip::BadTiers)?;
    let mut out = Vec::with_capacity(items.len());
    let mut expected_start = Decimal::ZERO;
    for item in items {
        let m = Members::parse(item.get()).map_err(|_| Skip::BadTiers)?;
        let bounds: Vec<Box<RawValue>> = m
            .get("range")
            .and_then(|r| serde_json::from_str(r.get()).ok())
            .ok_or(Skip::BadTiers)?;
        let [start, end] = bounds.as_slice() else {
            return Err(Skip::BadTiers);
        };
        let (Some(start), Some(end)) = (json::decimal(start), json::decimal(end)) else {
            return Err(Skip::BadTiers);
        };
        if start != expected_start || end <= start || !start.fract().is_zero() {
            return Err(Skip::BadTiers);
        }
        expected_start = end;
        let prices = level(&m)?;
        let start = start.to_u64().ok_or(Skip::BadTiers)?;
        out.push((start, prices));
    }
    Ok(out)
}

/// One batch discount, when both batch prices are the same exact fraction off the list prices.
fn batch(
    m: &Members,
    input: Decimal,
    output: Decimal,
    notes: &mut Vec<Note>,
) -> Result<Option<Decimal>, Skip> {
    let bi = per_million(m.get("input_cost_per_token_batches"))?;
    let bo = per_million(m.get("output_cost_per_token_batches"))?;
    let (bi, bo) = match (bi, bo) {
        (None, None) => return Ok(None),
        (Some(bi), Some(bo)) => (bi, bo),
        _ => {
            notes.push(Note::BatchOneSided);
            return Ok(None);
        }
    };
    // Same fraction: bi / input = bo / output, compared without division.
    let same = input > Decimal::ZERO
        && output > Decimal::ZERO
        && bi.checked_mul(output) == bo.checked_mul(input)
        && bi <= input;
    let discount = same
        .then(|| Decimal::ONE - bi / input)
        .filter(|d| (Decimal::ONE - *d).checked_mul(input) == Some(bi));
    if discount.is_none() {
        notes.push(Note::BatchUneven);
    }
    Ok(discount.map(|d| d.normalize()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn prov() -> Provenance {
        Provenance {
            file_name: "prices.json".into(),
            as_of: "2024-12-01".into(),
        }
    }

    fn one(key: &str, body: &str) -> Result<Imported, Skip> {
        let raw: Box<RawValue> = serde_json::from_str(body).unwrap();
        entry(key, &raw, &prov())
    }

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn per_token_prices_become_exact_per_million_prices() {
        let m = one(
            "claude-instant-1.2",
            r#"{"max_input_tokens": 100000, "max_output_tokens": 8191, "input_cost_per_token": 1.63e-07,
                "output_cost_per_token": 5.51e-07, "litellm_provider": "anthropic", "mode": "chat"}"#,
        )
        .unwrap();
        assert_eq!(m.id, "anthropic/claude-instant-1.2");
        // 1.63e-07 × 1,000,000 = 0.163 exactly; 5.51e-07 × 1,000,000 = 0.551.
        assert_eq!(m.price.input, Some(d("0.163")));
        assert_eq!(m.price.output, Some(d("0.551")));
        assert_eq!(
            (m.context_window, m.max_output_tokens),
            (Some(100000), Some(8191))
        );
        assert_eq!(m.status, Status::Ga);
        assert!(m.price.source.contains("prices.json") && m.price.source.contains("2024-12-01"));
    }

    #[test]
    fn ids_do_not_repeat_the_provider() {
        let body = |p: &str| {
            format!(
                r#"{{"input_cost_per_token": 1e-6, "output_cost_per_token": 2e-6, "litellm_provider": "{p}", "mode": "chat"}}"#
            )
        };
        assert_eq!(one("gpt-4", &body("openai")).unwrap().id, "openai/gpt-4");
        assert_eq!(
            one("gemini/gemini-1.5-pro", &body("gemini")).unwrap().id,
            "gemini/gemini-1.5-pro"
        );
        // A prefix that is not the provider is part of the key.
        assert_eq!(
            one(
                "vertex_ai/claude-3-opus",
                &body("vertex_ai-anthropic_models")
            )
            .unwrap()
            .id,
            "vertex_ai-anthropic_models/vertex_ai/claude-3-opus"
        );
        assert_eq!(
            one("bedrock/us-east-1/x", &body("bedrock")).unwrap().id,
            "bedrock/us-east-1/x"
        );
        assert_eq!(one("a b", &body("openai")), Err(Skip::BadId));
        assert_eq!(one("x", &body("Open AI")), Err(Skip::BadId));
    }

    #[test]
    fn unmappable_entries_say_why() {
        #[track_caller]
        fn case(body: &str, expected: Skip) {
            assert_eq!(one("k", body), Err(expected), "{body}");
        }
        case(r#"{"alias_of": "global.anthropic.claude"}"#, Skip::Alias);
        case(
            r#"{"max_input_tokens": "max input tokens", "input_cost_per_token": 0.0, "output_cost_per_token": 0.0, "litellm_provider": "one of", "mode": "one of: chat"}"#,
            Skip::StringValue,
        );
        case(
            r#"{"input_cost_per_token": 1e-6, "output_cost_per_token": 1e-6, "mode": "chat"}"#,
            Skip::NoProvider,
        );
        case(
            r#"{"input_cost_per_token": 1e-6, "output_cost_per_token": 1e-6, "litellm_provider": "openai"}"#,
            Skip::NoMode,
        );
        case(
            r#"{"input_cost_per_token": 2e-8, "output_cost_per_token": 0.0, "litellm_provider": "openai", "mode": "embedding"}"#,
            Skip::NotChat("embedding".into()),
        );
        case(
            r#"{"input_cost_per_character": 1.25e-7, "litellm_provider": "vertex_ai", "mode": "chat"}"#,
            Skip::NoTokenPrice,
        );
        case(
            r#"{"input_cost_per_token": 1e-6, "litellm_provider": "openai", "mode": "chat"}"#,
            Skip::HalfPrice,
        );
        case(
            r#"{"input_cost_per_token": -1e-6, "output_cost_per_token": 1e-6, "litellm_provider": "openai", "mode": "chat"}"#,
            Skip::BadNumber,
        );
        case(
            r#"{"input_cost_per_token": true, "output_cost_per_token": 1e-6, "litellm_provider": "openai", "mode": "chat"}"#,
            Skip::BadNumber,
        );
    }

    #[test]
    fn long_prompt_tiers_keep_unrestated_prices_at_base() {
        let m = one(
            "gemini/gemini-2.5-pro",
            r#"{"cache_read_input_token_cost": 1.25e-07, "cache_read_input_token_cost_above_200k_tokens": 2.5e-07,
                "cache_read_input_token_cost_above_200k_tokens_priority": 4.5e-07,
                "input_cost_per_token": 1.25e-06, "input_cost_per_token_above_200k_tokens": 2.5e-06,
                "output_cost_per_token": 1e-05, "output_cost_per_token_above_200k_tokens": 1.5e-05,
                "input_cost_per_token_above_400k_tokens": 5e-06,
                "litellm_provider": "gemini", "max_input_tokens": 1048576, "mode": "chat", "supports_vision": true}"#,
        )
        .unwrap();
        assert_eq!(m.price.cached_input, Some(d("0.125")));
        assert_eq!(
            m.price.tiers,
            vec![
                Tier {
                    above_input_tokens: 200_000,
                    input: d("2.5"),
                    output: d("15"),
                    cached_input: Some(d("0.25")),
                    cache_write: None,
                },
                // Only input is restated above 400k: output and cached stay at the 200k tier's.
                Tier {
                    above_input_tokens: 400_000,
                    input: d("5"),
                    output: d("15"),
                    cached_input: Some(d("0.25")),
                    cache_write: None,
                },
            ]
        );
        assert_eq!(m.input_modalities, vec![Modality::Text, Modality::Image]);
    }

    #[test]
    fn tiered_pricing_ranges_become_tiers() {
        let m = one(
            "dashscope/qwen-flash",
            r#"{"litellm_provider": "dashscope", "max_input_tokens": 997952, "mode": "chat",
                "tiered_pricing": [{"input_cost_per_token": 5e-08, "output_cost_per_token": 4e-07, "range": [0, 256000.0]},
                                   {"input_cost_per_token": 2.5e-07, "output_cost_per_token": 2e-06, "range": [256000.0, 1000000.0]}]}"#,
        )
        .unwrap();
        assert_eq!(
            (m.price.input, m.price.output),
            (Some(d("0.05")), Some(d("0.4")))
        );
        assert_eq!(
            m.price.tiers,
            vec![Tier {
                above_input_tokens: 256_000,
                input: d("0.25"),
                output: d("2"),
                cached_input: None,
                cache_write: None,
            }]
        );
        let gap = r#"{"litellm_provider": "dashscope", "mode": "chat", "tiered_pricing": [
            {"input_cost_per_token": 5e-08, "output_cost_per_token": 4e-07, "range": [0, 1000]},
            {"input_cost_per_token": 5e-08, "output_cost_per_token": 4e-07, "range": [2000, 3000]}]}"#;
        assert_eq!(one("q", gap), Err(Skip::BadTiers));
    }

    #[test]
    fn batch_prices_map_only_as_one_fraction() {
        let body = |bi: &str, bo: &str| {
            format!(
                r#"{{"input_cost_per_token": 2.5e-06, "output_cost_per_token": 1e-05, {bi} {bo} "litellm_provider": "openai", "mode": "chat", "max_input_tokens": 128000}}"#
            )
        };
        let half = one(
            "gpt-4o",
            &body(
                r#""input_cost_per_token_batches": 1.25e-06,"#,
                r#""output_cost_per_token_batches": 5e-06,"#,
            ),
        )
        .unwrap();
        assert_eq!(half.price.batch_discount, Some(d("0.5")));
        assert!(half.capabilities.contains(&Capability::BatchApi));
        assert!(half.notes.is_empty());
        let uneven = one(
            "gpt-4o",
            &body(
                r#""input_cost_per_token_batches": 1.25e-06,"#,
                r#""output_cost_per_token_batches": 6e-06,"#,
            ),
        )
        .unwrap();
        assert_eq!(
            (uneven.price.batch_discount, uneven.notes.as_slice()),
            (None, &[Note::BatchUneven][..])
        );
        let one_sided = one(
            "gpt-4o",
            &body(r#""input_cost_per_token_batches": 1.25e-06,"#, ""),
        )
        .unwrap();
        assert_eq!(
            (one_sided.price.batch_discount, one_sided.notes.as_slice()),
            (None, &[Note::BatchOneSided][..])
        );
        // A third off, as LiteLLM rounds it, is not exactly one fraction of both: nothing is rounded.
        let third = one(
            "gpt-4o",
            &body(
                r#""input_cost_per_token_batches": 1.6666666666666667e-06,"#,
                r#""output_cost_per_token_batches": 6.666666666666667e-06,"#,
            ),
        )
        .unwrap();
        assert_eq!(third.price.batch_discount, None);
    }

    #[test]
    fn deprecated_models_are_retired_and_flags_become_capabilities() {
        let m = one(
            "gpt-4",
            r#"{"deprecation_date": "2024-06-13", "input_cost_per_token": 3e-05, "output_cost_per_token": 6e-05,
                "litellm_provider": "openai", "mode": "chat", "supports_function_calling": true,
                "supports_prompt_caching": true, "supports_system_messages": true, "supports_tool_choice": true}"#,
        )
        .unwrap();
        assert_eq!(m.status, Status::Retired);
        assert_eq!(
            m.capabilities,
            vec![
                Capability::FunctionCalling,
                Capability::PromptCaching,
                Capability::SystemPrompt
            ]
        );
        assert_eq!(m.notes, vec![Note::NoContextWindow, Note::Deprecated]);
    }

    #[test]
    fn the_first_of_two_entries_with_one_id_wins() {
        let text = r#"{"deepseek-chat": {"input_cost_per_token": 1e-6, "output_cost_per_token": 2e-6, "litellm_provider": "deepseek", "mode": "chat"},
                       "deepseek/deepseek-chat": {"input_cost_per_token": 3e-6, "output_cost_per_token": 4e-6, "litellm_provider": "deepseek", "mode": "chat"}}"#;
        let m = map(text, &prov()).unwrap();
        assert_eq!(m.models.len(), 1);
        assert_eq!(m.models[0].price.input, Some(d("1")));
        assert_eq!(
            m.skipped,
            vec![("deepseek/deepseek-chat".to_string(), Skip::DuplicateId)]
        );
        assert!(map("[1, 2]", &prov()).is_err());
    }

    #[test]
    fn a_key_written_twice_skips_the_entry_with_its_reason() {
        // Inside an entry (the second input price would silently win in most parsers), and the
        // entry's own key twice in the file.
        let text = r#"{"a": {"litellm_provider": "openai", "mode": "chat", "input_cost_per_token": 1e-6, "output_cost_per_token": 2e-6, "input_cost_per_token": 5e-6},
                       "b": {"litellm_provider": "openai", "mode": "chat", "input_cost_per_token": 1e-6, "output_cost_per_token": 2e-6},
                       "b": {"litellm_provider": "openai", "mode": "chat", "input_cost_per_token": 3e-6, "output_cost_per_token": 4e-6},
                       "c": {"litellm_provider": "openai", "mode": "chat", "input_cost_per_token": 1.00000000000000000000000000001e-6, "output_cost_per_token": 2e-6}}"#;
        let m = map(text, &prov()).unwrap();
        assert!(m.models.is_empty());
        let skipped: Vec<(&str, &Skip)> = m.skipped.iter().map(|(k, s)| (k.as_str(), s)).collect();
        assert_eq!(
            skipped,
            vec![
                ("a", &Skip::DuplicateKey),
                ("b", &Skip::DuplicateKey),
                ("b", &Skip::DuplicateKey),
                ("c", &Skip::BadNumber)
            ]
        );
    }
}

//! LiteLLM's `model_prices_and_context_window.json`, the most widely used list of LLM prices,
//! mapped into vendor profiles: one profile per `litellm_provider`.
//!
//! What is mapped, exactly (prices are USD per token there, per 1M tokens here):
//! - `input_cost_per_token`, `output_cost_per_token` → `input`, `output` (× 1,000,000);
//! - `cache_read_input_token_cost` → `cached_input`, `cache_creation_input_token_cost` →
//!   `cache_write`;
//! - `input_cost_per_token_batches` and `output_cost_per_token_batches` → `batch_discount`, only
//!   when both are the same fraction of the list prices (the planner has one batch discount);
//! - `*_above_<N>k_tokens` and `tiered_pricing` ranges → `[[model.price.tiers]]` above N × 1,000
//!   input tokens; a price a tier does not restate stays at the base price, as in LiteLLM;
//! - `output_cost_per_image` → `per_image`; for video generation, `output_cost_per_video_per_second`
//!   or `output_cost_per_second` → `per_video_second`;
//! - `max_input_tokens` → `context_window`, `max_output_tokens` → `max_output_tokens`;
//! - `supported_modalities` / `supported_output_modalities` when given, otherwise what the mode
//!   reads and writes (see [`mode`]), plus `supports_vision` / `_audio_input` / `_video_input`;
//! - `supports_function_calling`, `_prompt_caching`, `_system_messages`, `_response_schema`,
//!   `_reasoning` → capabilities;
//! - a `deprecation_date` on or before the as-of date → status `retired`, otherwise `ga`.
//!
//! Text models (modes `chat`, `completion` and `responses`) need a per-token price pair, or the
//! entry is skipped. Image, video, speech, transcription, embedding, rerank and moderation
//! entries are imported with the modalities they really have, so that a text workload excludes
//! them with a reason; they keep the prices the planner can bill and are otherwise unpriced with a
//! note. A price whose every amount is $0 is imported as no price unless `keep_zero_prices`.
//! Other entries are skipped with their reason counted. Nothing is guessed.

use super::imported::{
    correct_kind, significant_digits, usable_slug, zero_rule, Imported, Mapping, Note,
};
use super::json::{self, Kind, Members};
use super::profile_text::Origin;
use crate::catalogue::model::{Price, Tier};
use crate::catalogue::profile::is_vendor_id;
use crate::catalogue::vocab::{Capability, Modality, Status};
use crate::cost::MILLION;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde_json::value::RawValue;
use std::collections::BTreeMap;

/// Where the prices came from, written into every price's `source`, and how to read them.
#[derive(Debug, Clone)]
pub struct Provenance {
    /// The file name as given, without its folder.
    pub file_name: String,
    /// The date the prices were read, `YYYY-MM-DD`.
    pub as_of: String,
    /// Keep prices whose every amount is $0 instead of importing the model unpriced.
    pub keep_zero_prices: bool,
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
    /// A mode that is not a model the planner can price (realtime, search, OCR, ...).
    OtherMode(String),
    /// A text model with neither per-token price, though it may be priced per character or second.
    NoTokenPrice,
    /// A text model with an input price and no output price, or the reverse.
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
            Skip::OtherMode(mode) => format!("mode `{mode}`, not a model the planner prices"),
            Skip::NoTokenPrice => "a text model with no per-token price".into(),
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

/// What a LiteLLM mode is: a text model, or a model of other modalities.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    /// `chat`, `completion` or `responses`: text in, text out, priced per token.
    Text(Option<Note>),
    /// Another kind of model, with what it reads and writes by default.
    Other(&'static [Modality], &'static [Modality]),
}

/// What each mode reads and writes when the entry does not list its modalities; `None` for modes
/// the planner has no use for.
pub fn mode(mode: &str) -> Option<Mode> {
    use Modality::*;
    Some(match mode {
        "chat" => Mode::Text(None),
        "completion" => Mode::Text(Some(Note::CompletionApi)),
        "responses" => Mode::Text(Some(Note::ResponsesApi)),
        "image_generation" => Mode::Other(&[Text], &[Image]),
        "image_edit" => Mode::Other(&[Text, Image], &[Image]),
        "video_generation" => Mode::Other(&[Text], &[Video]),
        "audio_speech" => Mode::Other(&[Text], &[Audio]),
        "audio_transcription" => Mode::Other(&[Audio], &[Text]),
        "embedding" => Mode::Other(&[Text], &[Embedding]),
        "rerank" | "moderation" => Mode::Other(&[Text], &[Scores]),
        _ => return None,
    })
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
            out.skipped.push((key.clone(), Skip::DuplicateKey.reason()));
            continue;
        }
        match entry(key, raw, prov) {
            Ok(m) if taken.contains_key(&m.id) => {
                out.skipped.push((key.clone(), Skip::DuplicateId.reason()))
            }
            Ok(m) => {
                taken.insert(m.id.clone(), key.clone());
                out.models.push(m);
            }
            Err(skip) => out.skipped.push((key.clone(), skip.reason())),
        }
    }
    Ok(out)
}

/// The header and vendor name of the profile file written for one provider.
pub fn origin(provider: &str, file_name: &str, as_of: &str) -> Origin {
    Origin {
        header: vec![
            format!("Imported by `llmplan import litellm` from {file_name}, prices read {as_of}."),
            "Source: LiteLLM's model price map, github.com/BerriAI/litellm (MIT licence, Copyright (c) 2023 Berri AI).".into(),
            "USD per token there, per 1M tokens here, converted exactly. Re-import rather than edit by hand.".into(),
        ],
        vendor_name: format!("{provider} (LiteLLM)"),
        catalogue: "LiteLLM".into(),
    }
}

/// The fields whose numbers the importer reads; a string in any of them skips the entry.
const NUMBER_FIELDS: &[&str] = &[
    "input_cost_per_token",
    "output_cost_per_token",
    "cache_read_input_token_cost",
    "cache_creation_input_token_cost",
    "input_cost_per_token_batches",
    "output_cost_per_token_batches",
    "output_cost_per_image",
    "output_cost_per_video_per_second",
    "output_cost_per_second",
    "max_input_tokens",
    "max_output_tokens",
];

/// The prices a model keeps, checked for float noise.
const PRICE_FIELDS: &[&str] = &[
    "input_cost_per_token",
    "output_cost_per_token",
    "cache_read_input_token_cost",
    "cache_creation_input_token_cost",
    "output_cost_per_image",
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
    let mode_name = m.get("mode").and_then(json::string).ok_or(Skip::NoMode)?;
    let kind = mode(&mode_name).ok_or_else(|| Skip::OtherMode(mode_name.clone()))?;
    let slug = key.strip_prefix(&format!("{provider}/")).unwrap_or(key);
    if !is_vendor_id(&provider) || !usable_slug(slug) {
        return Err(Skip::BadId);
    }
    let id = format!("{provider}/{slug}");

    let mut notes = Vec::new();
    let price = match &kind {
        Mode::Text(note) => {
            notes.extend(note.clone());
            Some(price(&m, key, prov, &mut notes)?)
        }
        Mode::Other(..) => other_price(&m, key, &mode_name, prov, &mut notes)?,
    };
    let noisy: Vec<&str> = PRICE_FIELDS
        .iter()
        .copied()
        .filter(|f| {
            m.get(f)
                .is_some_and(|v| json::kind(v) == Kind::Number && significant_digits(v.get()) >= 16)
        })
        .collect();
    if price.is_some() && !noisy.is_empty() {
        notes.push(Note::FloatNoise {
            fields: noisy.join(", "),
        });
    }
    let limit = |f: &str, notes: &mut Vec<Note>| match m
        .get(f)
        .map(|v| (json::kind(v), json::decimal(v)))
    {
        None | Some((Kind::Null, _)) => None,
        Some((_, Some(d))) if d > Decimal::ZERO && d.fract().is_zero() => d.to_u64(),
        // Moderation entries give max_output_tokens = 0: they write no tokens.
        Some((_, Some(d))) if d.is_zero() && f == "max_output_tokens" => None,
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
    let (default_in, default_out): (&[Modality], &[Modality]) = match &kind {
        Mode::Text(_) if flag("supports_audio_output") => {
            (&[Modality::Text], &[Modality::Text, Modality::Audio])
        }
        Mode::Text(_) => (&[Modality::Text], &[Modality::Text]),
        Mode::Other(i, o) => (*i, *o),
    };
    let mut others = Vec::new();
    let mut input_modalities = modalities(&m, "supported_modalities", default_in, &mut others);
    for (f, modality) in [
        ("supports_vision", Modality::Image),
        ("supports_audio_input", Modality::Audio),
        ("supports_video_input", Modality::Video),
    ] {
        if flag(f) && !input_modalities.contains(&modality) {
            input_modalities.push(modality);
        }
    }
    input_modalities.sort();
    let mut output_modalities =
        modalities(&m, "supported_output_modalities", default_out, &mut others);
    if matches!(kind, Mode::Text(_)) {
        correct_kind(&mut output_modalities, [slug], &mut notes);
    }
    if !others.is_empty() {
        others.sort();
        others.dedup();
        notes.push(Note::OtherModality {
            values: others.join(", "),
        });
    }
    let price = zero_rule(
        price,
        output_modalities.contains(&Modality::Text),
        prov.keep_zero_prices,
        &mut notes,
    );
    let mut capabilities: Vec<Capability> = [
        ("supports_function_calling", Capability::FunctionCalling),
        ("supports_prompt_caching", Capability::PromptCaching),
        ("supports_system_messages", Capability::SystemPrompt),
        ("supports_response_schema", Capability::StructuredOutput),
        ("supports_reasoning", Capability::Reasoning),
    ]
    .into_iter()
    .filter(|(f, _)| flag(f))
    .map(|(_, c)| c)
    .collect();
    if price.as_ref().is_some_and(|p| p.batch_discount.is_some()) {
        capabilities.push(Capability::BatchApi);
    }
    capabilities.sort();
    let deprecation = m
        .get("deprecation_date")
        .and_then(json::string)
        .filter(|d| crate::validate::calendar_date(d));
    let source = m
        .get("deprecation_source")
        .and_then(json::string)
        .filter(|s| s.starts_with("http"));
    let status = match deprecation {
        Some(date) if date.as_str() <= prov.as_of.as_str() => {
            notes.push(Note::Retired { date, source });
            Status::Retired
        }
        Some(date) => {
            notes.push(Note::DeprecationScheduled { date, source });
            Status::Ga
        }
        None => Status::Ga,
    };
    notes.sort();
    notes.dedup();
    Ok(Imported {
        key: key.to_string(),
        provider,
        id,
        name: key.to_string(),
        status,
        released: None,
        context_window,
        max_input_tokens: None,
        max_output_tokens,
        input_modalities,
        output_modalities,
        capabilities,
        open_weights: false,
        price,
        notes,
        inherited: None,
    })
}

/// A list of modalities from `field`, or `default` when the entry does not give one. Values
/// outside the vocabulary are collected in `others`.
fn modalities(
    m: &Members,
    field: &str,
    default: &[Modality],
    others: &mut Vec<String>,
) -> Vec<Modality> {
    let listed: Option<Vec<String>> = m
        .get(field)
        .and_then(|v| serde_json::from_str::<Vec<String>>(v.get()).ok())
        .filter(|l| !l.is_empty());
    let Some(listed) = listed else {
        return default.to_vec();
    };
    let mut out = Vec::new();
    for v in listed {
        match Modality::parse(&v) {
            Some(x) if !out.contains(&x) => out.push(x),
            Some(_) => {}
            None => others.push(v),
        }
    }
    out.sort();
    out
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

/// An amount as written, exactly: `Ok(None)` when absent.
fn amount(v: Option<&RawValue>) -> Result<Option<Decimal>, Skip> {
    let Some(v) = v.filter(|v| json::kind(v) != Kind::Null) else {
        return Ok(None);
    };
    let d = json::decimal(v).ok_or(Skip::BadNumber)?;
    if d.is_sign_negative() && !d.is_zero() {
        return Err(Skip::BadNumber);
    }
    Ok(Some(d.normalize()))
}

/// A per-token price as a per-1M price: `Ok(None)` when absent.
fn per_million(v: Option<&RawValue>) -> Result<Option<Decimal>, Skip> {
    match amount(v)? {
        None => Ok(None),
        Some(d) => d
            .checked_mul(MILLION)
            .map(|p| Some(p.normalize()))
            .ok_or(Skip::BadNumber),
    }
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

/// The `source` of every price: the file, the date read, the entry, and LiteLLM's own citation.
fn source(m: &Members, key: &str, prov: &Provenance, unit: &str) -> String {
    let cite = m
        .get("source")
        .and_then(json::string)
        .filter(|s| s.starts_with("http"))
        .map(|s| format!("; LiteLLM cites {s}"))
        .unwrap_or_default();
    format!(
        "LiteLLM {} (read {}), entry `{key}`, {unit}{cite}",
        prov.file_name, prov.as_of
    )
}

/// The price of a text model: per-token input and output, with tiers, cache and batch prices.
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
    Ok(Price {
        input: Some(input),
        output: Some(output),
        cached_input: cached,
        // A write price bills only beside a read price (a profile refuses it alone).
        cache: crate::catalogue::cache::CacheTerms {
            cache_write: per_million(m.get("cache_creation_input_token_cost"))?
                .filter(|_| cached.is_some()),
            ..Default::default()
        },
        batch_discount,
        per_image: None,
        per_video_second: None,
        tiers,
        plans: Vec::new(),
        as_of: prov.as_of.clone(),
        source: source(m, key, prov, "USD per token × 1,000,000"),
    })
}

/// The price of an image, video, speech, embedding, rerank or moderation model: the per-token
/// pair when both are given, a price per image, and for video a price per second; otherwise no
/// price, with a note naming the units it is priced in.
fn other_price(
    m: &Members,
    key: &str,
    mode: &str,
    prov: &Provenance,
    notes: &mut Vec<Note>,
) -> Result<Option<Price>, Skip> {
    let input = per_million(m.get("input_cost_per_token"))?;
    let output = per_million(m.get("output_cost_per_token"))?;
    // Priced per query, character or second, with tokens at $0: the tokens are not the price.
    let other_units = m.0.iter().any(|(f, v)| {
        f.contains("_cost_per_")
            && !f.contains("_per_token")
            && !f.ends_with("_batches")
            && json::decimal(v).is_some_and(|d| !d.is_zero())
    });
    let (input, output) = match (input, output) {
        (Some(i), Some(o)) if !(i.is_zero() && o.is_zero() && other_units) => (Some(i), Some(o)),
        _ => (None, None),
    };
    let per_image = if mode.starts_with("image_") {
        amount(m.get("output_cost_per_image"))?
    } else {
        None
    };
    let per_video_second = if mode == "video_generation" {
        match amount(m.get("output_cost_per_video_per_second"))? {
            Some(d) => Some(d),
            None => amount(m.get("output_cost_per_second"))?,
        }
    } else {
        None
    };
    if input.is_none() && per_image.is_none() && per_video_second.is_none() {
        let fields: Vec<&str> =
            m.0.iter()
                .map(|(f, _)| f.as_str())
                .filter(|f| {
                    f.contains("_cost_per_")
                        && !f.ends_with("_batches")
                        && m.get(f)
                            .and_then(json::decimal)
                            .is_some_and(|d| !d.is_zero())
                })
                .collect();
        notes.push(if fields.is_empty() {
            Note::NoPrice
        } else {
            Note::Unbillable {
                fields: fields.join(", "),
            }
        });
        return Ok(None);
    }
    let mut units = Vec::new();
    if input.is_some() {
        units.push("USD per token × 1,000,000");
    }
    if per_image.is_some() {
        units.push("USD per image");
    }
    if per_video_second.is_some() {
        units.push("USD per second of video");
    }
    Ok(Some(Price {
        input,
        output,
        cached_input: None,
        cache: Default::default(),
        batch_discount: None,
        per_image,
        per_video_second,
        tiers: Vec::new(),
        plans: Vec::new(),
        as_of: prov.as_of.clone(),
        source: source(m, key, prov, &units.join(", ")),
    }))
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
            keep_zero_prices: false,
        }
    }

    fn price_of(m: &Imported) -> &Price {
        m.price.as_ref().expect("priced")
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
        assert_eq!(price_of(&m).input, Some(d("0.163")));
        assert_eq!(price_of(&m).output, Some(d("0.551")));
        assert_eq!(
            (m.context_window, m.max_output_tokens),
            (Some(100000), Some(8191))
        );
        assert_eq!(m.status, Status::Ga);
        let source = &price_of(&m).source;
        assert!(source.contains("prices.json") && source.contains("2024-12-01"));
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
        // A zero-width space would make an id that prints like another: the catalogue refuses it.
        assert_eq!(one("gpt\u{200B}-4", &body("openai")), Err(Skip::BadId));
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
            r#"{"input_cost_per_token": 2e-8, "output_cost_per_token": 0.0, "litellm_provider": "openai", "mode": "realtime"}"#,
            Skip::OtherMode("realtime".into()),
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
        assert_eq!(price_of(&m).cached_input, Some(d("0.125")));
        assert_eq!(
            price_of(&m).tiers,
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
            (price_of(&m).input, price_of(&m).output),
            (Some(d("0.05")), Some(d("0.4")))
        );
        assert_eq!(
            price_of(&m).tiers,
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
        assert_eq!(price_of(&half).batch_discount, Some(d("0.5")));
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
            (price_of(&uneven).batch_discount, uneven.notes.as_slice()),
            (None, &[Note::BatchUneven][..])
        );
        let one_sided = one(
            "gpt-4o",
            &body(r#""input_cost_per_token_batches": 1.25e-06,"#, ""),
        )
        .unwrap();
        assert_eq!(
            (
                price_of(&one_sided).batch_discount,
                one_sided.notes.as_slice()
            ),
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
        assert_eq!(price_of(&third).batch_discount, None);
        assert_eq!(third.notes, [Note::BatchUneven]);
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
        assert_eq!(
            m.notes,
            vec![
                Note::NoContextWindow,
                Note::Retired {
                    date: "2024-06-13".into(),
                    source: None
                }
            ]
        );
    }

    #[test]
    fn the_first_of_two_entries_with_one_id_wins() {
        let text = r#"{"deepseek-chat": {"input_cost_per_token": 1e-6, "output_cost_per_token": 2e-6, "litellm_provider": "deepseek", "mode": "chat"},
                       "deepseek/deepseek-chat": {"input_cost_per_token": 3e-6, "output_cost_per_token": 4e-6, "litellm_provider": "deepseek", "mode": "chat"}}"#;
        let m = map(text, &prov()).unwrap();
        assert_eq!(m.models.len(), 1);
        assert_eq!(price_of(&m.models[0]).input, Some(d("1")));
        assert_eq!(
            m.skipped,
            vec![(
                "deepseek/deepseek-chat".to_string(),
                Skip::DuplicateId.reason()
            )]
        );
        assert!(map("[1, 2]", &prov()).is_err());
    }

    #[test]
    fn responses_and_completion_models_are_text_models_with_a_note() {
        let body = |mode: &str| {
            format!(
                r#"{{"input_cost_per_token": 1.5e-06, "output_cost_per_token": 2e-06, "litellm_provider": "openai", "mode": "{mode}", "max_input_tokens": 8192}}"#
            )
        };
        let r = one("o1-pro", &body("responses")).unwrap();
        assert_eq!(
            (
                r.input_modalities.as_slice(),
                r.output_modalities.as_slice()
            ),
            (&[Modality::Text][..], &[Modality::Text][..])
        );
        assert_eq!(r.notes, [Note::ResponsesApi]);
        let c = one("gpt-3.5-turbo-instruct", &body("completion")).unwrap();
        assert_eq!(c.notes, [Note::CompletionApi]);
        assert_eq!(price_of(&c).output, Some(d("2")));
    }

    #[test]
    fn media_and_embedding_models_carry_their_real_modalities() {
        // LiteLLM lists a music model under mode `chat`, $0 throughout, writing audio.
        let lyria = one(
            "gemini/lyria-3-pro-preview",
            r#"{"input_cost_per_token": 0, "litellm_provider": "gemini", "max_input_tokens": 131072, "mode": "chat",
                "output_cost_per_token": 0, "supported_modalities": ["text"], "supported_output_modalities": ["audio"],
                "supports_audio_output": true, "output_cost_per_image": 0.08}"#,
        )
        .unwrap();
        assert_eq!(lyria.output_modalities, [Modality::Audio]);
        assert_eq!(lyria.price, None);
        assert_eq!(lyria.notes, [Note::ZeroPrice]);
        let dalle = one(
            "dall-e-3",
            r#"{"litellm_provider": "openai", "mode": "image_generation", "output_cost_per_image": 0.04}"#,
        )
        .unwrap();
        assert_eq!(
            (
                dalle.input_modalities.as_slice(),
                dalle.output_modalities.as_slice()
            ),
            (&[Modality::Text][..], &[Modality::Image][..])
        );
        assert_eq!(price_of(&dalle).per_image, Some(d("0.04")));
        assert_eq!(price_of(&dalle).input, None);
        let veo = one(
            "vertex_ai/veo-3",
            r#"{"litellm_provider": "vertex_ai", "mode": "video_generation", "output_cost_per_second": 0.75,
                "supported_modalities": ["text", "image"], "supported_output_modalities": ["video"]}"#,
        )
        .unwrap();
        assert_eq!(price_of(&veo).per_video_second, Some(d("0.75")));
        assert_eq!(veo.input_modalities, [Modality::Text, Modality::Image]);
        let embed = one(
            "text-embedding-3-small",
            r#"{"input_cost_per_token": 2e-08, "litellm_provider": "openai", "max_input_tokens": 8191, "mode": "embedding", "output_cost_per_token": 0.0}"#,
        )
        .unwrap();
        assert_eq!(embed.output_modalities, [Modality::Embedding]);
        // $0.02 per 1M input tokens and $0 output: not $0 throughout, so priced.
        assert_eq!(
            (price_of(&embed).input, price_of(&embed).output),
            (Some(d("0.02")), Some(d("0")))
        );
        let rerank = one(
            "cohere/rerank-v3.5",
            r#"{"input_cost_per_query": 0.002, "input_cost_per_token": 0.0, "litellm_provider": "cohere", "mode": "rerank", "output_cost_per_token": 0.0}"#,
        )
        .unwrap();
        assert_eq!(rerank.output_modalities, [Modality::Scores]);
        assert_eq!(rerank.price, None);
        // Tokens at $0 beside a price per query: priced per query, which the planner cannot bill.
        assert_eq!(
            rerank.notes,
            [
                Note::NoContextWindow,
                Note::Unbillable {
                    fields: "input_cost_per_query".into()
                }
            ]
        );
        let lyria = one(
            "vertex_ai/lyria-002",
            r#"{"litellm_provider": "vertex_ai", "mode": "audio_speech", "output_cost_per_image": 0.06,
                "supported_modalities": ["text"], "supported_output_modalities": ["audio"]}"#,
        )
        .unwrap();
        // A music model priced "per image": not an image model, so no per_image price.
        assert_eq!(lyria.price, None);
        assert_eq!(lyria.output_modalities, [Modality::Audio]);
        let tts = one(
            "tts-1",
            r#"{"input_cost_per_character": 1.5e-05, "litellm_provider": "openai", "mode": "audio_speech"}"#,
        )
        .unwrap();
        assert_eq!(tts.output_modalities, [Modality::Audio]);
        assert_eq!(
            tts.notes,
            [
                Note::NoContextWindow,
                Note::Unbillable {
                    fields: "input_cost_per_character".into()
                }
            ]
        );
        let whisper = one(
            "whisper-1",
            r#"{"input_cost_per_second": 0.0001, "litellm_provider": "openai", "mode": "audio_transcription"}"#,
        )
        .unwrap();
        assert_eq!(
            (
                whisper.input_modalities.as_slice(),
                whisper.output_modalities.as_slice()
            ),
            (&[Modality::Audio][..], &[Modality::Text][..])
        );
        // Values outside the vocabulary are left out with a note.
        let llama = one(
            "meta.llama4-scout-17b-instruct-v1:0",
            r#"{"input_cost_per_token": 1.7e-07, "output_cost_per_token": 6.6e-07, "litellm_provider": "bedrock_converse", "mode": "chat",
                "max_input_tokens": 128000, "supported_modalities": ["text", "image"], "supported_output_modalities": ["text", "code"]}"#,
        )
        .unwrap();
        assert_eq!(llama.output_modalities, [Modality::Text]);
        assert_eq!(
            llama.notes,
            [Note::OtherModality {
                values: "code".into()
            }]
        );
    }

    #[test]
    fn zero_prices_are_unpriced_unless_kept() {
        let body = r#"{"input_cost_per_token": 0, "output_cost_per_token": 0.0, "litellm_provider": "ollama", "mode": "chat", "max_input_tokens": 8192}"#;
        let free = one("ollama/llama3", body).unwrap();
        assert_eq!(
            (free.price.clone(), free.notes.clone()),
            (None, vec![Note::ZeroPrice])
        );
        let raw: Box<RawValue> = serde_json::from_str(body).unwrap();
        let kept = entry(
            "ollama/llama3",
            &raw,
            &Provenance {
                keep_zero_prices: true,
                ..prov()
            },
        )
        .unwrap();
        assert_eq!(price_of(&kept).input, Some(Decimal::ZERO));
        assert_eq!(kept.notes, [Note::ZeroPriceKept]);
    }

    #[test]
    fn a_deprecation_date_after_the_as_of_date_is_noted_and_the_model_stays_ga() {
        let m = one(
            "gpt-4o-mini",
            r#"{"deprecation_date": "2027-01-14", "deprecation_source": "https://developers.openai.com/api/docs/deprecations",
                "input_cost_per_token": 1.5e-07, "output_cost_per_token": 6e-07, "cache_read_input_token_cost": 7.5e-08,
                "litellm_provider": "openai", "max_input_tokens": 128000, "mode": "chat", "supports_response_schema": true}"#,
        )
        .unwrap();
        assert_eq!(m.status, Status::Ga);
        let note = Note::DeprecationScheduled {
            date: "2027-01-14".into(),
            source: Some("https://developers.openai.com/api/docs/deprecations".into()),
        };
        assert_eq!(m.notes, std::slice::from_ref(&note));
        assert_eq!(
            note.text(),
            "deprecation_date 2027-01-14 (https://developers.openai.com/api/docs/deprecations): retired from then"
        );
        assert_eq!(m.capabilities, [Capability::StructuredOutput]);
        // On the as-of date itself the model is retired.
        let on_the_day = one(
            "x",
            r#"{"deprecation_date": "2024-12-01", "input_cost_per_token": 1e-6, "output_cost_per_token": 1e-6, "litellm_provider": "openai", "mode": "chat"}"#,
        )
        .unwrap();
        assert_eq!(on_the_day.status, Status::Retired);
    }

    #[test]
    fn cache_creation_is_the_cache_write_price() {
        let m = one(
            "claude-3-haiku-20240307",
            r#"{"cache_creation_input_token_cost": 3e-07, "cache_read_input_token_cost": 3e-08, "input_cost_per_token": 2.5e-07,
                "litellm_provider": "anthropic", "max_input_tokens": 200000, "mode": "chat", "output_cost_per_token": 1.25e-06}"#,
        )
        .unwrap();
        // 3e-07 × 1,000,000 = 0.3; 3e-08 × 1,000,000 = 0.03.
        assert_eq!(
            (price_of(&m).cache.cache_write, price_of(&m).cached_input),
            (Some(d("0.3")), Some(d("0.03")))
        );
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
        let skipped: Vec<(&str, &str)> = m
            .skipped
            .iter()
            .map(|(k, s)| (k.as_str(), s.as_str()))
            .collect();
        let (twice, bad) = (Skip::DuplicateKey.reason(), Skip::BadNumber.reason());
        assert_eq!(
            skipped,
            vec![
                ("a", twice.as_str()),
                ("b", twice.as_str()),
                ("b", twice.as_str()),
                ("c", bad.as_str())
            ]
        );
    }
}

//! models.dev, the open catalogue of model prices, limits and capabilities (MIT), mapped into
//! vendor profiles: one profile per provider folder.
//!
//! The catalogue is a tree of TOML files (see its README, "Adding a New Provider Model"):
//! `providers/<provider>/provider.toml` names the provider, and each file under
//! `providers/<provider>/models/` is one model, its id the file's path without `.toml`. A model
//! file may name a `base_model`, a file under `models/` whose fields it inherits: tables are
//! merged key by key, the model file's own values win, and `base_model_omit` then removes the
//! dot-paths it lists.
//!
//! What is mapped (models.dev prices are USD per 1M tokens, as here):
//! - `[cost]` `input`, `output`, `cache_read`, `cache_write` → `input`, `output`, `cached_input`,
//!   `cache_write`; `[[cost.tiers]]` of type `context` (or no type) → `[[model.price.tiers]]`
//!   above `size` input tokens;
//! - `[limit]` `context`, `input`, `output` → `context_window`, `max_input_tokens`,
//!   `max_output_tokens`;
//! - `[modalities]` → input and output modalities (`pdf` and other values outside the
//!   vocabulary are left out with a note). models.dev has no field for a model's kind and lists
//!   most embedding and rerank models as writing text: a model listed as writing text alone whose
//!   file name, name or family holds `embed` writes `embedding`, and one holding `rerank` or
//!   `moderation` writes `scores`, with a note;
//! - `tool_call`, `structured_output`, `reasoning` → capabilities `function_calling`,
//!   `structured_output`, `reasoning`, and a `cache_read` price → `prompt_caching`;
//! - `open_weights`, `release_date` → `released`, `last_updated` → the price's `as_of`;
//! - `status`: `alpha` and `beta` → `preview`, `deprecated` → `retired`, none → `ga`.
//!
//! Prices are read from the TOML text exactly, never through a float. A comment in `[cost]` that
//! gives another unit (`# per audio minute`) makes the model unpriced, with a note. A model with no `[cost]`,
//! with only one of `input` and `output`, or priced at $0 throughout (unless kept) is imported
//! without a price, with a note. Cost fields the planner has no place for (`reasoning` when it
//! differs from `output`, audio prices, misspelt keys such as `cache_input`) are left out with a
//! note. Files that cannot be read, whose `base_model` is missing, or whose fields have the wrong
//! type are skipped with their reason counted.

use super::archive::{Folder, Unreadable};
use super::imported::{
    correct_kind, printable, significant_digits, usable_slug, zero_rule, Imported, Mapping, Note,
};
use crate::catalogue::model::{Price, Tier};
use crate::catalogue::profile::is_vendor_id;
use crate::catalogue::vocab::{Capability, Modality, Status};
use crate::validate::{calendar_date, year_month};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap};
use std::str::FromStr;

/// Where the catalogue came from, written into every price's `source`, and how to read it.
#[derive(Debug, Clone)]
pub struct Provenance {
    /// The archive or folder name as given, without its parent folders.
    pub name: String,
    /// The import date, `YYYY-MM-DD`: the `as_of` of a model with no `last_updated`.
    pub as_of: String,
    /// Keep prices whose every amount is $0 instead of importing the model unpriced.
    pub keep_zero_prices: bool,
}

/// A TOML value with its numbers kept as written.
#[derive(Debug, Clone, PartialEq)]
pub enum V {
    /// A string, or a date as written.
    Str(String),
    /// A number's text, without `_` separators.
    Num(String),
    /// A boolean.
    Bool(bool),
    /// An array.
    Arr(Vec<V>),
    /// A table.
    Table(BTreeMap<String, V>),
}

impl V {
    fn get(&self, key: &str) -> Option<&V> {
        match self {
            V::Table(t) => t.get(key),
            _ => None,
        }
    }
}

/// Parses TOML text into [`V`], keeping each number's text.
pub fn parse(text: &str) -> Result<V, String> {
    let doc: toml_edit::DocumentMut = text.parse().map_err(|e: toml_edit::TomlError| {
        e.to_string().lines().next().unwrap_or("").to_string()
    })?;
    Ok(table(doc.as_table()))
}

fn table(t: &toml_edit::Table) -> V {
    V::Table(
        t.iter()
            .filter_map(|(k, item)| item_value(item).map(|v| (k.to_string(), v)))
            .collect(),
    )
}

fn item_value(item: &toml_edit::Item) -> Option<V> {
    match item {
        toml_edit::Item::None => None,
        toml_edit::Item::Value(v) => Some(value(v)),
        toml_edit::Item::Table(t) => Some(table(t)),
        toml_edit::Item::ArrayOfTables(a) => Some(V::Arr(a.iter().map(table).collect())),
    }
}

fn value(v: &toml_edit::Value) -> V {
    use toml_edit::Value as T;
    match v {
        T::String(s) => V::Str(s.value().clone()),
        T::Integer(i) => V::Num(i.display_repr().replace('_', "")),
        T::Float(f) => V::Num(f.display_repr().replace('_', "")),
        T::Boolean(b) => V::Bool(*b.value()),
        T::Datetime(d) => V::Str(d.value().to_string()),
        T::Array(a) => V::Arr(a.iter().map(value).collect()),
        T::InlineTable(t) => V::Table(t.iter().map(|(k, v)| (k.to_string(), value(v))).collect()),
    }
}

/// The comments inside a file's `[cost]` table, trimmed, such as `per audio minute`.
pub fn cost_comments(text: &str) -> Vec<String> {
    let Ok(doc) = text.parse::<toml_edit::DocumentMut>() else {
        return Vec::new();
    };
    let Some(cost) = doc.get("cost").and_then(toml_edit::Item::as_table) else {
        return Vec::new();
    };
    let mut raw: Vec<String> = Vec::new();
    let mut take = |d: &toml_edit::Decor| {
        for part in [d.prefix(), d.suffix()].into_iter().flatten() {
            if let Some(s) = part.as_str() {
                raw.push(s.to_string());
            }
        }
    };
    for (k, item) in cost.iter() {
        if let Some(key) = cost.key(k) {
            take(key.leaf_decor());
        }
        if let Some(v) = item.as_value() {
            take(v.decor());
        }
    }
    raw.iter()
        .flat_map(|s| s.lines())
        .filter_map(|l| l.trim().strip_prefix('#'))
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty())
        .collect()
}

/// Whether a comment gives a price unit other than per 1M tokens: it says "per" something, and
/// neither "million", "1M" nor "token".
fn other_unit(comment: &str) -> bool {
    let c = comment.to_ascii_lowercase();
    c.contains("per ") && !(c.contains("million") || c.contains("1m") || c.contains("token"))
}

/// `base` with `top` laid over it: tables merge key by key, anything else in `top` wins.
pub fn merge(base: &V, top: &V) -> V {
    match (base, top) {
        (V::Table(b), V::Table(t)) => {
            let mut out = b.clone();
            for (k, v) in t {
                let merged = match out.get(k) {
                    Some(old) => merge(old, v),
                    None => v.clone(),
                };
                out.insert(k.clone(), merged);
            }
            V::Table(out)
        }
        _ => top.clone(),
    }
}

/// Removes a dot-path such as `limit.input`.
fn omit(v: &mut V, path: &str) {
    let V::Table(t) = v else { return };
    match path.split_once('.') {
        None => {
            t.remove(path);
        }
        Some((head, rest)) => {
            if let Some(inner) = t.get_mut(head) {
                omit(inner, rest);
            }
        }
    }
}

/// Why a file was skipped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Skip {
    /// Not named `*.toml`, so models.dev does not read it either.
    NotToml,
    /// It cannot be read: a broken link, a link outside the tree, not UTF-8.
    Unreadable(Unreadable),
    /// Its TOML does not parse.
    BadToml,
    /// Its `base_model` is not a file under `models/`.
    NoBase(String),
    /// Its `base_model` chain loops.
    BaseLoop,
    /// A field the importer maps holds the wrong kind of value.
    WrongType(String),
    /// A `status` outside models.dev's `alpha`, `beta` and `deprecated`.
    UnknownStatus(String),
    /// The provider folder is not usable as a vendor id, or the path as a model id.
    BadId,
    /// The id was already taken by an earlier file.
    DuplicateId,
}

impl Skip {
    /// The reason as shown in the report; files are counted by it.
    pub fn reason(&self) -> String {
        match self {
            Skip::NotToml => "not a .toml file".into(),
            Skip::Unreadable(why) => why.reason().into(),
            Skip::BadToml => "not valid TOML".into(),
            Skip::NoBase(_) => "base_model names no file under models/".into(),
            Skip::BaseLoop => "base_model chain loops".into(),
            Skip::WrongType(f) => format!("`{f}` holds the wrong kind of value"),
            Skip::UnknownStatus(s) => format!("status `{s}` is not alpha, beta or deprecated"),
            Skip::BadId => "provider or path unusable as a model id".into(),
            Skip::DuplicateId => "same id as an earlier file".into(),
        }
    }
}

/// A mapped catalogue, with the `base_model` of each imported model (by key), which benchmark
/// inheritance reads, and each provider's display name.
#[derive(Debug, Default)]
pub struct Catalogue {
    /// Models and skips.
    pub mapping: Mapping,
    /// `base_model` by the key of the imported model.
    pub bases: HashMap<String, String>,
    /// `provider.toml`'s `name` by provider id.
    pub provider_names: BTreeMap<String, String>,
}

/// Maps every model file of a models.dev tree. Fails when the tree has no `providers/` folder.
pub fn map(folder: &Folder, prov: &Provenance) -> Result<Catalogue, String> {
    if !folder.entries.keys().any(|k| k.starts_with("providers/")) {
        return Err("no providers/ folder: expected a models.dev snapshot (the repository's providers/ and models/ trees)".into());
    }
    let mut out = Catalogue::default();
    let mut taken: HashMap<String, String> = HashMap::new();
    for path in folder.entries.keys() {
        let Some(rest) = path.strip_prefix("providers/") else {
            continue;
        };
        let Some((provider, file)) = rest.split_once('/') else {
            continue;
        };
        if file == "provider.toml" {
            if let Ok(V::Str(name)) = folder
                .text(path)
                .map_err(|_| ())
                .and_then(|t| parse(t).map_err(|_| ()))
                .map(|v| v.get("name").cloned().unwrap_or(V::Str(String::new())))
            {
                if let Some(name) = printable(&name) {
                    out.provider_names.insert(provider.to_string(), name);
                }
            }
            continue;
        }
        let Some(model_path) = file.strip_prefix("models/") else {
            continue;
        };
        match model(folder, path, provider, model_path, prov) {
            Ok((m, _)) if taken.contains_key(&m.id) => {
                out.mapping
                    .skipped
                    .push((path.clone(), Skip::DuplicateId.reason()));
            }
            Ok((m, base)) => {
                taken.insert(m.id.clone(), path.clone());
                if let Some(b) = base {
                    out.bases.insert(m.key.clone(), b);
                }
                out.mapping.models.push(m);
            }
            Err(skip) => out.mapping.skipped.push((path.clone(), skip.reason())),
        }
    }
    Ok(out)
}

/// The merged fields of a model file: its own over its `base_model`'s, with omissions applied;
/// the base's id; and the comments in the `[cost]` table it takes.
fn resolved(folder: &Folder, path: &str) -> Result<(V, Option<String>, Vec<String>), Skip> {
    let text = folder.text(path).map_err(Skip::Unreadable)?;
    let own = parse(text).map_err(|_| Skip::BadToml)?;
    let comments = cost_comments(text);
    let Some(base) = own.get("base_model") else {
        return Ok((own, None, comments));
    };
    let V::Str(base) = base else {
        return Err(Skip::WrongType("base_model".into()));
    };
    let mut chain = vec![base.clone()];
    let mut merged = own.clone();
    let mut next = Some(base.clone());
    while let Some(b) = next.take() {
        let base_path = format!("models/{b}.toml");
        let text = folder
            .text(&base_path)
            .map_err(|_| Skip::NoBase(b.clone()))?;
        let base_v = parse(text).map_err(|_| Skip::BadToml)?;
        merged = merge(&base_v, &merged);
        if let Some(V::Str(further)) = base_v.get("base_model") {
            if chain.contains(further) {
                return Err(Skip::BaseLoop);
            }
            chain.push(further.clone());
            next = Some(further.clone());
        }
    }
    if let Some(omits) = own.get("base_model_omit") {
        let V::Arr(list) = omits else {
            return Err(Skip::WrongType("base_model_omit".into()));
        };
        for o in list {
            let V::Str(p) = o else {
                return Err(Skip::WrongType("base_model_omit".into()));
            };
            omit(&mut merged, p);
        }
    }
    Ok((merged, Some(base.clone()), comments))
}

/// Reads one model file.
fn model(
    folder: &Folder,
    path: &str,
    provider: &str,
    model_path: &str,
    prov: &Provenance,
) -> Result<(Imported, Option<String>), Skip> {
    let slug = model_path.strip_suffix(".toml").ok_or(Skip::NotToml)?;
    let (v, base, comments) = resolved(folder, path)?;
    if !is_vendor_id(provider) || !usable_slug(slug) {
        return Err(Skip::BadId);
    }
    let id = format!("{provider}/{slug}");
    let text = |f: &str| match v.get(f) {
        None => Ok(None),
        Some(V::Str(s)) => Ok(Some(s.clone())),
        Some(_) => Err(Skip::WrongType(f.into())),
    };
    let flag = |f: &str| match v.get(f) {
        None => Ok(false),
        Some(V::Bool(b)) => Ok(*b),
        Some(_) => Err(Skip::WrongType(f.into())),
    };
    let mut notes = Vec::new();
    let status = match text("status")?.as_deref() {
        None => Status::Ga,
        Some("alpha" | "beta") => Status::Preview,
        Some("deprecated") => {
            notes.push(Note::Deprecated);
            Status::Retired
        }
        Some(other) => return Err(Skip::UnknownStatus(other.into())),
    };
    let released = text("release_date")?.filter(|d| calendar_date(d) || year_month(d));
    let last_updated = text("last_updated")?;
    let limit = |f: &str, notes: &mut Vec<Note>| -> Result<Option<u64>, Skip> {
        let field = format!("limit.{f}");
        match v.get("limit").and_then(|l| l.get(f)) {
            None => Ok(None),
            Some(V::Num(n)) => match number(n).ok_or_else(|| Skip::WrongType(field.clone()))? {
                d if d > Decimal::ZERO && d.fract().is_zero() => Ok(d.to_u64()),
                // Image and speech models give output = 0: they write no tokens.
                d if d.is_zero() && f == "output" => Ok(None),
                _ => {
                    notes.push(Note::BadLimit);
                    Ok(None)
                }
            },
            Some(_) => Err(Skip::WrongType(field)),
        }
    };
    let context_window = limit("context", &mut notes)?;
    let mut max_input_tokens = limit("input", &mut notes)?;
    let max_output_tokens = limit("output", &mut notes)?;
    if let (Some(i), Some(c)) = (max_input_tokens, context_window) {
        if i > c {
            notes.push(Note::BadLimit);
            max_input_tokens = None;
        }
    }
    if context_window.is_none() && !notes.contains(&Note::BadLimit) {
        notes.push(Note::NoContextWindow);
    }
    let mut others = Vec::new();
    let mods = |f: &str, others: &mut Vec<String>| -> Result<Vec<Modality>, Skip> {
        let field = format!("modalities.{f}");
        match v.get("modalities").and_then(|m| m.get(f)) {
            None => Ok(Vec::new()),
            Some(V::Arr(list)) => {
                let mut out = Vec::new();
                for x in list {
                    let V::Str(s) = x else {
                        return Err(Skip::WrongType(field.clone()));
                    };
                    match Modality::parse(s) {
                        Some(m) if !out.contains(&m) => out.push(m),
                        Some(_) => {}
                        None => others.push(s.clone()),
                    }
                }
                out.sort();
                Ok(out)
            }
            Some(_) => Err(Skip::WrongType(field)),
        }
    };
    let input_modalities = mods("input", &mut others)?;
    let mut output_modalities = mods("output", &mut others)?;
    let family = text("family")?.and_then(|f| printable(&f));
    let name = match text("name")? {
        Some(n) if n.trim().is_empty() => slug.to_string(),
        Some(n) => printable(&n).unwrap_or_else(|| {
            notes.push(Note::UnprintableName {
                name: crate::terminal::escape(&n).into_owned(),
            });
            slug.to_string()
        }),
        None => slug.to_string(),
    };
    let last = slug.rsplit('/').next().unwrap_or(slug);
    correct_kind(
        &mut output_modalities,
        [last, name.as_str(), family.as_deref().unwrap_or("")],
        &mut notes,
    );
    if !others.is_empty() {
        others.sort();
        others.dedup();
        notes.push(Note::OtherModality {
            values: others.join(", "),
        });
    }
    let (as_of, dated) = price_date(last_updated.as_deref(), &prov.as_of);
    let mut price = price(&v, path, (&as_of, &dated), prov, &mut notes)?;
    if let Some(c) = comments.into_iter().find(|c| other_unit(c)) {
        if price.take().is_some() {
            notes.push(Note::OtherUnit { comment: c });
        }
    }
    let price = zero_rule(
        price,
        output_modalities.contains(&Modality::Text),
        prov.keep_zero_prices,
        &mut notes,
    );
    let mut capabilities = Vec::new();
    for (f, c) in [
        ("tool_call", Capability::FunctionCalling),
        ("structured_output", Capability::StructuredOutput),
        ("reasoning", Capability::Reasoning),
    ] {
        if flag(f)? {
            capabilities.push(c);
        }
    }
    if price.as_ref().is_some_and(|p| p.cached_input.is_some()) {
        capabilities.push(Capability::PromptCaching);
    }
    capabilities.sort();
    notes.sort();
    notes.dedup();
    Ok((
        Imported {
            key: path.to_string(),
            provider: provider.to_string(),
            id,
            name,
            status,
            released,
            context_window,
            max_input_tokens,
            max_output_tokens,
            input_modalities,
            output_modalities,
            capabilities,
            open_weights: flag("open_weights")?,
            price,
            notes,
            inherited: None,
        },
        base,
    ))
}

/// `YYYY-MM-DD` or `YYYY-MM`, as the profile format's `released` takes.
/// A price's `as_of` and what its `source` says about it: `last_updated` when it is a day of the
/// calendar, otherwise the import date, saying why (a price's `as_of` is a day, and models.dev
/// writes some `last_updated` as a month only: `2026-01`).
fn price_date(last_updated: Option<&str>, import_date: &str) -> (String, String) {
    match last_updated {
        Some(d) if calendar_date(d) => (d.to_string(), format!("last_updated {d}")),
        Some(d) => (
            import_date.to_string(),
            format!(
                "last_updated `{}` is not a day; as_of is the import date {import_date}",
                crate::terminal::escape(d)
            ),
        ),
        None => (
            import_date.to_string(),
            format!("no last_updated; as_of is the import date {import_date}"),
        ),
    }
}

/// A number as written, exactly; `None` for `inf`, `nan` or hexadecimal.
fn number(text: &str) -> Option<Decimal> {
    let t = text.trim_start_matches('+');
    if t.contains(['e', 'E']) {
        Decimal::from_scientific(t).ok()
    } else {
        Decimal::from_str(t).ok()
    }
}

/// The cost fields mapped, and those known and left out on purpose.
const MAPPED: &[&str] = &["input", "output", "cache_read", "cache_write", "tiers"];

/// The `[cost]` table as a price.
fn price(
    v: &V,
    path: &str,
    (as_of, dated): (&str, &str),
    prov: &Provenance,
    notes: &mut Vec<Note>,
) -> Result<Option<Price>, Skip> {
    let Some(cost) = v.get("cost") else {
        notes.push(Note::NoPrice);
        return Ok(None);
    };
    let V::Table(fields) = cost else {
        return Err(Skip::WrongType("cost".into()));
    };
    let mut noisy = Vec::new();
    let amount =
        |t: &BTreeMap<String, V>, f: &str, field: &str, noisy: &mut Vec<String>| match t.get(f) {
            None => Ok(None),
            Some(V::Num(n)) => {
                let d = number(n)
                    .filter(|d| !d.is_sign_negative() || d.is_zero())
                    .ok_or_else(|| Skip::WrongType(field.into()))?;
                if significant_digits(n) >= 16 {
                    noisy.push(field.to_string());
                }
                Ok(Some(d.normalize()))
            }
            Some(_) => Err(Skip::WrongType(field.into())),
        };
    let input = amount(fields, "input", "cost.input", &mut noisy)?;
    let output = amount(fields, "output", "cost.output", &mut noisy)?;
    let cached_input = amount(fields, "cache_read", "cost.cache_read", &mut noisy)?;
    let cache_write = amount(fields, "cache_write", "cost.cache_write", &mut noisy)?;
    let mut left_out: Vec<String> = fields
        .keys()
        .filter(|k| !MAPPED.contains(&k.as_str()))
        .cloned()
        .collect();
    // A reasoning price equal to the output price loses nothing: thinking is billed as output.
    if let (Some(r), Some(o)) = (
        amount(fields, "reasoning", "cost.reasoning", &mut Vec::new())?,
        output,
    ) {
        if r == o {
            left_out.retain(|k| k != "reasoning");
        }
    }
    let mut tiers = Vec::new();
    if let Some(list) = fields.get("tiers") {
        let V::Arr(list) = list else {
            return Err(Skip::WrongType("cost.tiers".into()));
        };
        let mut ok = true;
        let mut dropped_write = false;
        for t in list {
            let V::Table(t) = t else {
                return Err(Skip::WrongType("cost.tiers".into()));
            };
            let kind = t.get("tier").and_then(|x| x.get("type"));
            let size = t.get("tier").and_then(|x| x.get("size"));
            let size = match (kind, size) {
                (None | Some(V::Str(_)), Some(V::Num(n)))
                    if kind.is_none_or(|k| *k == V::Str("context".into())) =>
                {
                    number(n)
                        .filter(|d| d.fract().is_zero())
                        .and_then(|d| d.to_u64())
                }
                _ => None,
            };
            let ti = amount(t, "input", "cost.tiers.input", &mut noisy)?;
            let to = amount(t, "output", "cost.tiers.output", &mut noisy)?;
            let tc = amount(t, "cache_read", "cost.tiers.cache_read", &mut noisy)?;
            dropped_write |= t.contains_key("cache_write");
            match (size, ti, to) {
                (Some(above), Some(input), Some(output))
                    if tiers
                        .last()
                        .is_none_or(|p: &Tier| p.above_input_tokens < above) =>
                {
                    tiers.push(Tier {
                        above_input_tokens: above,
                        input,
                        output,
                        cached_input: tc,
                        cache_write: None,
                    })
                }
                _ => ok = false,
            }
        }
        if !ok {
            notes.push(Note::BadTiers);
            tiers.clear();
        } else if dropped_write {
            left_out.push("tiers.cache_write".into());
        }
    }
    if !left_out.is_empty() {
        notes.push(Note::OtherPrices {
            fields: left_out.join(", "),
        });
    }
    let (input, output) = match (input, output) {
        (Some(i), Some(o)) => (i, o),
        (None, None) => {
            notes.push(Note::NoPrice);
            return Ok(None);
        }
        _ => {
            notes.push(Note::HalfPrice);
            return Ok(None);
        }
    };
    if !noisy.is_empty() {
        noisy.dedup();
        notes.push(Note::FloatNoise {
            fields: noisy.join(", "),
        });
    }
    Ok(Some(Price {
        input: Some(input),
        output: Some(output),
        // A write price bills only beside a read price (a profile refuses it alone).
        cache: crate::catalogue::cache::CacheTerms {
            cache_write: cache_write.filter(|_| cached_input.is_some()),
            ..Default::default()
        },
        cached_input,
        batch_discount: None,
        per_image: None,
        per_video_second: None,
        tiers,
        plans: Vec::new(),
        as_of: as_of.to_string(),
        source: format!(
            "models.dev {} ({dated}), file `{path}`, USD per 1M tokens",
            prov.name
        ),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::archive::Entry;

    fn prov() -> Provenance {
        Provenance {
            name: "snapshot.tar.gz".into(),
            as_of: "2026-07-02".into(),
            keep_zero_prices: false,
        }
    }

    fn folder(files: &[(&str, &str)]) -> Folder {
        Folder {
            entries: files
                .iter()
                .map(|(p, t)| {
                    let e = match t.strip_prefix("-> ") {
                        Some(target) => Entry::Link(target.to_string()),
                        None => Entry::File(Some(t.to_string())),
                    };
                    (p.to_string(), e)
                })
                .collect(),
        }
    }

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    const HAIKU: &str = r#"name = "Claude Haiku 3"
release_date = "2024-03-13"
last_updated = "2024-03-13"
tool_call = true
open_weights = false
status = "deprecated"

[cost]
input = 0.25
output = 1.25
cache_read = 0.03
cache_write = 0.30

[limit]
context = 200_000
output = 4_096

[modalities]
input = ["text", "image", "pdf"]
output = ["text"]
"#;

    #[test]
    fn names_are_trimmed_and_an_unprintable_one_gives_way_to_the_slug() {
        // novita-ai's "DeepSeek V3 (Turbo)\t" in the snapshot ends with a tab.
        let f = folder(&[
            ("providers/hub/provider.toml", "name = \"Hub\u{200B}\""),
            (
                "providers/hub/models/a.toml",
                "name = \"Model A\\t\"\nfamily = \" a \"",
            ),
            ("providers/hub/models/b.toml", "name = \"Model\\u200bB\""),
            ("providers/hub/models/c\u{200B}.toml", "name = \"C\""),
        ]);
        let c = map(&f, &prov()).unwrap();
        let names: Vec<(&str, &str)> = c
            .mapping
            .models
            .iter()
            .map(|m| (m.id.as_str(), m.name.as_str()))
            .collect();
        assert_eq!(names, [("hub/a", "Model A"), ("hub/b", "b")]);
        assert_eq!(
            c.mapping.models[1].notes,
            [
                Note::NoContextWindow,
                Note::NoPrice,
                Note::UnprintableName {
                    name: "Model\\u{200b}B".into()
                }
            ]
        );
        // A vendor name that does not print is not used; the file's id with no slug is skipped.
        assert!(c.provider_names.is_empty());
        assert_eq!(c.mapping.skipped.len(), 1, "{:?}", c.mapping.skipped);
    }

    #[test]
    fn a_model_file_maps_every_field_exactly() {
        let f = folder(&[
            ("providers/anthropic/provider.toml", "name = \"Anthropic\""),
            (
                "providers/anthropic/models/claude-3-haiku-20240307.toml",
                HAIKU,
            ),
        ]);
        let c = map(&f, &prov()).unwrap();
        assert!(c.mapping.skipped.is_empty(), "{:?}", c.mapping.skipped);
        let m = &c.mapping.models[0];
        assert_eq!(m.id, "anthropic/claude-3-haiku-20240307");
        assert_eq!(m.name, "Claude Haiku 3");
        assert_eq!(m.status, Status::Retired);
        assert_eq!(m.released.as_deref(), Some("2024-03-13"));
        assert_eq!(
            (m.context_window, m.max_output_tokens),
            (Some(200_000), Some(4_096))
        );
        assert_eq!(m.input_modalities, [Modality::Text, Modality::Image]);
        assert_eq!(
            m.capabilities,
            [Capability::FunctionCalling, Capability::PromptCaching]
        );
        let p = m.price.as_ref().unwrap();
        // 0.30 is written with a trailing zero and read as exactly 0.3: no float in between.
        assert_eq!(
            (p.input, p.output, p.cached_input, p.cache.cache_write),
            (
                Some(d("0.25")),
                Some(d("1.25")),
                Some(d("0.03")),
                Some(d("0.3"))
            )
        );
        assert_eq!(p.as_of, "2024-03-13");
        assert!(p
            .source
            .contains("providers/anthropic/models/claude-3-haiku-20240307.toml"));
        assert_eq!(
            m.notes,
            [
                Note::Deprecated,
                Note::OtherModality {
                    values: "pdf".into()
                }
            ]
        );
        assert_eq!(c.provider_names["anthropic"], "Anthropic");
    }

    #[test]
    fn base_models_are_merged_key_by_key_and_omissions_applied() {
        let f = folder(&[
            (
                "models/openai/gpt-9.toml",
                "name = \"GPT-9\"\nreasoning = true\nstructured_output = true\n[limit]\ncontext = 400_000\ninput = 272_000\noutput = 128_000\n[modalities]\ninput = [\"text\"]\noutput = [\"text\"]\n",
            ),
            (
                "providers/hub/models/gpt-9.toml",
                "base_model = \"openai/gpt-9\"\nbase_model_omit = [\"limit.input\", \"structured_output\"]\n[cost]\ninput = 1.25\noutput = 10\n[limit]\ncontext = 200_000\n",
            ),
            (
                "providers/hub/models/gone.toml",
                "base_model = \"openai/gpt-0\"\n[cost]\ninput = 1\noutput = 2\n",
            ),
        ]);
        let c = map(&f, &prov()).unwrap();
        let m = &c.mapping.models[0];
        // The provider's context wins, the base's output stays, limit.input is omitted.
        assert_eq!(
            (m.context_window, m.max_input_tokens, m.max_output_tokens),
            (Some(200_000), None, Some(128_000))
        );
        assert_eq!(m.name, "GPT-9");
        assert_eq!(m.capabilities, [Capability::Reasoning]);
        assert_eq!(c.bases[&m.key], "openai/gpt-9");
        // No last_updated anywhere: the import date, and the source says so.
        let p = m.price.as_ref().unwrap();
        assert_eq!(p.as_of, "2026-07-02");
        assert!(p.source.contains("no last_updated"), "{}", p.source);
        assert_eq!(
            c.mapping.skipped,
            [(
                "providers/hub/models/gone.toml".to_string(),
                Skip::NoBase("openai/gpt-0".into()).reason()
            )]
        );
    }

    #[test]
    fn quirks_are_noted_or_skipped_never_guessed() {
        let f = folder(&[
            // Zero prices, a misspelt cache key, float noise, a half price, no cost.
            ("providers/p/models/free.toml", "[cost]\ninput = 0\noutput = 0\n[limit]\ncontext = 1000\noutput = 100\n"),
            ("providers/p/models/typo.toml", "[cost]\ninput = 1\noutput = 2\ncache_input = 0.1\n[limit]\ncontext = 1000\noutput = 100\n"),
            ("providers/p/models/noise.toml", "[cost]\ninput = 0.024999999999999998\noutput = 0.1\n[limit]\ncontext = 1000\noutput = 100\n"),
            ("providers/p/models/half.toml", "[cost]\ninput = 1\n[limit]\ncontext = 1000\noutput = 100\n"),
            ("providers/p/models/nocost.toml", "name = \"n\"\n[limit]\ncontext = 1000\noutput = 100\n"),
            // Prices whose comment names another unit.
            ("providers/p/models/minute.toml", "[cost]\n# per audio minute\ninput = 0.0023\noutput = 0.0023\n[limit]\ncontext = 1000\noutput = 100\n"),
            ("providers/p/models/documented.toml", "[cost]\ninput = 1 # USD per 1M input tokens\noutput = 2\n[limit]\ncontext = 1000\noutput = 100\n"),
            // A tier, and a reasoning price equal to output (nothing lost).
            ("providers/p/models/tiered.toml", "[cost]\ninput = 1.25\noutput = 10\nreasoning = 10\ntiers = [{ tier = { type = \"context\", size = 200000 }, input = 2.5, output = 15, cache_read = 0.25 }]\n[limit]\ncontext = 1000000\noutput = 100\n"),
            // Skipped: no extension, broken link, bad TOML, wrong type, unknown status.
            ("providers/p/models/noext", "[cost]\ninput = 1\noutput = 2\n"),
            ("providers/p/models/link.toml", "-> ../../q/models/link.toml"),
            ("providers/p/models/bad.toml", "[cost\n"),
            ("providers/p/models/str.toml", "[cost]\ninput = \"1\"\noutput = 2\n"),
            ("providers/p/models/odd.toml", "status = \"ga\"\n"),
        ]);
        let c = map(&f, &prov()).unwrap();
        let by: HashMap<&str, &Imported> = c
            .mapping
            .models
            .iter()
            .map(|m| (m.id.as_str(), m))
            .collect();
        assert_eq!(by["p/free"].price, None);
        assert_eq!(by["p/free"].notes, [Note::ZeroPrice]);
        assert_eq!(
            by["p/typo"].notes,
            [Note::OtherPrices {
                fields: "cache_input".into()
            }]
        );
        assert_eq!(by["p/typo"].price.as_ref().unwrap().cached_input, None);
        assert_eq!(
            by["p/noise"].price.as_ref().unwrap().input,
            Some(d("0.024999999999999998"))
        );
        assert_eq!(
            by["p/noise"].notes,
            [Note::FloatNoise {
                fields: "cost.input".into()
            }]
        );
        assert_eq!(
            (by["p/half"].price.clone(), by["p/half"].notes.clone()),
            (None, vec![Note::HalfPrice])
        );
        assert_eq!(by["p/nocost"].notes, [Note::NoPrice]);
        assert_eq!(
            (by["p/minute"].price.clone(), by["p/minute"].notes.clone()),
            (
                None,
                vec![Note::OtherUnit {
                    comment: "per audio minute".into()
                }]
            )
        );
        assert!(by["p/documented"].price.is_some());
        let tiered = by["p/tiered"].price.as_ref().unwrap();
        assert!(
            by["p/tiered"].notes.is_empty(),
            "{:?}",
            by["p/tiered"].notes
        );
        assert_eq!(
            tiered.tiers,
            [Tier {
                above_input_tokens: 200_000,
                input: d("2.5"),
                output: d("15"),
                cached_input: Some(d("0.25")),
                cache_write: None,
            }]
        );
        let skipped: HashMap<&str, &str> = c
            .mapping
            .skipped
            .iter()
            .map(|(k, r)| (k.rsplit('/').next().unwrap(), r.as_str()))
            .collect();
        assert_eq!(skipped["noext"], "not a .toml file");
        assert_eq!(
            skipped["link.toml"],
            "a symbolic link to a file that is not in the snapshot"
        );
        assert_eq!(skipped["bad.toml"], "not valid TOML");
        assert_eq!(
            skipped["str.toml"],
            "`cost.input` holds the wrong kind of value"
        );
        assert_eq!(
            skipped["odd.toml"],
            "status `ga` is not alpha, beta or deprecated"
        );
        assert_eq!(c.mapping.models.len(), 8);
    }

    #[test]
    fn a_tree_without_providers_is_refused() {
        let f = folder(&[("README.md", "hello")]);
        assert!(map(&f, &prov())
            .unwrap_err()
            .contains("no providers/ folder"));
    }
}

//! Tokenizers: how many tokens 1,000 characters of each language become on each tokenizer
//! (`profiles/tokenizers.toml`), and which tokenizer a model bills with (`[model.tokenizer]`).
//!
//! The same text is a different number of tokens on each vendor. The cost kernel converts a
//! workload's token counts, measured with one tokenizer (its basis), into each model's own counts
//! with these figures (`cost::tokens`). The figures were measured on `data/corpus/` with
//! `data/tokenizers/measure.py`; an unpublished tokenizer is a proxy, marked as such.

use crate::diag::{Diagnostic, KeyPath};
use crate::num::Num;
use crate::source::SourceFile;
use crate::validate::Checker;
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The tokenizer a workload's token counts are measured with when it names none.
pub const DEFAULT_BASIS: &str = "cl100k_base";

/// `profiles/tokenizers.toml`, as written.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawTokenizers {
    /// The tokenizers.
    #[serde(default)]
    pub tokenizer: Vec<RawTokenizer>,
}

/// How a tokenizer's figures were obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// The real tokenizer was run on the corpus.
    Measured,
    /// The vendor's own estimation formula was run on the corpus (an estimate).
    VendorEstimate,
    /// The vendor's tokenizer is unpublished: the figures are another tokenizer's (an estimate).
    Proxy,
}

/// A `[[tokenizer]]` entry.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawTokenizer {
    /// The id a model's `[model.tokenizer] id` names.
    pub id: String,
    /// What it is.
    pub name: String,
    /// How the figures were obtained.
    pub method: Method,
    /// For a proxy: the tokenizer whose figures stand in.
    pub proxy_of: Option<String>,
    /// For a proxy: why that one.
    pub proxy_reason: Option<String>,
    /// Package and version that produced the figures.
    pub measured_with: Option<String>,
    /// Where the figures come from.
    pub source: Option<String>,
    /// When they were measured.
    pub as_of: Option<String>,
    /// Tokens per 1,000 characters (Unicode scalar values), by language code.
    pub tokens_per_1000_chars: BTreeMap<String, Num>,
    /// Lowest and highest genre figure, by language code.
    #[serde(default)]
    pub genre_range: BTreeMap<String, Vec<Num>>,
}

/// A `[model.tokenizer]` table in a profile.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawModelTokenizer {
    /// A tokenizer id of `profiles/tokenizers.toml`.
    pub id: String,
    /// Why this tokenizer.
    pub reason: Option<String>,
}

/// A checked tokenizer.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Tokenizer {
    /// Its id.
    pub id: String,
    /// What it is.
    pub name: String,
    /// How the figures were obtained.
    pub method: Method,
    /// For a proxy, the stand-in.
    pub proxy_of: Option<String>,
    /// Tokens per 1,000 characters, by language code.
    #[schemars(with = "std::collections::BTreeMap<String, crate::num::DecimalText>")]
    pub per_1000_chars: BTreeMap<String, Decimal>,
    /// Where the figures come from.
    pub source: Option<String>,
    /// When they were measured.
    pub as_of: Option<String>,
}

impl Tokenizer {
    /// Whether its figures are an estimate (a proxy or a vendor's formula), not a measurement.
    pub fn is_estimate(&self) -> bool {
        self.method != Method::Measured
    }
}

/// The tokenizers, by id.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Tokenizers {
    /// By id.
    pub by_id: BTreeMap<String, Tokenizer>,
}

impl Tokenizers {
    /// Parses and checks a tokenizer file.
    pub fn from_source(src: &SourceFile) -> Result<Tokenizers, Vec<Diagnostic>> {
        Tokenizers::from_raw(src, src.parse().map_err(|d| vec![d])?)
    }

    /// Checks a tokenizer file already parsed from `src`, locating each fault in its text.
    pub fn from_raw(src: &SourceFile, raw: RawTokenizers) -> Result<Tokenizers, Vec<Diagnostic>> {
        let mut ck = Checker::new(src);
        let mut out = Tokenizers::default();
        let ids: Vec<String> = raw.tokenizer.iter().map(|t| t.id.clone()).collect();
        for (i, t) in raw.tokenizer.into_iter().enumerate() {
            let path = KeyPath::root().key("tokenizer").index(i);
            ck.name(&path.key("id"), &t.id);
            if out.by_id.contains_key(&t.id) {
                ck.err(
                    &path.key("id"),
                    format!("tokenizer `{}` is defined twice", t.id),
                    "tokenizer ids must be unique; remove one of them",
                );
            }
            let proxy = t.method == Method::Proxy;
            match (&t.proxy_of, &t.proxy_reason) {
                (Some(of), Some(_)) if proxy => {
                    if !ids.contains(of) {
                        ck.err(
                            &path.key("proxy_of"),
                            format!("`proxy_of` names no tokenizer of this file: `{of}`"),
                            crate::diag::suggest(of, "tokenizer", ids.iter().map(String::as_str)),
                        );
                    }
                }
                (None, None) if !proxy => {}
                _ => ck.err(
                    &path.key("method"),
                    format!(
                        "tokenizer `{}`: `proxy_of` and `proxy_reason` go together, and only with method = \"proxy\"",
                        t.id
                    ),
                    "a proxy names the tokenizer that stands in and why; a measured tokenizer names neither",
                ),
            }
            if let Some(d) = &t.as_of {
                ck.date(&path.key("as_of"), d, false);
            }
            if t.source.as_deref().is_none_or(|s| s.trim().is_empty()) {
                ck.err(
                    &path,
                    format!("tokenizer `{}` has no `source`", t.id),
                    "say how the figures were measured",
                );
            }
            let mut per = BTreeMap::new();
            for (lang, n) in t.tokens_per_1000_chars {
                let at = path.key("tokens_per_1000_chars").key(&lang);
                if !is_language(&lang) {
                    ck.err(
                        &at,
                        format!("`{lang}` is not a language code"),
                        "use an ISO 639-1 code such as en or zh",
                    );
                }
                if let Some(r) = ck.positive(&at, n) {
                    per.insert(lang, r);
                }
            }
            if per.is_empty() {
                ck.err(
                    &path,
                    format!("tokenizer `{}` gives no `tokens_per_1000_chars`", t.id),
                    "add tokens_per_1000_chars = { en = ..., zh = ... }",
                );
            }
            out.by_id.insert(
                t.id.clone(),
                Tokenizer {
                    id: t.id,
                    name: t.name,
                    method: t.method,
                    proxy_of: t.proxy_of,
                    per_1000_chars: per,
                    source: t.source,
                    as_of: t.as_of,
                },
            );
        }
        ck.finish()?;
        Ok(out)
    }

    /// Adds another file's tokenizers, replacing those with the same id.
    pub fn merge(&mut self, other: Tokenizers) {
        self.by_id.extend(other.by_id);
    }

    /// A tokenizer by id.
    pub fn get(&self, id: &str) -> Option<&Tokenizer> {
        self.by_id.get(id)
    }

    /// Every language some tokenizer gives a figure for, sorted.
    pub fn languages(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self
            .by_id
            .values()
            .flat_map(|t| t.per_1000_chars.keys().map(String::as_str))
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    /// Checks a model's `[model.tokenizer]` against the table: the tokenizer it names, or a fault
    /// at `path` that lists the known ids.
    pub fn resolve(
        &self,
        ck: &mut Checker,
        path: &KeyPath,
        raw: &RawModelTokenizer,
    ) -> Option<Tokenizer> {
        match self.get(&raw.id) {
            Some(t) => Some(t.clone()),
            None => {
                ck.err(
                    &path.key("id"),
                    format!("unknown tokenizer `{}`", raw.id),
                    crate::diag::suggest(
                        &raw.id,
                        "tokenizers",
                        self.by_id.keys().map(String::as_str),
                    ),
                );
                None
            }
        }
    }
}

/// Whether `s` looks like an ISO 639-1 code: two lowercase letters.
fn is_language(s: &str) -> bool {
    s.len() == 2 && s.bytes().all(|b| b.is_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<Tokenizers, Vec<Diagnostic>> {
        Tokenizers::from_source(&SourceFile {
            name: "tokenizers.toml".into(),
            text: text.into(),
        })
    }

    #[test]
    fn a_proxy_must_name_a_tokenizer_of_the_file() {
        let e = load(
            r#"
[[tokenizer]]
id = "a"
name = "A"
method = "proxy"
proxy_of = "b"
proxy_reason = "unpublished"
source = "corpus"
tokens_per_1000_chars = { en = 200.0 }
"#,
        )
        .unwrap_err();
        let text = e[0].to_string();
        assert!(text.contains("`proxy_of` names no tokenizer"), "{text}");
        assert!(text.contains(":6:"), "{text}");
    }

    #[test]
    fn the_shipped_table_gives_english_and_chinese_for_every_tokenizer() {
        let t = load(include_str!("../../profiles/tokenizers.toml")).unwrap();
        assert!(t.by_id.len() >= 9);
        for tok in t.by_id.values() {
            assert!(tok.per_1000_chars.contains_key("en"), "{}", tok.id);
            assert!(tok.per_1000_chars.contains_key("zh"), "{}", tok.id);
        }
        assert_eq!(t.languages(), ["en", "zh"]);
        assert!(!t.get(DEFAULT_BASIS).unwrap().is_estimate());
        assert!(t.get("claude-3").unwrap().is_estimate());
    }
}

//! Benchmarks carry over: an imported model that is a snapshot or re-host of a catalogue model
//! takes that model's benchmark scores (each marked `inherited_from`) and languages.
//!
//! A wrong match would put another model's scores on a price, which is worse than no score, so
//! the rules are narrow. An imported model matches catalogue model C when, in this order:
//!
//! 1. **same id**: its id is C's id (LiteLLM's `gpt-4` is imported as `openai/gpt-4`);
//! 2. **base_model**: its models.dev `base_model` is C's id, or `<C's vendor>/<name>` where the
//!    name is C's slug or one of C's aliases;
//! 3. **name**: its name is C's slug or one of C's declared aliases, and no other catalogue
//!    model has that name. The name is the last `/`-part of its id, read as the vendor's own
//!    model name: a Vertex AI `@` date becomes `-` (`claude-3-haiku@20240307` is
//!    `claude-3-haiku-20240307`), and a Bedrock id loses its region prefix (`us.`, `eu.`, `apac.`,
//!    `global.`, ...), its `<vendor>.` prefix when that vendor is C's, and a `-v<N>:<M>` version
//!    suffix after a name holding a `-` (`anthropic.claude-3-haiku-20240307-v1:0` is
//!    `claude-3-haiku-20240307`, while `anthropic.claude-v2:1` stays `claude-v2:1`).
//!
//! Names are compared exactly, case included. Nothing else matches: no date is stripped unless
//! the catalogue declares the dated name as an alias (`gpt-4-turbo-2024-04-09` is not
//! `gpt-4-turbo`), no suffix such as `:beta`, `-instruct` or `-chat` is dropped, and a name two
//! catalogue models share matches neither. Only scores measured on C itself are copied, never
//! scores C inherited.
//!
//! A match is refused when the import's own facts say it is another model: a context window more
//! than 1% larger than C's. Vendors move an unversioned name to a new model (LiteLLM's
//! `mistral/mistral-medium` is today a 262,144-token model priced $1.50 / $7.50, the catalogue's
//! Mistral Medium of December 2023 a 32,000-token one at $2.70 / $8.10), and a new model gets a
//! larger window far more often than a re-host gets one; 1% lets through a host that counts the
//! window one token apart (8,191 for 8,192). The model is imported without C's scores, with a
//! note saying why.

use super::imported::{Imported, Inherited, Note};
use crate::catalogue::model::{Model, Score};
use crate::catalogue::Catalogue;
use std::collections::HashMap;

/// The catalogue models an import can inherit from, by the names rule 3 compares.
pub struct Index<'a> {
    by_id: HashMap<&'a str, &'a Model>,
    by_name: HashMap<&'a str, Vec<&'a Model>>,
}

impl<'a> Index<'a> {
    /// Every catalogue model with measured scores or languages.
    pub fn new(cat: &'a Catalogue) -> Index<'a> {
        let mut by_id = HashMap::new();
        let mut by_name: HashMap<&str, Vec<&Model>> = HashMap::new();
        for m in cat.models.iter().filter(|m| worth_inheriting(m)) {
            by_id.insert(m.id.as_str(), m);
            let slug = m.id.split_once('/').map_or(m.id.as_str(), |(_, s)| s);
            for name in std::iter::once(slug).chain(m.aliases.iter().map(String::as_str)) {
                let list = by_name.entry(name).or_default();
                if !list.iter().any(|x| x.id == m.id) {
                    list.push(m);
                }
            }
        }
        Index { by_id, by_name }
    }

    /// The catalogue model `m` is a snapshot or re-host of, and the rule that found it.
    pub fn find(&self, m: &Imported, base_model: Option<&str>) -> Option<(&'a Model, String)> {
        if let Some(c) = self.by_id.get(m.id.as_str()) {
            return Some((c, "same id".into()));
        }
        if let Some(base) = base_model {
            if let Some(c) = self.base(base) {
                return Some((c, format!("base_model `{base}`")));
            }
        }
        let last = m.id.rsplit('/').next().unwrap_or(&m.id);
        let mut found: Vec<(&Model, String)> = Vec::new();
        for name in names(last) {
            if let Some([c]) = self.by_name.get(name.text.as_str()).map(Vec::as_slice) {
                let vendor_ok = name.vendor.is_none_or(|v| v == c.vendor);
                if vendor_ok && !found.iter().any(|(f, _)| f.id == c.id) {
                    found.push((c, name.text.clone()));
                }
            }
        }
        match found.as_slice() {
            [(c, name)] => Some((c, format!("name `{name}`"))),
            _ => None,
        }
    }

    /// Rule 2: a models.dev `base_model` id.
    fn base(&self, base: &str) -> Option<&'a Model> {
        if let Some(c) = self.by_id.get(base) {
            return Some(c);
        }
        let (vendor, name) = base.split_once('/')?;
        let list = self.by_name.get(name)?;
        let mut same_vendor = list.iter().filter(|c| c.vendor == vendor);
        match (same_vendor.next(), same_vendor.next()) {
            (Some(c), None) => Some(c),
            _ => None,
        }
    }
}

/// Why `m`, though it matches `c` by name, is another model: its context window is more than 1%
/// larger than `c`'s.
fn contradiction(m: &Imported, c: &Model) -> Option<Note> {
    let (mine, theirs) = (m.context_window?, c.context_window?);
    (u128::from(mine) * 100 > u128::from(theirs) * 101).then(|| Note::NotInherited {
        from: c.id.clone(),
        why: format!(
            "its context window of {mine} tokens is larger than the {theirs} of {}",
            c.id
        ),
    })
}

/// Whether a catalogue model has anything an import could take over.
fn worth_inheriting(m: &Model) -> bool {
    m.benchmarks.iter().any(|b| b.inherited_from.is_none()) || !m.languages.is_empty()
}

/// A name to look up, and the vendor it must belong to when a Bedrock prefix named one.
#[derive(Debug, PartialEq)]
struct Name {
    text: String,
    vendor: Option<String>,
}

/// The readings of an id's last part as a vendor's model name (rule 3 of the module docs).
fn names(last: &str) -> Vec<Name> {
    let plain = last.replace('@', "-");
    let mut out = vec![Name {
        text: plain.clone(),
        vendor: None,
    }];
    // Bedrock: [region.]vendor.model[-vN[:M]].
    let mut parts: Vec<&str> = plain.split('.').collect();
    if parts.len() >= 2 && REGIONS.contains(&parts[0]) {
        parts.remove(0);
    }
    if parts.len() >= 2 && parts[0].chars().all(|c| c.is_ascii_lowercase() || c == '-') {
        let vendor = parts[0].to_string();
        let rest = parts[1..].join(".");
        let text = strip_version(&rest).to_string();
        out.push(Name {
            text,
            vendor: Some(vendor),
        });
    }
    out
}

/// Bedrock's cross-region inference prefixes.
const REGIONS: &[&str] = &["us", "eu", "apac", "global", "au", "jp", "ca", "us-gov"];

/// `claude-3-haiku-20240307-v1:0` → `claude-3-haiku-20240307`; `claude-v2:1` (a bare word before
/// the suffix) and names without such a suffix are kept whole.
fn strip_version(s: &str) -> &str {
    let Some(at) = s.rfind("-v") else {
        return s;
    };
    let tail = &s[at + 2..];
    let (major, minor) = tail.split_once(':').unwrap_or((tail, "0"));
    let digits = |x: &str| !x.is_empty() && x.bytes().all(|b| b.is_ascii_digit());
    // `claude-v2:1` is Claude 2.1, not version 2:1 of `claude`: a bare word keeps its suffix.
    if digits(major) && digits(minor) && tail.contains(':') && s[..at].contains('-') {
        &s[..at]
    } else {
        s
    }
}

/// Fills `inherited` on every imported model that matches a catalogue model.
pub fn apply(models: &mut [Imported], bases: &HashMap<String, String>, cat: &Catalogue) {
    let index = Index::new(cat);
    for m in models.iter_mut() {
        let base = bases.get(&m.key).map(String::as_str);
        let Some((c, rule)) = index.find(m, base) else {
            continue;
        };
        if let Some(note) = contradiction(m, c) {
            m.notes.push(note);
            continue;
        }
        let benchmarks: Vec<Score> = c
            .benchmarks
            .iter()
            .filter(|b| b.inherited_from.is_none())
            .map(|b| Score {
                inherited_from: Some(c.id.clone()),
                ..b.clone()
            })
            .collect();
        m.inherited = Some(Inherited {
            from: c.id.clone(),
            rule: if rule == "same id" {
                "same id"
            } else if rule.starts_with("base_model") {
                "base_model"
            } else {
                "name"
            },
            benchmarks,
            languages: c.languages.clone(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::vocab::Status;

    fn imported(id: &str) -> Imported {
        Imported {
            key: id.into(),
            provider: id.split('/').next().unwrap().into(),
            id: id.into(),
            name: id.into(),
            status: Status::Ga,
            released: None,
            context_window: None,
            max_input_tokens: None,
            max_output_tokens: None,
            input_modalities: Vec::new(),
            output_modalities: Vec::new(),
            capabilities: Vec::new(),
            open_weights: false,
            price: None,
            notes: Vec::new(),
            inherited: None,
        }
    }

    /// The catalogue model `id` inherits from, by the rules, against the built-in catalogue.
    fn from(id: &str) -> Option<String> {
        from_base(id, None)
    }

    fn from_base(id: &str, base: Option<&str>) -> Option<String> {
        let cat = Catalogue::embedded().unwrap();
        let index = Index::new(&cat);
        index.find(&imported(id), base).map(|(c, _)| c.id.clone())
    }

    #[test]
    fn snapshots_and_re_hosts_match() {
        let haiku = Some("anthropic/claude-3-haiku".to_string());
        // The example: Anthropic's dated id, declared as an alias.
        assert_eq!(from("anthropic/claude-3-haiku-20240307"), haiku);
        // Vertex AI's `@` date, Bedrock's vendor prefix, region and version suffix.
        assert_eq!(
            from("vertex_ai-anthropic_models/vertex_ai/claude-3-haiku@20240307"),
            haiku
        );
        assert_eq!(
            from("bedrock/anthropic.claude-3-haiku-20240307-v1:0"),
            haiku
        );
        assert_eq!(
            from("bedrock/us.anthropic.claude-3-haiku-20240307-v1:0"),
            haiku
        );
        assert_eq!(
            from("bedrock/us-gov-east-1/anthropic.claude-3-haiku-20240307-v1:0"),
            haiku
        );
        // A reseller's route, and the same id.
        assert_eq!(from("openrouter/anthropic/claude-3-haiku"), haiku);
        assert_eq!(from("openai/gpt-4"), Some("openai/gpt-4".into()));
        assert_eq!(from("azure/gpt-4-0613"), Some("openai/gpt-4".into()));
        assert_eq!(
            from("gemini/gemini-pro"),
            Some("google/gemini-1.0-pro".into())
        );
        // models.dev's base_model, by id or by vendor and alias.
        assert_eq!(
            from_base(
                "poe/claude-haiku-3",
                Some("anthropic/claude-3-haiku-20240307")
            ),
            haiku
        );
        assert_eq!(
            from_base("x/whatever", Some("openai/gpt-4")),
            Some("openai/gpt-4".into())
        );
    }

    #[test]
    fn near_misses_do_not_match() {
        for id in [
            // A later snapshot the catalogue does not declare.
            "openai/gpt-4-turbo-2024-04-09",
            "anthropic/claude-3-5-haiku-20241022",
            // Variants: self-moderated, instruct, chat, 32k, mini.
            "openrouter/anthropic/claude-3-haiku:beta",
            "openai/gpt-3.5-turbo-instruct",
            "openai/gpt-4-32k",
            "openai/gpt-4o-mini",
            "together_ai/meta-llama/Llama-2-70b-chat-hf",
            // Case differs: names are compared exactly.
            "deepinfra/01-ai/Yi-34B-Chat",
            // A Bedrock prefix naming another vendor than the catalogue model's.
            "bedrock/meta.claude-3-haiku-20240307-v1:0",
            // A bare word.
            "openrouter/claude",
        ] {
            assert_eq!(from(id), None, "{id}");
        }
        // A base_model of another vendor with the same name.
        assert_eq!(from_base("x/y", Some("mistral/gpt-4")), None);
    }

    #[test]
    fn a_name_two_catalogue_models_share_matches_neither() {
        let mut cat = Catalogue::embedded().unwrap();
        let mut twin = cat.model("anthropic/claude-3-haiku").unwrap().clone();
        twin.id = "other/claude-3-haiku".into();
        twin.vendor = "other".into();
        cat.insert(twin);
        let index = Index::new(&cat);
        assert!(index
            .find(&imported("openrouter/anthropic/claude-3-haiku"), None)
            .is_none());
        // The full id still matches its own model.
        assert_eq!(
            index
                .find(&imported("anthropic/claude-3-haiku"), None)
                .map(|(c, _)| c.id.clone()),
            Some("anthropic/claude-3-haiku".into())
        );
    }

    #[test]
    fn inherited_scores_are_marked_and_not_chained() {
        let mut cat = Catalogue::embedded().unwrap();
        let mut models = vec![imported("bedrock/anthropic.claude-3-haiku-20240307-v1:0")];
        apply(&mut models, &HashMap::new(), &cat);
        let inh = models[0].inherited.clone().unwrap();
        assert_eq!(inh.from, "anthropic/claude-3-haiku");
        assert_eq!(inh.rule, "name");
        let original = &cat.model("anthropic/claude-3-haiku").unwrap().benchmarks;
        assert_eq!(inh.benchmarks.len(), original.len());
        assert!(inh
            .benchmarks
            .iter()
            .zip(original)
            .all(|(b, o)| b.value == o.value
                && b.source == o.source
                && b.inherited_from.as_deref() == Some("anthropic/claude-3-haiku")));
        assert_eq!(inh.languages, ["en", "zh", "ja", "fr", "de", "es"]);
        // A catalogue model whose scores are all inherited has nothing to pass on.
        let mut copy = cat.model("anthropic/claude-3-haiku").unwrap().clone();
        copy.id = "hub/relay-9".into();
        copy.aliases.clear();
        copy.languages.clear();
        for b in &mut copy.benchmarks {
            b.inherited_from = Some("anthropic/claude-3-haiku".into());
        }
        cat.insert(copy);
        let mut again = vec![imported("elsewhere/relay-9")];
        apply(&mut again, &HashMap::new(), &cat);
        assert!(again[0].inherited.is_none());
    }

    #[test]
    fn a_larger_context_window_says_the_name_moved_to_another_model() {
        let cat = Catalogue::embedded().unwrap();
        // LiteLLM's mistral/mistral-medium today: 262,144 tokens; the catalogue's: 32,000.
        let with_window = |id: &str, w: u64| Imported {
            context_window: Some(w),
            ..imported(id)
        };
        let mut models = vec![
            with_window("mistral/mistral-medium", 262_144),
            // 32,000 × 1.01 = 32,320: one token over is refused, the limit itself is not.
            with_window("hub/mistral-medium", 32_321),
            with_window("relay/mistral-medium", 32_320),
            // A host that counts the window one token short still matches.
            with_window("openrouter/openai/gpt-4", 8_191),
        ];
        apply(&mut models, &HashMap::new(), &cat);
        let from: Vec<Option<&str>> = models
            .iter()
            .map(|m| m.inherited.as_ref().map(|i| i.from.as_str()))
            .collect();
        assert_eq!(
            from,
            [
                None,
                None,
                Some("mistral/mistral-medium"),
                Some("openai/gpt-4")
            ]
        );
        assert_eq!(
            models[0].notes,
            [Note::NotInherited {
                from: "mistral/mistral-medium".into(),
                why: "its context window of 262144 tokens is larger than the 32000 of mistral/mistral-medium".into()
            }]
        );
    }

    #[test]
    fn bedrock_names_are_read_as_the_vendor_names_them() {
        assert_eq!(
            strip_version("claude-3-haiku-20240307-v1:0"),
            "claude-3-haiku-20240307"
        );
        assert_eq!(strip_version("claude-v2:1"), "claude-v2:1");
        assert_eq!(
            strip_version("titan-text-express-v1"),
            "titan-text-express-v1"
        );
        assert_eq!(
            names("us.anthropic.claude-3-opus-20240229-v1:0")[1],
            Name {
                text: "claude-3-opus-20240229".into(),
                vendor: Some("anthropic".into())
            }
        );
    }
}

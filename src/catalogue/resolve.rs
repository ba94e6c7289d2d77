//! Friendly model ids: what a person types, resolved to one model or refused with the candidates.
//!
//! Ids are long (`anthropic/claude-3-haiku`, `vertex_ai-anthropic_models/vertex_ai/claude-3-haiku@20240307`)
//! and vendors publish dated snapshot names (`claude-3-haiku-20240307`). Every command and
//! scenario field that takes a model id accepts, in this order of precedence:
//!
//! 1. the full id;
//! 2. `<vendor>/<alias>`, for an alias a model of that vendor declares;
//! 3. the id without its vendor (`claude-3-haiku`), or a declared alias on its own
//!    (`claude-3-haiku-20240307`);
//! 4. the id with more leading `/`-parts removed (`anthropic/claude-2` for
//!    `openrouter/anthropic/claude-2`).
//!
//! The first rule that matches anything decides: one model is the answer, two or more are an
//! ambiguity, reported with every candidate, never settled by guessing. A name no rule matches
//! gets the closest id as a "did you mean". A suffix is always a whole number of `/`-parts:
//! `haiku` does not match `claude-3-haiku`.

use super::model::Model;
use super::Catalogue;
use std::fmt;

/// Why a model id did not resolve to one model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdError {
    /// No model has this name.
    Unknown {
        /// The name as given.
        id: String,
        /// The full id of the closest name, if any is close.
        suggestion: Option<String>,
    },
    /// Several models have this name.
    Ambiguous {
        /// The name as given.
        id: String,
        /// The full id of every model it names, each with how it matched.
        candidates: Vec<Candidate>,
    },
}

/// A model an ambiguous name could mean.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// The model's full id.
    pub id: String,
    /// Whether the name is one of its declared aliases rather than part of its id.
    pub by_alias: bool,
}

/// How many candidates an error message lists before it counts the rest.
const LISTED: usize = 20;

impl fmt::Display for IdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}; {}", self.message(), self.help())
    }
}

impl std::error::Error for IdError {}

impl IdError {
    /// The name that failed to resolve.
    pub fn id(&self) -> &str {
        match self {
            IdError::Unknown { id, .. } | IdError::Ambiguous { id, .. } => id,
        }
    }

    /// What went wrong, for a diagnostic's message.
    pub fn message(&self) -> String {
        match self {
            IdError::Unknown { id, .. } => format!("no model `{id}` in the catalogue"),
            IdError::Ambiguous { id, candidates } => format!(
                "model id `{id}` is ambiguous: it names {} models",
                candidates.len()
            ),
        }
    }

    /// What to do about it, for a diagnostic's help.
    pub fn help(&self) -> String {
        match self {
            IdError::Unknown {
                suggestion: Some(s),
                ..
            } => format!("did you mean `{s}`? `llmplan models` lists every id"),
            IdError::Unknown {
                suggestion: None, ..
            } => "`llmplan models` lists every id".to_string(),
            IdError::Ambiguous { candidates, .. } => {
                let mut names: Vec<String> = candidates
                    .iter()
                    .take(LISTED)
                    .map(|c| {
                        if c.by_alias {
                            format!("{} (alias)", c.id)
                        } else {
                            c.id.clone()
                        }
                    })
                    .collect();
                if candidates.len() > LISTED {
                    names.push(format!("and {} more", candidates.len() - LISTED));
                }
                format!("give one of them in full: {}", names.join(", "))
            }
        }
    }
}

/// The part of an id after its vendor.
fn slug(id: &str) -> &str {
    id.split_once('/').map_or(id, |(_, s)| s)
}

/// Rules 2 to 4 of the module documentation.
#[derive(Clone, Copy)]
enum Rule {
    /// `<vendor>/<alias>`.
    VendorAlias,
    /// The id without its vendor, or a bare alias.
    Slug,
    /// A deeper suffix of whole `/`-parts.
    Suffix,
}

impl Rule {
    /// `Some(by_alias)` when `name` names `m` under this rule.
    fn matches(self, m: &Model, name: &str) -> Option<bool> {
        match self {
            Rule::VendorAlias => {
                let (vendor, alias) = name.split_once('/')?;
                (m.vendor == vendor && m.aliases.iter().any(|a| a == alias)).then_some(true)
            }
            Rule::Slug if slug(&m.id) == name => Some(false),
            Rule::Slug => m.aliases.iter().any(|a| a == name).then_some(true),
            Rule::Suffix => {
                let rest = slug(&m.id);
                (rest.len() > name.len()
                    && rest.ends_with(name)
                    && rest.as_bytes()[rest.len() - name.len() - 1] == b'/')
                    .then_some(false)
            }
        }
    }
}

impl Catalogue {
    /// The one model a name stands for, by the rules in this module's documentation.
    pub fn resolve(&self, name: &str) -> Result<&Model, IdError> {
        if let Some(m) = self.model(name) {
            return Ok(m);
        }
        for rule in [Rule::VendorAlias, Rule::Slug, Rule::Suffix] {
            let found: Vec<(&Model, bool)> = self
                .models
                .iter()
                .filter_map(|m| rule.matches(m, name).map(|by_alias| (m, by_alias)))
                .collect();
            match found.as_slice() {
                [] => continue,
                [(m, _)] => return Ok(m),
                _ => {
                    return Err(IdError::Ambiguous {
                        id: name.to_string(),
                        candidates: found
                            .iter()
                            .map(|(m, by_alias)| Candidate {
                                id: m.id.clone(),
                                by_alias: *by_alias,
                            })
                            .collect(),
                    })
                }
            }
        }
        Err(IdError::Unknown {
            id: name.to_string(),
            suggestion: self.closest(name),
        })
    }

    /// The full id of the model whose id, slug or alias is closest to `name`.
    fn closest(&self, name: &str) -> Option<String> {
        let mut names: Vec<(String, &str)> = Vec::with_capacity(self.models.len() * 2);
        for m in &self.models {
            names.push((m.id.clone(), &m.id));
            names.push((slug(&m.id).to_string(), &m.id));
            for a in &m.aliases {
                names.push((a.clone(), &m.id));
                names.push((format!("{}/{a}", m.vendor), &m.id));
            }
        }
        let best = crate::diag::did_you_mean(name, names.iter().map(|(n, _)| n.as_str()))?;
        names
            .iter()
            .find(|(n, _)| *n == best)
            .map(|(_, id)| id.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::profile::from_source;
    use crate::source::SourceFile;

    /// A catalogue of the given profile texts, without the built-in models.
    fn catalogue(files: &[(&str, &str)]) -> Catalogue {
        let base = Catalogue::embedded().unwrap();
        let mut cat = Catalogue {
            registry: base.registry.clone(),
            fx: base.fx.clone(),
            ..Catalogue::default()
        };
        for (name, text) in files {
            let src = SourceFile {
                name: name.to_string(),
                text: text.to_string(),
            };
            let p = from_source(&src, &cat.registry, &cat.fx, &cat.tokenizers).unwrap();
            for m in p.models {
                cat.insert(m);
            }
            cat.vendors.insert(p.vendor.id.clone(), p.vendor);
        }
        cat
    }

    fn vendor(id: &str, models: &[(&str, &[&str])]) -> String {
        let mut t = format!(
            "[vendor]\nid = \"{id}\"\nname = \"{id}\"\ncountry = \"US\"\ncurrency = \"USD\"\n"
        );
        for (m, aliases) in models {
            let list: Vec<String> = aliases.iter().map(|a| format!("\"{a}\"")).collect();
            t.push_str(&format!(
                "[[model]]\nid = \"{id}/{m}\"\nname = \"{m}\"\nstatus = \"ga\"\naliases = [{}]\n",
                list.join(", ")
            ));
        }
        t
    }

    fn sample() -> Catalogue {
        catalogue(&[
            (
                "anthropic.toml",
                &vendor(
                    "anthropic",
                    &[
                        ("claude-3-haiku", &["claude-3-haiku-20240307"]),
                        ("claude-3-opus", &["claude-3-opus-20240229"]),
                        ("claude-2", &[]),
                    ],
                ),
            ),
            (
                "openrouter.toml",
                &vendor(
                    "openrouter",
                    &[
                        ("anthropic/claude-2", &[]),
                        ("anthropic/claude-3-opus", &[]),
                    ],
                ),
            ),
            (
                "bedrock.toml",
                &vendor("bedrock", &[("claude-3-haiku-20240307", &[])]),
            ),
        ])
    }

    fn ok(cat: &Catalogue, name: &str) -> String {
        cat.resolve(name)
            .unwrap_or_else(|e| panic!("{name}: {e}"))
            .id
            .clone()
    }

    #[test]
    fn full_ids_suffixes_and_aliases_resolve() {
        let cat = sample();
        assert_eq!(
            ok(&cat, "anthropic/claude-3-haiku"),
            "anthropic/claude-3-haiku"
        );
        // Rule 3: the id without its vendor; the deeper openrouter match is never reached.
        assert_eq!(ok(&cat, "claude-3-opus"), "anthropic/claude-3-opus");
        assert_eq!(ok(&cat, "claude-2"), "anthropic/claude-2");
        // Rule 2: a vendor-qualified alias.
        assert_eq!(
            ok(&cat, "anthropic/claude-3-opus-20240229"),
            "anthropic/claude-3-opus"
        );
        // Rule 3: a bare alias.
        assert_eq!(
            ok(&cat, "claude-3-opus-20240229"),
            "anthropic/claude-3-opus"
        );
        // Rule 1 beats rule 4: `anthropic/claude-2` is a full id, not openrouter's suffix.
        assert_eq!(ok(&cat, "anthropic/claude-2"), "anthropic/claude-2");
        assert_eq!(
            ok(&cat, "openrouter/anthropic/claude-2"),
            "openrouter/anthropic/claude-2"
        );
    }

    #[test]
    fn a_deeper_suffix_resolves_when_nothing_nearer_matches() {
        let cat = catalogue(&[(
            "openrouter.toml",
            &vendor("openrouter", &[("anthropic/claude-2", &[])]),
        )]);
        assert_eq!(
            ok(&cat, "anthropic/claude-2"),
            "openrouter/anthropic/claude-2"
        );
        assert_eq!(ok(&cat, "claude-2"), "openrouter/anthropic/claude-2");
        // Whole parts only: `ude-2` and `2` are not suffixes of a part boundary.
        assert!(matches!(cat.resolve("ude-2"), Err(IdError::Unknown { .. })));
    }

    #[test]
    fn a_name_of_two_models_is_ambiguous_and_lists_both() {
        let cat = sample();
        // Anthropic's alias and Bedrock's slug are the same name.
        let err = cat.resolve("claude-3-haiku-20240307").unwrap_err();
        assert_eq!(
            err,
            IdError::Ambiguous {
                id: "claude-3-haiku-20240307".into(),
                candidates: vec![
                    Candidate {
                        id: "anthropic/claude-3-haiku".into(),
                        by_alias: true
                    },
                    Candidate {
                        id: "bedrock/claude-3-haiku-20240307".into(),
                        by_alias: false
                    },
                ],
            }
        );
        assert_eq!(
            err.to_string(),
            "model id `claude-3-haiku-20240307` is ambiguous: it names 2 models; give one of them in full: anthropic/claude-3-haiku (alias), bedrock/claude-3-haiku-20240307"
        );
        // Two openrouter models share no name, but `claude` is a suffix of neither.
        assert!(matches!(
            cat.resolve("claude"),
            Err(IdError::Unknown { .. })
        ));
    }

    #[test]
    fn many_candidates_are_counted_after_twenty() {
        let models: Vec<String> = (0..25).map(|i| format!("r{i}/gpt-x")).collect();
        let list: Vec<(&str, &[&str])> = models.iter().map(|m| (m.as_str(), &[][..])).collect();
        let cat = catalogue(&[("hub.toml", &vendor("hub", &list))]);
        let msg = cat.resolve("gpt-x").unwrap_err().to_string();
        assert!(
            msg.contains("it names 25 models") && msg.ends_with(", and 5 more"),
            "{msg}"
        );
    }

    #[test]
    fn an_unknown_name_gets_the_closest_full_id() {
        let cat = sample();
        let err = cat.resolve("claude-3-haku").unwrap_err();
        assert_eq!(
            err,
            IdError::Unknown {
                id: "claude-3-haku".into(),
                suggestion: Some("anthropic/claude-3-haiku".into())
            }
        );
        assert_eq!(
            err.to_string(),
            "no model `claude-3-haku` in the catalogue; did you mean `anthropic/claude-3-haiku`? `llmplan models` lists every id"
        );
        // Close to an alias: the model that declares it is suggested.
        assert_eq!(
            cat.resolve("claude-3-opus-20240228").unwrap_err(),
            IdError::Unknown {
                id: "claude-3-opus-20240228".into(),
                suggestion: Some("anthropic/claude-3-opus".into())
            }
        );
        assert_eq!(
            cat.resolve("llama-9").unwrap_err(),
            IdError::Unknown {
                id: "llama-9".into(),
                suggestion: None
            }
        );
    }

    #[test]
    fn the_built_in_catalogue_resolves_its_short_names() {
        let cat = Catalogue::embedded().unwrap();
        assert_eq!(ok(&cat, "claude-3-haiku"), "anthropic/claude-3-haiku");
        assert_eq!(ok(&cat, "gpt-4-turbo"), "openai/gpt-4-turbo");
        // Every model resolves by its own id and, where unique, by its slug.
        for m in &cat.models {
            assert_eq!(ok(&cat, &m.id), m.id);
            if let Ok(found) = cat.resolve(slug(&m.id)) {
                assert_eq!(found.id, m.id);
            }
        }
    }
}

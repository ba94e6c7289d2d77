//! Writing imported models as a profile file: the TOML of `docs/profile-format.md`, with a header
//! saying where it came from, readable enough to review in a diff.

use super::litellm::Imported;
use crate::catalogue::model::Price;
use rust_decimal::Decimal;
use std::fmt::Write as _;

/// The profile file for one provider's models.
pub fn profile(provider: &str, models: &[&Imported], source_file: &str, as_of: &str) -> String {
    let mut t = String::new();
    let _ = writeln!(
        t,
        "# Imported by `llmplan import litellm` from {source_file}, prices read {as_of}."
    );
    t.push_str("# Source: LiteLLM's model price map, github.com/BerriAI/litellm (MIT licence, Copyright (c) 2023 Berri AI).\n");
    t.push_str("# USD per token there, per 1M tokens here, converted exactly. Re-import rather than edit by hand.\n\n");
    t.push_str("[vendor]\n");
    let _ = writeln!(t, "id = {}", quote(provider));
    let _ = writeln!(t, "name = {}", quote(&format!("{provider} (LiteLLM)")));
    t.push_str("country = \"\"            # LiteLLM does not say\n");
    t.push_str("currency = \"USD\"\n");
    for m in models {
        model(&mut t, m);
    }
    t
}

fn model(t: &mut String, m: &Imported) {
    t.push_str("\n[[model]]\n");
    let _ = writeln!(t, "id = {}", quote(&m.id));
    let _ = writeln!(t, "name = {}", quote(&m.key));
    let _ = writeln!(t, "status = {}", quote(m.status.as_str()));
    if let Some(c) = m.context_window {
        let _ = writeln!(t, "context_window = {c}");
    }
    if let Some(c) = m.max_output_tokens {
        let _ = writeln!(t, "max_output_tokens = {c}");
    }
    let _ = writeln!(
        t,
        "input_modalities = {}",
        list(m.input_modalities.iter().map(|x| x.as_str()))
    );
    let _ = writeln!(
        t,
        "output_modalities = {}",
        list(m.output_modalities.iter().map(|x| x.as_str()))
    );
    let _ = writeln!(
        t,
        "capabilities = {}",
        list(m.capabilities.iter().map(|x| x.as_str()))
    );
    if !m.notes.is_empty() {
        let note = m
            .notes
            .iter()
            .map(|n| n.text())
            .collect::<Vec<_>>()
            .join("; ");
        let _ = writeln!(
            t,
            "price_note = {}",
            quote(&format!("Imported from LiteLLM: {note}."))
        );
    }
    price(t, &m.price);
}

fn price(t: &mut String, p: &Price) {
    t.push_str("\n[model.price]\n");
    for (k, v) in [
        ("input", p.input),
        ("output", p.output),
        ("cached_input", p.cached_input),
        ("batch_discount", p.batch_discount),
    ] {
        if let Some(v) = v {
            let _ = writeln!(t, "{k} = {}", dec(v));
        }
    }
    let _ = writeln!(t, "as_of = {}", quote(&p.as_of));
    let _ = writeln!(t, "source = {}", quote(&p.source));
    for tier in &p.tiers {
        t.push_str("\n[[model.price.tiers]]\n");
        let _ = writeln!(t, "above_input_tokens = {}", tier.above_input_tokens);
        let _ = writeln!(t, "input = {}", dec(tier.input));
        let _ = writeln!(t, "output = {}", dec(tier.output));
        if let Some(c) = tier.cached_input {
            let _ = writeln!(t, "cached_input = {}", dec(c));
        }
    }
}

/// Decimals are written as strings so that no reader passes them through a float.
fn dec(d: Decimal) -> String {
    quote(&d.normalize().to_string())
}

fn quote(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn list<'a>(items: impl Iterator<Item = &'a str>) -> String {
    format!("[{}]", items.map(quote).collect::<Vec<_>>().join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::{profile as validate, Catalogue};
    use crate::import::litellm::{map, Provenance};
    use crate::source::SourceFile;

    #[test]
    fn written_profiles_pass_validation_and_keep_every_price() {
        let text = r#"{
            "gpt-4o": {"input_cost_per_token": 2.5e-06, "output_cost_per_token": 1e-05, "cache_read_input_token_cost": 1.25e-06,
                       "input_cost_per_token_batches": 1.25e-06, "output_cost_per_token_batches": 5e-06,
                       "litellm_provider": "openai", "mode": "chat", "max_input_tokens": 128000, "max_output_tokens": 16384,
                       "supports_vision": true, "supports_function_calling": true, "source": "https://openai.com/api/pricing"},
            "gemini/gemini-1.5-pro": {"input_cost_per_token": 3.5e-06, "input_cost_per_token_above_128k_tokens": 7e-06,
                       "output_cost_per_token": 1.05e-05, "output_cost_per_token_above_128k_tokens": 2.1e-05,
                       "litellm_provider": "gemini", "mode": "chat", "max_input_tokens": 2097152, "name\"quote": 1}
        }"#;
        let prov = Provenance {
            file_name: "p.json".into(),
            as_of: "2024-12-01".into(),
        };
        let mapping = map(text, &prov).unwrap();
        let cat = Catalogue::embedded().unwrap();
        for (provider, models) in mapping.by_provider() {
            let toml = profile(provider, &models, "p.json", "2024-12-01");
            let src = SourceFile {
                name: format!("{provider}.toml"),
                text: toml.clone(),
            };
            let p = validate::from_source(&src, &cat.registry, &cat.fx, &cat.tokenizers)
                .unwrap_or_else(|d| panic!("{toml}\n{d:?}"));
            assert_eq!(p.models.len(), models.len());
            for (got, want) in p.models.iter().zip(&models) {
                assert_eq!(got.id, want.id);
                assert_eq!(got.price.as_ref(), Some(&want.price), "{toml}");
                assert_eq!(got.context_window, want.context_window);
                assert_eq!(got.capabilities, want.capabilities);
                assert_eq!(got.input_modalities, want.input_modalities);
            }
        }
    }
}

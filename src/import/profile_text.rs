//! Writing imported models as a profile file: the TOML of `docs/profile-format.md`, with a header
//! saying where it came from, readable enough to review in a diff.

use super::imported::Imported;
use crate::catalogue::model::Price;
use rust_decimal::Decimal;
use std::fmt::Write as _;

/// Where a file's models came from: the header's comment lines, the vendor's display name, and
/// the catalogue named at the start of every `price_note`.
#[derive(Debug, Clone)]
pub struct Origin {
    /// Comment lines for the top of the file, without `# `.
    pub header: Vec<String>,
    /// The vendor's display name.
    pub vendor_name: String,
    /// The catalogue's name, such as `LiteLLM`.
    pub catalogue: String,
}

/// The profile file for one provider's models.
pub fn profile(provider: &str, models: &[&Imported], origin: &Origin) -> String {
    let mut t = String::new();
    for line in &origin.header {
        let _ = writeln!(t, "# {line}");
    }
    t.push_str("\n[vendor]\n");
    let _ = writeln!(t, "id = {}", quote(provider));
    let _ = writeln!(t, "name = {}", quote(&origin.vendor_name));
    let _ = writeln!(
        t,
        "country = \"\"            # {} does not say",
        origin.catalogue
    );
    t.push_str("currency = \"USD\"\n");
    for m in models {
        model(&mut t, m, &origin.catalogue);
    }
    t
}

fn model(t: &mut String, m: &Imported, catalogue: &str) {
    t.push_str("\n[[model]]\n");
    let _ = writeln!(t, "id = {}", quote(&m.id));
    let _ = writeln!(t, "name = {}", quote(&m.name));
    if let Some(r) = &m.released {
        let _ = writeln!(t, "released = {}", quote(r));
    }
    let _ = writeln!(t, "status = {}", quote(m.status.as_str()));
    for (k, v) in [
        ("context_window", m.context_window),
        ("max_input_tokens", m.max_input_tokens),
        ("max_output_tokens", m.max_output_tokens),
    ] {
        if let Some(v) = v {
            let _ = writeln!(t, "{k} = {v}");
        }
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
    if let Some(inh) = m.inherited.as_ref().filter(|i| !i.languages.is_empty()) {
        let _ = writeln!(
            t,
            "languages = {}",
            list(inh.languages.iter().map(String::as_str))
        );
    }
    if m.open_weights {
        t.push_str("open_weights = true\n");
    }
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
            quote(&format!("Imported from {catalogue}: {note}."))
        );
    }
    if let Some(inh) = m.inherited.as_ref().filter(|i| !i.languages.is_empty()) {
        t.push_str("\n[model.sources]\n");
        let _ = writeln!(
            t,
            "languages = {}",
            quote(&format!(
                "inherited from {} ({}), of which this is a snapshot or re-host",
                inh.from, inh.rule
            ))
        );
    }
    if let Some(p) = &m.price {
        price(t, p);
    }
    if let Some(inh) = &m.inherited {
        for b in &inh.benchmarks {
            t.push_str("\n[[model.benchmarks]]\n");
            let _ = writeln!(t, "id = {}", quote(&b.id));
            let _ = writeln!(t, "value = {}", dec(b.value));
            let _ = writeln!(t, "setting = {}", quote(&b.setting));
            let _ = writeln!(t, "source = {}", quote(&b.source));
            let _ = writeln!(t, "inherited_from = {}", quote(&inh.from));
        }
    }
}

fn price(t: &mut String, p: &Price) {
    t.push_str("\n[model.price]\n");
    for (k, v) in [
        ("input", p.input),
        ("output", p.output),
        ("cached_input", p.cached_input),
        ("cache_write", p.cache.cache_write),
        ("batch_discount", p.batch_discount),
        ("per_image", p.per_image),
        ("per_video_second", p.per_video_second),
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
                       "litellm_provider": "gemini", "mode": "chat", "max_input_tokens": 2097152, "name\"quote": 1},
            "dall-e-3": {"litellm_provider": "openai", "mode": "image_generation", "output_cost_per_image": 0.04},
            "tts-1": {"litellm_provider": "openai", "mode": "audio_speech", "input_cost_per_character": 1.5e-05}
        }"#;
        let prov = Provenance {
            file_name: "p.json".into(),
            as_of: "2024-12-01".into(),
            keep_zero_prices: false,
        };
        let mapping = map(text, &prov).unwrap();
        let cat = Catalogue::embedded().unwrap();
        let origin = Origin {
            header: vec!["test".into()],
            vendor_name: "x".into(),
            catalogue: "LiteLLM".into(),
        };
        for (provider, models) in mapping.by_provider() {
            let toml = profile(provider, &models, &origin);
            let src = SourceFile {
                name: format!("{provider}.toml"),
                text: toml.clone(),
            };
            let p = validate::from_source(&src, &cat.registry, &cat.fx, &cat.tokenizers)
                .unwrap_or_else(|d| panic!("{toml}\n{d:?}"));
            assert_eq!(p.models.len(), models.len());
            for (got, want) in p.models.iter().zip(&models) {
                assert_eq!(got.id, want.id);
                assert_eq!(got.price, want.price, "{toml}");
                assert_eq!(got.context_window, want.context_window);
                assert_eq!(got.capabilities, want.capabilities);
                assert_eq!(got.input_modalities, want.input_modalities);
                assert_eq!(got.output_modalities, want.output_modalities);
            }
        }
    }
}

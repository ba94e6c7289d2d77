//! Validating one vendor profile file into a vendor and its models.

use super::fx::FxTable;
use super::image_input;
use super::model::{Model, Moe, Plan, Price, Score, Serving, Tier, Vendor};
use super::raw::{RawModel, RawPrice, RawProfile};
use super::registry::Registry;
use super::tokenizer::Tokenizers;
use super::vocab::Modality;
use crate::diag::{suggest, Diagnostic, KeyPath};
use crate::money::Currency;
use crate::num::Num;
use crate::source::SourceFile;
use crate::validate::Checker;
use rust_decimal::Decimal;

/// A validated profile file.
#[derive(Debug, Clone)]
pub struct Profile {
    /// The vendor.
    pub vendor: Vendor,
    /// Its models, in file order.
    pub models: Vec<Model>,
}

/// Parses and validates a profile file against the registry and exchange rates.
pub fn from_source(
    src: &SourceFile,
    registry: &Registry,
    fx: &FxTable,
    tokenizers: &Tokenizers,
) -> Result<Profile, Vec<Diagnostic>> {
    from_raw(
        src,
        src.parse().map_err(|d| vec![d])?,
        registry,
        fx,
        tokenizers,
    )
}

/// Validates a profile file already parsed from `src`, locating each fault in its text.
pub fn from_raw(
    src: &SourceFile,
    raw: RawProfile,
    registry: &Registry,
    fx: &FxTable,
    tokenizers: &Tokenizers,
) -> Result<Profile, Vec<Diagnostic>> {
    let mut ck = Checker::new(src);
    let vpath = KeyPath::root().key("vendor");
    if !is_vendor_id(&raw.vendor.id) {
        ck.err(
            &vpath.key("id"),
            format!(
                "vendor id `{}` must be lowercase letters, digits, '-' or '.'",
                raw.vendor.id
            ),
            "for example `anthropic` or `01ai`",
        );
    }
    let currency = match Currency::parse(&raw.vendor.currency) {
        Some(c) if fx.rate(c).is_some() => c,
        Some(c) => {
            ck.err(
                &vpath.key("currency"),
                format!("currency {c} has no exchange rate"),
                format!(
                    "add `{c} = ...` (units per 1 USD) to fx.toml [rates]; rates exist for {}",
                    fx.codes().join(", ")
                ),
            );
            c
        }
        None => {
            ck.err(
                &vpath.key("currency"),
                format!(
                    "`{}` is not a three-letter currency code",
                    raw.vendor.currency
                ),
                "use an ISO 4217 code such as USD or CNY",
            );
            Currency::USD
        }
    };
    ck.name(&vpath.key("name"), &raw.vendor.name);
    let vendor = Vendor {
        id: raw.vendor.id.clone(),
        name: raw.vendor.name,
        country: raw.vendor.country,
        currency,
    };
    same_names(&mut ck, &raw.model);
    let mut models = Vec::with_capacity(raw.model.len());
    let mut seen = std::collections::HashMap::new();
    for (i, m) in raw.model.into_iter().enumerate() {
        let path = KeyPath::root().key("model").index(i);
        if let Some(first) = seen.insert(m.id.clone(), i) {
            ck.err(
                &path.key("id"),
                format!(
                    "model id `{}` appears twice in this file (first as model {})",
                    m.id,
                    first + 1
                ),
                "model ids must be unique across the catalogue",
            );
        }
        if let Some(model) = model(&mut ck, &path, m, &vendor, registry, tokenizers) {
            models.push(model);
        }
    }
    ck.finish()?;
    Ok(Profile { vendor, models })
}

/// Whether `s` can be a vendor id: lowercase letters, digits, '-', '.' or '_'.
pub fn is_vendor_id(s: &str) -> bool {
    !s.is_empty()
        && s.chars().all(|c| {
            c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.' || c == '_'
        })
}

/// Whether `s` can follow `<vendor>/` in a model id.
pub fn is_slug(s: &str) -> bool {
    !s.split('/').any(str::is_empty) && !s.chars().any(|c| c.is_whitespace() || c.is_control())
}

fn model(
    ck: &mut Checker,
    path: &KeyPath,
    m: RawModel,
    vendor: &Vendor,
    registry: &Registry,
    tokenizers: &Tokenizers,
) -> Option<Model> {
    let before = ck.diags.len();
    match m.id.split_once('/') {
        // The slug may hold further '/'s: resellers name models by route, such as
        // `bedrock/us-east-1/anthropic.claude-v2` in an imported price list.
        Some((v, slug)) if v == vendor.id && is_slug(slug) => {}
        _ => ck.err(
            &path.key("id"),
            format!("model id `{}` must be `{}/<slug>`", m.id, vendor.id),
            "the part before the first '/' is the vendor id of this file; the slug may not be empty, hold spaces or have an empty part between '/'s",
        ),
    }
    ck.name(&path.key("id"), &m.id);
    ck.name(&path.key("name"), &m.name);
    if let Some(f) = &m.family {
        ck.name(&path.key("family"), f);
    }
    if let Some(d) = &m.released {
        ck.date(&path.key("released"), d, true);
    }
    let context_window = m
        .context_window
        .and_then(|n| ck.whole(&path.key("context_window"), n, 1));
    let max_output_tokens = m
        .max_output_tokens
        .and_then(|n| ck.whole(&path.key("max_output_tokens"), n, 1));
    let max_input_tokens = m
        .max_input_tokens
        .and_then(|n| ck.whole(&path.key("max_input_tokens"), n, 1));
    if let (Some(i), Some(c)) = (max_input_tokens, context_window) {
        if i > c {
            ck.err(
                &path.key("max_input_tokens"),
                format!("max_input_tokens ({i}) exceeds context_window ({c})"),
                "the context window holds the prompt and the output, so the prompt limit cannot be larger",
            );
        }
    }
    aliases(ck, path, &m.id, &m.aliases);
    let params_b = m
        .params_b
        .and_then(|n| ck.positive(&path.key("params_b"), n));
    let active_params_b = m
        .active_params_b
        .and_then(|n| ck.positive(&path.key("active_params_b"), n));
    if let (Some(a), Some(t)) = (active_params_b, params_b) {
        if a > t {
            ck.err(
                &path.key("active_params_b"),
                format!("active parameters ({a}B) exceed total parameters ({t}B)"),
                "active_params_b is the part of params_b used per token",
            );
        }
    }
    for (j, lang) in m.languages.iter().enumerate() {
        if !(2..=3).contains(&lang.len()) || !lang.chars().all(|c| c.is_ascii_lowercase()) {
            ck.err(
                &path.key("languages").index(j),
                format!("`{lang}` is not an ISO 639-1 language code"),
                "use lowercase codes such as \"en\" or \"zh\"",
            );
        }
    }
    let price = m.price.and_then(|p| price(ck, &path.key("price"), p));
    let mut benchmarks = Vec::with_capacity(m.benchmarks.len());
    for (j, b) in m.benchmarks.into_iter().enumerate() {
        let bpath = path.key("benchmarks").index(j);
        if let Some(scale) = registry.get(&b.id) {
            ck.on_scale(
                &bpath.key("value"),
                &b.id,
                b.value.get(),
                scale.min,
                scale.max,
            );
        } else {
            let help = format!(
                "{}; a new benchmark must first be registered in benchmarks.toml",
                suggest(&b.id, "registered benchmarks", registry.ids())
            );
            ck.err(
                &bpath.key("id"),
                format!("unknown benchmark `{}`", b.id),
                help,
            );
        }
        let setting = b.setting.filter(|s| !s.trim().is_empty());
        let source = b.source.filter(|s| !s.trim().is_empty());
        if let Some(from) = &b.inherited_from {
            if !from
                .split_once('/')
                .is_some_and(|(v, slug)| is_vendor_id(v) && is_slug(slug))
            {
                ck.err(
                    &bpath.key("inherited_from"),
                    format!("inherited_from `{from}` is not a model id"),
                    "name the catalogue model the score was copied from, as `<vendor>/<slug>`",
                );
            }
        }
        if setting.is_none() {
            ck.err(
                &bpath,
                format!("benchmark `{}` has no `setting`", b.id),
                "add setting = \"5-shot\" (or \"unspecified\" when the source prints none)",
            );
        }
        if source.is_none() {
            ck.err(
                &bpath,
                format!("benchmark `{}` has no `source`", b.id),
                "add source = \"report fig. N (...)\" naming where the value was read",
            );
        }
        benchmarks.push(Score {
            id: b.id,
            value: b.value.get(),
            setting: setting.unwrap_or_default(),
            source: source.unwrap_or_default(),
            inherited_from: b.inherited_from,
        });
    }
    let serving = m.serving.and_then(|s| {
        let sp = path.key("serving");
        let layers = ck.whole(&sp.key("layers"), s.layers, 1);
        let hidden_size = ck.whole(&sp.key("hidden_size"), s.hidden_size, 1);
        let kv_heads = ck.whole(&sp.key("kv_heads"), s.kv_heads, 1);
        let head_dim = ck.whole(&sp.key("head_dim"), s.head_dim, 1);
        let source = s.source.filter(|x| !x.trim().is_empty());
        if source.is_none() {
            ck.err(
                &sp,
                "[model.serving] has no `source`",
                "say where the architecture facts were read",
            );
        }
        let moe = moe(
            ck,
            &sp,
            s.experts,
            s.experts_per_token,
            params_b,
            active_params_b,
        );
        Some(Serving {
            layers: layers?,
            hidden_size: hidden_size?,
            kv_heads: kv_heads?,
            head_dim: head_dim?,
            precisions: s.precisions,
            moe: moe?,
            source: source?,
        })
    });
    let tokenizer = m
        .tokenizer
        .as_ref()
        .and_then(|t| tokenizers.resolve(ck, &path.key("tokenizer"), t));
    let image_input = m
        .image_input
        .and_then(|r| image_input::check(ck, &path.key("image_input"), r));
    if image_input.is_some() && !m.input_modalities.contains(&Modality::Image) {
        ck.err(
            &path.key("image_input"),
            format!(
                "model `{}` has an image rule but does not read images",
                m.id
            ),
            "add \"image\" to input_modalities, or remove [model.image_input]",
        );
    }
    if ck.diags.len() > before {
        return None;
    }
    Some(Model {
        id: m.id,
        vendor: vendor.id.clone(),
        name: m.name,
        aliases: m.aliases,
        family: m.family,
        released: m.released,
        status: m.status,
        context_window,
        max_output_tokens,
        max_input_tokens,
        input_modalities: m.input_modalities,
        output_modalities: m.output_modalities,
        capabilities: m.capabilities,
        languages: m.languages,
        open_weights: m.open_weights,
        license: m.license,
        params_b,
        active_params_b,
        currency: vendor.currency,
        price,
        price_note: m.price_note,
        benchmarks,
        sources: m.sources,
        serving,
        tokenizer,
        image_input,
        origin: ck.src.name.clone(),
    })
}

/// Within one file, an alias may not be another model's slug or alias: the name would stand for
/// two models.
fn same_names(ck: &mut Checker, models: &[RawModel]) {
    let mut owner: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (i, m) in models.iter().enumerate() {
        owner
            .entry(m.id.split_once('/').map_or(m.id.as_str(), |(_, s)| s))
            .or_insert(i);
    }
    for (i, m) in models.iter().enumerate() {
        for (j, a) in m.aliases.iter().enumerate() {
            match owner.get(a.as_str()) {
                Some(&k) if k != i => ck.err(
                    &KeyPath::root()
                        .key("model")
                        .index(i)
                        .key("aliases")
                        .index(j),
                    format!("alias `{a}` already names `{}` in this file", models[k].id),
                    "an alias must stand for one model; remove it from one of them",
                ),
                Some(_) => {}
                None => {
                    owner.insert(a, i);
                }
            }
        }
    }
}

/// An alias is another name for the model within its vendor: a dated snapshot such as
/// `claude-3-haiku-20240307`. It has no '/' (the vendor is implied), is not the model's own
/// slug, and is listed once.
fn aliases(ck: &mut Checker, path: &KeyPath, id: &str, aliases: &[String]) {
    let slug = id.split_once('/').map_or(id, |(_, s)| s);
    for (j, a) in aliases.iter().enumerate() {
        let at = path.key("aliases").index(j);
        if a.is_empty() || a.contains('/') || !is_slug(a) {
            ck.err(
                &at,
                format!("alias `{a}` must be a name without '/', spaces or control characters"),
                "write the vendor's other name for the model without the vendor, such as \"claude-3-haiku-20240307\"",
            );
        } else if a == slug {
            ck.err(
                &at,
                format!("alias `{a}` is the model's own id"),
                "list only other names; the id is always accepted",
            );
        } else if aliases[..j].contains(a) {
            ck.err(
                &at,
                format!("alias `{a}` is listed twice"),
                "remove the repeat",
            );
        }
    }
}

/// `Ok(None)` for a dense model, `Ok(Some(_))` for a consistent mixture of experts, `None` after a fault.
fn moe(
    ck: &mut Checker,
    sp: &KeyPath,
    experts: Option<Num>,
    per_token: Option<Num>,
    params: Option<Decimal>,
    active: Option<Decimal>,
) -> Option<Option<Moe>> {
    let (e, k) = match (experts, per_token) {
        (None, None) => return Some(None),
        (Some(e), Some(k)) => (
            ck.whole(&sp.key("experts"), e, 2)?,
            ck.whole(&sp.key("experts_per_token"), k, 1)?,
        ),
        (Some(_), None) => {
            ck.err(
                &sp.key("experts"),
                "`experts` without `experts_per_token`",
                "add experts_per_token = <experts each token is routed to>",
            );
            return None;
        }
        (None, Some(_)) => {
            ck.err(
                &sp.key("experts_per_token"),
                "`experts_per_token` without `experts`",
                "add experts = <experts in each MoE layer>",
            );
            return None;
        }
    };
    if k >= e {
        ck.err(
            &sp.key("experts_per_token"),
            format!("`experts_per_token` ({k}) must be below `experts` ({e})"),
            "a token is routed to a few of the experts, not all of them",
        );
        return None;
    }
    // The estimator splits parameters into shared ones and per-expert ones from these two totals.
    match (params, active) {
        (Some(p), Some(a)) if a < p => Some(Some(Moe {
            experts: e,
            per_token: k,
        })),
        _ => {
            ck.err(sp, "a mixture of experts needs `params_b` and a smaller `active_params_b` on the model", "set params_b (all experts) and active_params_b (used per token)");
            None
        }
    }
}

fn price(ck: &mut Checker, path: &KeyPath, p: RawPrice) -> Option<Price> {
    let before = ck.diags.len();
    let money = |ck: &mut Checker, key: &str, n: Option<Num>| {
        n.and_then(|n| ck.non_negative(&path.key(key), n))
    };
    let input = money(ck, "input", p.input);
    let output = money(ck, "output", p.output);
    let cached_input = money(ck, "cached_input", p.cached_input);
    let cache = super::cache::check(ck, path, &p);
    let per_image = money(ck, "per_image", p.per_image);
    let per_video_second = money(ck, "per_video_second", p.per_video_second);
    let batch_discount = p
        .batch_discount
        .and_then(|n| ck.fraction(&path.key("batch_discount"), n));
    if p.input.is_some() != p.output.is_some() {
        ck.err(
            path,
            "a price needs both `input` and `output`, or neither",
            "add the missing one (per 1M tokens)",
        );
    }
    if p.input.is_none() && per_image.is_none() && per_video_second.is_none() && p.plans.is_empty()
    {
        ck.err(path, "[model.price] sets no price", "give input and output per 1M tokens, per_image, per_video_second or [[model.price.plans]]; or remove the table and explain in price_note");
    }
    let as_of = p.as_of.filter(|s| !s.trim().is_empty());
    if let Some(d) = &as_of {
        ck.date(&path.key("as_of"), d, false);
    }
    let source = p.source.filter(|s| !s.trim().is_empty());
    if as_of.is_none() {
        ck.err(
            path,
            "price has no `as_of` date",
            "add as_of = \"YYYY-MM-DD\": the date the price was read",
        );
    }
    if source.is_none() {
        ck.err(
            path,
            "price has no `source`",
            "add source = \"...\": where the price was read",
        );
    }
    let mut tiers: Vec<Tier> = Vec::new();
    for (j, t) in p.tiers.into_iter().enumerate() {
        let tp = path.key("tiers").index(j);
        let above = ck.whole(&tp.key("above_input_tokens"), t.above_input_tokens, 1);
        let ti = ck.non_negative(&tp.key("input"), t.input);
        let to = ck.non_negative(&tp.key("output"), t.output);
        let tc = t
            .cached_input
            .and_then(|n| ck.non_negative(&tp.key("cached_input"), n));
        let tw = t
            .cache_write
            .and_then(|n| ck.non_negative(&tp.key("cache_write"), n));
        if let (Some(above), Some(input), Some(output)) = (above, ti, to) {
            if tiers
                .last()
                .is_some_and(|prev| prev.above_input_tokens >= above)
            {
                ck.err(
                    &tp.key("above_input_tokens"),
                    "tiers must be listed in increasing `above_input_tokens`",
                    "sort the [[model.price.tiers]] entries by threshold",
                );
            }
            tiers.push(Tier {
                above_input_tokens: above,
                input,
                output,
                cached_input: tc,
                cache_write: tw,
            });
        }
    }
    let mut plans = Vec::new();
    for (j, pl) in p.plans.into_iter().enumerate() {
        let pp = path.key("plans").index(j);
        let monthly = ck.non_negative(&pp.key("monthly"), pl.monthly);
        let images = pl
            .images
            .and_then(|n| ck.non_negative(&pp.key("images"), n));
        let video_seconds = pl
            .video_seconds
            .and_then(|n| ck.non_negative(&pp.key("video_seconds"), n));
        ck.name(&pp.key("name"), &pl.name);
        if let Some(monthly) = monthly {
            plans.push(Plan {
                name: pl.name,
                monthly,
                images,
                video_seconds,
            });
        }
    }
    if ck.diags.len() > before {
        return None;
    }
    Some(Price {
        input,
        output,
        cached_input,
        cache,
        batch_discount,
        per_image,
        per_video_second,
        tiers,
        plans,
        as_of: as_of.unwrap_or_default(),
        source: source.unwrap_or_default(),
    })
}

/// The price per 1M tokens as a plain decimal, for tables.
pub fn per_m(d: Decimal) -> String {
    d.normalize().to_string()
}

#[cfg(test)]
mod slug_tests {
    use super::is_slug;

    #[test]
    fn slugs_may_hold_routes_but_no_empty_parts_or_spaces() {
        for ok in [
            "claude-3-opus",
            "us-east-1/anthropic.claude-v2",
            "anthropic/claude-2",
            "ft:gpt-4o",
            "claude-3-haiku@20240307",
        ] {
            assert!(is_slug(ok), "{ok}");
        }
        for bad in ["", "a//b", "a/", "/a", "a b", "a\tb"] {
            assert!(!is_slug(bad), "{bad:?}");
        }
    }
}

#[cfg(test)]
mod alias_tests {
    use super::from_source;
    use crate::catalogue::Catalogue;
    use crate::source::SourceFile;

    /// The messages of every fault in a vendor file with these `[[model]]` bodies.
    fn faults(models: &[&str]) -> Vec<String> {
        let cat = Catalogue::embedded().unwrap();
        let mut text = "[vendor]\nid = \"v\"\nname = \"V\"\ncountry = \"US\"\ncurrency = \"USD\"\n"
            .to_string();
        for m in models {
            text.push_str(&format!("[[model]]\nname = \"m\"\nstatus = \"ga\"\n{m}\n"));
        }
        let src = SourceFile {
            name: "v.toml".into(),
            text,
        };
        match from_source(&src, &cat.registry, &cat.fx, &cat.tokenizers) {
            Ok(_) => Vec::new(),
            Err(d) => d.iter().map(|d| d.message.clone()).collect(),
        }
    }

    #[test]
    fn aliases_are_plain_unique_names() {
        assert!(faults(&["id = \"v/a\"\naliases = [\"a-2024\", \"a-2025\"]"]).is_empty());
        let one = |m: &str| faults(&[m]);
        assert_eq!(
            one("id = \"v/a\"\naliases = [\"v/a-2024\"]"),
            ["alias `v/a-2024` must be a name without '/', spaces or control characters"]
        );
        assert_eq!(
            one("id = \"v/a\"\naliases = [\"a\"]"),
            ["alias `a` is the model's own id"]
        );
        assert_eq!(
            one("id = \"v/a\"\naliases = [\"x\", \"x\"]"),
            ["alias `x` is listed twice"]
        );
        assert_eq!(
            faults(&["id = \"v/a\"", "id = \"v/b\"\naliases = [\"a\"]"]),
            ["alias `a` already names `v/a` in this file"]
        );
        assert_eq!(
            faults(&[
                "id = \"v/a\"\naliases = [\"x\"]",
                "id = \"v/b\"\naliases = [\"x\"]"
            ]),
            ["alias `x` already names `v/a` in this file"]
        );
    }

    #[test]
    fn an_input_limit_fits_in_the_context_window() {
        assert!(
            faults(&["id = \"v/a\"\ncontext_window = 400000\nmax_input_tokens = 272000"])
                .is_empty()
        );
        assert_eq!(
            faults(&["id = \"v/a\"\ncontext_window = 1000\nmax_input_tokens = 2000"]),
            ["max_input_tokens (2000) exceeds context_window (1000)"]
        );
    }
}

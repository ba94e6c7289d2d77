//! The fuzz harness, kept in the library so that `cargo test` replays every input the fuzzer ever
//! crashed on (`tests/fuzz_regressions.rs`) through exactly the code `fuzz/` runs.
//!
//! Each entry point takes arbitrary bytes as a file and drives it as far as the real commands
//! would: read, parse, validate, price and rank against the embedded catalogue, forecast a scenario
//! with ranges (over a few trials), render every output format, and format every diagnostic.
//! Results are thrown away; the only failure is a panic.
//!
//! Every entry point also reads its bytes as a LiteLLM price map ([`import_bytes`]), so each
//! target exercises the JSON importer and its diagnostics too. [`vary_bytes`] reads them as
//! `--vary` expressions over three shipped scenarios.

use crate::catalogue::{fx::FxTable, profile, registry::Registry, Catalogue};
use crate::cmd;
use crate::rank::rank;
use crate::render::{render, Format};
use crate::routed::plan_cost;
use crate::scenario::Scenario;
use crate::source::SourceFile;
use std::sync::OnceLock;

const FORMATS: [Format; 4] = [Format::Table, Format::Json, Format::Csv, Format::Markdown];

fn catalogue() -> &'static Catalogue {
    static CAT: OnceLock<Catalogue> = OnceLock::new();
    CAT.get_or_init(|| Catalogue::embedded().expect("the embedded catalogue is valid"))
}

/// The text a file of these bytes would yield, as `SourceFile::read` would accept it.
fn source(name: &str, data: &[u8]) -> Option<SourceFile> {
    let text = match std::str::from_utf8(data) {
        Ok(t) => t.to_string(),
        Err(_) => return None,
    };
    match SourceFile::from_text(name.to_string(), text) {
        Ok(s) => Some(s),
        Err(d) => {
            let _ = d.to_string();
            None
        }
    }
}

/// Feeds bytes through scenario parsing, validation, costing on every model, ranking and rendering.
pub fn scenario_bytes(data: &[u8]) {
    import_bytes(data);
    let cat = catalogue();
    let Some(src) = source("fuzz.toml", data) else {
        return;
    };
    match Scenario::from_source(&src, cat) {
        Ok(s) => price_and_rank(&s, cat),
        Err(e) => {
            let _ = e.to_string();
        }
    }
}

/// Prices a scenario on every model, ranks it, and renders both reports in every format.
fn price_and_rank(scenario: &Scenario, cat: &Catalogue) {
    let fx = scenario.fx(cat);
    // As `llmplan cost` prices: each model for the unrouted workloads, routes for the others;
    // and the routes alone, which need no model when every workload is routed.
    let rests = cat.models.iter().map(Some).chain(std::iter::once(None));
    for m in rests {
        match plan_cost(scenario, cat, &fx, m) {
            Ok(Ok(c)) => {
                if let Ok(doc) = cmd::cost::report(scenario, &c) {
                    for f in FORMATS {
                        let _ = render(&doc, f);
                    }
                }
            }
            Ok(Err(_)) => {}
            Err(e) => {
                let _ = e.to_string();
            }
        }
    }
    match rank(scenario, cat) {
        Ok(r) => {
            let shared = std::rc::Rc::new((scenario.clone(), cat.clone()));
            let mut outcome = cmd::rank::outcome(&shared, &r, true);
            // A forecast, over a few trials: the harness looks for panics, not percentiles.
            if let (Some(f), Some(doc)) = (&scenario.forecast, outcome.doc.as_mut()) {
                let mut few = scenario.clone();
                let mut small = (**f).clone();
                small.trials = small.trials.min(16);
                few.forecast = Some(std::sync::Arc::new(small));
                match crate::forecast::outlook(&few, cat, &r.ranked, 2) {
                    Ok(Some(o)) => {
                        let _ = crate::forecast::report::extend_rank(doc, &few, &o);
                    }
                    Ok(None) => {}
                    Err(e) => {
                        let _ = e.to_string();
                    }
                }
            }
            if let Some(doc) = &outcome.doc {
                for f in FORMATS {
                    let _ = render(doc, f);
                }
            }
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
}

/// Feeds bytes through profile parsing and validation against the embedded registry and rates,
/// and also as a benchmark registry and an exchange-rate file. A profile that passes joins the
/// embedded catalogue and is priced and ranked for a text, an image and a video workload that
/// weigh every benchmark it reports, so its prices and scores go through the arithmetic too.
pub fn profile_bytes(data: &[u8]) {
    import_bytes(data);
    let base = catalogue();
    let Some(src) = source("fuzz.toml", data) else {
        return;
    };
    match profile::from_source(&src, &base.registry, &base.fx, &base.tokenizers) {
        Ok(p) => {
            let mut cat = base.clone();
            let mut weights: Vec<String> = Vec::new();
            for m in p.models {
                weights.extend(m.benchmarks.iter().map(|b| format!("{} = 1", b.id)));
                cat.insert(m);
            }
            cat.vendors.insert(p.vendor.id.clone(), p.vendor);
            weights.sort();
            weights.dedup();
            for work in [
                "requests_per_day = 1000\ninput_tokens = 200000\noutput_tokens = 100\ncached_input_share = 0.5\nbatch_share = 0.5",
                "images_per_month = 1000",
                "video_seconds_per_month = 100",
            ] {
                let text = format!("name = \"fuzz\"\n[[workload]]\nname = \"w\"\n{work}\n[fit]\nweights = {{ {} }}\n", weights.join(", "));
                let Ok(s) = SourceFile::from_text("canned.toml".into(), text) else { continue };
                if let Ok(s) = Scenario::from_source(&s, &cat) {
                    price_and_rank(&s, &cat);
                }
            }
        }
        Err(d) => {
            let _ = d.iter().map(ToString::to_string).collect::<Vec<_>>();
        }
    }
    if let Err(d) = Registry::from_source(&src) {
        let _ = d.iter().map(ToString::to_string).collect::<Vec<_>>();
    }
    if let Err(d) = FxTable::from_source(&src) {
        let _ = d.iter().map(ToString::to_string).collect::<Vec<_>>();
    }
}

/// Feeds bytes through `llmplan import litellm` without writing: the JSON is mapped, each
/// provider's profile text is written out and validated as the command validates it, and a file
/// that is not a price map gets its located diagnostic.
pub fn import_bytes(data: &[u8]) {
    use crate::import::{litellm, profile_text};
    let cat = catalogue();
    let Some(src) = source("fuzz.json", data) else {
        return;
    };
    let prov = litellm::Provenance {
        file_name: "fuzz.json".into(),
        as_of: "2024-06-01".into(),
        keep_zero_prices: false,
    };
    match litellm::map(&src.text, &prov) {
        Ok(mapping) => {
            for (provider, models) in mapping.by_provider() {
                let text = profile_text::profile(
                    provider,
                    &models,
                    &litellm::origin(provider, "fuzz.json", &prov.as_of),
                );
                let check = SourceFile {
                    name: format!("out/{provider}.toml"),
                    text,
                };
                if let Err(d) =
                    profile::from_source(&check, &cat.registry, &cat.fx, &cat.tokenizers)
                {
                    let _ = d.iter().map(ToString::to_string).collect::<Vec<_>>();
                }
            }
        }
        Err(e) => {
            let _ = cmd::import::json_error(&src, &e).to_string();
        }
    }
}

/// The scenarios `--vary` expressions are fuzzed against: the fast path, a budget ladder and
/// routed workloads.
const VARY_SCENARIOS: [(&str, &str); 3] = [
    (
        "support-chatbot.toml",
        include_str!("../scenarios/support-chatbot.toml"),
    ),
    (
        "claude3-budget-ladder.toml",
        include_str!("../scenarios/claude3-budget-ladder.toml"),
    ),
    (
        "claude3-routing.toml",
        include_str!("../scenarios/claude3-routing.toml"),
    ),
];

/// The largest grid swept in full; a larger one is only built and checked at its corners.
const VARY_MAX_POINTS: u64 = 256;

/// Feeds bytes through `llmplan sweep` as `--vary` expressions, one a line (at most three): the
/// first byte picks the scenario. A grid that builds is checked at its corners and, when small,
/// swept in every format, its crossovers refined, summarised and drawn.
pub fn vary_bytes(data: &[u8]) {
    use crate::sweep::sink::{Sink, Style};
    import_bytes(data);
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let specs: Vec<String> = text.lines().take(3).map(str::to_string).collect();
    let (name, scenario) = VARY_SCENARIOS[usize::from(pick) % VARY_SCENARIOS.len()];
    let src = SourceFile {
        name: name.into(),
        text: scenario.into(),
    };
    let cat = catalogue();
    let engine = match crate::sweep::build_source(std::sync::Arc::new(src), &specs, cat, None) {
        Ok(e) => e,
        Err(e) => {
            let _ = e.to_string();
            return;
        }
    };
    if engine.points().is_none_or(|n| n > VARY_MAX_POINTS) {
        if let Err(e) = crate::sweep::precheck::corners(&engine) {
            let _ = e.to_string();
        }
        return;
    }
    let bar = indicatif::ProgressBar::hidden();
    for style in [Style::Table, Style::Csv, Style::Markdown, Style::Jsonl] {
        let sink = Sink::new(style, &engine);
        let mut out = Vec::new();
        match crate::sweep::stream(&engine, &sink, &mut out, &bar) {
            Ok(summary) => {
                if let Ok(chart) = crate::sweep::plot::chart(&engine, &summary) {
                    let _ = crate::chart::sweep::svg(&chart);
                }
            }
            Err(e) => {
                let _ = e.to_string();
            }
        }
    }
}

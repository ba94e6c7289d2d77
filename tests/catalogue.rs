//! The catalogue's integrity, and transcribed report cells pinned so a typo fails the build.

mod common;

use llmplan::Catalogue;
use rust_decimal::Decimal;
use std::collections::HashSet;

/// Every model id the catalogue issue requires, exactly as spelt there.
const REQUIRED_IDS: &[&str] = &[
    "anthropic/claude-3-opus",
    "anthropic/claude-3-sonnet",
    "anthropic/claude-3-haiku",
    "anthropic/claude-2.1",
    "anthropic/claude-2.0",
    "anthropic/claude-instant-1",
    "anthropic/claude-1",
    "openai/gpt-4",
    "openai/gpt-4-turbo",
    "openai/gpt-4-vision",
    "openai/gpt-3.5-turbo",
    "openai/sora",
    "google/gemini-1.0-ultra",
    "google/gemini-1.0-pro",
    "google/gemini-1.0-nano-1",
    "google/gemini-1.0-nano-2",
    "google/gemini-1.5-pro",
    "google/palm-2-l",
    "google/palm",
    "google/videopoet",
    "mistral/mixtral-8x7b",
    "mistral/mistral-medium",
    "meta/llama-2-7b",
    "meta/llama-2-13b",
    "meta/llama-2-70b",
    "meta/llama-1-7b",
    "meta/llama-1-13b",
    "meta/llama-1-33b",
    "meta/llama-1-65b",
    "meta/llama-3",
    "inflection/inflection-2",
    "xai/grok-1",
    "01ai/yi-34b-chat",
    "allenai/tulu-2-dpo-70b",
    "zhipu/glm-4",
    "baidu/ernie-4.0",
    "iflytek/spark-3.5",
    "iflytek/spark-13b",
    "alibaba/qwen-2.0",
    "minimax/abab6",
    "minimax/abab5.5",
    "baichuan/baichuan-3",
    "pika/pika-1.0",
    "stability/svd",
    "stability/svd-xt",
    "midjourney/midjourney-v6",
    "microsoft/gaia",
    "alibaba/animate-anyone",
];

#[test]
fn models_json_lists_every_required_id() {
    let v = common::json(&["models"]);
    let ids: HashSet<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    for id in REQUIRED_IDS {
        assert!(
            ids.contains(id),
            "`llmplan models --format json` lacks {id}"
        );
    }
    let first = &v[0];
    for field in [
        "id",
        "name",
        "status",
        "context_window",
        "price",
        "benchmarks",
        "capabilities",
    ] {
        assert!(first.get(field).is_some(), "model objects carry `{field}`");
    }
}

#[test]
fn integrity_of_the_whole_catalogue() {
    let cat = Catalogue::embedded().expect("the embedded catalogue loads");
    let mut seen = HashSet::new();
    for m in &cat.models {
        assert!(seen.insert(m.id.as_str()), "duplicate id {}", m.id);
        assert!(
            m.id.starts_with(&format!("{}/", m.vendor)),
            "{} is not under its vendor {}",
            m.id,
            m.vendor
        );
        assert!(
            cat.fx.rate(m.currency).is_some(),
            "{}: currency {} has no exchange rate",
            m.id,
            m.currency
        );
        for b in &m.benchmarks {
            assert!(
                cat.registry.get(&b.id).is_some(),
                "{}: benchmark {} is not registered",
                m.id,
                b.id
            );
            assert!(
                !b.setting.trim().is_empty(),
                "{}: {} has no setting",
                m.id,
                b.id
            );
            assert!(
                !b.source.trim().is_empty(),
                "{}: {} has no source",
                m.id,
                b.id
            );
            if b.source.contains("report") {
                assert!(
                    b.source.contains("fig"),
                    "{}: {} cites the report without a figure: {}",
                    m.id,
                    b.id,
                    b.source
                );
            }
        }
        match &m.price {
            Some(p) => {
                assert!(
                    !p.as_of.trim().is_empty() && !p.source.trim().is_empty(),
                    "{}: price without as_of/source",
                    m.id
                );
                for v in [
                    p.input,
                    p.output,
                    p.cached_input,
                    p.per_image,
                    p.per_video_second,
                ]
                .into_iter()
                .flatten()
                {
                    assert!(v >= Decimal::ZERO, "{}: negative price", m.id);
                }
            }
            None => assert!(
                m.price_note
                    .as_deref()
                    .is_some_and(|n| !n.trim().is_empty()),
                "{} has no price and no price_note saying why",
                m.id
            ),
        }
    }
    for id in REQUIRED_IDS {
        assert!(cat.model(id).is_some(), "missing {id}");
    }
    assert!(
        !cat.fx.as_of.is_empty() && !cat.fx.source.is_empty(),
        "exchange rates carry as_of and source"
    );
}

#[test]
fn facts_the_report_states() {
    let cat = Catalogue::embedded().unwrap();
    let m = |id: &str| cat.model(id).unwrap();
    let d = |s: &str| s.parse::<Decimal>().unwrap();
    for id in [
        "anthropic/claude-2.1",
        "anthropic/claude-3-opus",
        "anthropic/claude-3-sonnet",
        "anthropic/claude-3-haiku",
    ] {
        assert_eq!(m(id).context_window, Some(200_000), "{id}");
    }
    assert_eq!(m("zhipu/glm-4").context_window, Some(128_000));
    assert_eq!(m("meta/llama-1-65b").context_window, Some(2_048));
    assert_eq!(m("meta/llama-2-70b").context_window, Some(4_096));
    assert!(m("google/gemini-1.5-pro").context_window.unwrap() >= 1_000_000);
    assert_eq!(m("google/gemini-1.0-nano-1").params_b, Some(d("1.8")));
    assert_eq!(m("google/gemini-1.0-nano-2").params_b, Some(d("3.25")));
    assert_eq!(
        (
            m("mistral/mixtral-8x7b").params_b,
            m("mistral/mixtral-8x7b").active_params_b
        ),
        (Some(d("47")), Some(d("13")))
    );
    let price = |id: &str| {
        let p = m(id).price.clone().unwrap();
        (p.input.unwrap(), p.output.unwrap())
    };
    assert_eq!(price("anthropic/claude-3-opus"), (d("15"), d("75")));
    assert_eq!(price("anthropic/claude-3-sonnet"), (d("3"), d("15")));
    assert_eq!(price("anthropic/claude-3-haiku"), (d("0.25"), d("1.25")));
    assert_eq!(m("zhipu/glm-4").currency.code(), "CNY");
    assert_eq!(
        m("mistral/mixtral-8x7b").license.as_deref(),
        Some("Apache 2.0")
    );
    assert!(m("meta/llama-2-70b")
        .license
        .as_deref()
        .unwrap()
        .contains("Llama 2 Community"));
    assert!(m("01ai/yi-34b-chat")
        .license
        .as_deref()
        .unwrap()
        .contains("Yi License"));
}

/// Cells typed a second time from the report's tables, independently of the profiles.
#[test]
fn pinned_report_cells() {
    let cat = Catalogue::embedded().unwrap();
    let mut n = 0;
    let mut figures = HashSet::new();
    for file in [
        "tests/fixtures/pinned_cells_overseas.tsv",
        "tests/fixtures/pinned_cells_cn_media.tsv",
    ] {
        let text = std::fs::read_to_string(common::root().join(file)).unwrap();
        for line in text.lines().skip(1).filter(|l| !l.trim().is_empty()) {
            let cols: Vec<&str> = line.split('\t').collect();
            let [model, bench, setting, value, figure] = cols[..] else {
                panic!("bad line in {file}: {line}")
            };
            let want: Decimal = value.parse().unwrap();
            let m = cat
                .model(model)
                .unwrap_or_else(|| panic!("{file}: no model {model}"));
            let got = m
                .benchmarks
                .iter()
                .find(|b| b.id == bench && b.setting == setting)
                .unwrap_or_else(|| panic!("{model} has no {bench} at setting {setting:?}"));
            assert_eq!(
                got.value, want,
                "{model} {bench} ({setting}), report fig. {figure}"
            );
            let first_fig = figure.split(|c: char| !c.is_ascii_digit()).next().unwrap();
            assert!(
                got.source.contains(first_fig),
                "{model} {bench}: source {:?} does not cite fig. {figure}",
                got.source
            );
            figures.insert(first_fig.to_string());
            n += 1;
        }
    }
    assert!(n >= 40, "at least 40 pinned cells, found {n}");
    for fig in [
        "4", "6", "7", "10", "16", "32", "33", "34", "39", "48", "49",
    ] {
        assert!(figures.contains(fig), "no pinned cell from fig. {fig}");
    }
}

#[test]
fn two_settings_of_one_benchmark_are_both_kept() {
    let cat = Catalogue::embedded().unwrap();
    let gpt4 = cat.model("openai/gpt-4").unwrap();
    let mmlu: Vec<_> = gpt4
        .benchmarks
        .iter()
        .filter(|b| b.id == "mmlu")
        .map(|b| (b.setting.as_str(), b.value.to_string()))
        .collect();
    assert!(mmlu.contains(&("CoT@32", "87.29".to_string())), "{mmlu:?}");
    assert!(
        mmlu.iter().any(|(s, v)| *s == "5-shot" && v == "86.4"),
        "{mmlu:?}"
    );
}

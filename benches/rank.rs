//! `rank` latency for one scenario, the embedded catalogue loaded each time as the binary does,
//! and its steps alone: loading the catalogue, ranking, fitting the imputation table, building
//! and rendering the report. Run: `cargo bench --bench rank`.

use criterion::{criterion_group, criterion_main, Criterion};
use llmplan::catalogue::Catalogue;
use llmplan::rank::rank;
use llmplan::render::{render, Format};
use llmplan::Scenario;
use std::path::Path;

fn bench(c: &mut Criterion) {
    let path = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/support-chatbot.toml"
    ));
    c.bench_function("load catalogue + scenario, rank", |b| {
        b.iter(|| {
            let cat = Catalogue::embedded().unwrap();
            let s = Scenario::from_path(path, &cat).unwrap();
            rank(&s, &cat).unwrap().eligible
        })
    });
    c.bench_function("embedded catalogue only", |b| {
        b.iter(|| Catalogue::embedded().unwrap().models.len())
    });
    let cat = Catalogue::embedded().unwrap();
    let s = Scenario::from_path(path, &cat).unwrap();
    c.bench_function("rank only", |b| b.iter(|| rank(&s, &cat).unwrap().eligible));
    // Lognormal prompts and bucketed answers: each model's bill is split at its tiers.
    let long = Scenario::from_path(Path::new("scenarios/long-documents.toml"), &cat).unwrap();
    c.bench_function("rank only, request-size distributions", |b| {
        b.iter(|| rank(&long, &cat).unwrap().eligible)
    });
    c.bench_function("imputation table: build and fit", |b| {
        b.iter(|| {
            let counts = llmplan::fit::SettingCounts::from_models(&cat.models);
            let table = llmplan::fit::impute::Table::build(
                &cat.models,
                &cat.registry,
                &s.fit.custom,
                &counts,
            );
            llmplan::fit::impute::Imputer::new(&table).factor().sweeps
        })
    });
    let ranking = rank(&s, &cat).unwrap();
    let shared = std::rc::Rc::new((s, cat));
    c.bench_function("report and table only", |b| {
        b.iter(|| {
            let outcome = llmplan::cmd::rank::outcome(&shared, &ranking, false);
            render(outcome.doc.as_ref().unwrap(), Format::Table).map_or(0, |t| t.len())
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);

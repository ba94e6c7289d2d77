//! A forecast end to end: 10,000 trials × every eligible catalogue model × a 36-month horizon,
//! from reading the scenario to the rendered table, as `llmplan rank` runs it; the forecast
//! alone; and the forecast alone with a drawn cache hit rate. Run: `cargo bench --bench forecast`.

use criterion::{criterion_group, criterion_main, Criterion};
use llmplan::catalogue::Catalogue;
use llmplan::render::{render, Format};
use llmplan::Scenario;
use std::path::Path;

fn bench(c: &mut Criterion) {
    let path = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/benches/data/forecast-all-models.toml"
    ));
    let cat = Catalogue::embedded().unwrap();
    let s = Scenario::from_path(path, &cat).unwrap();
    let ranking = llmplan::rank::rank(&s, &cat).unwrap();
    eprintln!(
        "{} eligible models, {} trials, {} months",
        ranking.eligible,
        s.forecast.as_ref().unwrap().trials,
        s.horizon_months
    );
    let mut group = c.benchmark_group("forecast");
    group.sample_size(10);
    group.bench_function("rank with forecast, end to end", |b| {
        b.iter(|| {
            let cat = Catalogue::embedded().unwrap();
            let s = Scenario::from_path(path, &cat).unwrap();
            let ranking = llmplan::rank::rank(&s, &cat).unwrap();
            let o = llmplan::forecast::outlook(&s, &cat, &ranking.ranked, 0)
                .unwrap()
                .unwrap();
            let shared = std::rc::Rc::new((s, cat));
            let mut outcome = llmplan::cmd::rank::outcome(&shared, &ranking, false);
            let doc = outcome.doc.as_mut().unwrap();
            llmplan::forecast::report::extend_rank(doc, &shared.0, &o);
            render(doc, Format::Table).map_or(0, |t| t.len())
        })
    });
    group.bench_function("forecast only", |b| {
        b.iter(|| forecast_only(&s, &cat, &ranking))
    });
    // The same with a drawn cache hit rate: each trial's bill gains a volume × hit rate term.
    let path = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/benches/data/forecast-hit-rate.toml"
    ));
    let s = Scenario::from_path(path, &cat).unwrap();
    let ranking = llmplan::rank::rank(&s, &cat).unwrap();
    group.bench_function("forecast only, with a drawn cache hit rate", |b| {
        b.iter(|| forecast_only(&s, &cat, &ranking))
    });
    group.finish();
}

/// The forecast of a ranking alone: how many rows it forecasts.
fn forecast_only(s: &Scenario, cat: &Catalogue, ranking: &llmplan::ranking::Ranking) -> usize {
    llmplan::forecast::outlook(s, cat, &ranking.ranked, 0)
        .unwrap()
        .unwrap()
        .models
        .len()
}

criterion_group!(benches, bench);
criterion_main!(benches);

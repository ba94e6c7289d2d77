//! Sweep throughput in model evaluations a second: a 40,000-point grid on the example scenario,
//! rows formatted as CSV into memory. Run: `cargo bench --bench sweep`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use llmplan::catalogue::Catalogue;
use llmplan::sweep::sink::{Sink, Style};
use llmplan::sweep::{build, stream};
use std::path::Path;

fn bench(c: &mut Criterion) {
    let cat = Catalogue::embedded().unwrap();
    let path = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/support-chatbot.toml"
    ));
    let vary = vec![
        "workload.chat.requests_per_day=1000..1000000/200:log".to_string(),
        "workload.chat.input_tokens=500..2490/200".to_string(),
    ];
    let e = build(path, &vary, &cat, None).unwrap();
    let sink = Sink::new(Style::Csv, &e);
    let pb = indicatif::ProgressBar::hidden();
    let evaluations = {
        let mut out = Vec::new();
        stream(&e, &sink, &mut out, &pb).unwrap().evaluations
    };
    let mut g = c.benchmark_group("sweep");
    g.throughput(Throughput::Elements(evaluations));
    g.sample_size(10);
    g.bench_function(
        "40k points, csv to memory (elements = model evaluations)",
        |b| {
            b.iter(|| {
                let mut out = Vec::with_capacity(8 << 20);
                stream(&e, &sink, &mut out, &pb).unwrap().points
            })
        },
    );
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

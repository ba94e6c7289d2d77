//! Sweep throughput in model evaluations a second (one model priced at one grid point): the
//! example scenario over a million points, rows formatted as CSV and thrown away, on every core.
//! The whole process, file writing included, is measured with hyperfine (docs/what-if.md).
//! Run: `cargo bench --bench sweep`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use llmplan::catalogue::Catalogue;
use llmplan::sweep::sink::{Sink, Style};
use llmplan::sweep::{build, stream};
use std::path::Path;
use std::time::Duration;

fn bench(c: &mut Criterion) {
    let cat = Catalogue::embedded().unwrap();
    let path = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/support-chatbot.toml"
    ));
    let grids: [(&str, &[&str]); 2] = [
        (
            "1000 volumes × 1000 prompt sizes",
            &[
                "workload.chat.requests_per_day=1000..1000000/1000:log",
                "workload.chat.input_tokens=500..2498/1000",
            ],
        ),
        (
            "1000000 volumes on one axis",
            &["workload.chat.requests_per_day=1000..1000000/1000000"],
        ),
    ];
    let pb = indicatif::ProgressBar::hidden();
    let mut g = c.benchmark_group("sweep, csv discarded (elements = model evaluations)");
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(5));
    for (name, vary) in grids {
        let vary: Vec<String> = vary.iter().map(|s| s.to_string()).collect();
        let e = build(path, &vary, &cat, None).unwrap();
        let sink = Sink::new(Style::Csv, &e);
        let evaluations = stream(&e, &sink, &mut std::io::sink(), &pb)
            .unwrap()
            .evaluations;
        g.throughput(Throughput::Elements(evaluations));
        g.bench_function(name, |b| {
            b.iter(|| stream(&e, &sink, &mut std::io::sink(), &pb).unwrap().points)
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

//! Memory that grows with a scenario's workloads: well under 1 KB a workload is the aim (README,
//! "Performance"). These tests guard the things that made it grow by kilobytes: a ranking holding
//! every model's bill for every workload, reading the file as one document, and a report held
//! whole before it is written; and the size of a workload as read and as validated, which sets
//! what is left.

mod common;

use common::llmplan;
use llmplan::bill_summary::BillSummary;
use llmplan::cost::ModelCost;
use llmplan::rank::{bills_again, rank, rank_with, Bills, Deployment};
use llmplan::{Catalogue, Scenario};
use std::path::Path;

/// A scenario with `n` generated workloads of five lines each, as `benches/workloads.sh` writes.
fn generated(n: usize) -> String {
    let mut text = format!("name = \"{n} generated workloads\"\n");
    for i in 0..n {
        text.push_str(&format!(
            "\n[[workload]]\nname = \"w{i}\"\nrequests_per_day = {}\ninput_tokens = {}\noutput_tokens = {}\n",
            100 + i % 900,
            500 + i % 1500,
            100 + i % 400
        ));
    }
    text
}

/// [`generated`], with open-weight models also served on rented GPUs: a self-hosted candidate
/// for each.
fn generated_selfhosted(n: usize) -> String {
    generated(n).replacen('\n', "\n[selfhost]\nprecision = \"int8\"\n", 1)
}

/// [`generated`], every workload's volume a range, forecast over 20 trials: one ranged input a
/// workload.
fn generated_ranged(n: usize) -> String {
    ranged_volumes(n, 20)
}

/// [`generated`] with every volume drawn uniformly from 1 to 2,000 requests a day, over `trials`.
fn ranged_volumes(n: usize, trials: u32) -> String {
    generated(n)
        .replace(
            "requests_per_day = ",
            "requests_per_day = { low = 1, high = 2000 } # ",
        )
        .replacen('\n', &format!("\n[forecast]\ntrials = {trials}\n"), 1)
}

/// [`generated`], every other workload routed between two models.
fn generated_routed(n: usize) -> String {
    generated(n)
        .split("\n\n")
        .enumerate()
        .map(|(i, table)| match i % 2 {
            1 => format!("{table}\n[workload.route]\n\"anthropic/claude-3-haiku\" = 0.85\n\"anthropic/claude-3-opus\" = 0.15\n"),
            _ => table.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}

#[test]
fn a_ranking_of_totals_keeps_no_api_bill_per_workload_and_the_same_totals() {
    let cat = Catalogue::embedded().expect("embedded catalogue");
    // Plain, cached, routed (a mix row) and self-hosted candidates.
    for file in [
        "scenarios/support-chatbot.toml",
        "scenarios/prompt-cache.toml",
        "scenarios/claude3-routing.toml",
        "scenarios/build-or-buy.toml",
    ] {
        let s = Scenario::from_path(&common::root().join(file), &cat).expect("valid");
        let full = rank(&s, &cat).expect("ranks");
        let lean = rank_with(&s, &cat, Bills::Totals).expect("ranks");
        assert_eq!(full.ranked.len(), lean.ranked.len(), "{file}");
        for (f, l) in full.ranked.iter().zip(&lean.ranked) {
            assert_eq!(
                (&f.model, f.monthly_cost, f.horizon_cost),
                (&l.model, l.monthly_cost, l.horizon_cost),
                "{file}"
            );
            // A self-hosted or routed row never keeps its bill: it is made again by the kernel
            // call that priced it.
            let kept = match (&f.deployment, f.answered_by.is_empty()) {
                (Deployment::Api, true) => f.cost.clone(),
                _ => {
                    assert!(f.cost.workloads.is_empty(), "{file}: {}", f.model);
                    let mut again = Vec::new();
                    bills_again(&s, &cat, f, &mut |w| again.push(w)).expect("prices again");
                    ModelCost {
                        workloads: again,
                        ..f.cost.clone()
                    }
                }
            };
            let split: rust_decimal::Decimal = kept.workloads.iter().map(|w| w.cost).sum();
            assert_eq!(split, f.monthly_cost, "{file}: {}", f.model);
            // The summary gathered bill by bill is the summary of the kept bill.
            assert_eq!(l.summary, BillSummary::of(&kept), "{file}: {}", f.model);
            assert!(l.cost.workloads.is_empty(), "{file}: {}", l.model);
            assert!(!kept.workloads.is_empty(), "{file}: {}", f.model);
        }
    }
}

#[test]
fn a_generated_scenario_is_read_table_by_table_into_the_same_scenario() {
    let cat = Catalogue::embedded().expect("embedded catalogue");
    let text = generated(50);
    let src =
        llmplan::source::SourceFile::from_text("w50.toml".into(), text.clone()).expect("not empty");
    let by_tables = Scenario::from_source(&src, &cat).expect("valid");
    // The whole-file parse, as `sweep` still reads a scenario.
    let whole: llmplan::scenario::raw::RawScenario = src.parse().expect("parses");
    let whole = Scenario::from_raw("w50.toml", whole, &cat).expect("valid");
    assert_eq!(by_tables.workloads, whole.workloads);
    assert_eq!(by_tables.workloads.len(), 50);
}

/// `/usr/bin/time`, which measures peak memory; `None`, with a word on stderr, where it is not
/// installed.
fn time() -> Option<&'static Path> {
    let time = Path::new("/usr/bin/time");
    if !time.exists() {
        eprintln!("skipped: /usr/bin/time is not installed, so peak memory cannot be measured");
        return None;
    }
    Some(time)
}

/// Peak resident memory of one run, in kilobytes, by `/usr/bin/time -f %M`.
fn peak_kb(time: &Path, args: &[&str]) -> u64 {
    let out = std::process::Command::new(time)
        .args(["-f", "%M"])
        .arg(env!("CARGO_BIN_EXE_llmplan"))
        .args(args)
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    stderr
        .lines()
        .last()
        .and_then(|l| l.trim().parse().ok())
        .unwrap_or_else(|| panic!("no peak memory in {stderr:?}"))
}

#[test]
fn a_workload_as_read_and_as_validated_stays_small() {
    use llmplan::scenario::raw::RawWorkload;
    use llmplan::scenario::Workload;
    use std::mem::size_of;
    // A workload keeps its rare or large parts (a request volume that may be a range, a token
    // distribution, a cache, a cascade, a route, a language, the numbers most workloads leave
    // out) behind a pointer: 256 and 240 bytes on a 64-bit target, against 880 and 448 with them
    // inline. Every workload of a file is held as read while the file is parsed, and as validated
    // once it is validated.
    assert!(
        size_of::<RawWorkload>() <= 256,
        "RawWorkload is {} bytes",
        size_of::<RawWorkload>()
    );
    assert!(
        size_of::<Workload>() <= 240,
        "Workload is {} bytes",
        size_of::<Workload>()
    );
    // A field that may be a range keeps the range behind a pointer: a volume, a route share or an
    // escalation written as a number takes 24 bytes, not 104. A validated workload is smaller than
    // one as read, so validation turns each into the other in the same memory.
    assert!(
        size_of::<llmplan::scenario::range::Uncertain>() <= 24,
        "Uncertain is {} bytes",
        size_of::<llmplan::scenario::range::Uncertain>()
    );
    assert!(size_of::<Workload>() <= size_of::<RawWorkload>());
    // A ranged input keeps its name in the forecast's one string of names.
    assert!(
        size_of::<llmplan::scenario::forecast::Input>() <= 80,
        "Input is {} bytes",
        size_of::<llmplan::scenario::forecast::Input>()
    );
}

#[test]
fn peak_memory_grows_by_under_1_kb_a_workload_for_every_command_that_reads_a_scenario() {
    let Some(time) = time() else { return };
    let _ = llmplan(); // builds the binary
    let tmp = tempfile::tempdir().expect("temp dir");
    let (small, large) = (1_000, 11_000);
    for n in [small, large] {
        std::fs::write(tmp.path().join(format!("w{n}.toml")), generated(n)).expect("write");
    }
    // Each command and format that prints something a workload: rank's JSON prints every
    // ranked model's bill workload by workload, cost a row or an object per workload.
    let runs: [&[&str]; 8] = [
        &["rank", "--format", "csv"],
        &["compare"],
        &[
            "sweep",
            "--vary",
            "workload.w1.requests_per_day=100..1000/3",
            "--format",
            "csv",
        ],
        &["rank", "--format", "json"],
        &["check"],
        &[
            "cost",
            "--model",
            "anthropic/claude-3-haiku",
            "--format",
            "table",
        ],
        &[
            "cost",
            "--model",
            "anthropic/claude-3-haiku",
            "--format",
            "csv",
        ],
        &[
            "cost",
            "--model",
            "anthropic/claude-3-haiku",
            "--format",
            "json",
        ],
    ];
    for run in runs {
        let mut peaks = Vec::new();
        for n in [small, large] {
            let path = tmp.path().join(format!("w{n}.toml"));
            let out = tmp.path().join(format!("w{n}.out"));
            let mut args = vec![run[0], path.to_str().expect("path")];
            args.extend(&run[1..]);
            args.extend(["-o", out.to_str().expect("path")]);
            peaks.push(peak_kb(time, &args));
        }
        // Bytes a workload: the growth in peak memory over the growth in workloads. Holding each
        // model's bill for each workload made rank 43 KB (47 KB for its JSON); reading the file
        // as one document, 4 KB; holding every workload both as read and as validated, and the
        // text twice, 1.6 KB; cost holding its bills, rows and JSON whole, 12 KB; sweep ranking
        // with every bill kept at each point, 57 KB, then its worker threads copying the scenario
        // into fresh memory, 1.2 KB.
        let slope = (peaks[1].saturating_sub(peaks[0]) * 1024) / (large - small) as u64;
        assert!(
            slope < 1024,
            "{run:?}: peak memory grew by {slope} bytes a workload (peaks {peaks:?} KB)"
        );
    }
}

/// The growth in `args`' peak memory from 1,000 to 11,000 workloads, in bytes a workload: `{n}` in
/// `args` stands for the generated scenario of n workloads, `{out}` for an output file.
/// [`generated_routed`] with every volume a range, forecast over 20 trials: a routed candidate
/// priced exactly in some trials, and one ranged input a workload.
fn generated_routed_ranged(n: usize) -> String {
    generated_routed(n)
        .replace(
            "requests_per_day = ",
            "requests_per_day = { low = 1, high = 2000 } # ",
        )
        .replacen('\n', "\n[forecast]\ntrials = 20\n", 1)
}

fn slope(time: &Path, args: &[&str]) -> u64 {
    slope_of(generated, time, args)
}

/// [`slope`] on the scenarios `text` writes.
///
/// A run's peak moves by a few hundred kilobytes from one run to the next (allocator and thread
/// timing, other tests running beside it): at 10,000 workloads that is tens of bytes a workload.
/// So a slope near the bound, 900 bytes or more, is measured again and each size keeps its lower
/// peak; a real regression is over the bound in both.
fn slope_of(text: fn(usize) -> String, time: &Path, args: &[&str]) -> u64 {
    let tmp = tempfile::tempdir().expect("temp dir");
    let (small, large) = (1_000, 11_000);
    let mut runs = Vec::new();
    for n in [small, large] {
        let path = tmp.path().join(format!("w{n}.toml"));
        std::fs::write(&path, text(n)).expect("write");
        let path = path.to_str().expect("path").to_string();
        let out = tmp.path().join("out").to_str().expect("path").to_string();
        let args: Vec<String> = args
            .iter()
            .map(|a| match *a {
                "{n}" => path.clone(),
                "{out}" => out.clone(),
                a => a.to_string(),
            })
            .collect();
        runs.push(args);
    }
    let peak = |i: usize| {
        let args: Vec<&str> = runs[i].iter().map(String::as_str).collect();
        peak_kb(time, &args)
    };
    let slope = |p: [u64; 2]| (p[1].saturating_sub(p[0]) * 1024) / (large - small) as u64;
    let mut peaks = [peak(0), peak(1)];
    if slope(peaks) >= 900 {
        peaks = [peaks[0].min(peak(0)), peaks[1].min(peak(1))];
    }
    slope(peaks)
}

#[test]
fn diff_grows_by_under_1_kb_a_workload_read() {
    let Some(time) = time() else { return };
    let _ = llmplan();
    // diff reads two scenarios of n workloads each: 2n workloads. It kept every model's bill for
    // every workload under both, 119 KB a workload pair.
    let per_pair = slope(time, &["diff", "{n}", "{n}", "-o", "{out}"]);
    assert!(
        per_pair / 2 < 1024,
        "diff's peak memory grew by {per_pair} bytes a pair of workloads"
    );
}

#[test]
fn mix_grows_by_under_1_kb_a_workload() {
    let Some(time) = time() else { return };
    let _ = llmplan();
    // mix kept each plan's bill for every workload, and a copy of the scenario for each plan it
    // priced: 10.7 KB a workload.
    let grew = slope(time, &["mix", "{n}", "--target-fit", "70", "-o", "{out}"]);
    assert!(
        grew < 1024,
        "mix's peak memory grew by {grew} bytes a workload"
    );
}

/// Asserts that each of `runs` ([`slope_of`] arguments) grows by under 1 KB a workload read on the
/// scenarios `text` writes; `diff` reads its scenario twice.
fn each_grows_by_under_1_kb_a_workload_read(
    text: fn(usize) -> String,
    time: &Path,
    runs: &[&[&str]],
) {
    for args in runs {
        let grew = slope_of(text, time, args);
        let per_read = if args[0] == "diff" { grew / 2 } else { grew };
        assert!(
            per_read < 1024,
            "{args:?}: peak memory grew by {grew} bytes a workload"
        );
    }
}

#[test]
fn self_hosted_candidates_grow_by_under_1_kb_a_workload() {
    let Some(time) = time() else { return };
    let _ = llmplan();
    // Each fleet kept every workload's load and its bill split by workload, and rank printed both
    // in every format, its sizing table with every workload's figures in one row: rank grew by
    // 24.5 KB a workload, compare by 7.4 KB, breakeven by 1.9 KB.
    let runs: [&[&str]; 6] = [
        &["rank", "{n}", "-o", "{out}"],
        &[
            "rank", "{n}", "--all", "--format", "markdown", "-o", "{out}",
        ],
        &["rank", "{n}", "--format", "json", "-o", "{out}"],
        &["compare", "{n}", "-o", "{out}"],
        &[
            "breakeven",
            "{n}",
            "--model",
            "meta/llama-2-70b",
            "--vs",
            "anthropic/claude-3-haiku",
            "-o",
            "{out}",
        ],
        &["diff", "{n}", "{n}", "--format", "json", "-o", "{out}"],
    ];
    each_grows_by_under_1_kb_a_workload_read(generated_selfhosted, time, &runs);
}

#[test]
fn routed_scenarios_grow_by_under_1_kb_a_workload() {
    let Some(time) = time() else { return };
    let _ = llmplan();
    // A routed candidate kept its bill for every workload with each leg's (5.6 KB a workload for
    // rank), and a route as read was a map that allocates room for eleven shares (1.4 KB for
    // check).
    let runs: [&[&str]; 4] = [
        &["check", "{n}", "-o", "{out}"],
        &["rank", "{n}", "--format", "json", "-o", "{out}"],
        &["compare", "{n}", "-o", "{out}"],
        &["diff", "{n}", "{n}", "-o", "{out}"],
    ];
    each_grows_by_under_1_kb_a_workload_read(generated_routed, time, &runs);
}

#[test]
fn a_forecast_holds_no_draw_so_its_memory_does_not_grow_with_trials_times_ranged_inputs() {
    let Some(time) = time() else { return };
    let _ = llmplan();
    let tmp = tempfile::tempdir().expect("temp dir");
    // 1,000 workloads, each volume a range: 1,000 ranged inputs.
    let ranged = |trials: u32| {
        let text = ranged_volumes(1_000, trials);
        let path = tmp.path().join(format!("t{trials}.toml"));
        std::fs::write(&path, text).expect("write");
        let out = tmp.path().join("out");
        peak_kb(
            time,
            &[
                "rank",
                path.to_str().expect("path"),
                "-o",
                out.to_str().expect("path"),
            ],
        )
    };
    let (few, many) = (ranged(100), ranged(1_000));
    // Holding every draw, 900 more trials took 900 × 1,000 × 24 bytes = 21.6 MB more. Now each
    // trial adds its starting state and each candidate's two estimates: under 1 MB for 900.
    assert!(
        many.saturating_sub(few) < 8 * 1024,
        "1,000 trials took {many} KB, 100 took {few} KB"
    );
}

#[test]
fn a_forecast_over_ranged_volumes_grows_by_under_1_kb_a_ranged_workload() {
    let Some(time) = time() else { return };
    let _ = llmplan();
    // It kept a slope for every candidate and ranged input, the report's list of every range as
    // a JSON value even for a table, and a copy of the scenario for each trial it priced exactly:
    // 1.7 KB a ranged workload.
    each_grows_by_under_1_kb_a_workload_read(
        generated_ranged,
        time,
        &[
            &["rank", "{n}", "-o", "{out}"],
            &["rank", "{n}", "--format", "json", "-o", "{out}"],
        ],
    );
}

#[test]
fn a_forecast_over_ranged_volumes_of_routed_workloads_grows_by_under_1_kb_a_workload() {
    let Some(time) = time() else { return };
    let _ = llmplan();
    // Each exact trial named the routed candidate by making every routed workload's label and
    // keeping them all, and a workload as read was 368 bytes with its rare numbers inline: 1.1 KB
    // a workload.
    each_grows_by_under_1_kb_a_workload_read(
        generated_routed_ranged,
        time,
        &[
            &["check", "{n}", "-o", "{out}"],
            &["rank", "{n}", "-o", "{out}"],
        ],
    );
}

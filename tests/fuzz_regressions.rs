//! Replays every input under `tests/fuzz/` through the fuzz harness, which must run each to the
//! end without a panic. `scenario-*` files go through the scenario harness, `profile-*` files
//! through the profile harness, `import-*` files through the LiteLLM importer and `vary-*` files
//! through the `--vary` harness (first byte: the scenario; then one expression a line).
//!
//! Four of them panicked before this suite existed: `scenario-fit-weight-overflow`,
//! `scenario-cost-score-ratio`, `scenario-over-budget-percent` and `profile-plan-tiny-images`.
//! The other two reach overflows that used to surface without a file or line
//! (`scenario-horizon-growth`, `scenario-fx-huge-rate`). `import-bom.json` and
//! `import-multibyte-error.json` panicked in the diagnostic of a JSON syntax error on a multi-byte
//! character. `scenario-forecast-no-candidate` panicked in the forecast's estimate when no API
//! model qualified and a workload's volume and hit rate were both ranges (found by review). An
//! input the fuzzer crashes on goes here too.

use llmplan::fuzzing::{import_bytes, profile_bytes, scenario_bytes, vary_bytes};
use std::path::PathBuf;

#[test]
fn every_recorded_crash_input_now_runs_clean() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/fuzz exists")
        .map(|e| e.expect("entry").path())
        .collect();
    paths.sort();
    let mut ran = 0;
    let mut panicked = Vec::new();
    for p in &paths {
        let name = p
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        let data = std::fs::read(p).expect("readable");
        let run: fn(&[u8]) = if name.starts_with("scenario-") {
            scenario_bytes
        } else if name.starts_with("profile-") {
            profile_bytes
        } else if name.starts_with("import-") {
            import_bytes
        } else if name.starts_with("vary-") {
            vary_bytes
        } else {
            continue;
        };
        if std::panic::catch_unwind(|| run(&data)).is_err() {
            panicked.push(name);
        }
        ran += 1;
    }
    assert!(panicked.is_empty(), "these inputs panic: {panicked:?}");
    // The corpus is not allowed to shrink to nothing unnoticed.
    assert!(
        ran >= 5,
        "only {ran} regression inputs found in {}",
        dir.display()
    );
}

//! How good the estimates are, on the shipped catalogue: leave-one-out (see `fit::accuracy`).
//!
//! For every model with at least four observed benchmarks, each score is hidden in turn and
//! estimated from everything else. The figures are pinned in one place, `fit::accuracy::SHIPPED`,
//! which `docs/fit.md` quotes: this test fails if imputation gets worse than them, and when the
//! catalogue's scores change it prints the new figures to copy there.

use llmplan::fit::accuracy::{of_catalogue, SHIPPED};
use llmplan::Catalogue;

#[test]
fn leave_one_out_is_no_worse_than_pinned() {
    let cat = Catalogue::embedded().unwrap();
    let got = of_catalogue(&cat);
    println!(
        "leave-one-out on the shipped catalogue: {} models, {} scores hidden and estimated ({} not estimable), mean absolute error {:.2} normalised points, {:.1}% inside estimate ± one standard error",
        got.models,
        got.hidden,
        got.not_estimable,
        got.mae,
        got.within_band * 100.0
    );
    println!("pinned: {SHIPPED:?}\nnow:    {got:?}");
    assert!(got.hidden >= 100, "too few scores to judge: {got:?}");
    // No worse than pinned: the error no larger (to the hundredth), the band no less honest.
    assert!(
        got.mae <= SHIPPED.mae + 0.005,
        "mean absolute error {:.3} > pinned {:.2}; if the catalogue changed, update fit::accuracy::SHIPPED and docs/fit.md",
        got.mae,
        SHIPPED.mae
    );
    assert!(
        got.within_band >= SHIPPED.within_band - 0.0005,
        "{:.3} inside the band < pinned {:.3}; if the catalogue changed, update fit::accuracy::SHIPPED and docs/fit.md",
        got.within_band,
        SHIPPED.within_band
    );
    // A band that holds nearly everything is too wide to be "about one standard error".
    assert!(
        got.within_band <= 0.85,
        "the band holds {:.3}: too wide",
        got.within_band
    );
}

#[test]
fn the_docs_quote_the_pinned_figures() {
    let docs = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/fit.md"),
    )
    .unwrap();
    let mae = format!("{:.2} normalised points", SHIPPED.mae);
    let band = format!("{:.1}%", SHIPPED.within_band * 100.0);
    assert!(docs.contains(&mae), "docs/fit.md should quote `{mae}`");
    assert!(docs.contains(&band), "docs/fit.md should quote `{band}`");
}

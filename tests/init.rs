//! `llmplan init`: every preset is a commented scenario that passes `check` and ranks.

mod common;
use common::llmplan;
use llmplan::presets::Preset;
use predicates::str::contains;

#[test]
fn every_preset_passes_check_and_ranks() {
    let dir = tempfile::tempdir().unwrap();
    for preset in Preset::ALL {
        let path = dir.path().join(format!("{}.toml", preset.name()));
        llmplan()
            .args(["init", "--preset", preset.name(), "--output"])
            .arg(&path)
            .assert()
            .success()
            .stderr(contains("llmplan check"));
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.starts_with(&format!(
            "# Written by `llmplan init --preset {}`.",
            preset.name()
        )));
        llmplan()
            .arg("check")
            .arg(&path)
            .assert()
            .success()
            .stdout(contains("1 files OK"));
        // Every preset finds at least one candidate in the built-in catalogue.
        llmplan().arg("rank").arg(&path).assert().code(0);
    }
}

#[test]
fn presets_explain_themselves() {
    for preset in Preset::ALL {
        let text = preset.text();
        let settings: Vec<&str> = text
            .lines()
            .filter(|l| l.contains(" = ") && !l.trim_start().starts_with('#'))
            .collect();
        let commented = settings.iter().filter(|l| l.contains('#')).count();
        let comment_lines = text
            .lines()
            .filter(|l| l.trim_start().starts_with('#'))
            .count();
        // Most settings carry a comment, and each file opens with what the workload is.
        assert!(
            comment_lines >= 2 && commented * 2 >= settings.len(),
            "{}: {commented} of {} settings commented",
            preset.name(),
            settings.len()
        );
    }
}

#[test]
fn stdout_matches_the_file_and_the_default_is_chatbot() {
    let out = llmplan().arg("init").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("--preset chatbot") && text.contains(Preset::Chatbot.text()));
}

#[test]
fn an_existing_file_is_kept_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mine.toml");
    std::fs::write(&path, "name = \"mine\"\n").unwrap();
    llmplan()
        .args(["init", "--output"])
        .arg(&path)
        .assert()
        .code(2)
        .stderr(contains("--force"));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "name = \"mine\"\n");
    llmplan()
        .args(["init", "--preset", "rag", "--force", "--output"])
        .arg(&path)
        .assert()
        .success();
    assert!(std::fs::read_to_string(&path).unwrap().contains("RAG"));
}

#[test]
fn an_unknown_preset_lists_the_valid_ones() {
    llmplan()
        .args(["init", "--preset", "chat"])
        .assert()
        .code(2)
        .stderr(contains("chatbot"))
        .stderr(contains("image-generation"));
}

#[test]
fn presets_use_the_defaults_of_a_hand_written_file() {
    // A generated starter file and a hand-written one must give the same verdicts: no preset may
    // quietly change how missing scores are treated or what coverage a fit needs.
    let cat = llmplan::Catalogue::embedded().unwrap();
    for preset in Preset::ALL {
        let src = llmplan::source::SourceFile {
            name: format!("{}.toml", preset.name()),
            text: preset.text().to_string(),
        };
        let s = llmplan::Scenario::from_source(&src, &cat).unwrap();
        assert_eq!(
            s.fit.missing,
            llmplan::scenario::raw::MissingPolicy::Impute,
            "{}",
            preset.name()
        );
        assert!(s.fit.min_coverage.is_zero(), "{}", preset.name());
        assert_eq!(
            s.points_per_tenfold,
            llmplan::scenario::DEFAULT_POINTS_PER_TENFOLD,
            "{}",
            preset.name()
        );
    }
}

//! `llmplan plot`: an SVG with every eligible model labelled, written like any other output.

mod common;
use common::{json, llmplan};
use predicates::str::contains;

/// The text of every `<text>` element (plotters writes the content on its own line).
fn texts(svg: &str) -> Vec<String> {
    svg.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('<'))
        .map(str::to_string)
        .collect()
}

#[test]
fn the_chart_labels_every_eligible_model() {
    for scenario in [
        "scenarios/support-chatbot.toml",
        "presets/rag.toml",
        "presets/code-assistant.toml",
    ] {
        let ranked = json(&["rank", scenario]);
        // A fit with estimates in it is labelled `~model`, as the table marks it.
        let ids: Vec<String> = ranked["ranked"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                let estimate =
                    ["partly_imputed", "imputed"].contains(&r["fit_status"].as_str().unwrap());
                format!(
                    "{}{}",
                    if estimate { "~" } else { "" },
                    r["model"].as_str().unwrap()
                )
            })
            .collect();
        assert!(ids.len() >= 5, "{scenario}: a chart worth testing");
        let out = llmplan().args(["plot", scenario]).output().unwrap();
        assert!(out.status.success());
        let svg = String::from_utf8(out.stdout).unwrap();
        assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
        let labels = texts(&svg);
        for id in &ids {
            assert!(
                labels.iter().any(|l| l == id),
                "{scenario}: no label for {id}"
            );
        }
        assert!(
            labels.iter().any(|l| l.contains("log scale")),
            "the cost axis says it is logarithmic"
        );
    }
}

#[test]
fn plot_ignores_rank_top_so_no_eligible_model_is_missing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("top.toml");
    let text = std::fs::read_to_string(common::root().join("scenarios/support-chatbot.toml"))
        .unwrap()
        .replace("[rank]", "[rank]\ntop = 2");
    std::fs::write(&path, text).unwrap();
    let out = llmplan().arg("plot").arg(&path).output().unwrap();
    let labels = texts(&String::from_utf8(out.stdout).unwrap());
    assert!(
        labels.iter().any(|l| l == "zhipu/glm-4"),
        "the 13th model is still drawn"
    );
}

#[test]
fn output_goes_to_the_file_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("chart.svg");
    llmplan()
        .args(["plot", "scenarios/support-chatbot.toml", "--output"])
        .arg(&path)
        .assert()
        .success()
        .stdout("")
        .stderr(contains("13 eligible models, 3 on the Pareto front"));
    assert!(std::fs::read_to_string(&path)
        .unwrap()
        .contains("anthropic/claude-3-haiku"));
}

#[test]
fn nothing_to_plot_is_a_clean_exit_1_and_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("chart.svg");
    let scenario = dir.path().join("impossible.toml");
    let text = std::fs::read_to_string(common::root().join("presets/chatbot.toml"))
        .unwrap()
        .replace(
            "min_context_tokens = 8000",
            "min_context_tokens = 900000000",
        );
    std::fs::write(&scenario, text).unwrap();
    llmplan()
        .arg("plot")
        .arg(&scenario)
        .arg("--output")
        .arg(&path)
        .assert()
        .code(1)
        .stderr(contains("nothing to plot"));
    assert!(!path.exists());
}

#[test]
fn the_committed_docs_chart_is_the_tools_own() {
    // docs/ shows a chart the tool drew from the example scenario. It is not compared byte for
    // byte (catalogue updates move the points); regenerate it with
    //   cargo run -- plot scenarios/support-chatbot.toml --output docs/support-chatbot-cost-vs-fit.svg
    let committed =
        std::fs::read_to_string(common::root().join("docs/support-chatbot-cost-vs-fit.svg"))
            .unwrap();
    let labels = texts(&committed);
    assert!(labels
        .iter()
        .any(|l| l == "Customer-support chatbot: monthly cost against fit"));
    let models = json(&["models"]);
    let ids: Vec<&str> = models
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    // Model labels: an id with no spaces (the footnote names docs/fit.md too).
    let drawn: Vec<&String> = labels
        .iter()
        .filter(|l| l.contains('/') && !l.contains(' '))
        .collect();
    assert!(drawn.len() >= 5);
    for l in drawn {
        // An estimated fit's label starts with the estimate mark.
        assert!(
            ids.contains(&l.trim_start_matches('~')),
            "{l} in the docs chart is not a catalogued model"
        );
    }
    assert!(committed.len() < 60_000, "keep the docs chart small");
}

#[cfg(unix)]
#[test]
fn written_files_are_readable_by_others_like_any_new_file() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("chart.svg");
    llmplan()
        .args(["plot", "scenarios/support-chatbot.toml", "--output"])
        .arg(&path)
        .assert()
        .success();
    assert_eq!(
        std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o644
    );
}

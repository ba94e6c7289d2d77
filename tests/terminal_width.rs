//! Tables and notes fit `COLUMNS` (or the terminal); without either, output is laid out in full.

mod common;

use common::llmplan;
use unicode_width::UnicodeWidthStr;

fn at_width(columns: Option<&str>, args: &[&str]) -> String {
    let mut cmd = llmplan();
    if let Some(c) = columns {
        cmd.env("COLUMNS", c);
    }
    let out = cmd.args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn widest(text: &str) -> usize {
    text.lines().map(UnicodeWidthStr::width).max().unwrap_or(0)
}

const COMMANDS: &[&[&str]] = &[
    &["rank", "scenarios/support-chatbot.toml", "--all"],
    &["rank", "scenarios/procurement-batch-summaries.toml"],
    &["rank", "scenarios/build-or-buy.toml", "--all"],
    &[
        "cost",
        "scenarios/support-chatbot.toml",
        "--model",
        "anthropic/claude-3-haiku",
    ],
    &["cost", "scenarios/claude3-routing.toml"],
    &["show", "anthropic/claude-3-haiku"],
    &["models"],
    &["benchmarks"],
];

#[test]
fn at_80_columns_every_line_fits() {
    for args in COMMANDS {
        let text = at_width(Some("80"), args);
        for line in text.lines() {
            assert!(
                line.width() <= 80,
                "{args:?}: {} wide:\n{line}",
                line.width()
            );
        }
    }
}

#[test]
fn amounts_are_never_cut_and_dropped_columns_are_named() {
    let text = at_width(Some("80"), &["rank", "scenarios/support-chatbot.toml"]);
    // Every monthly amount is still printed whole (the horizon column is left out, and named).
    for amount in ["$581.25", "$6,562.50", "$34,875.00"] {
        assert!(text.contains(amount), "{amount} missing:\n{text}");
    }
    assert!(
        text.replace('\n', " ").contains("Columns left out to fit 80 characters: vendor, pareto, 12-month (--format csv or json has every column)."),
        "{text}"
    );
    // Model ids are not wrapped at 80.
    assert!(text.contains("│ anthropic/claude-3-haiku "), "{text}");
}

#[test]
fn without_columns_or_a_terminal_the_layout_is_unchanged() {
    let wide = at_width(None, &["rank", "scenarios/support-chatbot.toml"]);
    assert_eq!(
        widest(&wide.lines().take(18).collect::<Vec<_>>().join("\n")),
        113
    );
    assert!(!wide.contains("left out"));
    // A width wider than the table changes nothing in it.
    let roomy = at_width(Some("5000"), &["rank", "scenarios/support-chatbot.toml"]);
    assert_eq!(wide, roomy);
}

/// `plot` writes SVG to a pipe, and refuses at a terminal (run under `script`, which gives the
/// command a terminal, where the system has it).
#[test]
fn plot_refuses_a_terminal_and_writes_to_a_pipe() {
    let svg = at_width(None, &["plot", "scenarios/support-chatbot.toml"]);
    assert!(svg.starts_with("<svg"), "{svg}");
    let Ok(out) = std::process::Command::new("script")
        .args(["-qec"])
        .arg(format!(
            "{} plot scenarios/support-chatbot.toml",
            assert_cmd::cargo::cargo_bin("llmplan").display()
        ))
        .arg("/dev/null")
        .current_dir(common::root())
        .output()
    else {
        eprintln!("no `script` here: the terminal case is not exercised");
        return;
    };
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert!(text.contains("add -o chart.svg"), "{text}");
    assert!(!text.contains("<svg"), "{text}");
}

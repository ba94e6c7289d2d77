//! Aligned tables for people, with restrained colour when they go to a terminal: bold headers,
//! a yellow Pareto star and red negative amounts. Colour is added after the layout, so the
//! table is laid out exactly as the plain one and escape codes never count towards widths.

use super::{Cell, Doc};
use tabled::builder::Builder;
use tabled::settings::object::Columns;
use tabled::settings::{Alignment, Modify, Style, Width};

/// Width at which free-text columns wrap.
const WRAP: usize = 90;

/// Renders every section as an aligned table, then the notes; with a `width`, tables and notes are
/// fitted to it ([`super::width`]).
pub fn render(doc: &Doc, colour: bool, width: Option<usize>) -> String {
    let mut out = String::new();
    let mut dropped_notes = Vec::new();
    for (i, s) in doc.sections.iter().enumerate() {
        let s = s.visible();
        let (s, fitted) = match width {
            Some(w) => {
                let l = super::width::layout(&s, w);
                if !l.dropped.is_empty() {
                    let of = match (i, s.title.as_deref()) {
                        (0, _) | (_, None) => String::new(),
                        (_, Some(t)) => format!(" of \"{t}\""),
                    };
                    dropped_notes.push(format!(
                        "Columns{of} left out to fit {w} characters: {} (--format csv or json has every column).",
                        l.dropped.join(", ")
                    ));
                }
                (l.section, Some(l.wrap))
            }
            None => (s, None),
        };
        let s = &s;
        if i > 0 {
            out.push('\n');
        }
        if let Some(t) = &s.title {
            match width {
                Some(w) => out.push_str(&super::width::wrap_text(t, w)),
                None => out.push_str(t),
            }
            out.push('\n');
        }
        if s.rows.is_empty() {
            out.push_str("  (none)\n");
            continue;
        }
        let mut b = Builder::default();
        b.push_record(s.headers.iter().cloned());
        for r in &s.rows {
            b.push_record(r.iter().map(|c| c.text.clone()));
        }
        let mut t = b.build();
        t.with(Style::rounded());
        for (col, right) in s.right.iter().enumerate() {
            if *right {
                t.with(Modify::new(Columns::single(col)).with(Alignment::right()));
            }
        }
        match &fitted {
            // Fitted to the terminal: each narrowed column wraps to its width.
            Some(wrap) => {
                for (col, w) in wrap.iter().enumerate() {
                    if let Some(w) = w {
                        t.with(
                            Modify::new(Columns::single(col))
                                .with(Width::wrap(*w).keep_words(true)),
                        );
                    }
                }
            }
            // Long free text (exclusion reasons, sources) wraps instead of running off the screen.
            None => {
                for (col, h) in s.headers.iter().enumerate() {
                    if matches!(h.as_str(), "reasons" | "source" | "plan") {
                        t.with(
                            Modify::new(Columns::single(col))
                                .with(Width::wrap(WRAP).keep_words(true)),
                        );
                    }
                }
            }
        }
        let text = t.to_string();
        out.push_str(&if colour { paint_table(&text, s) } else { text });
        out.push('\n');
    }
    if !doc.notes.is_empty() || !dropped_notes.is_empty() {
        out.push('\n');
        for n in doc.notes.iter().chain(&dropped_notes) {
            match width {
                Some(w) => out.push_str(&super::width::wrap_text(n, w)),
                None => out.push_str(n),
            }
            out.push('\n');
        }
    }
    out
}

const BOLD: &str = "\x1b[1m";
const RED: &str = "\x1b[31m";
const YELLOW: &str = "\x1b[33m";
const RESET: &str = "\x1b[0m";

fn paint(style: &str, text: &str) -> String {
    format!("{style}{text}{RESET}")
}

fn is_negative(c: &Cell) -> bool {
    c.text.starts_with('-')
        && c.raw
            .parse::<rust_decimal::Decimal>()
            .is_ok_and(|d| d.is_sign_negative() && !d.is_zero())
}

/// Colours a laid-out table: header cells bold, negative amounts red, the Pareto star yellow.
/// Cells are found between the `│` rules, so padding and alignment are untouched.
fn paint_table(table: &str, s: &super::Section) -> String {
    let negatives: std::collections::BTreeSet<&str> = s
        .rows
        .iter()
        .flatten()
        .filter(|c| is_negative(c))
        .map(|c| c.text.as_str())
        .collect();
    let mut in_header = true;
    let mut out = String::with_capacity(table.len() + 64);
    for (i, line) in table.lines().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if line.starts_with('├') {
            in_header = false;
        }
        if !line.starts_with('│') {
            out.push_str(line);
            continue;
        }
        let cells: Vec<String> = line
            .split('│')
            .map(|seg| {
                let word = seg.trim();
                let wanted = !word.is_empty() && (in_header || negatives.contains(word));
                let style = if in_header { BOLD } else { RED };
                let seg = if wanted {
                    seg.replacen(word, &paint(style, word), 1)
                } else {
                    seg.to_string()
                };
                seg.replace('★', &paint(YELLOW, "★"))
            })
            .collect();
        out.push_str(&cells.join("│"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::Section;

    fn doc() -> Doc {
        let mut s = Section::new(Some("t".into()), &["model", ">saving"]);
        s.rows.push(vec![
            Cell::plain("a ★"),
            Cell {
                text: "-$12.30".into(),
                raw: "-12.3".into(),
            },
        ]);
        s.rows.push(vec![
            Cell::plain("b"),
            Cell {
                text: "$1.00".into(),
                raw: "1".into(),
            },
        ]);
        Doc {
            json: serde_json::Value::Null,
            sections: vec![s],
            notes: vec![],
        }
    }

    #[test]
    fn plain_tables_have_no_escape_codes() {
        assert!(!render(&doc(), false, None).contains('\x1b'));
    }

    #[test]
    fn colour_marks_headers_stars_and_negative_money_without_breaking_alignment() {
        let plain = render(&doc(), false, None);
        let coloured = render(&doc(), true, None);
        assert!(coloured.contains(&format!("{BOLD}model{RESET}")));
        assert!(coloured.contains(&format!("{RED}-$12.30{RESET}")));
        assert!(coloured.contains(&format!("{YELLOW}★{RESET}")));
        assert!(!coloured.contains(&format!("{RED}$1.00")));
        // Stripping the codes gives back the plain table: widths ignore them.
        let stripped = coloured
            .replace(BOLD, "")
            .replace(RED, "")
            .replace(YELLOW, "")
            .replace(RESET, "");
        assert_eq!(stripped, plain);
    }
}

//! Aligned tables for people, with restrained colour when they go to a terminal: bold headers,
//! a yellow Pareto star and red negative amounts. Colour is added after the layout, so the
//! table is laid out exactly as the plain one and escape codes never count towards widths.

use super::{Cell, Doc, Section};
use crate::error::Result;
use tabled::builder::Builder;
use tabled::settings::object::Columns;
use tabled::settings::{Alignment, Modify, Style, Width};

/// Width at which free-text columns wrap.
const WRAP: usize = 90;

/// Headers of the free-text columns that wrap at [`WRAP`].
const WRAPPED: [&str; 3] = ["reasons", "source", "plan"];

/// Renders every section as an aligned table, then the notes; with a `width`, tables and notes are
/// fitted to it ([`super::width`]). A section's lazy rows are made as it is written, without
/// holding them, when the table is laid out in full ([`rounded`]); fitting to a width and colour
/// look at every row at once, so for those the rows are made and held first.
pub fn render(doc: &Doc, colour: bool, width: Option<usize>) -> Result<String> {
    if colour || width.is_some() {
        let doc = doc.materialized()?;
        return render_held(&doc, colour, width);
    }
    render_held(doc, colour, width)
}

fn render_held(doc: &Doc, colour: bool, width: Option<usize>) -> Result<String> {
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
        let held;
        let s = match rounded(s)? {
            Some(text) => {
                out.push_str(&text);
                continue;
            }
            None if s.lazy.is_some() => {
                let mut m = s.clone();
                m.materialize()?;
                held = m;
                &held
            }
            None => s,
        };
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
                    if WRAPPED.contains(&h.as_str()) {
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
    Ok(out)
}

/// A section with lazy rows laid out in full as the tabled path above lays it out (rounded style,
/// one space of padding, numbers right-aligned), making its rows twice, once to measure the
/// columns and once to write them, so that they are never all held. `None` when the section has
/// no lazy rows, or has what only the tabled path lays out: a wrapping free-text column, a cell
/// of more than one line or with a control character, or a row of another length. The tests below
/// hold the two layouts equal.
fn rounded(s: &Section) -> Result<Option<String>> {
    use unicode_width::UnicodeWidthStr;
    let Some(lazy) = &s.lazy else {
        return Ok(None);
    };
    if s.headers.iter().any(|h| WRAPPED.contains(&h.as_str())) {
        return Ok(None);
    }
    let n = s.headers.len();
    let simple = |t: &str| !t.chars().any(char::is_control);
    let mut widths: Vec<usize> = s.headers.iter().map(|h| h.width()).collect();
    let mut rows = 0usize;
    let mut plain = s.headers.iter().all(|h| simple(h));
    let mut measure = |r: &[Cell]| {
        rows += 1;
        plain &= r.len() == n;
        for (w, c) in widths.iter_mut().zip(r) {
            plain &= simple(&c.text);
            *w = (*w).max(c.text.width());
        }
    };
    s.rows.iter().for_each(|r| measure(r));
    lazy.each(&mut |r| measure(&r))?;
    if !plain || n == 0 {
        return Ok(None);
    }
    if rows == 0 {
        return Ok(Some("  (none)\n".into()));
    }
    let rule = |left: &str, mid: &str, right: &str| {
        let mut line = String::from(left);
        for (i, w) in widths.iter().enumerate() {
            if i > 0 {
                line.push_str(mid);
            }
            line.push_str(&"─".repeat(w + 2));
        }
        line.push_str(right);
        line.push('\n');
        line
    };
    let mut out = rule("╭", "┬", "╮");
    let line = |out: &mut String, cells: &mut dyn Iterator<Item = &str>| {
        out.push('│');
        for ((text, w), right) in cells.zip(&widths).zip(&s.right) {
            let pad = " ".repeat(w - text.width());
            out.push(' ');
            if *right {
                out.push_str(&pad);
                out.push_str(text);
            } else {
                out.push_str(text);
                out.push_str(&pad);
            }
            out.push_str(" │");
        }
        out.push('\n');
    };
    line(&mut out, &mut s.headers.iter().map(String::as_str));
    out.push_str(&rule("├", "┼", "┤"));
    for r in &s.rows {
        line(&mut out, &mut r.iter().map(|c| c.text.as_str()));
    }
    lazy.each(&mut |r| line(&mut out, &mut r.iter().map(|c| c.text.as_str())))?;
    out.push_str(&rule("╰", "┴", "╯"));
    Ok(Some(out))
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
        assert!(!render(&doc(), false, None)
            .expect("renders")
            .contains('\x1b'));
    }

    #[test]
    fn colour_marks_headers_stars_and_negative_money_without_breaking_alignment() {
        let plain = render(&doc(), false, None).expect("renders");
        let coloured = render(&doc(), true, None).expect("renders");
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

    /// The section of `rows` with every row held, and the same with every row lazy.
    fn both(headers: &[&str], rows: Vec<Vec<Cell>>) -> (Doc, Doc) {
        let mut held = Section::new(Some("t".into()), headers);
        held.rows = rows.clone();
        let mut lazy = Section::new(Some("t".into()), headers);
        lazy.lazy = Some(crate::render::LazyRows::new(move |sink| {
            rows.iter().for_each(|r| sink(r.clone()));
            Ok(())
        }));
        let doc = |s| Doc {
            json: serde_json::Value::Null,
            sections: vec![s],
            notes: vec!["a note".into()],
        };
        (doc(held), doc(lazy))
    }

    #[test]
    fn lazy_rows_are_laid_out_by_rounded_not_by_tabled() {
        let (held, lazy) = both(&["a", ">b"], vec![vec![Cell::plain("x"), Cell::plain("1")]]);
        assert!(rounded(&held.sections[0]).expect("rows").is_none());
        let text = rounded(&lazy.sections[0]).expect("rows").expect("laid out");
        assert_eq!(
            text,
            "╭───┬───╮\n│ a │ b │\n├───┼───┤\n│ x │ 1 │\n╰───┴───╯\n"
        );
        // No rows: as the tabled path prints an empty section.
        let (held, lazy) = both(&["a"], vec![]);
        assert_eq!(
            render(&lazy, false, None).expect("renders"),
            render(&held, false, None).expect("renders")
        );
        assert!(render(&lazy, false, None)
            .expect("renders")
            .contains("(none)"));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]

        /// Laid out in full, lazy rows print exactly as the same rows held and laid out by tabled:
        /// any text (wide characters, stars, empty cells), either alignment.
        #[test]
        fn lazy_rows_print_as_held_rows_do(
            right in proptest::collection::vec(proptest::bool::ANY, 1..5),
            cells in proptest::collection::vec(
                proptest::collection::vec("[a-z0-9 ,.$€¥★—通义千问-]{0,12}", 5),
                0..8,
            ),
        ) {
            let headers: Vec<String> = right
                .iter()
                .enumerate()
                .map(|(i, r)| format!("{}col{i}", if *r { ">" } else { "" }))
                .collect();
            let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
            let rows: Vec<Vec<Cell>> = cells
                .iter()
                .map(|r| r.iter().take(headers.len()).map(Cell::plain).collect())
                .collect();
            let (held, lazy) = both(&headers, rows);
            proptest::prop_assert_eq!(
                render(&lazy, false, None).expect("renders"),
                render(&held, false, None).expect("renders")
            );
            // Fitted to a width, lazy rows are made and held first: the same again.
            proptest::prop_assert_eq!(
                render(&lazy, false, Some(40)).expect("renders"),
                render(&held, false, Some(40)).expect("renders")
            );
        }
    }
}

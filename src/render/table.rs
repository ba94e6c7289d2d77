//! Aligned tables for people, with restrained colour when they go to a terminal: bold headers,
//! a yellow Pareto star and red negative amounts. Widths are measured without the escape codes.

use super::{Cell, Doc};
use tabled::builder::Builder;
use tabled::settings::object::Columns;
use tabled::settings::{Alignment, Modify, Style};

/// Renders every section as an aligned table, then the notes.
pub fn render(doc: &Doc, colour: bool) -> String {
    let mut out = String::new();
    for (i, s) in doc.sections.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if let Some(t) = &s.title {
            out.push_str(t);
            out.push('\n');
        }
        if s.rows.is_empty() {
            out.push_str("  (none)\n");
            continue;
        }
        let mut b = Builder::default();
        b.push_record(
            s.headers
                .iter()
                .map(|h| if colour { paint(BOLD, h) } else { h.clone() }),
        );
        for r in &s.rows {
            b.push_record(
                r.iter()
                    .map(|c| if colour { painted(c) } else { c.text.clone() }),
            );
        }
        let mut t = b.build();
        t.with(Style::rounded());
        for (col, right) in s.right.iter().enumerate() {
            if *right {
                t.with(Modify::new(Columns::single(col)).with(Alignment::right()));
            }
        }
        out.push_str(&t.to_string());
        out.push('\n');
    }
    if !doc.notes.is_empty() {
        out.push('\n');
        for n in &doc.notes {
            out.push_str(n);
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

/// A cell's text with colour where it means something.
fn painted(c: &Cell) -> String {
    let negative = c.text.starts_with('-')
        && c.raw
            .parse::<rust_decimal::Decimal>()
            .is_ok_and(|d| d.is_sign_negative() && !d.is_zero());
    if negative {
        paint(RED, &c.text)
    } else if c.text.contains('★') {
        c.text.replace('★', &paint(YELLOW, "★"))
    } else {
        c.text.clone()
    }
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
        assert!(!render(&doc(), false).contains('\x1b'));
    }

    #[test]
    fn colour_marks_headers_stars_and_negative_money_without_breaking_alignment() {
        let plain = render(&doc(), false);
        let coloured = render(&doc(), true);
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

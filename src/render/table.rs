//! Aligned tables for people.

use super::Doc;
use tabled::builder::Builder;
use tabled::settings::object::Columns;
use tabled::settings::{Alignment, Modify, Style, Width};

/// Width at which free-text columns wrap.
const WRAP: usize = 90;

/// Renders every section as an aligned table, then the notes.
pub fn render(doc: &Doc) -> String {
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
        // Long free text (exclusion reasons, sources) wraps instead of running off the screen.
        for (col, h) in s.headers.iter().enumerate() {
            if matches!(h.as_str(), "reasons" | "source") {
                t.with(Modify::new(Columns::single(col)).with(Width::wrap(WRAP).keep_words(true)));
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

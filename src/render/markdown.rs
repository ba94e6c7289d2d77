//! GitHub-flavoured Markdown tables, for pasting into issues and design docs.

use super::{Cell, Doc};
use crate::error::Result;

/// Renders every section as a Markdown table, then the notes as a list.
pub fn render(doc: &Doc) -> Result<String> {
    let mut out = String::new();
    for s in doc.sections.iter().map(super::Section::visible) {
        if let Some(t) = &s.title {
            out.push_str(&format!("### {t}\n\n"));
        }
        out.push_str(&format!(
            "| {} |\n",
            s.headers
                .iter()
                .map(|h| escape(h))
                .collect::<Vec<_>>()
                .join(" | ")
        ));
        out.push_str(&format!(
            "|{}|\n",
            s.right
                .iter()
                .map(|r| if *r { "---:" } else { "---" })
                .collect::<Vec<_>>()
                .join("|")
        ));
        let mut row = |r: &[Cell]| {
            out.push_str(&format!(
                "| {} |\n",
                r.iter()
                    .map(|c| escape(&c.text))
                    .collect::<Vec<_>>()
                    .join(" | ")
            ));
        };
        for r in &s.rows {
            row(r);
        }
        if let Some(lazy) = &s.lazy {
            lazy.each(&mut |r| row(&r))?;
        }
        out.push('\n');
    }
    for n in &doc.notes {
        out.push_str(&format!("- {}\n", n.trim()));
    }
    Ok(out)
}

fn escape(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

//! CSV of a report's main table, with machine values (`1234.5`, not `$1,234.50`).

use super::Doc;

/// Renders the first section as CSV with a header line.
pub fn render(doc: &Doc) -> String {
    let Some(s) = doc.sections.first() else {
        return String::new();
    };
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(&s.headers);
    for r in &s.rows {
        let _ = w.write_record(r.iter().map(|c| c.raw.as_str()));
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

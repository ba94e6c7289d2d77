//! CSV of a report's main table, with machine values (`1234.5`, not `$1,234.50`).

use super::{Cell, Doc};
use crate::error::Result;

/// Renders the first section as CSV with a header line.
pub fn render(doc: &Doc) -> Result<String> {
    let Some(s) = doc.sections.first() else {
        return Ok(String::new());
    };
    let mut w = ::csv::Writer::from_writer(Vec::new());
    // A section with keys writes them as its header and leaves out columns with an empty key.
    let keep: Vec<usize> = if s.keys.is_empty() {
        (0..s.headers.len()).collect()
    } else {
        (0..s.keys.len())
            .filter(|i| !s.keys[*i].is_empty())
            .collect()
    };
    let header = if s.keys.is_empty() {
        &s.headers
    } else {
        &s.keys
    };
    let _ = w.write_record(keep.iter().map(|i| header[*i].as_str()));
    let mut row = |r: &[Cell]| {
        let _ = w.write_record(
            keep.iter()
                .map(|i| r.get(*i).map_or("", |c| c.raw.as_str())),
        );
    };
    for r in &s.rows {
        row(r);
    }
    if let Some(lazy) = &s.lazy {
        lazy.each(&mut |r| row(&r))?;
    }
    Ok(String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default())
}

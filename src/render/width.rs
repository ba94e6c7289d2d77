//! Fitting tables and notes to the terminal.
//!
//! The width is `COLUMNS` when it is set to a positive number, else the terminal's width when
//! stdout is a terminal, else none: output piped to a program or a file is laid out as wide as
//! its content, exactly as before.
//!
//! A table that is too wide shrinks in steps, stopping as soon as it fits:
//! 1. long free-text columns (reasons, sources, names) wrap down to [`TEXT`] characters;
//! 2. the columns the command marked as droppable ([`Section::drop_order`]) are left out, least
//!    important first, and a note names them;
//! 3. the remaining text columns wrap down to [`NARROW`] characters.
//!
//! Right-aligned columns hold amounts and counts and are never wrapped, cut or dropped unless the
//! command marked them droppable; a table whose amounts alone are wider than the terminal is
//! printed wider than the terminal rather than cut.

use super::Section;
use unicode_width::UnicodeWidthStr;

/// Free text wraps to this width before any column is dropped.
pub const TEXT: usize = 30;
/// Text columns wrap down to this width as a last resort.
pub const NARROW: usize = 10;

/// The width to fit, if any: `COLUMNS`, else the terminal's width when stdout is a terminal.
pub fn target() -> Option<usize> {
    use std::io::IsTerminal;
    if let Some(n) = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|n| *n > 0)
    {
        return Some(n);
    }
    if std::io::stdout().is_terminal() {
        return terminal_size::terminal_size().map(|(w, _)| usize::from(w.0));
    }
    None
}

/// The display width of the widest line of `s`.
pub fn text_width(s: &str) -> usize {
    s.lines().map(UnicodeWidthStr::width).max().unwrap_or(0)
}

/// A section laid out for a width: the columns kept, the width each text column wraps to, and the
/// headers of the columns left out.
#[derive(Debug, Clone)]
pub struct Layout {
    /// The section without the dropped columns.
    pub section: Section,
    /// For each kept column, the width it wraps to, or `None` to keep it whole.
    pub wrap: Vec<Option<usize>>,
    /// Headers of the columns left out.
    pub dropped: Vec<String>,
}

/// The width of a rounded table whose columns are `widths` wide: each column is padded by one
/// space on either side and separated by a rule, with a rule at each edge.
pub fn table_width(widths: &[usize]) -> usize {
    widths.iter().sum::<usize>() + 3 * widths.len() + 1
}

fn natural(s: &Section) -> Vec<usize> {
    (0..s.headers.len())
        .map(|i| {
            s.rows
                .iter()
                .filter_map(|r| r.get(i))
                .map(|c| text_width(&c.text))
                .chain(std::iter::once(text_width(&s.headers[i])))
                .max()
                .unwrap_or(0)
        })
        .collect()
}

/// Narrows the text columns (not right-aligned) towards `floor`, the widest first, until the
/// table fits `width` or none can narrow further.
fn narrow(widths: &mut [usize], right: &[bool], floor: usize, width: usize) {
    while table_width(widths) > width {
        let widest = (0..widths.len())
            .filter(|i| !right[*i] && widths[*i] > floor)
            .max_by_key(|i| widths[*i]);
        let Some(i) = widest else { return };
        let excess = table_width(widths) - width;
        widths[i] = widths[i].saturating_sub(excess).max(floor);
    }
}

fn without(s: &Section, col: usize) -> Section {
    let mut s = s.clone();
    s.headers.remove(col);
    s.right.remove(col);
    if col < s.keys.len() {
        s.keys.remove(col);
    }
    if col < s.hidden.len() {
        s.hidden.remove(col);
    }
    for r in &mut s.rows {
        if col < r.len() {
            r.remove(col);
        }
    }
    s.drop_order = s
        .drop_order
        .iter()
        .filter(|d| **d != col)
        .map(|d| if *d > col { d - 1 } else { *d })
        .collect();
    s
}

/// Lays a (visible) section out for `width` columns.
pub fn layout(s: &Section, width: usize) -> Layout {
    let mut section = s.clone();
    let mut dropped = Vec::new();
    loop {
        let nat = natural(&section);
        let mut widths = nat.clone();
        narrow(&mut widths, &section.right, TEXT, width);
        if table_width(&widths) > width {
            if let Some(&col) = section.drop_order.first() {
                dropped.push(section.headers[col].clone());
                section = without(&section, col);
                continue;
            }
            narrow(&mut widths, &section.right, NARROW, width);
        }
        let wrap = widths
            .iter()
            .zip(&nat)
            .map(|(w, n)| (w < n).then_some(*w))
            .collect();
        return Layout {
            section,
            wrap,
            dropped,
        };
    }
}

/// `text` wrapped at word boundaries to lines of at most `width` columns; a word longer than a
/// line is split.
pub fn wrap_text(text: &str, width: usize) -> String {
    let width = width.max(1);
    let mut out = Vec::new();
    for para in text.split('\n') {
        let mut line = String::new();
        let mut w = 0;
        for word in para.split(' ') {
            let ww = word.width();
            if w > 0 && w + 1 + ww > width {
                out.push(std::mem::take(&mut line));
                w = 0;
            }
            if w > 0 {
                line.push(' ');
                w += 1;
            }
            if ww > width {
                // A word wider than the line: split it by characters.
                for ch in word.chars() {
                    let cw = unicode_width::UnicodeWidthChar::width(ch).unwrap_or(0);
                    if w + cw > width && w > 0 {
                        out.push(std::mem::take(&mut line));
                        w = 0;
                    }
                    line.push(ch);
                    w += cw;
                }
            } else {
                line.push_str(word);
                w += ww;
            }
        }
        out.push(line);
    }
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::Cell;

    fn section() -> Section {
        let mut s =
            Section::new(None, &["model", "vendor", ">monthly", "reasons"]).droppable(&["vendor"]);
        s.rows.push(vec![
            Cell::plain("anthropic/claude-3-haiku"),
            Cell::plain("anthropic"),
            Cell::plain("$1,234,567.89"),
            Cell::plain("context window 4,096 tokens < 16,000 required by min_context_tokens"),
        ]);
        s
    }

    #[test]
    fn text_wraps_first_then_droppable_columns_go_and_amounts_stay_whole() {
        let s = section();
        // Natural: 24 + 9 + 13 + 67 + 3 × 4 + 1 = 126.
        assert_eq!(table_width(&natural(&s)), 126);
        // At 100 the reasons wrap to 41 (126 − 100 = 26 narrower) and nothing is dropped.
        let l = layout(&s, 100);
        assert!(l.dropped.is_empty());
        assert_eq!(l.wrap, [None, None, None, Some(41)]);
        // At 70: reasons at 30 gives 24 + 9 + 13 + 30 + 13 = 89, too wide, so vendor goes:
        // 24 + 13 + 30 + 10 = 77, still 7 over, so the widest text column, reasons, narrows to
        // 30 − 7 = 23 and the model id stays whole.
        let l = layout(&s, 70);
        assert_eq!(l.dropped, ["vendor"]);
        assert_eq!(l.wrap, [None, None, Some(23)]);
        // The amount is never narrowed, even when nothing else can give.
        let l = layout(&s, 20);
        assert_eq!(l.wrap[1], None);
    }

    #[test]
    fn notes_wrap_at_words_and_split_only_overlong_words() {
        assert_eq!(wrap_text("one two three", 7), "one two\nthree");
        assert_eq!(wrap_text("abcdefghij", 4), "abcd\nefgh\nij");
        assert!(wrap_text("Costs in CN¥ 通义千问 text", 8)
            .lines()
            .all(|l| l.width() <= 8));
    }
}

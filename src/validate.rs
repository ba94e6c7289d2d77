//! Shared helpers for turning parsed files into validated types while collecting every fault.
//!
//! Validation never stops at the first problem: `llmplan check` reports them all. Each helper
//! records a located diagnostic and returns `None`, so callers can carry on.

use crate::diag::{Diagnostic, KeyPath};
use crate::num::Num;
use crate::source::SourceFile;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

/// The most faults of one file reported with their line; the rest are counted.
pub const MAX_LOCATED: usize = 100;

/// Collects faults found in one file.
pub struct Checker<'a> {
    /// The file being checked.
    pub src: &'a SourceFile,
    /// Faults so far.
    pub diags: Vec<Diagnostic>,
    /// The file parsed with its spans, once a fault needs locating: every fault is located in
    /// the same parse.
    spans: std::cell::OnceCell<Option<toml_edit::ImDocument<&'a str>>>,
}

impl<'a> Checker<'a> {
    /// Starts checking a file.
    pub fn new(src: &'a SourceFile) -> Checker<'a> {
        Checker {
            src,
            diags: Vec::new(),
            spans: std::cell::OnceCell::new(),
        }
    }

    /// Records a fault. Past [`MAX_LOCATED`] faults in one file, a fault is still counted but not
    /// located: locating reads the file again, which for a generated file with a fault in each of
    /// thousands of tables would take hours.
    pub fn err(&mut self, path: &KeyPath, message: impl Into<String>, help: impl Into<String>) {
        if self.diags.len() >= MAX_LOCATED {
            self.diags
                .push(Diagnostic::file_level(&self.src.name, message.into()));
            return;
        }
        let help = help.into();
        let src = self.src;
        let doc = self
            .spans
            .get_or_init(|| toml_edit::ImDocument::parse(src.text.as_str()).ok());
        let mut d = match doc
            .as_ref()
            .and_then(|doc| crate::diag::locate_in(doc, path))
        {
            Some(span) => Diagnostic::at_span(&src.name, &src.text, span, message),
            None => Diagnostic::file_level(&src.name, message),
        };
        if !help.is_empty() {
            d.help = Some(help);
        }
        self.diags.push(d);
    }

    /// A whole number of at least `min`.
    pub fn whole(&mut self, path: &KeyPath, n: Num, min: u64) -> Option<u64> {
        let v = n.get();
        let field = last_key(path);
        if v.fract() != Decimal::ZERO {
            self.err(
                path,
                format!("`{field}` must be a whole number, found {v}"),
                "round it to a whole number",
            );
            return None;
        }
        match v.to_u64() {
            Some(u) if u >= min => Some(u),
            _ if v.is_sign_negative() && !v.is_zero() => {
                self.err(
                    path,
                    format!("`{field}` cannot be negative, found {v}"),
                    format!("use a whole number of at least {min}"),
                );
                None
            }
            Some(_) => {
                self.err(
                    path,
                    format!("`{field}` must be at least {min}, found {v}"),
                    format!("use a whole number of at least {min}"),
                );
                None
            }
            None => {
                self.err(
                    path,
                    format!("`{field}` is too large: {v}"),
                    "check for a typo",
                );
                None
            }
        }
    }

    /// A whole number in `min..=max`, with `help` saying what the field means when it is not.
    pub fn whole_in(
        &mut self,
        path: &KeyPath,
        n: Num,
        min: u64,
        max: u64,
        help: &str,
    ) -> Option<u64> {
        let v = n.get();
        match v.to_u64() {
            Some(u) if v.fract().is_zero() && (min..=max).contains(&u) => Some(u),
            _ => {
                let field = last_key(path);
                self.err(
                    path,
                    format!("`{field}` must be a whole number from {min} to {max}, found {v}"),
                    help,
                );
                None
            }
        }
    }

    /// A number in `0..=1`.
    pub fn fraction(&mut self, path: &KeyPath, n: Num) -> Option<Decimal> {
        let field = format!("`{}`", last_key(path));
        self.fraction_named(path, n, &field)
    }

    /// A number in `0..=1`, called `field` in the message (for map entries, whose key is a name
    /// rather than a field: "the discount for `anthropic`").
    pub fn fraction_named(&mut self, path: &KeyPath, n: Num, field: &str) -> Option<Decimal> {
        let v = n.get();
        if v < Decimal::ZERO || v > Decimal::ONE {
            // 40 is most likely meant as 40%; say how to write that, without assuming it.
            let hint = if v > Decimal::ONE && v <= Decimal::from(100) {
                format!(
                    "write a fraction between 0 and 1; if you mean {}%, write {}",
                    v.normalize(),
                    (v / Decimal::from(100)).normalize()
                )
            } else {
                "write a fraction between 0 and 1, such as 0.25".to_string()
            };
            self.err(
                path,
                format!("{field} must be between 0 and 1, found {v}"),
                hint,
            );
            return None;
        }
        Some(v)
    }

    /// A number of at least zero.
    pub fn non_negative(&mut self, path: &KeyPath, n: Num) -> Option<Decimal> {
        let v = n.get();
        if v.is_sign_negative() && !v.is_zero() {
            let field = last_key(path);
            self.err(
                path,
                format!("`{field}` cannot be negative, found {v}"),
                "use 0 or a positive number",
            );
            return None;
        }
        Some(v)
    }

    /// A number above zero.
    pub fn positive(&mut self, path: &KeyPath, n: Num) -> Option<Decimal> {
        let v = n.get();
        if v <= Decimal::ZERO {
            let field = last_key(path);
            self.err(
                path,
                format!("`{field}` must be greater than 0, found {v}"),
                "use a positive number",
            );
            return None;
        }
        Some(v)
    }

    /// A date written `YYYY-MM-DD` that exists in the calendar, or with `month_ok` also
    /// `YYYY-MM`: `2024-02-30`, `2024-13` and `yesterday` are refused.
    pub fn date(&mut self, path: &KeyPath, s: &str, month_ok: bool) -> bool {
        if calendar_date(s) || (month_ok && year_month(s)) {
            return true;
        }
        let field = last_key(path);
        let form = if month_ok {
            "YYYY-MM-DD (or YYYY-MM)"
        } else {
            "YYYY-MM-DD"
        };
        self.err(
            path,
            format!(
                "`{field}` must be a date written {form} that exists in the calendar, found \"{}\"",
                crate::terminal::escape(s)
            ),
            format!("write the date as {form}, such as \"2024-02-29\""),
        );
        false
    }

    /// A benchmark value on the registry's scale, from `min` to `max` in either order (a
    /// lower-is-better scale may be written best first).
    pub fn on_scale(
        &mut self,
        path: &KeyPath,
        id: &str,
        v: Decimal,
        min: Decimal,
        max: Decimal,
    ) -> bool {
        let (lo, hi) = if min <= max { (min, max) } else { (max, min) };
        if v < lo || v > hi {
            self.err(
                path,
                format!(
                    "`{id}` is {}, outside its scale of {} to {}",
                    v.normalize(),
                    lo.normalize(),
                    hi.normalize()
                ),
                "give the value on the scale the registry records (benchmarks.toml), as the source prints it; a percentage is written 86.4, not 0.864",
            );
            return false;
        }
        true
    }

    /// An id or a name that prints as it reads: no control, bidirectional or invisible
    /// characters (see [`crate::terminal`]), and not blank.
    pub fn name(&mut self, path: &KeyPath, s: &str) -> bool {
        let field = last_key(path);
        if let Some((at, c)) = crate::terminal::hidden_char(s) {
            self.err(
                path,
                format!(
                    "`{field}` \"{}\" holds {} at character {at}",
                    crate::terminal::escape(s),
                    crate::terminal::describe(c)
                ),
                "ids and names are printed in tables and on terminals; remove the character (it may be invisible in an editor)",
            );
            return false;
        }
        true
    }

    /// Hands back the faults in the order they appear in the file, or `Ok` if there were none.
    pub fn finish(mut self) -> Result<(), Vec<Diagnostic>> {
        if self.diags.is_empty() {
            Ok(())
        } else {
            // Checks run field by field and tables iterate in key order; people read top to bottom.
            // File-level faults (no line) come first; the sort is stable within a line.
            let more = self
                .diags
                .split_off(self.diags.len().min(MAX_LOCATED))
                .len();
            self.diags.sort_by_key(|d| (d.line, d.column));
            if more > 0 {
                self.diags.push(
                    Diagnostic::file_level(
                        &self.src.name,
                        format!("{more} more problems in this file are not listed"),
                    )
                    .with_help(format!(
                        "fix the first {MAX_LOCATED} and run `llmplan check` again"
                    )),
                );
            }
            Err(self.diags)
        }
    }
}

/// The last key of a path, for messages.
pub fn last_key(path: &KeyPath) -> String {
    path.0
        .iter()
        .rev()
        .find_map(|s| match s {
            crate::diag::Seg::Key(k) => Some(k.clone()),
            crate::diag::Seg::Index(_) => None,
        })
        .unwrap_or_default()
}

/// Whether `s` is `YYYY-MM-DD` and that day exists (leap years included).
pub fn calendar_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' || !year_month(&s[..7]) {
        return false;
    }
    if !b[8..].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let (year, month, day): (u32, u32, u32) =
        match (s[..4].parse(), s[5..7].parse(), s[8..].parse()) {
            (Ok(y), Ok(m), Ok(d)) => (y, m, d),
            _ => return false,
        };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    (1..=days).contains(&day)
}

/// Whether `s` is `YYYY-MM` with a month from 01 to 12.
pub fn year_month(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 7
        && b[4] == b'-'
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[5..].iter().all(u8::is_ascii_digit)
        && matches!(s[5..].parse::<u32>(), Ok(1..=12))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_must_exist() {
        for ok in ["2024-02-29", "2000-02-29", "2023-12-31", "1999-01-01"] {
            assert!(calendar_date(ok), "{ok}");
        }
        for bad in [
            "2024-02-30",
            "2023-02-29",
            "1900-02-29",
            "2024-13-01",
            "2024-00-10",
            "2024-04-31",
            "2024-1-01",
            "yesterday",
            "2024-01-01T00:00",
            "２０２４-01-01",
        ] {
            assert!(!calendar_date(bad), "{bad}");
        }
        assert!(year_month("2024-12") && !year_month("2024-13") && !year_month("2024-00"));
    }
}

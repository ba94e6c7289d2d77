//! Shared helpers for turning parsed files into validated types while collecting every fault.
//!
//! Validation never stops at the first problem: `llmplan check` reports them all. Each helper
//! records a located diagnostic and returns `None`, so callers can carry on.

use crate::diag::{Diagnostic, KeyPath};
use crate::num::Num;
use crate::source::SourceFile;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

/// Collects faults found in one file.
pub struct Checker<'a> {
    /// The file being checked.
    pub src: &'a SourceFile,
    /// Faults so far.
    pub diags: Vec<Diagnostic>,
}

impl<'a> Checker<'a> {
    /// Starts checking a file.
    pub fn new(src: &'a SourceFile) -> Checker<'a> {
        Checker {
            src,
            diags: Vec::new(),
        }
    }

    /// Records a fault.
    pub fn err(&mut self, path: &KeyPath, message: impl Into<String>, help: impl Into<String>) {
        let help = help.into();
        let mut d = self.src.at(path, message);
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

    /// Hands back the faults in the order they appear in the file, or `Ok` if there were none.
    pub fn finish(mut self) -> Result<(), Vec<Diagnostic>> {
        if self.diags.is_empty() {
            Ok(())
        } else {
            // Checks run field by field and tables iterate in key order; people read top to bottom.
            // File-level faults (no line) come first; the sort is stable within a line.
            self.diags.sort_by_key(|d| (d.line, d.column));
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

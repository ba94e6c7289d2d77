//! Writing sweep rows as they are computed: CSV, JSON Lines, Markdown or an aligned table.
//!
//! Rows are formatted straight into a byte buffer, without building a report first, so a grid of
//! any size streams in constant memory. Everything that does not change from row to row (headers,
//! escaped model ids, axis labels) is prepared once. Money in CSV and JSON is written exactly as
//! [`crate::money::money_string`] writes it (six decimals, half to even, no trailing zeros), by a
//! formatter that works on the integer mantissa; a property test holds the two equal.
//!
//! A JSON Lines row is defined by the typed [`crate::report::sweep::SweepRow`] (whose schema is
//! `llmplan schema sweep-output`); the writer here is proven to write its `serde_json` bytes
//! exactly, on random rows, in `row_proof`.

use super::engine::{Engine, Row, Who};
use super::fixed::POW10;
use crate::money::{format_money, Currency};
use rust_decimal::Decimal;
use std::borrow::Cow;
use std::io::Write;

/// The output styles a sweep streams.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// One header line, then one line per point.
    Csv,
    /// One JSON object per line.
    Jsonl,
    /// A GitHub-flavoured Markdown table.
    Markdown,
    /// Space-aligned columns for people.
    Table,
}

/// Formats rows for one sweep.
pub struct Sink {
    style: Style,
    headers: Vec<String>,
    json_keys: Vec<String>,
    ids: Vec<String>,
    /// Table width of every column.
    widths: Vec<usize>,
    /// Whether each column is right-aligned (numbers).
    right: Vec<bool>,
    currency: Currency,
    horizon: bool,
    mix: bool,
}

/// Caches the text of each model's fit, which rarely changes between rows, and the parts of a CSV
/// row around its cost, which usually repeat from one row to the next.
#[derive(Debug, Default)]
pub struct FitLabels {
    fits: Vec<Option<(Option<Decimal>, String)>>,
    csv: Option<CsvParts>,
}

/// For (winner, fit, runner-up): "winner," and ",fit,runner-up" (with "," when a horizon cost
/// follows).
type CsvParts = ((Who, Option<Decimal>, Option<Who>), Vec<u8>, Vec<u8>);

impl Sink {
    /// Prepares the headers and escaped ids for an engine's grid.
    pub fn new(style: Style, e: &Engine) -> Sink {
        let mut headers: Vec<String> = e.setters.iter().map(|s| s.path.clone()).collect();
        headers.extend(["winner", "monthly_cost", "fit", "runner_up"].map(String::from));
        if e.horizon {
            headers.push("horizon_cost".into());
        }
        if e.mix {
            headers.extend(["mix_monthly_cost", "mix_fit"].map(String::from));
        }
        let json_keys = headers
            .iter()
            .map(|h| format!("{}:", serde_json::Value::String(h.clone())))
            .collect();
        let ids = e
            .cat
            .models
            .iter()
            .map(|m| escape(style, &m.id))
            .collect::<Vec<_>>();
        let id_w = ids.iter().map(String::len).max().unwrap_or(6);
        let mut widths: Vec<usize> = e
            .axes
            .iter()
            .zip(&e.setters)
            .map(|(a, s)| {
                let probe = [0, a.len() / 2, a.len() - 1]
                    .iter()
                    .map(|&i| a.label(i).len())
                    .max()
                    .unwrap_or(1);
                probe.max(s.path.len()).max(8)
            })
            .collect();
        let mut right = vec![true; widths.len()];
        widths.extend([id_w, 14, 5, id_w]);
        right.extend([false, true, true, false]);
        if e.horizon {
            widths.push(16);
            right.push(true);
        }
        if e.mix {
            widths.extend([16, 7]);
            right.extend([true, true]);
        }
        Sink {
            style,
            headers,
            json_keys,
            ids,
            widths,
            right,
            currency: e.base.currency,
            horizon: e.horizon,
            mix: e.mix,
        }
    }

    /// The header: the CSV header line, the Markdown header rows or the table's column names.
    pub fn header(&self, out: &mut Vec<u8>) {
        match self.style {
            Style::Jsonl => {}
            Style::Csv => {
                let line = self
                    .headers
                    .iter()
                    .map(|h| csv_field(h))
                    .collect::<Vec<_>>()
                    .join(",");
                out.extend_from_slice(line.as_bytes());
                out.push(b'\n');
            }
            Style::Markdown => {
                let _ = writeln!(out, "| {} |", self.headers.join(" | "));
                let marks: Vec<&str> = self
                    .right
                    .iter()
                    .map(|&r| if r { "---:" } else { "---" })
                    .collect();
                let _ = writeln!(out, "|{}|", marks.join("|"));
            }
            Style::Table => {
                let cells: Vec<String> = self.headers.clone();
                self.table_line(out, &cells);
            }
        }
    }

    /// One row, at the grid point with these coordinates and values.
    pub fn row(
        &self,
        out: &mut Vec<u8>,
        e: &Engine,
        (coords, values): (&[u64], &[Decimal]),
        row: &Row,
        fits: &mut FitLabels,
    ) {
        let winner = row.winner.as_ref();
        match self.style {
            Style::Csv => {
                for (a, &c) in coords.iter().enumerate() {
                    e.axes[a].push_label_of(c, values[a], out);
                    out.push(b',');
                }
                if let Some(p) = winner {
                    let same = fits.csv.as_ref().is_some_and(|((w, f, r), _, _)| {
                        *w == p.who && *f == p.fit && *r == row.runner_up
                    });
                    if !same {
                        let head = format!("{},", self.id(&p.who)).into_bytes();
                        let mut tail = format!(",{},", fits.get(&p.who, p.fit)).into_bytes();
                        if let Some(r) = &row.runner_up {
                            tail.extend_from_slice(self.id(r).as_bytes());
                        }
                        if self.horizon {
                            tail.push(b',');
                        }
                        let key = (p.who.clone(), p.fit, row.runner_up.clone());
                        fits.csv = Some((key, head, tail));
                    }
                    if let Some((_, head, tail)) = &fits.csv {
                        out.extend_from_slice(head);
                        push_money(out, p.monthly);
                        out.extend_from_slice(tail);
                    }
                    if let Some(h) = row.horizon.filter(|_| self.horizon) {
                        push_money(out, h);
                    }
                } else {
                    out.extend_from_slice(b",,");
                    out.push(b',');
                    if let Some(r) = &row.runner_up {
                        out.extend_from_slice(self.id(r).as_bytes());
                    }
                    if self.horizon {
                        out.push(b',');
                        if let Some(h) = row.horizon {
                            push_money(out, h);
                        }
                    }
                }
                if self.mix {
                    out.push(b',');
                    if let Some(m) = &row.mix {
                        push_money(out, m.monthly_cost);
                        out.push(b',');
                        out.extend_from_slice(fit_text(m.fit).as_bytes());
                    } else {
                        out.push(b',');
                    }
                }
                out.push(b'\n');
            }
            Style::Jsonl => {
                out.push(b'{');
                for (a, &c) in coords.iter().enumerate() {
                    out.extend_from_slice(self.json_keys[a].as_bytes());
                    out.push(b'"');
                    e.axes[a].push_label_of(c, values[a], out);
                    out.extend_from_slice(b"\",");
                }
                let k = coords.len();
                out.extend_from_slice(self.json_keys[k].as_bytes());
                match winner {
                    Some(p) => {
                        out.extend_from_slice(self.id(&p.who).as_bytes());
                        out.push(b',');
                        out.extend_from_slice(self.json_keys[k + 1].as_bytes());
                        out.push(b'"');
                        push_money(out, p.monthly);
                        out.extend_from_slice(b"\",");
                        out.extend_from_slice(self.json_keys[k + 2].as_bytes());
                        match p.fit {
                            Some(_) => {
                                out.push(b'"');
                                out.extend_from_slice(fits.get(&p.who, p.fit).as_bytes());
                                out.push(b'"');
                                if e.fit_is_estimate(&p.who) {
                                    out.extend_from_slice(b",\"fit_estimated\":true");
                                }
                            }
                            None => out.extend_from_slice(b"null"),
                        }
                    }
                    None => {
                        out.extend_from_slice(b"null,");
                        out.extend_from_slice(self.json_keys[k + 1].as_bytes());
                        out.extend_from_slice(b"null,");
                        out.extend_from_slice(self.json_keys[k + 2].as_bytes());
                        out.extend_from_slice(b"null");
                    }
                }
                out.push(b',');
                out.extend_from_slice(self.json_keys[k + 3].as_bytes());
                match &row.runner_up {
                    Some(r) => out.extend_from_slice(self.id(r).as_bytes()),
                    None => out.extend_from_slice(b"null"),
                }
                if self.horizon {
                    out.push(b',');
                    out.extend_from_slice(self.json_keys[k + 4].as_bytes());
                    match row.horizon {
                        Some(h) => {
                            out.push(b'"');
                            push_money(out, h);
                            out.push(b'"');
                        }
                        None => out.extend_from_slice(b"null"),
                    }
                }
                if self.mix {
                    let k = self.headers.len() - 2;
                    let cost = row.mix.as_ref().map(|m| {
                        let mut b = Vec::new();
                        push_money(&mut b, m.monthly_cost);
                        String::from_utf8_lossy(&b).into_owned()
                    });
                    let fit = row
                        .mix
                        .as_ref()
                        .and_then(|m| m.fit)
                        .map(|f| fit_text(Some(f)));
                    for (key, v) in [(k, cost), (k + 1, fit)] {
                        out.push(b',');
                        out.extend_from_slice(self.json_keys[key].as_bytes());
                        match v {
                            Some(v) => {
                                out.push(b'"');
                                out.extend_from_slice(v.as_bytes());
                                out.push(b'"');
                            }
                            None => out.extend_from_slice(b"null"),
                        }
                    }
                }
                out.extend_from_slice(b"}\n");
            }
            Style::Markdown | Style::Table => {
                let mut cells: Vec<String> = coords
                    .iter()
                    .enumerate()
                    .map(|(a, &c)| e.axes[a].label(c).into_owned())
                    .collect();
                match winner {
                    Some(p) => {
                        cells.push(self.id(&p.who).into_owned());
                        cells.push(format_money(p.monthly, self.currency));
                        let mark = if p.fit.is_some() && e.fit_is_estimate(&p.who) {
                            "~"
                        } else {
                            ""
                        };
                        cells.push(
                            p.fit
                                .map_or("—".into(), |f| format!("{mark}{}", fit_one_place(f))),
                        );
                    }
                    None => {
                        cells.extend(["(none qualifies)".to_string(), String::new(), String::new()])
                    }
                }
                cells.push(
                    row.runner_up
                        .as_ref()
                        .map_or(String::new(), |r| self.id(r).into_owned()),
                );
                if self.horizon {
                    cells.push(
                        row.horizon
                            .map_or(String::new(), |h| format_money(h, self.currency)),
                    );
                }
                if self.mix {
                    let m = row.mix.as_ref();
                    cells.push(m.map_or(String::new(), |m| {
                        format_money(m.monthly_cost, self.currency)
                    }));
                    cells.push(m.and_then(|m| m.fit).map_or(String::new(), fit_one_place));
                }
                if self.style == Style::Markdown {
                    let _ = writeln!(out, "| {} |", cells.join(" | "));
                } else {
                    self.table_line(out, &cells);
                }
            }
        }
    }

    /// A candidate's name, escaped for the style.
    fn id<'a>(&'a self, w: &'a Who) -> Cow<'a, str> {
        match w {
            Who::Model(i) => Cow::Borrowed(self.ids[*i].as_str()),
            Who::Named(s) => Cow::Owned(escape(self.style, s)),
        }
    }

    fn table_line(&self, out: &mut Vec<u8>, cells: &[String]) {
        let mut line = String::new();
        for (i, c) in cells.iter().enumerate() {
            let (w, right) = (self.widths[i], self.right[i]);
            let pad = w.saturating_sub(c.chars().count());
            if i > 0 {
                line.push_str("  ");
            }
            if right {
                line.push_str(&" ".repeat(pad));
                line.push_str(c);
            } else {
                line.push_str(c);
                if i + 1 < cells.len() {
                    line.push_str(&" ".repeat(pad));
                }
            }
        }
        out.extend_from_slice(line.trim_end().as_bytes());
        out.push(b'\n');
    }
}

/// A name as the style writes it: quoted JSON, a CSV field, an escaped Markdown cell.
fn escape(style: Style, s: &str) -> String {
    match style {
        Style::Jsonl => serde_json::Value::String(s.to_string()).to_string(),
        Style::Csv => csv_field(s),
        Style::Markdown => s.replace('|', "\\|"),
        Style::Table => s.to_string(),
    }
}

impl FitLabels {
    /// The text of a candidate's fit, as `rank` writes it in CSV and JSON.
    pub fn get(&mut self, who: &Who, fit: Option<Decimal>) -> Cow<'_, str> {
        let text = fit_text;
        let Who::Model(model) = *who else {
            return Cow::Owned(text(fit));
        };
        if self.fits.len() <= model {
            self.fits.resize(model + 1, None);
        }
        let slot = &mut self.fits[model];
        if slot.as_ref().is_none_or(|(f, _)| *f != fit) {
            *slot = Some((fit, text(fit)));
        }
        Cow::Borrowed(slot.as_ref().map_or("", |(_, t)| t.as_str()))
    }
}

/// A fit as CSV and JSON write it, like `rank`: four decimals, trailing zeros removed.
fn fit_text(fit: Option<Decimal>) -> String {
    fit.map_or(String::new(), |v| v.round_dp(4).normalize().to_string())
}

/// A fit as tables write it: one decimal.
fn fit_one_place(f: Decimal) -> String {
    format!("{:.1}", f.round_dp(1))
}

/// Quotes a CSV field when it needs it.
pub fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// Appends `money_string(d)`: six decimals, half to even, trailing zeros removed. Works on the
/// integer mantissa (one division to reach millionths, then `u64` digits), a row's costliest step
/// when done through `Decimal`'s own rounding and `to_string`.
pub fn push_money(out: &mut Vec<u8>, d: Decimal) {
    let (u, s) = (d.mantissa().unsigned_abs(), d.scale());
    // The amount in millionths, rounded half to even.
    let micros = if s > MONEY_DP {
        let k = (s - MONEY_DP) as usize;
        let (q, r) = div_rem(u, k);
        let p = POW10[k];
        if r * 2 > p || (r * 2 == p && q % 2 != 0) {
            q + 1
        } else {
            q
        }
    } else {
        // A mantissa has at most 96 bits, so this cannot overflow.
        u * POW10[(MONEY_DP - s) as usize]
    };
    if micros == 0 {
        out.push(b'0');
        return;
    }
    if d.is_sign_negative() {
        out.push(b'-');
    }
    let mut buf = itoa::Buffer::new();
    let frac = match u64::try_from(micros) {
        Ok(m) => {
            out.extend_from_slice(buf.format(m / 1_000_000).as_bytes());
            m % 1_000_000
        }
        Err(_) => {
            out.extend_from_slice(buf.format(micros / 1_000_000).as_bytes());
            (micros % 1_000_000) as u64
        }
    };
    if frac != 0 {
        // Six digits, two at a time, then the trailing zeros dropped.
        let pair = |n: u64| {
            let n = n as u8;
            [b'0' + n / 10, b'0' + n % 10]
        };
        let (a, b, c) = (
            pair(frac / 10_000),
            pair(frac / 100 % 100),
            pair(frac % 100),
        );
        let digits = [b'.', a[0], a[1], b[0], b[1], c[0], c[1]];
        let mut end = 7;
        while digits[end - 1] == b'0' {
            end -= 1;
        }
        out.extend_from_slice(&digits[..end]);
    }
}

/// u ÷ 10^k and its remainder for a `Decimal` mantissa (below 2^96), without an integer division
/// in the common case: a floating-point quotient below 2^52 is within one of the true one, and an
/// exact multiplication corrects it.
#[inline]
fn div_rem(u: u128, k: usize) -> (u128, u128) {
    let p = POW10[k];
    // Powers of ten up to 10^22 are exact in an f64; even a 64-bit hardware division is slower
    // than this estimate and its correction.
    let estimate = match POW10_F64.get(k) {
        Some(pf) => super::top::to_f64(u as i128) / pf,
        None => f64::INFINITY,
    };
    if estimate < 4e15 {
        let (p, mut q) = (p as i128, i128::from(estimate as i64));
        let mut r = u as i128 - q * p;
        while r < 0 {
            q -= 1;
            r += p;
        }
        while r >= p {
            q += 1;
            r -= p;
        }
        return (q as u128, r as u128);
    }
    (u / p, u % p)
}

/// Decimal places of money in CSV and JSON ([`crate::money::MACHINE_DP`]).
const MONEY_DP: u32 = crate::money::MACHINE_DP;

/// 10^0 to 10^22, the powers of ten an `f64` holds exactly.
const POW10_F64: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::money_string;
    use proptest::prelude::*;

    #[track_caller]
    fn case(d: &str) {
        let d: Decimal = d.parse().unwrap();
        let mut out = Vec::new();
        push_money(&mut out, d);
        assert_eq!(String::from_utf8(out).unwrap(), money_string(d), "{d}");
    }

    #[test]
    fn money_like_money_string() {
        for d in [
            "0",
            "581.25",
            "581.2500",
            "0.0000005",
            "0.0000015",
            "0.0000025",
            "1234.5678915",
            "100",
            "0.1",
            "-12.3",
            "7e3",
        ] {
            case(d);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2048))]

        #[test]
        fn push_money_equals_money_string(
            lo in any::<u32>(), mid in any::<u32>(), hi in prop_oneof![Just(0u32), any::<u32>()],
            negative in any::<bool>(), s in 0u32..=28,
        ) {
            // Any mantissa (96 bits, or 64 as costs usually are) at any scale, either sign.
            let d = Decimal::from_parts(lo, mid, hi, negative, s);
            let mut out = Vec::new();
            push_money(&mut out, d);
            prop_assert_eq!(String::from_utf8(out).unwrap(), money_string(d));
        }

        #[test]
        fn push_money_rounds_halves_to_even_like_money_string(m in 0i64..1_000_000_000_000, s in 7u32..20) {
            // Exactly halfway between two millionths: m.5 millionths, with zeros after.
            let d = Decimal::new(m * 10 + 5, 7) * Decimal::from_i128_with_scale(10i128.pow(s - 7), s - 7);
            let mut out = Vec::new();
            push_money(&mut out, d);
            prop_assert_eq!(String::from_utf8(out).unwrap(), money_string(d));
        }
    }
}

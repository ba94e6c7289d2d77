//! Writing sweep rows as they are computed: CSV, JSON Lines, Markdown or an aligned table.
//!
//! Rows are formatted straight into a byte buffer, without building a report first, so a grid of
//! any size streams in constant memory. Everything that does not change from row to row (headers,
//! escaped model ids, axis labels) is prepared once. Money in CSV and JSON is written exactly as
//! [`crate::money::money_string`] writes it (six decimals, half to even, no trailing zeros), by a
//! formatter that works on the integer mantissa; a property test holds the two equal.

use super::engine::{Engine, Row, Who};
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
    widths: Vec<usize>,
    currency: Currency,
    horizon: bool,
}

/// Caches the text of each model's fit, which rarely changes between rows.
#[derive(Debug, Default)]
pub struct FitLabels(Vec<Option<(Option<Decimal>, String)>>);

impl Sink {
    /// Prepares the headers and escaped ids for an engine's grid.
    pub fn new(style: Style, e: &Engine) -> Sink {
        let mut headers: Vec<String> = e.setters.iter().map(|s| s.path.clone()).collect();
        headers.extend(["winner", "monthly_cost", "fit", "runner_up"].map(String::from));
        if e.horizon {
            headers.push("horizon_cost".into());
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
        widths.extend([id_w, 14, 5, id_w, 16]);
        Sink {
            style,
            headers,
            json_keys,
            ids,
            widths,
            currency: e.base.currency,
            horizon: e.horizon,
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
                let axes = self.headers.len() - 4 - usize::from(self.horizon);
                let marks: Vec<&str> = (0..self.headers.len())
                    .map(|i| {
                        if i < axes || i == axes + 1 || i == axes + 2 || i == axes + 4 {
                            "---:"
                        } else {
                            "---"
                        }
                    })
                    .collect();
                let _ = writeln!(out, "|{}|", marks.join("|"));
            }
            Style::Table => {
                let cells: Vec<String> = self.headers.clone();
                self.table_line(out, &cells);
            }
        }
    }

    /// One row.
    pub fn row(
        &self,
        out: &mut Vec<u8>,
        e: &Engine,
        coords: &[u64],
        row: &Row,
        fits: &mut FitLabels,
    ) {
        let winner = row.winner.as_ref();
        match self.style {
            Style::Csv => {
                for (a, &c) in coords.iter().enumerate() {
                    out.extend_from_slice(e.axes[a].label(c).as_bytes());
                    out.push(b',');
                }
                if let Some(p) = winner {
                    out.extend_from_slice(self.id(&p.who).as_bytes());
                    out.push(b',');
                    push_money(out, p.monthly);
                    out.push(b',');
                    out.extend_from_slice(fits.get(&p.who, p.fit).as_bytes());
                } else {
                    out.extend_from_slice(b",,");
                }
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
                out.push(b'\n');
            }
            Style::Jsonl => {
                out.push(b'{');
                for (a, &c) in coords.iter().enumerate() {
                    out.extend_from_slice(self.json_keys[a].as_bytes());
                    out.push(b'"');
                    out.extend_from_slice(e.axes[a].label(c).as_bytes());
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
                        cells.push(
                            p.fit
                                .map_or("—".into(), |f| format!("{:.1}", f.round_dp(1))),
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
        let axes = self.headers.len() - 4 - usize::from(self.horizon);
        let mut line = String::new();
        for (i, c) in cells.iter().enumerate() {
            let w = if i < axes {
                self.widths[i]
            } else {
                self.widths[axes + (i - axes).min(4)]
            };
            let right = i < axes || i == axes + 1 || i == axes + 2 || i == axes + 4;
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
        let text =
            |f: Option<Decimal>| f.map_or(String::new(), |v| v.round_dp(4).normalize().to_string());
        let Who::Model(model) = *who else {
            return Cow::Owned(text(fit));
        };
        if self.0.len() <= model {
            self.0.resize(model + 1, None);
        }
        let slot = &mut self.0[model];
        if slot.as_ref().is_none_or(|(f, _)| *f != fit) {
            *slot = Some((fit, text(fit)));
        }
        Cow::Borrowed(slot.as_ref().map_or("", |(_, t)| t.as_str()))
    }
}

/// Quotes a CSV field when it needs it.
pub fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// Appends `money_string(d)`: six decimals, half to even, trailing zeros removed.
pub fn push_money(out: &mut Vec<u8>, d: Decimal) {
    let (mut u, s) = (d.mantissa().unsigned_abs(), d.scale());
    if s > 6 {
        let p = 10u128.pow(s - 6);
        let (q, r) = (u / p, u % p);
        u = q;
        if r * 2 > p || (r * 2 == p && q % 2 != 0) {
            u += 1;
        }
    }
    let mut scale = s.min(6);
    while scale > 0 && u % 10 == 0 {
        u /= 10;
        scale -= 1;
    }
    if u == 0 {
        out.push(b'0');
        return;
    }
    if d.is_sign_negative() {
        out.push(b'-');
    }
    let mut digits = [0u8; 40];
    let mut n = 0;
    while u > 0 {
        digits[n] = b'0' + (u % 10) as u8;
        u /= 10;
        n += 1;
    }
    let scale = scale as usize;
    if n <= scale {
        out.extend_from_slice(b"0.");
        out.extend(std::iter::repeat_n(b'0', scale - n));
        out.extend(digits[..n].iter().rev());
    } else {
        out.extend(digits[scale..n].iter().rev());
        if scale > 0 {
            out.push(b'.');
            out.extend(digits[..scale].iter().rev());
        }
    }
}

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
        #[test]
        fn push_money_equals_money_string(m in 0i64..i64::MAX, s in 0u32..20) {
            let d = Decimal::new(m, s);
            let mut out = Vec::new();
            push_money(&mut out, d);
            prop_assert_eq!(String::from_utf8(out).unwrap(), money_string(d));
        }
    }
}

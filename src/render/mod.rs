//! Reports and their renderers.
//!
//! A command builds a [`Doc`]: the JSON value scripts read, plus the same facts as titled tables
//! for people. Each output format renders any `Doc` in its own file; commands never print.

mod csv;
pub mod deferred;
mod markdown;
mod table;
pub mod width;

use crate::error::Result;
use crate::money::{format_money, money_string, Currency};
use rust_decimal::Decimal;
use std::borrow::Cow;
use std::fmt;
use std::rc::Rc;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// Aligned tables for people.
    #[default]
    Table,
    /// JSON for scripts; shapes are a stable contract.
    Json,
    /// CSV of the main table.
    Csv,
    /// GitHub-flavoured Markdown tables.
    Markdown,
    /// JSON Lines: one compact JSON value per line (`sweep` streams one object per grid point).
    Jsonl,
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::Table => "table",
            Format::Json => "json",
            Format::Csv => "csv",
            Format::Markdown => "markdown",
            Format::Jsonl => "jsonl",
        })
    }
}

/// A table cell: what people read and what machines read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    /// For tables and Markdown: `$1,234.56`.
    pub text: String,
    /// For CSV: `1234.56`.
    pub raw: String,
}

impl Cell {
    /// The same text for both.
    pub fn plain(s: impl Into<String>) -> Cell {
        let s = s.into();
        Cell {
            raw: s.clone(),
            text: s,
        }
    }

    /// Money.
    pub fn money(amount: Decimal, currency: Currency) -> Cell {
        Cell {
            text: format_money(amount, currency),
            raw: money_string(amount),
        }
    }

    /// A score shown with one decimal.
    pub fn score(v: Option<Decimal>) -> Cell {
        match v {
            Some(v) => Cell {
                text: format!("{:.1}", v.round_dp(1)),
                raw: v.round_dp(4).normalize().to_string(),
            },
            None => Cell {
                text: "—".into(),
                raw: String::new(),
            },
        }
    }

    /// A whole count with thousands separators.
    pub fn count(v: Decimal) -> Cell {
        Cell {
            text: crate::money::grouped_int(v),
            raw: v.normalize().to_string(),
        }
    }
}

/// What a section's rows are handed to, one at a time.
pub type RowSink<'a> = dyn FnMut(Vec<Cell>) + 'a;

/// A section's rows made when it is rendered rather than held: a table of one row per workload
/// would otherwise hold every row of a scenario of many workloads at once. Each call of
/// [`LazyRows::each`] makes the same rows again, in order; a renderer may call it twice, once to
/// measure the columns and once to write them.
#[derive(Clone)]
pub struct LazyRows(Rc<MakeRows>);

/// What makes a section's lazy rows.
type MakeRows = dyn Fn(&mut RowSink<'_>) -> Result<()>;

impl LazyRows {
    /// Rows made by `make`, which hands each to the sink it is given.
    pub fn new(make: impl Fn(&mut RowSink<'_>) -> Result<()> + 'static) -> LazyRows {
        LazyRows(Rc::new(make))
    }

    /// Makes every row, in order, handing each to `sink`.
    pub fn each(&self, sink: &mut RowSink<'_>) -> Result<()> {
        (self.0)(sink)
    }

    /// These rows with only the columns at `keep`, in that order.
    fn pick(&self, keep: Vec<usize>) -> LazyRows {
        let rows = self.clone();
        LazyRows::new(move |sink| {
            rows.each(&mut |r| sink(keep.iter().filter_map(|i| r.get(*i).cloned()).collect()))
        })
    }
}

impl fmt::Debug for LazyRows {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("LazyRows")
    }
}

/// One titled table.
#[derive(Debug, Clone, Default)]
pub struct Section {
    /// Shown above the table.
    pub title: Option<String>,
    /// Column names.
    pub headers: Vec<String>,
    /// Which columns are right-aligned (numbers).
    pub right: Vec<bool>,
    /// The rows.
    pub rows: Vec<Vec<Cell>>,
    /// The CSV header, one machine name per column, fixed whatever the scenario
    /// ([`crate::csv_contract`]); empty to use `headers`.
    pub keys: Vec<String>,
    /// Columns left out of tables and Markdown (CSV keeps every column).
    pub hidden: Vec<bool>,
    /// Columns a narrow terminal may leave out, least important first ([`width`]).
    pub drop_order: Vec<usize>,
    /// Rows made when the section is rendered, after `rows` ([`LazyRows`]).
    pub lazy: Option<LazyRows>,
}

impl Section {
    /// A table with the given columns; a header starting with '>' is right-aligned.
    pub fn new(title: Option<String>, headers: &[&str]) -> Section {
        Section {
            title,
            right: headers.iter().map(|h| h.starts_with('>')).collect(),
            headers: headers
                .iter()
                .map(|h| h.trim_start_matches('>').to_string())
                .collect(),
            rows: Vec::new(),
            keys: Vec::new(),
            hidden: vec![false; headers.len()],
            drop_order: Vec::new(),
            lazy: None,
        }
    }

    /// Sets the CSV header: the command's fixed contract, one key per column.
    pub fn with_keys(mut self, keys: &[&str]) -> Section {
        debug_assert_eq!(keys.len(), self.headers.len(), "one CSV key per column");
        self.keys = keys.iter().map(|k| k.to_string()).collect();
        self
    }

    /// Hides the column named `header` from tables and Markdown; CSV keeps it.
    pub fn hide(&mut self, header: &str) {
        if let Some(i) = self.headers.iter().position(|h| h == header) {
            self.hidden[i] = true;
        }
    }

    /// Marks columns a narrow terminal may leave out, least important first.
    pub fn droppable(mut self, headers: &[&str]) -> Section {
        self.drop_order = headers
            .iter()
            .filter_map(|h| self.headers.iter().position(|x| x == h))
            .collect();
        self
    }

    /// The section as people see it: hidden columns removed.
    pub fn visible(&self) -> Section {
        if !self.hidden.iter().any(|h| *h) {
            return self.clone();
        }
        let keep: Vec<usize> = (0..self.headers.len())
            .filter(|i| !self.hidden.get(*i).copied().unwrap_or(false))
            .collect();
        let pick = |v: &Vec<String>| keep.iter().filter_map(|i| v.get(*i).cloned()).collect();
        Section {
            title: self.title.clone(),
            headers: pick(&self.headers),
            right: keep.iter().map(|i| self.right[*i]).collect(),
            rows: self
                .rows
                .iter()
                .map(|r| keep.iter().filter_map(|i| r.get(*i).cloned()).collect())
                .collect(),
            keys: pick(&self.keys),
            hidden: vec![false; keep.len()],
            drop_order: self
                .drop_order
                .iter()
                .filter_map(|d| keep.iter().position(|k| k == d))
                .collect(),
            lazy: self.lazy.as_ref().map(|l| l.pick(keep.clone())),
        }
    }

    /// Makes the section's lazy rows and holds them with the others.
    pub fn materialize(&mut self) -> Result<()> {
        if let Some(lazy) = self.lazy.take() {
            let rows = &mut self.rows;
            lazy.each(&mut |r| rows.push(r))?;
        }
        Ok(())
    }
}

/// A report ready to render.
#[derive(Debug, Clone, Default)]
pub struct Doc {
    /// What `--format json` prints.
    pub json: serde_json::Value,
    /// What the other formats print; CSV prints only the first.
    pub sections: Vec<Section>,
    /// Lines printed after the tables: explanations of the numbers.
    pub notes: Vec<String>,
}

impl Doc {
    /// The report with every section's lazy rows made and held ([`Section::materialize`]).
    pub fn materialized(&self) -> Result<Cow<'_, Doc>> {
        if self.sections.iter().all(|s| s.lazy.is_none()) {
            return Ok(Cow::Borrowed(self));
        }
        let mut doc = self.clone();
        for s in &mut doc.sections {
            s.materialize()?;
        }
        Ok(Cow::Owned(doc))
    }
}

/// Renders a report without colour.
pub fn render(doc: &Doc, format: Format) -> Result<String> {
    render_styled(doc, format, false)
}

/// Renders a report; `colour` adds terminal colour to tables (never to the other formats, which
/// are read by programs).
pub fn render_styled(doc: &Doc, format: Format, colour: bool) -> Result<String> {
    render_fitted(doc, format, colour, None)
}

/// Renders a report; tables and notes fit `width` columns when it is given ([`width`]). An error is
/// one of making a section's lazy rows.
pub fn render_fitted(
    doc: &Doc,
    format: Format,
    colour: bool,
    width: Option<usize>,
) -> Result<String> {
    Ok(match format {
        Format::Table => table::render(doc, colour, width)?,
        Format::Json => {
            deferred::to_string(&doc.json, &[], true).unwrap_or_else(|_| "null\n".into())
        }
        Format::Csv => csv::render(doc)?,
        Format::Markdown => markdown::render(doc)?,
        Format::Jsonl => {
            deferred::to_string(&doc.json, &[], false).unwrap_or_else(|_| "null\n".into())
        }
    })
}

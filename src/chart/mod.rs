//! Charts as SVG, for people who would rather look than read.
//!
//! Drawn with plotters' SVG backend, whose text is plain `<text>` elements: no font files are
//! read and the viewer's own sans-serif is used. Money stays `Decimal` everywhere else; here it
//! becomes `f64` only to choose a pixel. Every amount printed on a chart is formatted from an exact
//! `Decimal`: a point's own amount, or a money axis's tick ([`MoneyTicks`]), which is an exact
//! 1, 2 or 5 times a power of ten.

pub mod fan;
pub mod labels;
pub mod scatter;
pub mod sweep;

use crate::error::Error;
use crate::money::{format_money, Currency};
use plotters::style::RGBColor;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

/// Colour-blind-safe series colours (Okabe and Ito), in the order series get them.
pub const PALETTE: [RGBColor; 8] = [
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(86, 180, 233),
    RGBColor(230, 159, 0),
    RGBColor(0, 0, 0),
    RGBColor(240, 228, 66),
];

/// Ink for text and axes.
pub const INK: RGBColor = RGBColor(40, 40, 40);
/// Quiet grey for grid lines and secondary marks.
pub const GREY: RGBColor = RGBColor(150, 150, 150);

/// A pixel position for an amount; never used for arithmetic on money.
pub fn position(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

/// A compact money label: `$1,000`, `$2.50`, `$0.05`.
pub fn money_tick(d: Decimal, currency: Currency) -> String {
    let rounded = if d >= Decimal::ONE {
        d.round_dp(2)
    } else {
        d.round_sf(2).unwrap_or(d)
    };
    let text = format_money(rounded, currency);
    text.strip_suffix(".00").map(str::to_string).unwrap_or(text)
}

/// Ticks for a log axis: 1, 2 and 5 times each power of ten inside `lo..=hi`, or every power of
/// ten when that would crowd the axis; each with where it is drawn and, when a `Decimal` holds it,
/// the exact value it stands for.
fn ticks_125(lo: f64, hi: f64) -> Vec<(f64, Option<Decimal>)> {
    if !(lo > 0.0 && hi > lo) {
        return vec![(lo, None), (hi, None)];
    }
    let first = lo.log10().floor() as i32;
    let last = hi.log10().ceil() as i32;
    let steps: &[i64] = if last - first > 4 { &[1] } else { &[1, 2, 5] };
    let mut out = Vec::new();
    for e in first..=last {
        for &m in steps {
            let v = m as f64 * 10f64.powi(e);
            if v >= lo && v <= hi {
                out.push((v, exact_tick(m, e)));
            }
        }
    }
    out
}

/// m × 10^e as an exact `Decimal`, when one holds it.
fn exact_tick(m: i64, e: i32) -> Option<Decimal> {
    if e >= 0 {
        Decimal::from(m).checked_mul(Decimal::from_i128_with_scale(
            10i128.checked_pow(e as u32)?,
            0,
        ))
    } else {
        Decimal::try_from_i128_with_scale(i128::from(m), e.unsigned_abs()).ok()
    }
}

/// Where the ticks of a log axis are drawn: [`ticks_125`]'s positions.
pub fn log_ticks(lo: f64, hi: f64) -> Vec<f64> {
    ticks_125(lo, hi).into_iter().map(|(at, _)| at).collect()
}

/// The ticks of a log money axis: where each is drawn, and the exact amount it is labelled with.
pub struct MoneyTicks {
    ticks: Vec<(f64, Option<Decimal>)>,
    currency: Currency,
}

impl MoneyTicks {
    /// The 1-2-5 ticks inside the axis range `lo..=hi` ([`log_ticks`]). The range is in drawing
    /// coordinates, as plotters hands it over; each tick's label is its own exact `Decimal`, never
    /// a float turned back into an amount.
    pub fn new(lo: f64, hi: f64, currency: Currency) -> MoneyTicks {
        MoneyTicks {
            ticks: ticks_125(lo, hi),
            currency,
        }
    }

    /// Where the ticks are drawn.
    pub fn positions(&self) -> Vec<f64> {
        self.ticks.iter().map(|(at, _)| *at).collect()
    }

    /// The label of the tick drawn at `at`: the exact amount of that tick (the nearest one, should
    /// the axis hand back a position not quite its own), or nothing for an axis too narrow for
    /// 1-2-5 ticks.
    pub fn label(&self, at: f64) -> String {
        let distance = |t: f64| (t.ln() - at.ln()).abs();
        self.ticks
            .iter()
            .min_by(|a, b| distance(a.0).total_cmp(&distance(b.0)))
            .and_then(|(_, d)| *d)
            .map_or_else(String::new, |d| money_tick(d, self.currency))
    }
}

/// Renders a chart of `size` pixels into an SVG document with `draw`.
fn render_svg(
    size: (u32, u32),
    draw: impl FnOnce(
        &plotters::drawing::DrawingArea<plotters::prelude::SVGBackend, plotters::coord::Shift>,
    ) -> crate::error::Result<()>,
) -> crate::error::Result<String> {
    use plotters::prelude::*;
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, size).into_drawing_area();
        root.fill(&WHITE).map_err(fail)?;
        draw(&root)?;
        root.present().map_err(fail)?;
    }
    Ok(out)
}

/// The charts' text style at `size` points, regular or bold.
fn text_style(size: f64, bold: bool) -> plotters::style::TextStyle<'static> {
    use plotters::prelude::*;
    let font = if bold {
        ("sans-serif", size, FontStyle::Bold).into_font()
    } else {
        ("sans-serif", size).into_font()
    };
    font.color(&INK)
}

/// Draws a grey note at the left of a chart `height` pixels tall, `line` lines up from the bottom
/// (0 for the last line): the footnotes every chart ends with.
fn footnote(
    root: &plotters::drawing::DrawingArea<plotters::prelude::SVGBackend, plotters::coord::Shift>,
    text: String,
    size: f64,
    height: u32,
    line: usize,
) -> crate::error::Result<()> {
    use plotters::prelude::*;
    use plotters::style::text_anchor::{HPos, Pos, VPos};
    root.draw(&Text::new(
        text,
        (20, height as i32 - 8 - 17 * line as i32),
        text_style(size, false)
            .color(&GREY)
            .pos(Pos::new(HPos::Left, VPos::Bottom)),
    ))
    .map_err(fail)
}

/// The house style of a chart's grid and axes: tick labels at `size`, axis titles a size larger,
/// no minor grid lines, faint major ones and dark axes. The one definition the scatter, sweep and
/// fan charts share.
fn house_mesh<'a, 'b, 'm, X, Y, DB>(
    mesh: &'m mut plotters::chart::MeshStyle<'a, 'b, X, Y, DB>,
    size: f64,
) -> &'m mut plotters::chart::MeshStyle<'a, 'b, X, Y, DB>
where
    X: plotters::coord::ranged1d::Ranged,
    Y: plotters::coord::ranged1d::Ranged,
    DB: plotters::prelude::DrawingBackend,
{
    use plotters::style::{Color, WHITE};
    mesh.label_style(text_style(size, false))
        .axis_desc_style(text_style(size + 1.0, false))
        .light_line_style(WHITE)
        .bold_line_style(GREY.mix(0.25))
        .axis_style(INK.mix(0.8))
}

fn fail<E: std::fmt::Debug>(e: E) -> Error {
    Error::Output(format!("drawing the chart: {e:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_ticks_follow_one_two_five() {
        assert_eq!(
            log_ticks(300.0, 40_000.0),
            vec![500.0, 1000.0, 2000.0, 5000.0, 10_000.0, 20_000.0]
        );
        assert_eq!(
            log_ticks(0.5, 2_000_000.0),
            vec![1.0, 10.0, 100.0, 1000.0, 10_000.0, 100_000.0, 1_000_000.0]
        );
    }

    #[test]
    fn ticks_print_as_money() {
        let d = |s: &str| s.parse::<Decimal>().expect("decimal");
        assert_eq!(money_tick(d("1000"), Currency::USD), "$1,000");
        assert_eq!(money_tick(d("2.5"), Currency::USD), "$2.50");
        assert_eq!(money_tick(d("0.05"), Currency::USD), "$0.05");
    }

    #[test]
    fn money_ticks_are_labelled_with_exact_amounts() {
        let d = |s: &str| s.parse::<Decimal>().expect("decimal");
        let t = MoneyTicks::new(0.03, 600.0, Currency::USD);
        // The positions are log_ticks' own.
        assert_eq!(t.positions(), log_ticks(0.03, 600.0));
        // Each label is the exact amount of its tick: 0.05 as a float is 0.05000000000000000277.
        let labels: Vec<String> = t.positions().iter().map(|p| t.label(*p)).collect();
        assert_eq!(labels, ["$0.10", "$1", "$10", "$100"]);
        let t = MoneyTicks::new(0.03, 0.6, Currency::USD);
        let labels: Vec<String> = t.positions().iter().map(|p| t.label(*p)).collect();
        assert_eq!(labels, ["$0.05", "$0.10", "$0.20", "$0.50"]);
        assert_eq!(exact_tick(5, -2), Some(d("0.05")));
        assert_eq!(exact_tick(2, 3), Some(d("2000")));
        // A position between ticks takes the nearest tick's label.
        assert_eq!(t.label(0.11), "$0.10");
    }
}

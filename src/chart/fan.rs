//! The fan chart of a forecast: each top model's monthly spend over the horizon, its median as a
//! line and its P10–P90 band shaded, on a log axis so that models ten times apart stay readable.

use super::{fail, MoneyTicks, PALETTE};
use crate::error::Result;
use crate::money::Currency;
use plotters::coord::combinators::BindKeyPoints;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// One model's band.
#[derive(Debug, Clone, PartialEq)]
pub struct Band {
    /// The label, usually the model id.
    pub label: String,
    /// [P10, P50, P90] of each month's spend, month 1 first.
    pub months: Vec<[f64; 3]>,
}

/// What to draw.
#[derive(Debug, Clone)]
pub struct FanChart {
    /// Shown at the top.
    pub title: String,
    /// Currency of the amounts.
    pub currency: Currency,
    /// The models, best first.
    pub bands: Vec<Band>,
    /// Shown at the bottom: trials, seed, what the band means.
    pub footnote: String,
}

const SIZE: (u32, u32) = (1000, 640);
const FONT: f64 = 15.0;

/// Draws the chart as an SVG document.
pub fn svg(chart: &FanChart) -> Result<String> {
    super::render_svg(SIZE, |root| draw(root, chart))
}

fn draw(root: &DrawingArea<SVGBackend, Shift>, c: &FanChart) -> Result<()> {
    let font = |size: f64| super::text_style(size, false);
    root.draw(&Text::new(
        c.title.clone(),
        (20, 14),
        super::text_style(20.0, true),
    ))
    .map_err(fail)?;
    let months = c
        .bands
        .iter()
        .map(|b| b.months.len())
        .max()
        .unwrap_or(1)
        .max(2);
    let values: Vec<f64> = c
        .bands
        .iter()
        .flat_map(|b| b.months.iter().flat_map(|m| m.iter().copied()))
        .filter(|v| *v > 0.0 && v.is_finite())
        .collect();
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().copied().fold(0.0_f64, f64::max);
    let (lo, hi) = if values.is_empty() {
        (1.0, 10.0)
    } else {
        (lo / 1.3, hi * 1.3)
    };
    // The legend: one swatch a model, in its colour.
    let mut x = 26;
    for (i, b) in c.bands.iter().enumerate() {
        let colour = PALETTE[i % PALETTE.len()];
        root.draw(&Rectangle::new(
            [(x, 40), (x + 18, 52)],
            colour.mix(0.35).filled(),
        ))
        .map_err(fail)?;
        root.draw(&PathElement::new(
            vec![(x, 46), (x + 18, 46)],
            colour.stroke_width(2),
        ))
        .map_err(fail)?;
        root.draw(&Text::new(
            b.label.clone(),
            (x + 24, 46),
            font(FONT).pos(Pos::new(HPos::Left, VPos::Center)),
        ))
        .map_err(fail)?;
        x += 24 + (b.label.chars().count() as f64 * FONT / 1.24 * 0.55) as i32 + 26;
    }
    let area = root.margin(64, 36, 20, 20);
    let ticks = MoneyTicks::new(lo, hi, c.currency);
    let mut chart = ChartBuilder::on(&area)
        .x_label_area_size(44)
        .y_label_area_size(76)
        .build_cartesian_2d(
            1f64..months as f64,
            (lo..hi).log_scale().with_key_points(ticks.positions()),
        )
        .map_err(fail)?;
    let currency = c.currency;
    let y_fmt = |v: &f64| ticks.label(*v);
    let x_fmt = |v: &f64| format!("{v:.0}");
    super::house_mesh(
        chart
            .configure_mesh()
            .x_desc("month of the horizon")
            .y_desc(format!("monthly spend ({currency}, log scale)"))
            .x_label_formatter(&x_fmt)
            .y_label_formatter(&y_fmt),
        FONT,
    )
    .draw()
    .map_err(fail)?;
    for (i, b) in c.bands.iter().enumerate() {
        let colour = PALETTE[i % PALETTE.len()];
        let at = |k: usize, j: usize| ((k + 1) as f64, b.months[k][j].max(lo));
        let mut outline: Vec<(f64, f64)> = (0..b.months.len()).map(|k| at(k, 2)).collect();
        outline.extend((0..b.months.len()).rev().map(|k| at(k, 0)));
        chart
            .draw_series(std::iter::once(Polygon::new(
                outline,
                colour.mix(0.18).filled(),
            )))
            .map_err(fail)?;
        chart
            .draw_series(LineSeries::new(
                (0..b.months.len()).map(|k| at(k, 1)),
                colour.stroke_width(2),
            ))
            .map_err(fail)?;
    }
    super::footnote(root, c.footnote.clone(), FONT - 2.0, SIZE.1, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_model_gets_a_band_a_median_and_a_legend_entry() {
        let band = |label: &str, base: f64| Band {
            label: label.into(),
            months: (0..12)
                .map(|k| {
                    let m = base * 1.05_f64.powi(k);
                    [m * 0.7, m, m * 1.5]
                })
                .collect(),
        };
        let svg = svg(&FanChart {
            title: "fan & co".into(),
            currency: Currency::USD,
            bands: vec![band("a/one", 100.0), band("b/two", 1000.0)],
            footnote: "P10–P90 of 10 trials".into(),
        })
        .unwrap();
        assert!(svg.starts_with("<svg"));
        for l in ["a/one", "b/two", "fan &amp; co", "P10–P90 of 10 trials"] {
            assert!(svg.lines().any(|line| line.trim() == l), "{l} missing");
        }
        // One band polygon per model, each of 12 upper and 12 lower points.
        assert_eq!(svg.matches("<polygon").count(), 2, "{svg}");
        // Each model's colour strokes two lines: its legend swatch and its median.
        for colour in ["#0072B2", "#D55E00"] {
            let lines = svg
                .lines()
                .filter(|l| l.contains("<polyline") && l.contains(colour))
                .count();
            assert_eq!(lines, 2, "{colour}");
        }
    }
}

//! Line charts as SVG, for `llmplan breakeven --plot`.
//!
//! Values arrive as exact decimals and are turned into floating point here only to place pixels;
//! nothing drawn is ever fed back into a calculation.

use crate::error::{Error, Result};
use plotters::prelude::*;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

/// One named line.
#[derive(Debug, Clone)]
pub struct Line {
    /// Legend text.
    pub name: String,
    /// Points in drawing order.
    pub points: Vec<(Decimal, Decimal)>,
}

/// A chart: lines over shared axes, and an optional vertical marker.
#[derive(Debug, Clone)]
pub struct Chart {
    /// Title.
    pub title: String,
    /// Horizontal axis description.
    pub x_label: String,
    /// Vertical axis description.
    pub y_label: String,
    /// The lines; the first is drawn in blue, the second in red, then the rest.
    pub lines: Vec<Line>,
    /// A vertical line at this x, with its legend text.
    pub marker: Option<(Decimal, String)>,
}

fn text(e: impl std::fmt::Display) -> String {
    e.to_string()
}

fn px(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

/// Renders the chart as an SVG document.
pub fn svg(c: &Chart) -> Result<String> {
    let mut out = String::new();
    draw(c, &mut out).map_err(|e| Error::Output(format!("drawing the chart: {e}")))?;
    Ok(out)
}

fn draw(c: &Chart, out: &mut String) -> std::result::Result<(), String> {
    let xs = c
        .lines
        .iter()
        .flat_map(|l| l.points.iter().map(|p| px(p.0)))
        .chain(c.marker.iter().map(|m| px(m.0)));
    let x_max = xs.fold(1.0, f64::max);
    let y_max = c
        .lines
        .iter()
        .flat_map(|l| l.points.iter().map(|p| px(p.1)))
        .fold(1.0, f64::max)
        * 1.05;
    let root = SVGBackend::with_string(out, (960, 560)).into_drawing_area();
    root.fill(&WHITE).map_err(text)?;
    let mut chart = ChartBuilder::on(&root)
        .caption(&c.title, ("sans-serif", 20))
        .margin(20)
        .x_label_area_size(50)
        .y_label_area_size(90)
        .build_cartesian_2d(0.0..x_max, 0.0..y_max)
        .map_err(text)?;
    chart
        .configure_mesh()
        .x_desc(&c.x_label)
        .y_desc(&c.y_label)
        .draw()
        .map_err(text)?;
    let palette = [BLUE, RED, GREEN, MAGENTA, CYAN];
    for (i, l) in c.lines.iter().enumerate() {
        let colour = palette[i % palette.len()];
        chart
            .draw_series(LineSeries::new(
                l.points.iter().map(|p| (px(p.0), px(p.1))),
                colour.stroke_width(2),
            ))
            .map_err(text)?
            .label(l.name.as_str())
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 20, y)], colour.stroke_width(2))
            });
    }
    if let Some((at, name)) = &c.marker {
        let x = px(*at);
        chart
            .draw_series(LineSeries::new(
                vec![(x, 0.0), (x, y_max)],
                BLACK.stroke_width(1),
            ))
            .map_err(text)?
            .label(name.as_str())
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], BLACK));
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK)
        .draw()
        .map_err(text)?;
    root.present().map_err(text)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_lines_legends_and_marker() {
        let c = Chart {
            title: "t".into(),
            x_label: "x".into(),
            y_label: "y".into(),
            lines: vec![Line {
                name: "api".into(),
                points: vec![(Decimal::ZERO, Decimal::ZERO), (Decimal::TEN, Decimal::TEN)],
            }],
            marker: Some((Decimal::from(5), "break-even".into())),
        };
        let s = svg(&c).unwrap();
        assert!(s.starts_with("<svg"), "{}", &s[..40]);
        // plotters writes each text element's content on its own line.
        assert!(
            s.contains("\napi\n</text>") && s.contains("\nbreak-even\n</text>"),
            "{s}"
        );
        assert!(s.matches("<polyline").count() >= 2);
    }
}

//! The cost-versus-fit scatter of a ranking: every eligible model at its monthly cost (log axis)
//! and fit, labelled, with the Pareto front (nothing else both cheaper and better) drawn as a line.

use super::labels::{self, Rect};
use super::{fail, position, MoneyTicks, GREY, PALETTE};
use crate::error::Result;
use crate::money::{format_money, Currency};
use plotters::coord::combinators::BindKeyPoints;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use rust_decimal::Decimal;

/// One model on the chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    /// The label, usually the model id.
    pub label: String,
    /// Monthly cost.
    pub cost: Decimal,
    /// Fit 0–100, if the model could be scored.
    pub fit: Option<Decimal>,
    /// On the Pareto front.
    pub pareto: bool,
    /// For a fit that includes estimates: about one standard error below and above, drawn as a
    /// bar through the marker.
    pub band: Option<(Decimal, Decimal)>,
}

/// What to draw.
#[derive(Debug, Clone)]
pub struct Scatter {
    /// Shown at the top.
    pub title: String,
    /// Currency of the costs.
    pub currency: Currency,
    /// The models.
    pub points: Vec<Point>,
}

const SIZE: (u32, u32) = (1000, 640);
const FONT: f64 = 15.0; // plotters size; the SVG says font-size FONT / 1.24 ≈ 12px
const FONT_PX: f64 = FONT / 1.24;
const NO_FIT_Y: f64 = -6.0;

/// Draws the chart as an SVG document.
pub fn svg(chart: &Scatter) -> Result<String> {
    super::render_svg(SIZE, |root| draw(root, chart))
}

fn draw(root: &DrawingArea<SVGBackend, Shift>, c: &Scatter) -> Result<()> {
    let font = |size: f64| super::text_style(size, false);
    let bold = |size: f64| super::text_style(size, true);
    root.draw(&Text::new(c.title.clone(), (20, 14), bold(20.0)))
        .map_err(fail)?;
    let legend_at = |x: i32| (x, 46);
    let mid = Pos::new(HPos::Left, VPos::Center);
    root.draw(&Circle::new(legend_at(26), 5, PALETTE[1].filled()))
        .map_err(fail)?;
    let front_text = "on the Pareto front: nothing else is both cheaper and a better fit";
    root.draw(&Text::new(front_text, legend_at(38), font(FONT).pos(mid)))
        .map_err(fail)?;
    // The legend is not crowded, so an average glyph width (not the safe 0.6 em) spaces it.
    let next = 38 + (front_text.chars().count() as f64 * FONT_PX * 0.52) as i32 + 28;
    root.draw(&Circle::new(legend_at(next), 5, PALETTE[0].stroke_width(2)))
        .map_err(fail)?;
    let other = "other eligible models";
    root.draw(&Text::new(other, legend_at(next + 12), font(FONT).pos(mid)))
        .map_err(fail)?;
    if c.points.iter().any(|p| p.band.is_some()) {
        let at = next + 12 + (other.chars().count() as f64 * FONT_PX * 0.52) as i32 + 28;
        root.draw(&PathElement::new(
            vec![(at, 46 - 7), (at, 46 + 7)],
            GREY.stroke_width(2),
        ))
        .map_err(fail)?;
        root.draw(&Text::new(
            "~ estimated fit, bar ±1 standard error",
            legend_at(at + 10),
            font(FONT).pos(mid),
        ))
        .map_err(fail)?;
    }

    // Where each point sits on the log cost axis: floating point for drawing only; the labels
    // print the exact `Decimal` amounts.
    let positions: Vec<f64> = c
        .points
        .iter()
        .map(|p| position(p.cost))
        .filter(|v| *v > 0.0)
        .collect();
    let lo = positions.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = positions.iter().copied().fold(0.0_f64, f64::max);
    let (lo, hi) = if positions.is_empty() {
        (1.0, 10.0)
    } else if hi / lo < 10.0 {
        (lo / 3.0, hi * 3.0)
    } else {
        (lo / 1.8, hi * 1.8)
    };
    let any_unscored = c.points.iter().any(|p| p.fit.is_none());
    // A little room below 0, so that markers at fit 0 sit clear of the axis.
    let y_lo = if any_unscored { -12.0 } else { -4.0 };
    let area = root.margin(64, 24, 20, 20);
    let ticks = MoneyTicks::new(lo, hi, c.currency);
    let mut chart = ChartBuilder::on(&area)
        .x_label_area_size(48)
        .y_label_area_size(56)
        .build_cartesian_2d(
            (lo..hi).log_scale().with_key_points(ticks.positions()),
            y_lo..105.0,
        )
        .map_err(fail)?;
    let x_fmt = |v: &f64| ticks.label(*v);
    let y_fmt = |v: &f64| {
        if *v < 0.0 {
            String::new()
        } else {
            format!("{v:.0}")
        }
    };
    super::house_mesh(
        chart
            .configure_mesh()
            .x_desc(format!("monthly cost ({}, log scale)", c.currency))
            .y_desc("fit (0–100)")
            .x_label_formatter(&x_fmt)
            .y_label_formatter(&y_fmt),
        FONT,
    )
    .draw()
    .map_err(fail)?;
    if any_unscored {
        chart
            .draw_series(std::iter::once(Rectangle::new(
                [(lo, -12.0), (hi, -0.5)],
                GREY.mix(0.12).filled(),
            )))
            .map_err(fail)?;
        let at = chart.backend_coord(&(lo, -1.5));
        root.draw(&Text::new(
            "no score for the weighted benchmarks",
            (at.0 + 6, at.1),
            font(FONT - 2.0).color(&GREY),
        ))
        .map_err(fail)?;
    }

    let xy = |p: &Point| (position(p.cost).max(lo), p.fit.map_or(NO_FIT_Y, position));
    let mut front: Vec<(f64, f64)> = c.points.iter().filter(|p| p.pareto).map(xy).collect();
    front.sort_by(|a, b| a.0.total_cmp(&b.0));
    let front_px: Vec<(i32, i32)> = front.iter().map(|p| chart.backend_coord(p)).collect();
    chart
        .draw_series(LineSeries::new(front, PALETTE[1].stroke_width(2)))
        .map_err(fail)?;
    for p in c.points.iter().filter(|p| p.fit.is_some()) {
        let Some((low, high)) = p.band else { continue };
        let x = position(p.cost).max(lo);
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(x, position(low)), (x, position(high))],
                GREY.stroke_width(2),
            )))
            .map_err(fail)?;
    }
    for p in &c.points {
        let style = if p.pareto {
            PALETTE[1].filled()
        } else {
            PALETTE[0].stroke_width(2)
        };
        chart
            .draw_series(std::iter::once(Circle::new(xy(p), 5, style)))
            .map_err(fail)?;
    }

    // Labels: the front first, so the models that matter most get the nearest spots.
    let mut order: Vec<&Point> = c.points.iter().collect();
    order.sort_by_key(|p| (!p.pareto, p.cost));
    let px: Vec<(f64, f64)> = order
        .iter()
        .map(|p| to_f64(chart.backend_coord(&xy(p))))
        .collect();
    let anchors: Vec<_> = order
        .iter()
        .zip(&px)
        .map(|(p, &at)| (at, labels::text_size(&p.label, FONT_PX)))
        .collect();
    let mut obstacles: Vec<Rect> = px.iter().map(|&(x, y)| Rect::around(x, y, 6.0)).collect();
    obstacles.extend(labels::along(&front_px));
    let (xr, yr) = chart.plotting_area().get_pixel_range();
    let bounds = Rect {
        x0: xr.start as f64 + 2.0,
        y0: yr.start as f64 + 2.0,
        x1: xr.end as f64 - 2.0,
        y1: yr.end as f64 - 2.0,
    };
    let placed = labels::place(&anchors, &obstacles, bounds);
    for ((p, &(x, y)), pl) in order.iter().zip(&px).zip(&placed) {
        if pl.leader {
            let (ex, ey) = labels::leader_end(x, y, &pl.rect);
            root.draw(&PathElement::new(
                vec![(x as i32, y as i32), (ex as i32, ey as i32)],
                GREY.stroke_width(1),
            ))
            .map_err(fail)?;
        }
        let at = (
            pl.rect.x0.round() as i32,
            ((pl.rect.y0 + pl.rect.y1) / 2.0).round() as i32,
        );
        let style =
            if p.pareto { bold(FONT) } else { font(FONT) }.pos(Pos::new(HPos::Left, VPos::Center));
        root.draw(&Text::new(p.label.clone(), at, style))
            .map_err(fail)?;
    }
    let cheapest = c.points.iter().map(|p| p.cost).min();
    if let Some(min) = cheapest {
        let estimated = if c.points.iter().any(|p| p.band.is_some()) {
            " ~ = fit includes scores estimated from the model's published ones (docs/fit.md)."
        } else {
            ""
        };
        let note = format!(
            "{} eligible models; the cheapest costs {} a month.{estimated}",
            c.points.len(),
            format_money(min, c.currency)
        );
        super::footnote(root, note, FONT - 2.0, SIZE.1, 0)?;
    }
    Ok(())
}

fn to_f64((x, y): (i32, i32)) -> (f64, f64) {
    (f64::from(x), f64::from(y))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn point(label: &str, cost: &str, fit: Option<&str>, pareto: bool) -> Point {
        Point {
            label: label.into(),
            cost: Decimal::from_str(cost).unwrap(),
            fit: fit.map(|f| Decimal::from_str(f).unwrap()),
            pareto,
            band: None,
        }
    }

    #[test]
    fn every_label_and_the_front_are_drawn() {
        let chart = Scatter {
            title: "t & co".into(),
            currency: Currency::USD,
            points: vec![
                point("cheap/a", "10", Some("60"), true),
                point("mid/b", "100", Some("70"), false),
                point("dear/c", "1000", Some("90"), true),
                point("unscored/d", "50", None, false),
            ],
        };
        let svg = svg(&chart).unwrap();
        assert!(svg.starts_with("<svg"));
        for l in [
            "cheap/a",
            "mid/b",
            "dear/c",
            "unscored/d",
            "t &amp; co",
            "no score for the weighted benchmarks",
        ] {
            assert!(svg.lines().any(|line| line.trim() == l), "{l} missing");
        }
        assert_eq!(
            svg.matches("<circle").count(),
            4 + 2,
            "one marker a model, two in the legend"
        );
        // The front is drawn in its own colour (#D55E00), through the front's two points.
        let front = svg
            .lines()
            .find(|l| l.contains("<polyline") && l.contains("#D55E00"))
            .expect("front line");
        assert_eq!(front.matches(',').count(), 2, "{front}");
        assert!(
            !svg.contains("font-face") && !svg.contains(".ttf"),
            "no font files"
        );
    }
}

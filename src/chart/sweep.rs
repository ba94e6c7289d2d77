//! The monthly cost of the leading models along a swept axis (volume, prompt length, ...), one
//! line a model, with the points where the cheapest model changes marked.

use super::labels::{self, Rect};
use super::{fail, log_ticks, money_tick, position, GREY, INK, PALETTE};
use crate::cost::{add, mul};
use crate::error::Result;
use crate::money::{format_money, Currency};
use plotters::coord::combinators::BindKeyPoints;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use rust_decimal::Decimal;

/// One model's monthly cost at each swept value; `None` where it cannot be priced or qualify.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// The label, usually the model id.
    pub label: String,
    /// One entry per swept value.
    pub costs: Vec<Option<Decimal>>,
}

/// Where the cheapest model changes.
#[derive(Debug, Clone, PartialEq)]
pub struct Crossover {
    /// The swept value where the two lines meet (interpolated between sweep points).
    pub at: Decimal,
    /// The monthly cost there.
    pub cost: Decimal,
    /// Cheapest before.
    pub from: String,
    /// Cheapest after.
    pub to: String,
}

/// What to draw.
#[derive(Debug, Clone)]
pub struct Sweep {
    /// Shown at the top.
    pub title: String,
    /// What was swept, with its unit: "requests per day".
    pub axis: String,
    /// The swept values, ascending.
    pub xs: Vec<Decimal>,
    /// The leading models.
    pub series: Vec<Series>,
    /// Where the cheapest changes; see [`crossovers`].
    pub crossovers: Vec<Crossover>,
    /// Currency of the costs.
    pub currency: Currency,
    /// Draw the swept axis on a log scale (for volumes spanning decades).
    pub log_x: bool,
}

/// The points where the cheapest series changes between neighbouring sweep values, with the
/// meeting point found by linear interpolation between them, in exact decimals.
pub fn crossovers(xs: &[Decimal], series: &[Series]) -> Result<Vec<Crossover>> {
    let cheapest = |i: usize| -> Option<(usize, Decimal)> {
        series
            .iter()
            .enumerate()
            .filter_map(|(s, ser)| ser.costs.get(i).copied().flatten().map(|c| (s, c)))
            .min_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)))
    };
    let mut out = Vec::new();
    for i in 1..xs.len() {
        let (Some((a, _)), Some((b, _))) = (cheapest(i - 1), cheapest(i)) else {
            continue;
        };
        if a == b {
            continue;
        }
        let at = |s: usize, j: usize| series[s].costs[j];
        // d = cost(a) − cost(b) goes from ≤ 0 to > 0; it is 0 at x0 + (x1 − x0) × d0 ÷ (d0 − d1).
        let (Some(a0), Some(b0), Some(a1), Some(b1)) =
            (at(a, i - 1), at(b, i - 1), at(a, i), at(b, i))
        else {
            out.push(Crossover {
                at: xs[i],
                cost: at(b, i).unwrap_or_default(),
                from: series[a].label.clone(),
                to: series[b].label.clone(),
            });
            continue;
        };
        let (d0, d1) = (a0 - b0, a1 - b1);
        let t = if d0 == d1 {
            Decimal::ONE
        } else {
            (d0 / (d0 - d1)).clamp(Decimal::ZERO, Decimal::ONE)
        };
        let x = add(
            xs[i - 1],
            mul(xs[i] - xs[i - 1], t, "crossover")?,
            "crossover",
        )?;
        let cost = add(a0, mul(a1 - a0, t, "crossover")?, "crossover")?;
        out.push(Crossover {
            at: x.round_dp(6),
            cost: cost.round_dp(6),
            from: series[a].label.clone(),
            to: series[b].label.clone(),
        });
    }
    Ok(out)
}

const SIZE: (u32, u32) = (1000, 600);
const FONT: f64 = 15.0;
const FONT_PX: f64 = FONT / 1.24;
const RIGHT_LABELS: u32 = 230;

/// Draws the chart as an SVG document.
pub fn svg(chart: &Sweep) -> Result<String> {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, SIZE).into_drawing_area();
        draw(&root, chart)?;
        root.present().map_err(fail)?;
    }
    Ok(out)
}

fn draw(root: &DrawingArea<SVGBackend, Shift>, c: &Sweep) -> Result<()> {
    root.fill(&WHITE).map_err(fail)?;
    let font = |size: f64| ("sans-serif", size).into_font().color(&INK);
    let bold = |size: f64| {
        ("sans-serif", size, FontStyle::Bold)
            .into_font()
            .color(&INK)
    };
    root.draw(&Text::new(c.title.clone(), (20, 14), bold(20.0)))
        .map_err(fail)?;
    root.draw(&Text::new(
        "◆ where the cheapest model changes",
        (20, 42),
        font(FONT),
    ))
    .map_err(fail)?;
    let xs: Vec<f64> = c.xs.iter().map(|x| position(*x)).collect();
    let costs: Vec<f64> = c
        .series
        .iter()
        .flat_map(|s| s.costs.iter().flatten().map(|d| position(*d)))
        .filter(|v| *v > 0.0)
        .collect();
    let (ylo, yhi) = (
        costs.iter().copied().fold(f64::INFINITY, f64::min),
        costs.iter().copied().fold(0.0_f64, f64::max),
    );
    let (ylo, yhi) = if costs.is_empty() {
        (1.0, 10.0)
    } else {
        (ylo / 1.5, yhi * 1.5)
    };
    let (xlo, xhi) = (
        xs.first().copied().unwrap_or(0.0),
        xs.last().copied().unwrap_or(1.0),
    );
    let area = root.margin(64, 20, 20, RIGHT_LABELS);
    let currency = c.currency;
    let y_fmt = move |v: &f64| money_tick(*v, currency);
    let x_fmt = |v: &f64| {
        crate::money::grouped(
            Decimal::from_f64_retain(*v)
                .unwrap_or_default()
                .round_sf(3)
                .unwrap_or_default(),
        )
        .trim_end_matches(".00")
        .to_string()
    };
    macro_rules! plot {
        ($xrange:expr) => {{
            let mut chart = ChartBuilder::on(&area)
                .x_label_area_size(48)
                .y_label_area_size(72)
                .build_cartesian_2d(
                    $xrange,
                    (ylo..yhi).log_scale().with_key_points(log_ticks(ylo, yhi)),
                )
                .map_err(fail)?;
            chart
                .configure_mesh()
                .x_desc(c.axis.clone())
                .y_desc(format!("monthly cost ({}, log scale)", c.currency))
                .x_label_formatter(&x_fmt)
                .y_label_formatter(&y_fmt)
                .label_style(font(FONT))
                .axis_desc_style(font(FONT + 1.0))
                .light_line_style(WHITE)
                .bold_line_style(GREY.mix(0.25))
                .axis_style(INK.mix(0.8))
                .draw()
                .map_err(fail)?;
            let mut ends = Vec::new();
            let mut lines: Vec<Rect> = Vec::new();
            for (i, s) in c.series.iter().enumerate() {
                let colour = PALETTE[i % PALETTE.len()];
                let pts: Vec<(f64, f64)> = xs
                    .iter()
                    .zip(&s.costs)
                    .filter_map(|(x, c)| c.map(|c| (*x, position(c))))
                    .collect();
                chart
                    .draw_series(LineSeries::new(pts.clone(), colour.stroke_width(2)))
                    .map_err(fail)?;
                chart
                    .draw_series(pts.iter().map(|p| Circle::new(*p, 3, colour.filled())))
                    .map_err(fail)?;
                if let Some(last) = pts.last() {
                    ends.push((chart.backend_coord(last), colour, s.label.clone()));
                }
                let pixels: Vec<(i32, i32)> = pts.iter().map(|p| chart.backend_coord(p)).collect();
                lines.extend(labels::along(&pixels));
            }
            for x in &c.crossovers {
                let at = chart.backend_coord(&(position(x.at), position(x.cost)));
                root.draw(&Polygon::new(
                    vec![
                        (at.0, at.1 - 7),
                        (at.0 + 7, at.1),
                        (at.0, at.1 + 7),
                        (at.0 - 7, at.1),
                    ],
                    INK.filled(),
                ))
                .map_err(fail)?;
            }
            let crossing_marks: Vec<(i32, i32, String)> = c
                .crossovers
                .iter()
                .map(|x| {
                    let (px, py) = chart.backend_coord(&(position(x.at), position(x.cost)));
                    (
                        px,
                        py,
                        format!("{} at {}", x.to, money_tick(position(x.cost), c.currency)),
                    )
                })
                .collect();
            (
                chart.plotting_area().get_pixel_range(),
                ends,
                crossing_marks,
                lines,
            )
        }};
    }
    let ((xr, yr), ends, marks, lines) = if c.log_x && xlo > 0.0 {
        plot!((xlo..xhi).log_scale().with_key_points(log_ticks(xlo, xhi)))
    } else {
        plot!(xlo..xhi)
    };
    // Line labels in the right margin, pushed apart vertically; crossover notes near their marks.
    let mut ends = ends;
    ends.sort_by_key(|e| e.0 .1);
    let mut next_free = f64::MIN;
    for ((x, y), colour, label) in &ends {
        let y = (f64::from(*y)).max(next_free);
        next_free = y + FONT_PX * 1.3;
        root.draw(&PathElement::new(
            vec![(*x, y as i32), (xr.end + 6, y as i32)],
            colour.stroke_width(1),
        ))
        .map_err(fail)?;
        root.draw(&Text::new(
            label.clone(),
            (xr.end + 10, y as i32),
            font(FONT)
                .color(colour)
                .pos(Pos::new(HPos::Left, VPos::Center)),
        ))
        .map_err(fail)?;
    }
    let anchors: Vec<_> = marks
        .iter()
        .map(|(x, y, t)| {
            (
                (f64::from(*x), f64::from(*y)),
                labels::text_size(t, FONT_PX),
            )
        })
        .collect();
    let mut obstacles: Vec<Rect> = marks
        .iter()
        .map(|(x, y, _)| Rect::around(f64::from(*x), f64::from(*y), 8.0))
        .collect();
    obstacles.extend(lines);
    let bounds = Rect {
        x0: xr.start as f64,
        y0: yr.start as f64,
        x1: xr.end as f64,
        y1: yr.end as f64,
    };
    for ((mx, my, text), pl) in marks
        .iter()
        .zip(labels::place(&anchors, &obstacles, bounds))
    {
        if pl.leader {
            let (ex, ey) = labels::leader_end(f64::from(*mx), f64::from(*my), &pl.rect);
            root.draw(&PathElement::new(
                vec![(*mx, *my), (ex as i32, ey as i32)],
                INK.stroke_width(1),
            ))
            .map_err(fail)?;
        }
        let at = (
            pl.rect.x0.round() as i32,
            ((pl.rect.y0 + pl.rect.y1) / 2.0).round() as i32,
        );
        root.draw(&Text::new(
            text.clone(),
            at,
            font(FONT - 1.0).pos(Pos::new(HPos::Left, VPos::Center)),
        ))
        .map_err(fail)?;
    }
    if let Some(first) = c.crossovers.first() {
        let at = if first.at.abs() >= Decimal::ONE_HUNDRED {
            crate::money::grouped_int(first.at)
        } else {
            first.at.round_dp(2).normalize().to_string()
        };
        let note = format!(
            "Cheapest changes from {} to {} at about {at} {} ({} a month).",
            first.from,
            first.to,
            c.axis,
            format_money(first.cost, c.currency)
        );
        root.draw(&Text::new(
            note,
            (20, SIZE.1 as i32 - 8),
            font(FONT - 2.0)
                .color(&GREY)
                .pos(Pos::new(HPos::Left, VPos::Bottom)),
        ))
        .map_err(fail)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn series(label: &str, costs: &[Option<&str>]) -> Series {
        Series {
            label: label.into(),
            costs: costs.iter().map(|c| c.map(d)).collect(),
        }
    }

    fn example() -> Sweep {
        let xs = vec![d("1000"), d("2000"), d("3000"), d("4000")];
        // a: a flat $100 plan; b: $0.04 a request, so 40, 80, 120, 160.
        let s = vec![
            series(
                "plan/a",
                &[Some("100"), Some("100"), Some("100"), Some("100")],
            ),
            series(
                "metered/b",
                &[Some("40"), Some("80"), Some("120"), Some("160")],
            ),
        ];
        let crossovers = crossovers(&xs, &s).unwrap();
        Sweep {
            title: "Cost as volume grows".into(),
            axis: "requests per day".into(),
            xs,
            series: s,
            crossovers,
            currency: Currency::USD,
            log_x: false,
        }
    }

    #[test]
    fn the_crossover_is_where_the_lines_meet() {
        let c = example().crossovers;
        // b is cheaper up to 2,000 (80 < 100) and dearer at 3,000 (120 > 100). The difference
        // b − a goes −20 → +20, so the lines meet halfway: 2,500 requests, $100.
        assert_eq!(
            c,
            vec![Crossover {
                at: d("2500"),
                cost: d("100"),
                from: "metered/b".into(),
                to: "plan/a".into()
            }]
        );
    }

    #[test]
    fn no_change_of_leader_means_no_crossover() {
        let s = vec![
            series("a", &[Some("1"), Some("2")]),
            series("b", &[Some("3"), None]),
        ];
        assert!(crossovers(&[d("1"), d("2")], &s).unwrap().is_empty());
    }

    #[test]
    fn lines_labels_and_crossovers_are_drawn() {
        let svg = svg(&example()).unwrap();
        for l in ["plan/a", "metered/b", "requests per day", "plan/a at $100"] {
            assert!(svg.lines().any(|line| line.trim() == l), "{l} missing");
        }
        assert!(svg.contains("<polygon"), "crossover marker");
        let log = Sweep {
            log_x: true,
            ..example()
        };
        assert!(svg_ok(&log));
    }

    fn svg_ok(s: &Sweep) -> bool {
        svg(s).is_ok_and(|t| t.contains("</svg>"))
    }
}

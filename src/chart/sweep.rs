//! The monthly cost of the leading models along a swept axis (volume, prompt length, ...), one
//! line a model, with the points where the leader changes marked: the cheapest model ([`crossovers`])
//! or the winner of `llmplan sweep` (`sweep::plot`).

use super::labels::{self, Rect};
use super::{fail, log_ticks, money_tick, position, MoneyTicks, GREY, INK, PALETTE};
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

/// Where the leader changes: a diamond on the chart, with a note beside it.
#[derive(Debug, Clone, PartialEq)]
pub struct Crossover {
    /// The swept value where the leader changes.
    pub at: Decimal,
    /// The monthly cost where the mark is drawn.
    pub cost: Decimal,
    /// Leader before.
    pub from: String,
    /// Leader after.
    pub to: String,
    /// The note beside the mark.
    pub label: String,
}

/// What to draw.
#[derive(Debug, Clone)]
pub struct Sweep {
    /// Shown at the top.
    pub title: String,
    /// Under the title: what the marks mean, and what the reader must know to read the lines.
    pub subtitle: String,
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
    /// A dashed horizontal line at this monthly cost: the budget.
    pub budget: Option<Decimal>,
    /// Grey notes at the foot, one a line.
    pub notes: Vec<String>,
}

/// The points where the cheapest series changes between neighbouring sweep values, with the
/// meeting point found by linear interpolation between them, in exact decimals.
pub fn crossovers(xs: &[Decimal], series: &[Series], currency: Currency) -> Result<Vec<Crossover>> {
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
            let cost = at(b, i).unwrap_or_default();
            out.push(Crossover {
                at: xs[i],
                cost,
                from: series[a].label.clone(),
                to: series[b].label.clone(),
                label: cheapest_label(&series[b].label, cost, currency),
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
        let cost = add(a0, mul(a1 - a0, t, "crossover")?, "crossover")?.round_dp(6);
        out.push(Crossover {
            at: x.round_dp(6),
            cost,
            from: series[a].label.clone(),
            to: series[b].label.clone(),
            label: cheapest_label(&series[b].label, cost, currency),
        });
    }
    Ok(out)
}

/// "plan/a at $100": who becomes cheapest, and at what monthly cost.
fn cheapest_label(to: &str, cost: Decimal, currency: Currency) -> String {
    format!("{to} at {}", money_tick(cost, currency))
}

const SIZE: (u32, u32) = (1000, 600);
const FONT: f64 = 15.0;
const FONT_PX: f64 = FONT / 1.24;
/// The widest right margin, for line labels.
const RIGHT_LABELS: u32 = 300;

/// Ticks for a log swept axis: 1, 2 and 5 times each power of ten, or only the powers when that
/// would crowd the axis with wide labels such as `500,000`.
fn x_ticks(lo: f64, hi: f64) -> Vec<f64> {
    let ticks = log_ticks(lo, hi);
    if ticks.len() <= 10 {
        return ticks;
    }
    let powers: Vec<f64> = ticks
        .iter()
        .copied()
        .filter(|v| (v.log10() - v.log10().round()).abs() < 1e-9)
        .collect();
    if powers.len() >= 2 {
        powers
    } else {
        ticks
    }
}

/// Draws the chart as an SVG document.
pub fn svg(chart: &Sweep) -> Result<String> {
    super::render_svg(SIZE, |root| draw(root, chart))
}

fn draw(root: &DrawingArea<SVGBackend, Shift>, c: &Sweep) -> Result<()> {
    let font = |size: f64| super::text_style(size, false);
    let bold = |size: f64| super::text_style(size, true);
    root.draw(&Text::new(c.title.clone(), (20, 14), bold(20.0)))
        .map_err(fail)?;
    root.draw(&Text::new(c.subtitle.clone(), (20, 42), font(FONT)))
        .map_err(fail)?;
    let xs: Vec<f64> = c.xs.iter().map(|x| position(*x)).collect();
    // Where each point sits on the log axis: floating point for drawing only; the amounts in the
    // chart's labels are formatted from the exact `Decimal`s.
    let heights: Vec<f64> = c
        .series
        .iter()
        .flat_map(|s| s.costs.iter().flatten().map(|d| position(*d)))
        .chain(c.budget.map(position))
        .filter(|v| *v > 0.0)
        .collect();
    let (ylo, yhi) = (
        heights.iter().copied().fold(f64::INFINITY, f64::min),
        heights.iter().copied().fold(0.0_f64, f64::max),
    );
    let (ylo, yhi) = if heights.is_empty() {
        (1.0, 10.0)
    } else {
        (ylo / 1.5, yhi * 1.5)
    };
    let (xlo, xhi) = (
        xs.first().copied().unwrap_or(0.0),
        xs.last().copied().unwrap_or(1.0),
    );
    let foot = 14 + 17 * c.notes.len() as u32;
    // Room on the right for the labels of the lines that run to the right edge.
    let right = c
        .series
        .iter()
        .filter(|s| s.costs.last().is_some_and(Option::is_some))
        .map(|s| labels::text_size(&s.label, FONT_PX).0 as u32 + 24)
        .max()
        .unwrap_or(0)
        .clamp(30, RIGHT_LABELS);
    let area = root.margin(64, foot, 20, right);
    let currency = c.currency;
    let y_ticks = MoneyTicks::new(ylo, yhi, currency);
    let y_fmt = |v: &f64| y_ticks.label(*v);
    let x_fmt = |v: &f64| {
        let d = Decimal::from_f64_retain(*v)
            .unwrap_or_default()
            .round_sf(3)
            .unwrap_or_default();
        if d.abs() >= Decimal::ONE_HUNDRED {
            crate::money::grouped_int(d)
        } else {
            d.normalize().to_string()
        }
    };
    macro_rules! plot {
        ($xrange:expr) => {{
            let mut chart = ChartBuilder::on(&area)
                .x_label_area_size(48)
                .y_label_area_size(72)
                .build_cartesian_2d(
                    $xrange,
                    (ylo..yhi).log_scale().with_key_points(y_ticks.positions()),
                )
                .map_err(fail)?;
            super::house_mesh(
                chart
                    .configure_mesh()
                    .x_desc(c.axis.clone())
                    .y_desc(format!("monthly cost ({}, log scale)", c.currency))
                    .x_label_formatter(&x_fmt)
                    .y_label_formatter(&y_fmt),
                FONT,
            )
            .draw()
            .map_err(fail)?;
            let mut lines: Vec<Rect> = Vec::new();
            if let Some(b) = c.budget.map(position).filter(|b| *b > 0.0) {
                chart
                    .draw_series(DashedLineSeries::new(
                        vec![(xlo, b), (xhi, b)],
                        6,
                        4,
                        GREY.stroke_width(1),
                    ))
                    .map_err(fail)?;
                let (x0, y) = chart.backend_coord(&(xlo, b));
                let text = format!(
                    "budget {}",
                    format_money(c.budget.unwrap_or_default(), c.currency)
                );
                root.draw(&Text::new(
                    text.clone(),
                    (x0 + 6, y - 3),
                    font(FONT - 2.0)
                        .color(&GREY)
                        .pos(Pos::new(HPos::Left, VPos::Bottom)),
                ))
                .map_err(fail)?;
                let (w, h) = labels::text_size(&text, (FONT - 2.0) / 1.24);
                lines.push(Rect {
                    x0: f64::from(x0),
                    y0: f64::from(y) - h - 3.0,
                    x1: f64::from(x0) + w + 6.0,
                    y1: f64::from(y),
                });
                lines.extend(labels::along(&[(x0, y), chart.backend_coord(&(xhi, b))]));
            }
            let mut ends = Vec::new();
            for (i, s) in c.series.iter().enumerate() {
                let colour = PALETTE[i % PALETTE.len()];
                // A model that stops qualifying and comes back is drawn as separate runs.
                let mut runs: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
                for (x, cost) in xs.iter().zip(&s.costs) {
                    match cost.map(position).filter(|v| *v > 0.0) {
                        Some(y) => {
                            if let Some(r) = runs.last_mut() {
                                r.push((*x, y));
                            }
                        }
                        None => runs.push(Vec::new()),
                    }
                }
                runs.retain(|r| !r.is_empty());
                for pts in &runs {
                    chart
                        .draw_series(LineSeries::new(pts.clone(), colour.stroke_width(2)))
                        .map_err(fail)?;
                    // Dots show where a short sweep was evaluated; a dense one is a line.
                    if xs.len() <= 40 {
                        chart
                            .draw_series(pts.iter().map(|p| Circle::new(*p, 3, colour.filled())))
                            .map_err(fail)?;
                    }
                    let pixels: Vec<(i32, i32)> =
                        pts.iter().map(|p| chart.backend_coord(p)).collect();
                    lines.extend(labels::along(&pixels));
                }
                if let Some(last) = runs.last().and_then(|r| r.last()) {
                    ends.push((chart.backend_coord(last), colour, s.label.clone()));
                }
            }
            let mut marks: Vec<(i32, i32, String)> = Vec::new();
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
                marks.push((at.0, at.1, x.label.clone()));
            }
            (chart.plotting_area().get_pixel_range(), ends, marks, lines)
        }};
    }
    let ((xr, yr), ends, marks, lines) = if c.log_x && xlo > 0.0 {
        plot!((xlo..xhi).log_scale().with_key_points(x_ticks(xlo, xhi)))
    } else {
        plot!(xlo..xhi)
    };
    // A line that runs to the right edge is labelled in the right margin, labels pushed apart
    // vertically; a line that ends inside the chart (its model stops qualifying) is labelled at
    // its end, placed like the crossover notes so that nothing overlaps.
    let (mut margin, inside): (Vec<_>, Vec<_>) = ends
        .into_iter()
        .partition(|((x, _), _, _)| *x >= xr.end - 3);
    margin.sort_by_key(|e| e.0 .1);
    let mut next_free = f64::MIN;
    for ((x, y), colour, label) in &margin {
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
    // Everything placed inside the chart: (anchor, text, colour, font size). The crossover notes
    // go first, so they get the spots nearest their marks.
    let mut notes: Vec<((i32, i32), String, RGBColor, f64)> = marks
        .iter()
        .map(|(x, y, t)| ((*x, *y), t.clone(), INK, FONT - 1.0))
        .collect();
    notes.extend(
        inside
            .into_iter()
            .map(|(at, colour, label)| (at, label, colour, FONT)),
    );
    let anchors: Vec<_> = notes
        .iter()
        .map(|((x, y), t, _, size)| {
            (
                (f64::from(*x), f64::from(*y)),
                labels::text_size(t, size / 1.24),
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
    for (((mx, my), text, colour, size), pl) in notes
        .iter()
        .zip(labels::place(&anchors, &obstacles, bounds))
    {
        if pl.leader {
            let (ex, ey) = labels::leader_end(f64::from(*mx), f64::from(*my), &pl.rect);
            root.draw(&PathElement::new(
                vec![(*mx, *my), (ex as i32, ey as i32)],
                colour.stroke_width(1),
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
            font(*size)
                .color(colour)
                .pos(Pos::new(HPos::Left, VPos::Center)),
        ))
        .map_err(fail)?;
    }
    for (i, note) in c.notes.iter().rev().enumerate() {
        super::footnote(root, note.clone(), FONT - 2.0, SIZE.1, i)?;
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
        let crossovers = crossovers(&xs, &s, Currency::USD).unwrap();
        Sweep {
            title: "Cost as volume grows".into(),
            subtitle: "◆ where the cheapest model changes".into(),
            axis: "requests per day".into(),
            xs,
            series: s,
            crossovers,
            currency: Currency::USD,
            log_x: false,
            budget: Some(d("130")),
            notes: vec!["a note at the foot".into()],
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
                to: "plan/a".into(),
                label: "plan/a at $100".into(),
            }]
        );
    }

    #[test]
    fn no_change_of_leader_means_no_crossover() {
        let s = vec![
            series("a", &[Some("1"), Some("2")]),
            series("b", &[Some("3"), None]),
        ];
        assert!(crossovers(&[d("1"), d("2")], &s, Currency::USD)
            .unwrap()
            .is_empty());
    }

    #[test]
    fn lines_labels_and_crossovers_are_drawn() {
        let svg = svg(&example()).unwrap();
        for l in [
            "plan/a",
            "metered/b",
            "requests per day",
            "plan/a at $100",
            "budget $130.00",
            "a note at the foot",
        ] {
            assert!(svg.lines().any(|line| line.trim() == l), "{l} missing");
        }
        assert!(svg.contains("<polygon"), "crossover marker");
        let log = Sweep {
            log_x: true,
            ..example()
        };
        assert!(svg_ok(&log));
    }

    #[test]
    fn a_model_that_stops_qualifying_leaves_a_gap() {
        // Seven values; the model does not qualify at the fourth, so its line is two runs of
        // three points, not one line bridging the gap.
        let xs: Vec<Decimal> = (1..=7).map(Decimal::from).collect();
        let gap = series(
            "gap/a",
            &[
                Some("10"),
                Some("20"),
                Some("30"),
                None,
                Some("30"),
                Some("20"),
                Some("10"),
            ],
        );
        let chart = Sweep {
            xs,
            series: vec![gap],
            crossovers: Vec::new(),
            budget: None,
            ..example()
        };
        let svg = svg(&chart).unwrap();
        let three_point_lines = svg
            .lines()
            .filter(|l| l.contains("<polyline") && l.matches(',').count() == 3)
            .count();
        assert_eq!(three_point_lines, 2, "{svg}");
    }

    fn svg_ok(s: &Sweep) -> bool {
        svg(s).is_ok_and(|t| t.contains("</svg>"))
    }
}

//! `llmplan plot`: a scenario's eligible models as a cost-versus-fit picture (SVG).

use super::{Context, Outcome};
use crate::chart::scatter::{self, Point, Scatter};
use crate::cli::PlotArgs;
use crate::error::Result;
use crate::rank::{rank_with, Bills};
use crate::scenario::Scenario;

/// Runs the command.
pub fn run(args: &PlotArgs, ctx: &Context) -> Result<Outcome> {
    // An SVG is for a file or a pipe; at a terminal it would be 20 KB of markup.
    {
        use std::io::IsTerminal;
        if ctx.output.is_none() && std::io::stdout().is_terminal() {
            return Err(crate::error::Error::Usage(format!(
                "plot writes an SVG picture, which a terminal cannot show: add -o chart.svg (or redirect stdout: llmplan plot {} > chart.svg)",
                args.scenario.display()
            )));
        }
    }
    if args.fan {
        return super::fan::run(args, ctx);
    }
    let cat = ctx.catalogue()?;
    let mut scenario = Scenario::from_path(&args.scenario, &cat)?;
    // Every eligible model belongs on the picture, whatever [rank] top says for the table.
    scenario.top = None;
    // Totals only: the chart plots each model's monthly cost, not its bill workload by workload.
    let ranking = rank_with(&scenario, &cat, Bills::Totals)?;
    if ranking.ranked.is_empty() {
        return Ok(Outcome {
            exit_code: 1,
            messages: vec![format!("no model qualifies for `{}`, so there is nothing to plot; `llmplan rank --all` says why", scenario.name)],
            ..Outcome::default()
        });
    }
    let points: Vec<Point> = ranking
        .ranked
        .iter()
        .map(|r| {
            let estimate = r.fit.is_some() && r.fit_detail.status.is_estimate();
            Point {
                label: if estimate {
                    format!("{}{}", super::fit_report::ESTIMATE_MARK, r.model)
                } else {
                    r.model.clone()
                },
                cost: r.monthly_cost,
                fit: r.fit,
                pareto: r.pareto,
                band: r.fit_detail.low.zip(r.fit_detail.high).filter(|_| estimate),
            }
        })
        .collect();
    let front = points.iter().filter(|p| p.pareto).count();
    let chart = Scatter {
        title: format!("{}: monthly cost against fit", scenario.name),
        currency: scenario.currency,
        points,
    };
    let mut outcome = Outcome::verbatim(scatter::svg(&chart)?);
    if let (Some(path), false) = (&ctx.output, ctx.quiet) {
        outcome.messages.push(format!(
            "wrote {}: {} eligible models, {front} on the Pareto front",
            path.display(),
            chart.points.len()
        ));
    }
    Ok(outcome)
}

//! `llmplan plot --fan`: each top model's monthly spend over the horizon, P10–P90 bands around the
//! median, from the scenario's forecast.

use super::{Context, Outcome};
use crate::chart::fan::{self, Band, FanChart};
use crate::cli::PlotArgs;
use crate::error::{Error, Result};

use crate::scenario::Scenario;

/// Models drawn unless `--top` says otherwise: more bands than this overlap into a blur.
pub const DEFAULT_BANDS: usize = 4;

/// Runs `plot --fan`.
pub fn run(args: &PlotArgs, ctx: &Context) -> Result<Outcome> {
    let cat = ctx.catalogue()?;
    let mut scenario = Scenario::from_path(&args.scenario, &cat)?;
    if scenario.forecast.is_none() {
        return Err(Error::Usage(format!(
            "plot --fan needs a forecast: `{}` has no range and no [forecast] table; write a range such as monthly_growth = {{ p10 = 0.01, p50 = 0.03, p90 = 0.08 }}",
            args.scenario.display()
        )));
    }
    let bands = args.top.unwrap_or(DEFAULT_BANDS).max(1);
    scenario.top = None;
    let ranking = crate::rank::rank_with(&scenario, &cat, crate::rank::Bills::Totals)?;
    let Some(o) = crate::forecast::outlook(&scenario, &cat, &ranking.ranked, bands)? else {
        return Err(Error::Usage("plot --fan needs a forecast".into()));
    };
    if o.fans.is_empty() {
        return Ok(Outcome {
            exit_code: 1,
            messages: vec![format!("no API model qualifies for `{}`, so there is nothing to plot; `llmplan rank --all` says why", scenario.name)],
            ..Outcome::default()
        });
    }
    let chart = FanChart {
        title: format!(
            "{}: monthly spend over {} months, P10–P90",
            scenario.name, scenario.horizon_months
        ),
        currency: scenario.currency,
        bands: o
            .fans
            .iter()
            .map(|f| Band {
                label: f.model.clone(),
                months: f.months.clone(),
            })
            .collect(),
        footnote: format!(
            "Shaded: P10 to P90 of each month's spend over {} trials (seed {}); line: the median. Top models by {}; bands drawn from the kernel's linear bill.",
            crate::money::grouped_int(o.trials.into()),
            o.seed,
            scenario.objective.as_str()
        ),
    };
    let mut outcome = Outcome::verbatim(fan::svg(&chart)?);
    if let (Some(path), false) = (&ctx.output, ctx.quiet) {
        outcome.messages.push(format!(
            "wrote {}: {} models over {} months, {} trials",
            path.display(),
            chart.bands.len(),
            scenario.horizon_months,
            o.trials
        ));
    }
    Ok(outcome)
}

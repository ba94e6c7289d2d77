//! The proof that the fast JSON Lines writer ([`super::sink`]) writes exactly the typed row
//! [`SweepRow`], the definition of a sweep row: random rows, on sweeps with one to three axes,
//! with and without the horizon and mix fields, with estimated fits and with ids that need
//! escaping, give the same bytes as `serde_json` writes for the typed row (and so the same JSON
//! value). A second test shows the check catches a writer that is wrong by one detail.

use super::engine::{Engine, Pick, Row, Who};
use super::sink::{FitLabels, Sink, Style};
use crate::catalogue::{Catalogue, LoadOptions};
use crate::report::sweep::SweepRow;
use crate::routed_rank::MixPoint;
use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use rust_decimal::Decimal;
use std::path::{Path, PathBuf};

/// A scenario with routes: its rows carry the mix's cost and fit.
const ROUTING: &str = "scenarios/claude3-routing.toml";

/// Two paths to vary on [`ROUTING`]: an escalation rate and the horizon.
const ESCALATION_AND_HORIZON: [&str; 2] = [
    "workload.code-review.cascade.escalation.1=0..0.3/7",
    "horizon_months=1,12,36",
];

fn file(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(p)
}

/// The embedded catalogue with every model id changed to one JSON must escape: a quote, a
/// backslash, control characters, a line separator and a non-ASCII letter.
fn escaped_ids() -> Catalogue {
    let mut cat = Catalogue::embedded().unwrap();
    for (i, m) in cat.models.iter_mut().enumerate() {
        m.id = format!("{}\"\\\n\t\u{1}\u{7f}é\u{2028}#{i}", m.id);
    }
    cat
}

/// The fit fixture's profiles alone: models whose fits include estimated scores.
fn estimated_fits() -> Catalogue {
    Catalogue::load(&LoadOptions {
        profile_dirs: vec![file("tests/fixtures/fit/profiles")],
        no_default_profiles: true,
    })
    .unwrap()
}

fn engine<'c>(cat: &'c Catalogue, scenario: &str, vary: &[&str]) -> Engine<'c> {
    let vary: Vec<String> = vary.iter().map(|s| s.to_string()).collect();
    super::build(&file(scenario), &vary, cat, None).unwrap()
}

/// An amount with up to 28 decimals, up to the 96 bits of a `Decimal`'s mantissa.
fn money() -> impl Strategy<Value = Decimal> {
    prop_oneof![
        (any::<u64>(), 0u32..=28).prop_map(|(m, s)| Decimal::from_i128_with_scale(m.into(), s)),
        (any::<u32>(), any::<u32>(), any::<u32>(), 0u32..=28)
            .prop_map(|(lo, mid, hi, s)| Decimal::from_parts(lo, mid, hi, false, s)),
    ]
}

/// A fit on 0–100 with up to 12 decimals.
fn fit() -> impl Strategy<Value = Decimal> {
    (0i64..=100_000_000_000_000, 0u32..=12)
        .prop_map(|(m, s)| Decimal::from_i128_with_scale(m.into(), s).min(Decimal::ONE_HUNDRED))
}

/// A catalogue model, or any other name (a self-hosted row, a mix), any text at all.
fn who(models: usize) -> impl Strategy<Value = Who> {
    prop_oneof![
        3 => (0..models).prop_map(Who::Model),
        1 => any::<String>().prop_map(Who::Named),
    ]
}

fn row(models: usize) -> impl Strategy<Value = Row> {
    let pick = (who(models), money(), option::of(fit())).prop_map(|(who, monthly, fit)| Pick {
        who,
        monthly,
        fit,
    });
    let mix =
        (money(), option::of(fit())).prop_map(|(monthly_cost, fit)| MixPoint { monthly_cost, fit });
    (
        option::of(pick),
        option::of(who(models)),
        option::of(money()),
        option::of(mix),
    )
        .prop_map(|(winner, runner_up, horizon, mix)| Row {
            winner,
            runner_up,
            horizon,
            mix,
        })
}

/// Grid coordinates for each of a few rows, with the rows themselves.
fn rows(e: &Engine) -> impl Strategy<Value = Vec<(Vec<u64>, Row)>> {
    let coords: Vec<_> = e.axes.iter().map(|a| 0..a.len()).collect();
    vec((coords, row(e.cat.models.len())), 1..6)
}

/// The lines the sink writes for `rows`, one after another with one cache of fit labels, as a
/// sweep writes them.
fn sink_lines(e: &Engine, rows: &[(Vec<u64>, Row)]) -> Vec<Vec<u8>> {
    let sink = Sink::new(Style::Jsonl, e);
    let mut fits = FitLabels::default();
    let mut out = Vec::new();
    sink.header(&mut out);
    assert!(out.is_empty(), "JSON Lines have no header");
    rows.iter()
        .map(|(coords, row)| {
            let values = values(e, coords);
            let start = out.len();
            sink.row(&mut out, e, (coords, &values), row, &mut fits);
            out[start..].to_vec()
        })
        .collect()
}

fn values(e: &Engine, coords: &[u64]) -> Vec<Decimal> {
    coords.iter().zip(&e.axes).map(|(&c, a)| a.get(c)).collect()
}

/// How a line differs from the typed row's serialization, if it does: as a JSON value, then
/// byte for byte (key order, spacing, escapes, the newline).
fn differs(line: &[u8], typed: &SweepRow) -> Option<String> {
    let want = format!("{}\n", serde_json::to_string(typed).unwrap());
    let text = String::from_utf8_lossy(line);
    match serde_json::from_slice::<serde_json::Value>(line) {
        Err(err) => return Some(format!("not JSON ({err}): {text}")),
        Ok(v) if v != serde_json::to_value(typed).unwrap() => {
            return Some(format!("another value:\n  wrote {text}  typed {want}"))
        }
        Ok(_) => {}
    }
    (line != want.as_bytes()).then(|| format!("other bytes:\n  wrote {text}  typed {want}"))
}

#[test]
fn sink_writes_the_typed_row() {
    let (escaped, estimated, embedded) = (
        escaped_ids(),
        estimated_fits(),
        Catalogue::embedded().unwrap(),
    );
    let chatbot = "scenarios/support-chatbot.toml";
    let engines = [
        // One axis, every id escaped.
        engine(
            &escaped,
            chatbot,
            &["workload.chat.requests_per_day=1000..100000/12:log"],
        ),
        // Two axes, one of them a horizon path, on a rounded linear range.
        engine(
            &escaped,
            chatbot,
            &[
                "workload.chat.requests_per_day=100..5000/37",
                "monthly_growth=0..0.1/11",
            ],
        ),
        // Routes: the mix fields, with and without the horizon, and three axes.
        engine(
            &embedded,
            ROUTING,
            &["pricing.discounts.anthropic=0,0.125,0.3"],
        ),
        engine(
            &embedded,
            ROUTING,
            &[
                "workload.code-review.cascade.escalation.1=0..0.3/7",
                "horizon_months=1,12,36",
                "workload.support-chat.requests_per_day=10..100000/5:log",
            ],
        ),
        // Fits that include estimated scores.
        engine(
            &estimated,
            "tests/fixtures/fit/chatbot.toml",
            &["workload.chat.requests_per_day=10..100000/9:log"],
        ),
    ];
    let flags: Vec<_> = engines.iter().map(|e| (e.horizon, e.mix)).collect();
    assert_eq!(
        flags,
        [
            (false, false),
            (true, false),
            (false, true),
            (true, true),
            (false, false)
        ]
    );
    assert!(!engines[4].estimated_models().is_empty());
    for e in &engines {
        let mut runner = TestRunner::new(Config::with_cases(512));
        runner
            .run(&rows(e), |rows| {
                for ((coords, row), line) in rows.iter().zip(sink_lines(e, &rows)) {
                    let typed = SweepRow::of(e, &values(e, coords), row);
                    if let Some(d) = differs(&line, &typed) {
                        return Err(TestCaseError::fail(d));
                    }
                }
                Ok(())
            })
            .unwrap();
    }
}

#[test]
fn a_writer_wrong_in_one_detail_is_caught() {
    // A row with every field: routes and a horizon path.
    let cat = Catalogue::embedded().unwrap();
    let e = engine(&cat, ROUTING, &ESCALATION_AND_HORIZON);
    let d = |s: &str| s.parse::<Decimal>().unwrap();
    let coords = vec![3, 1];
    let row = Row {
        winner: Some(Pick {
            who: Who::Model(0),
            monthly: d("1234.56789149"),
            fit: Some(d("71.23456")),
        }),
        runner_up: Some(Who::Named("mix \"a\"".into())),
        horizon: Some(d("9876.5")),
        mix: Some(MixPoint {
            monthly_cost: d("1500.25"),
            fit: None,
        }),
    };
    let line = sink_lines(&e, &[(coords.clone(), row.clone())]).remove(0);
    let typed = |coords: &[u64], row: &Row| SweepRow::of(&e, &values(&e, coords), row);
    assert_eq!(differs(&line, &typed(&coords, &row)), None);

    // Rows one detail away from the one written: each must be told apart from it.
    let mut changed: Vec<(&str, Vec<u64>, Row)> = Vec::new();
    let mut add = |what, coords: &[u64], f: fn(&mut Row)| {
        let mut r = row.clone();
        f(&mut r);
        changed.push((what, coords.to_vec(), r));
    };
    add("a cost off by one millionth", &coords, |r| {
        if let Some(p) = &mut r.winner {
            p.monthly += Decimal::new(1, 6);
        }
    });
    add("a fit off in its fourth decimal", &coords, |r| {
        if let Some(p) = &mut r.winner {
            p.fit = p.fit.map(|f| f + Decimal::new(1, 4));
        }
    });
    add("another winner", &coords, |r| {
        if let Some(p) = &mut r.winner {
            p.who = Who::Model(1);
        }
    });
    add("no runner-up", &coords, |r| r.runner_up = None);
    add("no horizon cost", &coords, |r| r.horizon = None);
    add("a mix with a fit", &coords, |r| {
        if let Some(m) = &mut r.mix {
            m.fit = Some(Decimal::from(60));
        }
    });
    add("another point", &[3, 2], |_| {});
    for (what, coords, r) in &changed {
        assert!(
            differs(&line, &typed(coords, r)).is_some(),
            "{what} is not caught"
        );
    }

    // Lines one detail away from the right one.
    let text = String::from_utf8(line.clone()).unwrap();
    let typed = typed(&coords, &row);
    let swapped = text.replacen("\"winner\"", "\"runner_up\":\"x\",\"winner\"", 1);
    for (what, bad) in [
        (
            "a renamed key",
            text.replacen("\"winner\"", "\"Winner\"", 1),
        ),
        (
            "a cost as a number",
            text.replacen("\"1234.567891\"", "1234.567891", 1),
        ),
        ("no newline", text.trim_end().to_string()),
        ("a space after a colon", text.replacen("\":", "\": ", 1)),
        ("a key written twice", swapped),
    ] {
        assert!(
            differs(bad.as_bytes(), &typed).is_some(),
            "{what} is not caught"
        );
    }
}

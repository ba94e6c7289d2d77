//! Property tests: the sweep's fast path equals the cost kernel, digit for digit, for every field a
//! sweep can vary and every kind of cost component; and a field the fast path is not told to
//! follow sends every point down the exact path.
//!
//! Cases draw models with prices of their own (every meter priced or not, a batch discount or
//! not, up to two long-prompt tiers, prompt-cache write and storage prices and a minimum
//! cacheable prefix), workloads (some with a `[workload.cache]`), a discount, an override and one or two axes over
//! any field of [`WorkloadField::ALL`] and [`GlobalField::ALL`], with values drawn by the field's
//! own rule. At every point the fast path's exact cost of each candidate must be the kernel's
//! monthly cost, and its row must be `rank`'s. The cases run from a fixed seed, and a final check
//! requires every field and every component kind the fast path handles to have been drawn, so a
//! new field or kind fails here until the generator produces it.

use super::engine::Engine;
use super::field::{GlobalField, Rule, WorkloadField};
use super::path::{check_grid, valid_paths, Setter};
use super::values::Values;
use crate::catalogue::model::{Price, Tier};
use crate::catalogue::Catalogue;
use crate::cost::{model_cost, Kind};
use crate::scenario::Scenario;
use crate::source::SourceFile;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner};
use rust_decimal::Decimal;
use std::cell::RefCell;
use std::collections::BTreeSet;

/// Prices drawn for one model, in thousandths of a dollar per 1M tokens.
#[derive(Debug, Clone)]
struct PriceGen {
    input: u32,
    output: u32,
    cached: Option<u32>,
    batch_pct: Option<u8>,
    tiers: Vec<TierGen>,
    cache_write: Option<u32>,
    min_cacheable: Option<u64>,
    storage: Option<u32>,
}

/// A long-prompt tier: threshold, input, output, cache read and cache write prices.
type TierGen = (u64, u32, u32, Option<u32>, Option<u32>);

#[derive(Debug, Clone)]
struct WorkGen {
    per_day: bool,
    requests: u32,
    requests_dp: u32,
    input: u64,
    output: u64,
    cached_pct: u8,
    batch_pct: u8,
    /// What the requests hold beyond a token count: see [`CONTENTS`].
    content: usize,
    /// Input tokens as a distribution: lognormal (p50 and p95 drawn from input and spread) or two
    /// buckets (input at pct %, input + spread at the rest).
    size: Option<(bool, u64, u8)>,
    /// `[workload.cache]` in place of `cached_input_share`: prefix tokens, hit rate in
    /// thousandths, storage hours in hundredths.
    cache: Option<(u64, u16, u32)>,
}

/// The content a generated workload may state: none, its language on two bases, characters, and
/// images of three sizes (which models that read no images cannot bill).
const CONTENTS: [&str; 6] = [
    "",
    "language = \"zh\"\n",
    "language = \"zh\"\ntoken_basis = \"qwen\"\n",
    "language = \"en\"\nCHARS",
    "images_per_request = 2\nimage_size = \"1024x1024\"\n",
    "language = \"zh\"\nimages_per_request = 1\nimage_size = \"4000x3000\"\n",
];

/// The distribution parameters a sweep can vary, after the workload and global fields.
const SIZE_PATHS: [&str; 4] = [
    "input_tokens.p50",
    "input_tokens.p95",
    "input_tokens.max",
    "input_tokens.buckets.0",
];

#[derive(Debug, Clone)]
struct Case {
    prices: Vec<(usize, PriceGen)>,
    work: Vec<WorkGen>,
    days: u32,
    discount: Option<(usize, u8)>,
    over: Option<(usize, [Option<u32>; 3])>,
    objective: usize,
    /// Field (an index into the workload fields, then the global ones), workload, value seeds.
    axes: Vec<(usize, usize, Vec<u64>)>,
}

fn price_gen() -> impl Strategy<Value = PriceGen> {
    let p = 1u32..100_000;
    (
        p.clone(),
        p.clone(),
        proptest::option::of(p.clone()),
        proptest::option::of(0u8..=100),
        proptest::collection::vec(
            (
                1_000u64..200_000,
                p.clone(),
                p.clone(),
                proptest::option::of(p.clone()),
                proptest::option::of(p.clone()),
            ),
            0..=2,
        ),
        proptest::option::of(p.clone()),
        proptest::option::of(0u64..5_000),
        proptest::option::of(p),
    )
        .prop_map(
            |(input, output, cached, batch_pct, tiers, cache_write, min_cacheable, storage)| {
                PriceGen {
                    input,
                    output,
                    cached,
                    batch_pct,
                    tiers,
                    cache_write,
                    min_cacheable,
                    storage,
                }
            },
        )
}

fn work_gen() -> impl Strategy<Value = WorkGen> {
    (
        any::<bool>(),
        1u32..100_000,
        0u32..3,
        1u64..200_000,
        0u64..8_000,
        prop_oneof![Just(0u8), 0u8..=100],
        prop_oneof![Just(0u8), 0u8..=100],
        0..CONTENTS.len(),
        proptest::option::of((any::<bool>(), 1u64..300_000, 1u8..100)),
        proptest::option::of((
            1u64..10_000,
            0u16..=1000,
            prop_oneof![Just(0u32), 0u32..100_000],
        )),
    )
        .prop_map(
            |(
                per_day,
                requests,
                requests_dp,
                input,
                output,
                cached_pct,
                batch_pct,
                content,
                size,
                cache,
            )| {
                WorkGen {
                    per_day,
                    requests,
                    requests_dp,
                    input,
                    output,
                    cached_pct,
                    batch_pct,
                    content,
                    size,
                    cache,
                }
            },
        )
}

fn fields() -> usize {
    WorkloadField::ALL.len() + GlobalField::ALL.len() + SIZE_PATHS.len()
}

fn case_gen() -> impl Strategy<Value = Case> {
    (
        proptest::collection::vec((any::<usize>(), price_gen()), 1..=3),
        proptest::collection::vec(work_gen(), 1..=2),
        1u32..=31,
        proptest::option::of((any::<usize>(), 0u8..=100)),
        proptest::option::of((
            any::<usize>(),
            [
                proptest::option::of(1u32..100_000),
                proptest::option::of(1u32..100_000),
                proptest::option::of(1u32..100_000),
            ],
        )),
        0usize..3,
        proptest::collection::vec(
            (
                0..fields(),
                0usize..2,
                proptest::collection::vec(any::<u64>(), 1..=3),
            ),
            1..=2,
        ),
    )
        .prop_map(
            |(prices, work, days, discount, over, objective, axes)| Case {
                prices,
                work,
                days,
                discount,
                over,
                objective,
                axes,
            },
        )
}

/// The catalogue's USD text models priced per token: the ones whose prices a case replaces.
fn text_models(cat: &Catalogue) -> Vec<usize> {
    (0..cat.models.len())
        .filter(|&i| {
            let m = &cat.models[i];
            m.currency == crate::money::Currency::USD
                && m.price.as_ref().is_some_and(Price::has_token_prices)
        })
        .collect()
}

fn usd(thousandths: u32) -> Decimal {
    Decimal::new(thousandths.into(), 3)
}

impl Case {
    fn catalogue(&self) -> Catalogue {
        let mut cat = Catalogue::embedded().expect("embedded catalogue");
        let text = text_models(&cat);
        for (pick, g) in &self.prices {
            let m = &mut cat.models[text[pick % text.len()]];
            let price = m.price.as_mut().expect("priced");
            let mut tiers: Vec<Tier> = g
                .tiers
                .iter()
                .map(|&(above, i, o, c, cw)| Tier {
                    above_input_tokens: above,
                    input: usd(i),
                    output: usd(o),
                    cached_input: c.map(usd),
                    cache_write: cw.map(usd),
                })
                .collect();
            tiers.sort_by_key(|t| t.above_input_tokens);
            tiers.dedup_by_key(|t| t.above_input_tokens);
            price.input = Some(usd(g.input));
            price.output = Some(usd(g.output));
            price.cached_input = g.cached.map(usd);
            price.batch_discount = g.batch_pct.map(|p| Decimal::new(p.into(), 2));
            price.tiers = tiers;
            price.cache.cache_write = g.cache_write.map(usd);
            price.cache.min_cacheable_tokens = g.min_cacheable;
            price.cache.cache_storage_per_mtok_hour = g.storage.map(usd);
        }
        cat
    }

    fn scenario(&self, cat: &Catalogue) -> Scenario {
        let objective = ["cheapest", "best_fit", "balanced"][self.objective];
        let mut t = format!(
            "name = \"generated\"\ndays_per_month = {}\n[rank]\nobjective = \"{objective}\"\n",
            self.days
        );
        for (i, w) in self.work.iter().enumerate() {
            let key = if w.per_day {
                "requests_per_day"
            } else {
                "requests_per_month"
            };
            // Characters stand in for the token counts: the same numbers, as characters.
            let (content, unit) = match CONTENTS[w.content].strip_suffix("CHARS") {
                Some(c) => (c, "chars"),
                None => (CONTENTS[w.content], "tokens"),
            };
            // A distribution is of tokens; characters then stand only for the output.
            let in_unit = if w.size.is_some() { "tokens" } else { unit };
            let input = match w.size {
                None => w.input.to_string(),
                // Kept under 100,000 tokens, where drawn caps (`max`) can lie above p95.
                Some((true, spread, _)) => {
                    let p50 = w.input % 50_000 + 1;
                    format!("{{ p50 = {p50}, p95 = {} }}", p50 + spread % 40_000 + 1)
                }
                Some((false, spread, pct)) => format!(
                    "{{ buckets = [[{}, \"{}\"], [{}, \"{}\"]] }}",
                    w.input,
                    Decimal::new(pct.into(), 2),
                    w.input + spread,
                    Decimal::new((100 - pct).into(), 2)
                ),
            };
            t.push_str(&format!(
                "[[workload]]\nname = \"w{i}\"\n{key} = \"{}\"\ninput_{in_unit} = {}\noutput_{unit} = {}\n\
                 batch_share = \"{}\"\n{content}",
                Decimal::new(w.requests.into(), w.requests_dp),
                input,
                w.output,
                Decimal::new(w.batch_pct.into(), 2),
            ));
            // The prefix is within every request's input: below a lognormal's median, and not
            // drawn where characters stand for the input.
            let within = match w.size {
                Some((true, _, _)) => w.input % 50_000 + 1,
                _ => w.input,
            };
            match w.cache.filter(|_| unit == "tokens") {
                None => t.push_str(&format!(
                    "cached_input_share = \"{}\"\n",
                    Decimal::new(w.cached_pct.into(), 2)
                )),
                Some((prefix, hit, hours)) => t.push_str(&format!(
                    "[workload.cache]\nprefix_tokens = {}\nhit_rate = \"{}\"\n\
                     storage_hours_per_month = \"{}\"\n",
                    prefix.min(within),
                    Decimal::new(hit.into(), 3),
                    Decimal::new(hours.into(), 2),
                )),
            }
        }
        let text = text_models(cat);
        t.push_str("[pricing]\n");
        if let Some((pick, pct)) = self.discount {
            let m = &cat.models[text[pick % text.len()]];
            let key = if pick % 2 == 0 { &m.vendor } else { &m.id };
            t.push_str(&format!(
                "discounts = {{ \"{key}\" = \"{}\" }}\n",
                Decimal::new(pct.into(), 2)
            ));
        }
        // An override sets the input or output price, and maybe the cached one.
        if let Some((pick, [i, o, c])) = self.over.filter(|(_, [i, o, _])| i.or(*o).is_some()) {
            let id = &cat.models[text[pick % text.len()]].id;
            t.push_str(&format!("[pricing.override.\"{id}\"]\n"));
            for (k, v) in [("input", i), ("output", o), ("cached_input", c)] {
                if let Some(v) = v {
                    t.push_str(&format!("{k} = \"{}\"\n", usd(v)));
                }
            }
        }
        let src = SourceFile::from_text("generated.toml".into(), t.clone()).expect("text");
        Scenario::from_source(&src, cat).unwrap_or_else(|e| panic!("{e}\n{t}"))
    }
}

/// A value for a field, drawn by the field's own rule from `seed`.
fn value(rule: Rule, seed: u64) -> Decimal {
    let dp = ((seed >> 40) % 3) as u32;
    let n = (seed % 100_000) as i64;
    match rule {
        Rule::Whole { min, max } => {
            let hi = max.min(min + 100_000);
            Decimal::from(min + seed % (hi - min + 1))
        }
        Rule::Fraction => Decimal::new((seed % 1001) as i64, 3),
        Rule::Positive => Decimal::new(n + 1, dp),
        Rule::NonNegative => Decimal::new(n, dp),
        Rule::Growth => Decimal::new((seed % 151) as i64 - 50, 2),
        Rule::Any => Decimal::new(n - 50_000, dp),
    }
}

/// The path of field number `f` on workload `w`.
fn path(f: usize, w: usize) -> String {
    let nw = WorkloadField::ALL.len();
    match WorkloadField::ALL.get(f) {
        Some(field) => format!("workload.w{w}.{}", field.name()),
        None => match GlobalField::ALL.get(f - nw) {
            Some(g) => g.name().to_string(),
            None => format!(
                "workload.w{w}.{}",
                SIZE_PATHS[f - nw - GlobalField::ALL.len()]
            ),
        },
    }
}

/// What the cases covered.
#[derive(Default)]
struct Seen {
    fields: BTreeSet<String>,
    kinds: BTreeSet<String>,
    /// The [`CONTENTS`] of workloads whose bills the fast path matched.
    contents: BTreeSet<usize>,
    fast_points: u64,
    /// Fast points whose scenario had a workload with an input distribution.
    varying_fast_points: u64,
    /// Distribution parameters swept at a point where the sweep and `rank` agreed.
    sizes: BTreeSet<String>,
}

fn check(case: Case, seen: &RefCell<Seen>) -> Result<(), TestCaseError> {
    let cat = case.catalogue();
    let base = case.scenario(&cat);
    let explicit = vec![false; base.workloads.len()];
    let mut setters = Vec::new();
    let mut axes = Vec::new();
    for (f, w, seeds) in &case.axes {
        let p = path(*f, w % base.workloads.len());
        // A request field the workload gives the other way, or a field already varied, is skipped.
        let Ok(st) = Setter::resolve(&p, &base, &cat, &explicit) else {
            continue;
        };
        if setters.iter().any(|s: &Setter| s.target == st.target) {
            continue;
        }
        let mut vs: Vec<Decimal> = seeds
            .iter()
            .map(|s| value(st.rule(), *s).normalize())
            .collect();
        vs.sort();
        vs.dedup();
        let spec = vs
            .iter()
            .map(Decimal::to_string)
            .collect::<Vec<_>>()
            .join(",");
        let values = Values::parse(&spec, st.whole()).map_err(TestCaseError::fail)?;
        for v in &vs {
            prop_assert!(st.check(*v).is_ok(), "{} = {} breaks its rule", p, v);
        }
        setters.push(st);
        axes.push(values);
    }
    prop_assume!(!setters.is_empty());
    let sizes = setters
        .iter()
        .any(|s| matches!(s.target, super::path::Target::Size(_)));
    if let Err(e) = check_grid(&setters, &axes, &base) {
        // Drawn percentiles out of order (p95 below p50) are refused before the sweep starts.
        prop_assume!(!sizes, "{}", e);
        return Err(TestCaseError::fail(e.to_string()));
    }
    let followed = setters.iter().all(|s| s.effect().is_some());
    let names: Vec<String> = setters.iter().map(|s| s.path.clone()).collect();
    let e = Engine::new(base, &cat, setters, axes);
    // The fast path runs exactly when every varied field is one it is told to follow.
    prop_assert_eq!(e.is_fast(), followed, "{:?}", names);
    let fx = e.base.fx(&cat);
    let (mut fast, mut slow) = (e.worker(), e.worker());
    let lens: Vec<u64> = e.axes.iter().map(Values::len).collect();
    let points = e.points().expect("a small grid");
    for n in 0..points {
        let mut rest = n;
        for a in (0..lens.len()).rev() {
            let v = e.axes[a].get(rest % lens[a]);
            rest /= lens[a];
            e.set(&mut fast, a, v);
            e.set(&mut slow, a, v);
        }
        if let Some(costs) = e.fast_costs(&mut fast) {
            seen.borrow_mut().fast_points += 1;
            if fast.scn.has_distributions() {
                seen.borrow_mut().varying_fast_points += 1;
            }
            // The monthly bill does not depend on the horizon, whose sum may overflow.
            let mut month = fast.scn.clone();
            month.horizon_months = 1;
            seen.borrow_mut()
                .contents
                .extend(case.work.iter().map(|w| w.content));
            for (i, got) in costs {
                let m = &cat.models[i];
                let want = model_cost(&month, m, &fx)
                    .map_err(|e| TestCaseError::fail(e.to_string()))?
                    .map_err(|_| TestCaseError::fail("unpriced"))?;
                // Digit for digit: the same value, and the same money as written out.
                prop_assert_eq!(got, want.monthly_cost, "{} at point {}", m.id, n);
                prop_assert_eq!(
                    crate::money::money_string(got),
                    crate::money::money_string(want.monthly_cost)
                );
                let mut s = seen.borrow_mut();
                for c in want.workloads.iter().flat_map(|w| &w.components) {
                    if !c.amount.is_zero() {
                        s.kinds.insert(format!("{:?}", c.kind));
                    }
                }
                for p in &names {
                    s.fields
                        .insert(p.rsplit('.').next().unwrap_or(p).to_string());
                    if let Some(f) = WorkloadField::ALL
                        .iter()
                        .find(|f| p.ends_with(&format!(".{}", f.name())))
                    {
                        s.fields.insert(f.name().to_string());
                    }
                    if let Some(g) = GlobalField::ALL.iter().find(|g| g.name() == p) {
                        s.fields.insert(g.name().to_string());
                    }
                }
            }
        } else {
            // Off the fast path: a field it does not follow, or quantities too large to hold in
            // fixed point (which the final check's count of fast points keeps rare).
        }
        let (a, b) = (e.eval(&mut fast), e.eval_general(&mut slow));
        match (a, b) {
            (Ok(a), Ok(b)) => {
                prop_assert_eq!(a, b, "{:?} at point {}", names, n);
                // Off the fast path the winner's cost is `rank`'s, the kernel's bill.
                let mut s = seen.borrow_mut();
                for p in names
                    .iter()
                    .filter(|p| SIZE_PATHS.iter().any(|z| p.ends_with(z)))
                {
                    s.sizes.insert(
                        p.split_once("w0.")
                            .or(p.split_once("w1."))
                            .map_or(p.clone(), |x| x.1.to_string()),
                    );
                }
            }
            (Err(_), Err(_)) => {}
            (a, b) => prop_assert!(false, "{:?}: {:?} against {:?}", names, a, b),
        }
    }
    Ok(())
}

#[test]
fn sweep_equals_the_kernel_for_every_field_and_every_kind() {
    let config = Config {
        cases: 400,
        failure_persistence: None,
        ..Config::default()
    };
    let mut runner =
        TestRunner::new_with_rng(config, TestRng::deterministic_rng(RngAlgorithm::ChaCha));
    let seen = RefCell::new(Seen::default());
    if let Err(e) = runner.run(&case_gen(), |case| check(case, &seen)) {
        panic!("{e}");
    }
    let seen = seen.into_inner();
    assert!(seen.fast_points > 200, "{} fast points", seen.fast_points);
    // Every field the fast path follows was varied on it.
    for f in WorkloadField::ALL {
        if f.effect(0).is_some() {
            assert!(seen.fields.contains(f.name()), "{} never swept", f.name());
        }
    }
    for g in GlobalField::ALL {
        assert!(seen.fields.contains(g.name()), "{} never swept", g.name());
    }
    // Every content a workload can state (language, basis, characters, images) was billed.
    for (i, c) in CONTENTS.iter().enumerate() {
        assert!(
            seen.contents.contains(&i),
            "{c:?} never billed on the fast path"
        );
    }
    // The fast path priced workloads whose prompt sizes vary, through the kernel's own split,
    // and every distribution parameter was swept (through `rank`, whose bill is the kernel's).
    assert!(
        seen.varying_fast_points > 20,
        "{} fast points with a distribution",
        seen.varying_fast_points
    );
    for z in SIZE_PATHS {
        assert!(seen.sizes.contains(z), "{z} never swept: {:?}", seen.sizes);
    }
    // Every kind of component the fast path prices appeared in a bill it matched. Media are the
    // one kind outside the linear form: a workload with media never takes the fast path.
    for k in Kind::all().filter(|k| *k != Kind::Media) {
        assert!(seen.kinds.contains(&format!("{k:?}")), "{k:?} never billed");
    }
}

/// A field the fast path is not told to follow (here every path with no effect, such as a
/// discount, an override, a media volume or a route share) builds an engine without the fast
/// path, and its points are ranked in full.
#[test]
fn a_field_the_fast_path_does_not_follow_takes_the_exact_path() {
    let cat = Catalogue::embedded().expect("embedded catalogue");
    let base = Scenario::from_path(
        std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/scenarios/support-chatbot.toml"
        )),
        &cat,
    )
    .expect("example");
    let explicit = vec![false; base.workloads.len()];
    let mut exact = 0;
    for p in valid_paths(&base, &cat) {
        let Ok(st) = Setter::resolve(&p, &base, &cat, &explicit) else {
            continue;
        };
        let followed = st.effect().is_some();
        // One is a valid value of every rule.
        let values = Values::parse("1", st.whole()).expect("one value");
        let e = Engine::new(base.clone(), &cat, vec![st], vec![values]);
        assert_eq!(e.is_fast(), followed, "{p}");
        if !followed {
            exact += 1;
        }
    }
    assert!(exact > 50, "{exact} paths off the fast path");
    // Images on the chat workload: a field outside the allow-list, so every point is `rank`'s.
    let st = Setter::resolve("workload.chat.images_per_month", &base, &cat, &explicit).unwrap();
    assert_eq!(st.effect(), None);
    let e = Engine::new(
        base.clone(),
        &cat,
        vec![st],
        vec![Values::parse("0,1000", false).unwrap()],
    );
    assert!(!e.is_fast());
    let (mut a, mut b) = (e.worker(), e.worker());
    for i in 0..2 {
        e.set(&mut a, 0, e.axes[0].get(i));
        e.set(&mut b, 0, e.axes[0].get(i));
        assert_eq!(e.eval(&mut a).unwrap(), e.eval_general(&mut b).unwrap());
        assert_eq!(e.fast_costs(&mut a), None);
    }
}

//! Routing: how one workload's requests are shared between several models.
//!
//! A *route* sends a fixed share of requests to each model, as a router such as RouteLLM does. A
//! *cascade* sends every request to its first model and escalates a share to the next ones, as in
//! FrugalGPT. Both reduce to the same two things, so costing and fit never need to know which:
//!
//! - **legs**: a model, the share of the workload's requests that pay for it, and the extra input
//!   tokens those requests carry there;
//! - **answer shares**: the share of requests whose final answer each model gives.
//!
//! In a cascade `escalation[i]` is the share of *all* the workload's requests that reach
//! `models[i + 1]`, so the list never increases, and `models[i]` gives the final answer for
//! `escalation[i − 1] − escalation[i]` of them (taking `escalation[−1] = 1` and a last entry of 0).

use crate::money::format_percent;
use rust_decimal::Decimal;

/// How a workload's requests are shared between models.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Routing {
    /// A fixed share of requests for each model; the shares sum to exactly 1.
    Route(Vec<RouteShare>),
    /// Every request tries the first model; a share escalates to each later one.
    Cascade(Cascade),
}

/// One model of a route.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteShare {
    /// Model id.
    pub model: String,
    /// Share of the workload's requests, 0–1.
    pub share: Decimal,
}

/// A cascade, cheapest model first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cascade {
    /// Model ids in the order requests try them.
    pub models: Vec<String>,
    /// `escalation[i]`: the share of all requests that reach `models[i + 1]`; never increasing.
    pub escalation: Vec<Decimal>,
    /// Extra input tokens each escalated request carries to each later model.
    pub overhead_tokens: u64,
}

/// One model's part in a routed workload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Leg {
    /// Model id.
    pub model: String,
    /// Share of the workload's requests that are sent to, and pay for, this model.
    pub share: Decimal,
    /// Share of the workload's requests whose final answer this model gives.
    pub answers: Decimal,
    /// Input tokens each of these requests carries on top of the workload's `input_tokens`.
    pub extra_input_tokens: u64,
}

impl Routing {
    /// `"route"` or `"cascade"`, as written in files and JSON.
    pub fn kind(&self) -> &'static str {
        match self {
            Routing::Route(_) => "route",
            Routing::Cascade(_) => "cascade",
        }
    }

    /// The model ids, in the order of [`Routing::legs`].
    pub fn models(&self) -> Vec<&str> {
        match self {
            Routing::Route(shares) => shares.iter().map(|r| r.model.as_str()).collect(),
            Routing::Cascade(c) => c.models.iter().map(String::as_str).collect(),
        }
    }

    /// Every model the workload pays for: in order for cascades, in file order for routes.
    pub fn legs(&self) -> Vec<Leg> {
        match self {
            Routing::Route(shares) => shares
                .iter()
                .map(|r| Leg {
                    model: r.model.clone(),
                    share: r.share,
                    answers: r.share,
                    extra_input_tokens: 0,
                })
                .collect(),
            Routing::Cascade(c) => c
                .models
                .iter()
                .enumerate()
                .map(|(i, m)| {
                    // Validation guarantees len(escalation) = len(models) − 1; a hand-built
                    // cascade with fewer shares escalates nothing past its last one.
                    let reach = match i {
                        0 => Decimal::ONE,
                        _ => c.escalation.get(i - 1).copied().unwrap_or(Decimal::ZERO),
                    };
                    let onward = c.escalation.get(i).copied().unwrap_or(Decimal::ZERO);
                    Leg {
                        model: m.clone(),
                        share: reach,
                        answers: reach - onward,
                        extra_input_tokens: if i == 0 { 0 } else { c.overhead_tokens },
                    }
                })
                .collect(),
        }
    }

    /// Sets one model's route share to `x` (0–1) and rescales the others in proportion, so the
    /// shares still sum to exactly 1: in a two-model route the other gets 1 − x. If the others
    /// had no share at all they split 1 − x equally. The last of the others absorbs any rounding
    /// at 28 digits (only a non-terminating ratio such as ÷ 0.7 rounds at all). This is what
    /// varying `workload.<name>.route.<model>` means.
    pub fn set_route_share(&mut self, model: &str, x: Decimal) -> Result<(), String> {
        let Routing::Route(shares) = self else {
            return Err("the workload has a cascade, not a route".into());
        };
        if x < Decimal::ZERO || x > Decimal::ONE {
            return Err(format!("a route share must be between 0 and 1, found {x}"));
        }
        let Some(at) = shares.iter().position(|r| r.model == model) else {
            let ids: Vec<&str> = shares.iter().map(|r| r.model.as_str()).collect();
            return Err(format!(
                "`{model}` is not on this route; it has {}",
                ids.join(", ")
            ));
        };
        let others = Decimal::ONE - shares[at].share;
        let n = Decimal::from(shares.len() - 1);
        let rest = Decimal::ONE - x;
        let mut given = Decimal::ZERO;
        let last = (0..shares.len()).rev().find(|i| *i != at).unwrap_or(at);
        for (i, r) in shares.iter_mut().enumerate() {
            if i == at {
                r.share = x;
            } else if i == last {
                continue;
            } else {
                r.share = if others.is_zero() {
                    rest / n
                } else {
                    r.share * rest / others
                };
                given += r.share;
            }
        }
        if last != at {
            shares[last].share = rest - given;
        }
        Ok(())
    }

    /// Sets `escalation[i]` (0-based) of a cascade, refusing a value that would make the list
    /// increase. This is what varying `workload.<name>.cascade.escalation.<i>` means.
    pub fn set_escalation(&mut self, i: usize, x: Decimal) -> Result<(), String> {
        let Routing::Cascade(c) = self else {
            return Err("the workload has a route, not a cascade".into());
        };
        let len = c.escalation.len();
        if i >= len {
            return Err(format!(
                "the cascade has {len} escalation share(s); use an index below {len}"
            ));
        }
        let upper = if i == 0 {
            Decimal::ONE
        } else {
            c.escalation[i - 1]
        };
        let lower = c.escalation.get(i + 1).copied().unwrap_or(Decimal::ZERO);
        if x < lower || x > upper {
            return Err(format!(
                "escalation[{i}] must be between {} and {} so the list never increases, found {x}",
                lower.normalize(),
                upper.normalize()
            ));
        }
        c.escalation[i] = x;
        Ok(())
    }

    /// The name a routed candidate goes by:
    /// `route: 80% anthropic/claude-3-haiku + 20% anthropic/claude-3-opus`, or
    /// `cascade: anthropic/claude-3-haiku → 30% anthropic/claude-3-opus (+500 tokens)`.
    pub fn label(&self) -> String {
        match self {
            Routing::Route(shares) => {
                let mut sorted: Vec<&RouteShare> = shares.iter().collect();
                sorted.sort_by(|a, b| b.share.cmp(&a.share).then_with(|| a.model.cmp(&b.model)));
                let parts: Vec<String> = sorted
                    .iter()
                    .map(|r| format!("{} {}", format_percent(r.share), r.model))
                    .collect();
                format!("route: {}", parts.join(" + "))
            }
            Routing::Cascade(c) => {
                let mut out = format!("cascade: {}", c.models.first().map_or("", String::as_str));
                for (m, e) in c.models.iter().skip(1).zip(&c.escalation) {
                    out.push_str(&format!(" → {} {m}", format_percent(*e)));
                }
                if c.overhead_tokens > 0 {
                    out.push_str(&format!(" (+{} tokens)", c.overhead_tokens));
                }
                out
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn cascade_legs_pay_by_reach_and_answer_by_difference() {
        let c = Routing::Cascade(Cascade {
            models: vec!["a/cheap".into(), "a/mid".into(), "a/strong".into()],
            escalation: vec![d("0.3"), d("0.1")],
            overhead_tokens: 500,
        });
        let legs = c.legs();
        // Every request pays for a/cheap; 30% also pay for a/mid, 10% for a/strong.
        assert_eq!(
            legs.iter().map(|l| l.share).collect::<Vec<_>>(),
            vec![d("1"), d("0.3"), d("0.1")]
        );
        // a/cheap answers 1 − 0.3, a/mid 0.3 − 0.1, a/strong the last 0.1.
        assert_eq!(
            legs.iter().map(|l| l.answers).collect::<Vec<_>>(),
            vec![d("0.7"), d("0.2"), d("0.1")]
        );
        assert_eq!(
            legs.iter()
                .map(|l| l.extra_input_tokens)
                .collect::<Vec<_>>(),
            vec![0, 500, 500]
        );
        assert_eq!(
            c.label(),
            "cascade: a/cheap → 30% a/mid → 10% a/strong (+500 tokens)"
        );
    }

    fn route(shares: &[(&str, &str)]) -> Routing {
        Routing::Route(
            shares
                .iter()
                .map(|(m, s)| RouteShare {
                    model: m.to_string(),
                    share: d(s),
                })
                .collect(),
        )
    }

    fn shares(r: &Routing) -> Vec<Decimal> {
        r.legs().iter().map(|l| l.share).collect()
    }

    #[test]
    fn setting_a_route_share_rescales_the_others() {
        // Two models: the other gets 1 − x.
        let mut r = route(&[("a", "0.8"), ("b", "0.2")]);
        r.set_route_share("b", d("0.35")).unwrap();
        assert_eq!(shares(&r), vec![d("0.65"), d("0.35")]);
        // Three models: a and b keep their 3 : 1 ratio of the remaining 0.6 → 0.45 and 0.15.
        let mut r = route(&[("a", "0.6"), ("b", "0.2"), ("c", "0.2")]);
        r.set_route_share("c", d("0.4")).unwrap();
        assert_eq!(shares(&r), vec![d("0.45"), d("0.15"), d("0.4")]);
        // A ratio that does not terminate (÷ 0.7) still sums to exactly 1.
        let mut r = route(&[("a", "0.4"), ("b", "0.3"), ("c", "0.3")]);
        r.set_route_share("b", d("0.5")).unwrap();
        assert_eq!(shares(&r).into_iter().sum::<Decimal>(), Decimal::ONE);
        // Others with no share split the rest equally.
        let mut r = route(&[("a", "1"), ("b", "0"), ("c", "0")]);
        r.set_route_share("a", d("0.5")).unwrap();
        assert_eq!(shares(&r), vec![d("0.5"), d("0.25"), d("0.25")]);
        assert!(r
            .set_route_share("z", d("0.5"))
            .unwrap_err()
            .contains("not on this route"));
        assert!(r.set_route_share("a", d("1.5")).is_err());
    }

    #[test]
    fn setting_an_escalation_keeps_the_list_from_increasing() {
        let mut c = Routing::Cascade(Cascade {
            models: vec!["a".into(), "b".into(), "c".into()],
            escalation: vec![d("0.3"), d("0.1")],
            overhead_tokens: 0,
        });
        c.set_escalation(0, d("0.5")).unwrap();
        c.set_escalation(1, d("0.5")).unwrap();
        assert_eq!(shares(&c), vec![d("1"), d("0.5"), d("0.5")]);
        assert!(c
            .set_escalation(1, d("0.6"))
            .unwrap_err()
            .contains("between 0 and 0.5"));
        assert!(c.set_escalation(2, d("0.1")).is_err());
    }

    #[test]
    fn route_label_lists_the_biggest_share_first() {
        let r = Routing::Route(vec![
            RouteShare {
                model: "anthropic/claude-3-opus".into(),
                share: d("0.2"),
            },
            RouteShare {
                model: "anthropic/claude-3-haiku".into(),
                share: d("0.8"),
            },
        ]);
        assert_eq!(
            r.label(),
            "route: 80% anthropic/claude-3-haiku + 20% anthropic/claude-3-opus"
        );
        assert_eq!(
            r.legs().iter().map(|l| l.answers).sum::<Decimal>(),
            Decimal::ONE
        );
    }
}

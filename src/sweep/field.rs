//! The numeric fields a sweep can vary, each named once, with its validation rule, how a value is
//! assigned, and what the fast path must recompute when it changes.
//!
//! Every property is an exhaustive `match`: a new field does not compile until it says how it is
//! checked, assigned and whether the fast path can follow it. The fast path's gate is an allow-list
//! ([`Effect`]): a field it is not told how to follow sends every point down the exact path.

use crate::scenario::{Requests, Scenario, Workload};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

/// Declares a field enum with its names: `ALL` lists every variant in declaration order, so lists
/// built from it (help, suggestions) never miss one, and each name is written once.
macro_rules! fields {
    ($(#[$m:meta])* $E:ident { $($(#[$vm:meta])* $V:ident = $name:literal,)+ }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $E {
            $($(#[$vm])* $V,)+
        }

        impl $E {
            /// Every field, in the order help and suggestions list them.
            pub const ALL: &'static [$E] = &[$($E::$V,)+];

            /// The field's name in a `--vary` path.
            pub fn name(self) -> &'static str {
                match self {
                    $($E::$V => $name,)+
                }
            }

            /// The field with this name.
            pub fn parse(name: &str) -> Option<$E> {
                $E::ALL.iter().copied().find(|f| f.name() == name)
            }
        }
    };
}

fields! {
    /// A numeric field of a workload: `workload.<name>.<field>`.
    WorkloadField {
        /// `requests_per_day`.
        RequestsPerDay = "requests_per_day",
        /// `requests_per_month`.
        RequestsPerMonth = "requests_per_month",
        /// `input_tokens`.
        InputTokens = "input_tokens",
        /// `output_tokens`.
        OutputTokens = "output_tokens",
        /// `cached_input_share`.
        CachedInputShare = "cached_input_share",
        /// `batch_share`.
        BatchShare = "batch_share",
        /// `context_tokens`.
        ContextTokens = "context_tokens",
        /// `images_per_month`.
        ImagesPerMonth = "images_per_month",
        /// `video_seconds_per_month`.
        VideoSecondsPerMonth = "video_seconds_per_month",
        /// `cache.prefix_tokens` of `[workload.cache]`.
        CachePrefixTokens = "cache.prefix_tokens",
        /// `cache.hit_rate` of `[workload.cache]`.
        CacheHitRate = "cache.hit_rate",
        /// `cache.storage_hours_per_month` of `[workload.cache]`.
        CacheStorageHours = "cache.storage_hours_per_month",
    }
}

fields! {
    /// A numeric field of the scenario as a whole.
    GlobalField {
        /// `days_per_month`.
        DaysPerMonth = "days_per_month",
        /// `horizon_months`.
        HorizonMonths = "horizon_months",
        /// `monthly_growth`.
        MonthlyGrowth = "monthly_growth",
        /// `requirements.min_context_tokens`.
        MinContextTokens = "requirements.min_context_tokens",
        /// `requirements.max_monthly_cost`.
        MaxMonthlyCost = "requirements.max_monthly_cost",
    }
}

fields! {
    /// A price a `[pricing.override."<model>"]` sets: `pricing.override.<model>.<field>`.
    PriceField {
        /// `input`.
        Input = "input",
        /// `output`.
        Output = "output",
        /// `cached_input`.
        CachedInput = "cached_input",
    }
}

/// The validation rule of a field, as in the scenario file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// A whole number in `min..=max`.
    Whole {
        /// Smallest value.
        min: u64,
        /// Largest value.
        max: u64,
    },
    /// A fraction, 0 to 1.
    Fraction,
    /// Above zero.
    Positive,
    /// Zero or above.
    NonNegative,
    /// Above −1 and at most 10 (monthly growth).
    Growth,
    /// Any number.
    Any,
}

/// Whose bill a change of value moves, for the fast path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bills {
    /// The workload at this index.
    Workload(usize),
    /// Every workload whose volume is given per day.
    PerDay,
}

/// What the sweep's fast path must recompute when a field's value changes. A field with an effect
/// is one the fast path can follow; every other field sends each point down the exact path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Effect {
    /// Workloads whose quantities change, so their bill on every model is priced again.
    pub bills: Option<Bills>,
    /// Context and output needs change, so which models fit is checked again.
    pub context: bool,
    /// The budget changes.
    pub budget: bool,
}

impl WorkloadField {
    /// The scenario file's rule for the field.
    pub fn rule(self) -> Rule {
        match self {
            WorkloadField::RequestsPerDay | WorkloadField::RequestsPerMonth => Rule::Positive,
            WorkloadField::InputTokens
            | WorkloadField::ContextTokens
            | WorkloadField::CachePrefixTokens => Rule::Whole {
                min: 1,
                max: u64::MAX,
            },
            WorkloadField::OutputTokens => Rule::Whole {
                min: 0,
                max: u64::MAX,
            },
            WorkloadField::CachedInputShare
            | WorkloadField::BatchShare
            | WorkloadField::CacheHitRate => Rule::Fraction,
            WorkloadField::ImagesPerMonth
            | WorkloadField::VideoSecondsPerMonth
            | WorkloadField::CacheStorageHours => Rule::NonNegative,
        }
    }

    /// Assigns a checked value.
    pub fn apply(self, w: &mut Workload, v: Decimal) {
        match self {
            WorkloadField::RequestsPerDay => w.requests = Some(Requests::PerDay(v)),
            WorkloadField::RequestsPerMonth => w.requests = Some(Requests::PerMonth(v)),
            // A count set by the sweep replaces characters the file gave instead.
            WorkloadField::InputTokens => {
                w.input_tokens = whole(v);
                w.content.input_chars = None;
            }
            WorkloadField::OutputTokens => {
                w.output_tokens = whole(v);
                w.content.output_chars = None;
            }
            WorkloadField::CachedInputShare => w.cached_input_share = v,
            WorkloadField::BatchShare => w.batch_share = v,
            WorkloadField::ContextTokens => w.context_tokens = whole(v),
            WorkloadField::ImagesPerMonth => w.images_per_month = v,
            WorkloadField::VideoSecondsPerMonth => w.video_seconds_per_month = v,
            // A path to a cache field resolves only on a workload with a `[workload.cache]`.
            WorkloadField::CachePrefixTokens => {
                if let Some(c) = &mut w.cache {
                    c.prefix_tokens = whole(v);
                }
            }
            WorkloadField::CacheHitRate => {
                if let Some(c) = &mut w.cache {
                    c.hit_rate = v;
                }
            }
            WorkloadField::CacheStorageHours => {
                if let Some(c) = &mut w.cache {
                    c.storage_hours_per_month = v;
                }
            }
        }
    }

    /// What the fast path redoes when the field of workload `index` changes, or `None` when it
    /// cannot follow the field.
    pub fn effect(self, index: usize) -> Option<Effect> {
        let bills = Some(Bills::Workload(index));
        match self {
            WorkloadField::RequestsPerDay
            | WorkloadField::RequestsPerMonth
            | WorkloadField::CachedInputShare
            | WorkloadField::BatchShare
            | WorkloadField::CachePrefixTokens
            | WorkloadField::CacheHitRate
            | WorkloadField::CacheStorageHours => Some(Effect {
                bills,
                ..Effect::default()
            }),
            WorkloadField::InputTokens | WorkloadField::OutputTokens => Some(Effect {
                bills,
                context: true,
                ..Effect::default()
            }),
            WorkloadField::ContextTokens => Some(Effect {
                context: true,
                ..Effect::default()
            }),
            // Media are priced by plans and unit prices the fast path does not hold.
            WorkloadField::ImagesPerMonth | WorkloadField::VideoSecondsPerMonth => None,
        }
    }

    /// Whether a workload's `context_tokens` follows this field when the file does not set it.
    pub fn feeds_context(self) -> bool {
        match self {
            WorkloadField::InputTokens | WorkloadField::OutputTokens => true,
            WorkloadField::RequestsPerDay
            | WorkloadField::RequestsPerMonth
            | WorkloadField::CachedInputShare
            | WorkloadField::BatchShare
            | WorkloadField::ContextTokens
            | WorkloadField::ImagesPerMonth
            | WorkloadField::VideoSecondsPerMonth
            | WorkloadField::CachePrefixTokens
            | WorkloadField::CacheHitRate
            | WorkloadField::CacheStorageHours => false,
        }
    }
}

impl GlobalField {
    /// The scenario file's rule for the field.
    pub fn rule(self) -> Rule {
        match self {
            GlobalField::DaysPerMonth => Rule::Whole { min: 1, max: 31 },
            GlobalField::HorizonMonths => Rule::Whole { min: 1, max: 1200 },
            GlobalField::MonthlyGrowth => Rule::Growth,
            GlobalField::MinContextTokens => Rule::Whole {
                min: 1,
                max: u64::MAX,
            },
            GlobalField::MaxMonthlyCost => Rule::NonNegative,
        }
    }

    /// Assigns a checked value.
    pub fn apply(self, s: &mut Scenario, v: Decimal) {
        match self {
            GlobalField::DaysPerMonth => s.days_per_month = whole(v) as u32,
            GlobalField::HorizonMonths => s.horizon_months = whole(v) as u32,
            GlobalField::MonthlyGrowth => s.monthly_growth = v,
            GlobalField::MinContextTokens => s.requirements.min_context_tokens = Some(whole(v)),
            GlobalField::MaxMonthlyCost => s.requirements.max_monthly_cost = Some(v),
        }
    }

    /// What the fast path redoes when the field changes; every scenario-wide field is followed.
    pub fn effect(self) -> Option<Effect> {
        match self {
            GlobalField::DaysPerMonth => Some(Effect {
                bills: Some(Bills::PerDay),
                ..Effect::default()
            }),
            // The horizon cost is worked out for the winner at every point; nothing is cached.
            GlobalField::HorizonMonths | GlobalField::MonthlyGrowth => Some(Effect::default()),
            GlobalField::MinContextTokens => Some(Effect {
                context: true,
                ..Effect::default()
            }),
            GlobalField::MaxMonthlyCost => Some(Effect {
                budget: true,
                ..Effect::default()
            }),
        }
    }

    /// Whether the field changes the horizon cost without changing the monthly one.
    pub fn horizon(self) -> bool {
        match self {
            GlobalField::HorizonMonths | GlobalField::MonthlyGrowth => true,
            GlobalField::DaysPerMonth
            | GlobalField::MinContextTokens
            | GlobalField::MaxMonthlyCost => false,
        }
    }
}

impl PriceField {
    /// Assigns a checked value to a model's override.
    pub fn apply(self, o: &mut crate::scenario::PriceOverride, v: Decimal) {
        match self {
            PriceField::Input => o.input = Some(v),
            PriceField::Output => o.output = Some(v),
            PriceField::CachedInput => o.cached_input = Some(v),
        }
    }
}

/// `a`, `b` or `c`: the names of a field list for a message.
pub fn either<E: Copy>(all: &[E], name: impl Fn(E) -> &'static str) -> String {
    let names: Vec<String> = all.iter().map(|f| format!("`{}`", name(*f))).collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        Some((last, _)) => last.clone(),
        None => String::new(),
    }
}

/// A whole field's value: grid values of whole fields are whole with no decimals, so the mantissa
/// is read directly, as `to_u64` would after its (slower) truncation.
fn whole(v: Decimal) -> u64 {
    match u64::try_from(v.mantissa()) {
        Ok(n) if v.scale() == 0 => n,
        _ => v.to_u64().unwrap_or(0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_parse_back() {
        for f in WorkloadField::ALL {
            assert_eq!(WorkloadField::parse(f.name()), Some(*f));
        }
        for f in GlobalField::ALL {
            assert_eq!(GlobalField::parse(f.name()), Some(*f));
        }
        for f in PriceField::ALL {
            assert_eq!(PriceField::parse(f.name()), Some(*f));
        }
        assert_eq!(WorkloadField::parse("cached_input"), None);
        assert_eq!(
            either(PriceField::ALL, PriceField::name),
            "`input`, `output` or `cached_input`"
        );
    }
}

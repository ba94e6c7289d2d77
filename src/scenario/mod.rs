//! Scenarios: the workload a user wants to buy for, validated against the catalogue.

mod blocks;
pub mod cache;
pub mod content;
pub mod custom;
pub mod distribution;
pub mod forecast;
pub mod input_names;
pub mod range;
pub mod raw;
pub mod raw_route;
pub mod routing;
mod validate;

pub use validate::{max_workloads, DEFAULT_MAX_WORKLOADS, MAX_WORKLOADS_VAR};

use crate::catalogue::vocab::{Capability, KvPrecision, Modality, Precision, Status};
use crate::catalogue::Catalogue;
use crate::cost::distribution::Size;
use crate::diag::KeyPath;
use crate::error::{Error, Result};
use crate::money::Currency;
use crate::source::SourceFile;
use raw::{MissingPolicy, Objective, RawScenario};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

/// A validated scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// Name.
    pub name: String,
    /// Free text.
    pub description: Option<String>,
    /// Currency every amount is reported in.
    pub currency: Currency,
    /// Days in a billing month.
    pub days_per_month: u32,
    /// Months in the horizon.
    pub horizon_months: u32,
    /// Month-on-month growth, as a fraction.
    pub monthly_growth: Decimal,
    /// The workloads.
    pub workloads: Vec<Workload>,
    /// Hard requirements.
    pub requirements: Requirements,
    /// Fit weights and policy.
    pub fit: FitSpec,
    /// Exchange rates, discounts and negotiated prices.
    pub pricing: Pricing,
    /// Ordering.
    pub objective: Objective,
    /// The balanced objective's exchange rate: fit points per tenfold in cost.
    pub points_per_tenfold: Decimal,
    /// Rows to show.
    pub top: Option<usize>,
    /// The file it was read from, kept so that a fault found later, such as an overflow while
    /// pricing, can still name the line that caused it.
    pub origin: Arc<SourceFile>,
    /// Self-hosted candidates, if the scenario asks for them.
    pub selfhost: Option<Selfhost>,
    /// Ranges and trials, if the scenario has `[forecast]` or a range.
    pub forecast: Option<Arc<forecast::Forecast>>,
}

/// How open-weight models are to be served on rented GPUs (`[selfhost]`).
#[derive(Debug, Clone, PartialEq)]
pub struct Selfhost {
    /// Accelerator ids to try: the file's list, or every eligible one in the catalogue.
    pub gpus: Vec<String>,
    /// Whether the file named the GPUs (otherwise every eligible one is tried).
    pub gpus_named: bool,
    /// Consumer cards may be offered.
    pub allow_consumer_gpus: bool,
    /// Weight precision.
    pub precision: Precision,
    /// Key/value cache precision.
    pub kv_precision: KvPrecision,
    /// Share of a replica's estimated throughput planned on, in (0, 1].
    pub utilization: Decimal,
    /// Replicas kept running however low the traffic, at least 1.
    pub min_replicas: u64,
    /// Replicas added on top of those the peak needs.
    pub spare_replicas: u64,
    /// Peak load ÷ average load, at least 1.
    pub peak_to_average: Decimal,
    /// Most sequences decoded together.
    pub max_batch: u64,
    /// Share of GPU memory kept for the runtime, in [0, 1).
    pub runtime_reserve: Decimal,
    /// Longest acceptable time to the first token, milliseconds.
    pub max_time_to_first_token_ms: Option<Decimal>,
    /// Slowest acceptable output tokens a second for each user.
    pub min_output_tokens_per_s_per_user: Option<Decimal>,
    /// Hours paid for in a month.
    pub hours_per_month: Decimal,
    /// Negotiated USD per GPU-hour by accelerator id.
    pub gpu_hourly_price: BTreeMap<String, Decimal>,
}

impl Selfhost {
    /// Utilization assumed when a scenario does not say: the estimated throughput is already
    /// calibrated to measurements, and peaks and spares have their own settings.
    pub const DEFAULT_UTILIZATION: Decimal = Decimal::ONE;
    /// Batch cap assumed when a scenario does not say.
    pub const DEFAULT_MAX_BATCH: u64 = 256;
    /// Memory kept for activations, the CUDA context and allocator slack: vLLM's default
    /// `gpu_memory_utilization` of 0.9 leaves 10%.
    pub const DEFAULT_RUNTIME_RESERVE: Decimal = Decimal::from_parts(1, 0, 0, false, 1);
    /// Hours in an average month: 365 × 24 ÷ 12.
    pub const DEFAULT_HOURS_PER_MONTH: Decimal = Decimal::from_parts(730, 0, 0, false, 0);

    /// The settings `llmplan breakeven` uses for a scenario without `[selfhost]`: every
    /// data-centre GPU in the catalogue, bf16 weights and cache, one replica, no peak allowance.
    pub fn defaults(catalogue: &Catalogue) -> Selfhost {
        Selfhost {
            gpus: Selfhost::eligible_gpus(catalogue, false),
            gpus_named: false,
            allow_consumer_gpus: false,
            precision: Precision::Bf16,
            kv_precision: KvPrecision::Bf16,
            utilization: Selfhost::DEFAULT_UTILIZATION,
            min_replicas: 1,
            spare_replicas: 0,
            peak_to_average: Decimal::ONE,
            max_batch: Selfhost::DEFAULT_MAX_BATCH,
            runtime_reserve: Selfhost::DEFAULT_RUNTIME_RESERVE,
            max_time_to_first_token_ms: None,
            min_output_tokens_per_s_per_user: None,
            hours_per_month: Selfhost::DEFAULT_HOURS_PER_MONTH,
            gpu_hourly_price: BTreeMap::new(),
        }
    }

    /// Every accelerator in the catalogue, consumer cards only when allowed.
    pub fn eligible_gpus(catalogue: &Catalogue, allow_consumer: bool) -> Vec<String> {
        catalogue
            .hardware
            .accelerators
            .iter()
            .filter(|a| allow_consumer || !a.consumer)
            .map(|a| a.id.clone())
            .collect()
    }

    /// USD per GPU-hour: the negotiated rate, else the catalogue's on-demand price.
    pub fn hourly_usd(&self, catalogue: &Catalogue, gpu: &str) -> Option<Decimal> {
        self.gpu_hourly_price.get(gpu).copied().or_else(|| {
            catalogue
                .hardware
                .get(gpu)
                .and_then(|a| a.price.as_ref())
                .map(|p| p.hourly)
        })
    }
}

/// One workload.
#[derive(Debug, Clone, PartialEq)]
pub struct Workload {
    /// Name.
    pub name: String,
    /// Request volume, if the workload is priced per token.
    pub requests: Option<Requests>,
    /// Input tokens a request; with `input_size`, their mean rounded to whole tokens (for
    /// estimates that need one number, such as a GPU fleet's load).
    pub input_tokens: u64,
    /// Output tokens a request; with `output_size`, their mean rounded to whole tokens.
    pub output_tokens: u64,
    /// Input tokens as a distribution, when they vary; the bill uses it instead of `input_tokens`.
    pub input_size: Option<Box<Size>>,
    /// Output tokens as a distribution, when they vary.
    pub output_size: Option<Box<Size>>,
    /// Fraction of input tokens served from cache: the simple form of prompt caching.
    pub cached_input_share: Decimal,
    /// A cached prompt prefix, billed as vendors bill it.
    pub cache: Option<Box<cache::Cache>>,
    /// Fraction of requests sent through a batch API.
    pub batch_share: Decimal,
    /// Largest prompt plus output that must fit.
    pub context_tokens: u64,
    /// Images to generate a month.
    pub images_per_month: Decimal,
    /// Seconds of video to generate a month.
    pub video_seconds_per_month: Decimal,
    /// How requests are shared between models, if the file routes this workload.
    pub routing: Option<Box<routing::Routing>>,
    /// Its language, characters and images, which make each model bill its own token counts.
    pub content: content::Content,
}

/// A request rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Requests {
    /// Per day; a month is `days_per_month` days.
    PerDay(Decimal),
    /// Per month.
    PerMonth(Decimal),
}

impl Workload {
    /// Requests in a month: R = requests_per_day × days_per_month, or requests_per_month.
    pub fn monthly_requests(&self, days_per_month: u32) -> Result<Decimal> {
        match self.requests {
            None => Ok(Decimal::ZERO),
            Some(Requests::PerMonth(r)) => Ok(r),
            Some(Requests::PerDay(r)) => {
                r.checked_mul(Decimal::from(days_per_month)).ok_or_else(|| {
                    Error::overflow(format!("requests per month of workload `{}`", self.name))
                })
            }
        }
    }

    /// Whether the workload generates images or video.
    pub fn is_media(&self) -> bool {
        !self.images_per_month.is_zero() || !self.video_seconds_per_month.is_zero()
    }

    /// The field that sets this workload's volume, for pointing at it when an amount overflows.
    pub fn volume_key(&self) -> &'static str {
        match self.requests {
            Some(Requests::PerDay(_)) => "requests_per_day",
            Some(Requests::PerMonth(_)) => "requests_per_month",
            None if self.images_per_month.is_zero() => "video_seconds_per_month",
            None => "images_per_month",
        }
    }
}

/// Hard requirements on candidates.
#[derive(Debug, Clone, PartialEq)]
pub struct Requirements {
    /// Smallest acceptable context window.
    pub min_context_tokens: Option<u64>,
    /// The percentile request that must fit a model's window (default 0.99).
    pub context_percentile: Decimal,
    /// Input modalities required.
    pub modalities: Vec<Modality>,
    /// Output modalities required.
    pub output_modalities: Vec<Modality>,
    /// Capabilities required.
    pub capabilities: Vec<Capability>,
    /// Languages required.
    pub languages: Vec<String>,
    /// Open weights required or forbidden.
    pub open_weights: Option<bool>,
    /// Only these vendors, if not empty.
    pub vendors: Vec<String>,
    /// Never these vendors.
    pub exclude_vendors: Vec<String>,
    /// Never these models.
    pub exclude_models: Vec<String>,
    /// Floors on benchmark values.
    pub min_scores: BTreeMap<String, Decimal>,
    /// Budget per month.
    pub max_monthly_cost: Option<Decimal>,
    /// Statuses that may be bought.
    pub statuses: Vec<Status>,
    /// Keep models that have no score for a floor's benchmark, flagged as unverified.
    pub allow_unscored: bool,
}

/// How fit is scored.
#[derive(Debug, Clone, PartialEq)]
pub struct FitSpec {
    /// Benchmark id (registry or custom) to weight.
    pub weights: BTreeMap<String, Decimal>,
    /// What a missing score becomes.
    pub missing: MissingPolicy,
    /// The least coverage (observed weight ÷ total weight) a model needs for a fit.
    pub min_coverage: Decimal,
    /// Whether the registry weights were the defaults.
    pub default_weights: bool,
    /// The scenario's own evals, by id.
    pub custom: BTreeMap<String, custom::CustomEval>,
}

/// The weights used when a scenario gives none: general knowledge, maths and code, equally.
pub const DEFAULT_WEIGHTS: &[&str] = &["mmlu", "gsm8k", "humaneval"];

/// The balanced objective's default exchange rate: a tenfold dearer model must fit 25 points
/// better to break even.
pub const DEFAULT_POINTS_PER_TENFOLD: Decimal = Decimal::from_parts(25, 0, 0, false, 0);

/// Pricing adjustments.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Pricing {
    /// Units per 1 USD, overriding the catalogue.
    pub fx: BTreeMap<Currency, Decimal>,
    /// Fraction off, by vendor or model id.
    pub discounts: BTreeMap<String, Decimal>,
    /// Negotiated prices by model id, in the vendor's currency.
    pub overrides: BTreeMap<String, PriceOverride>,
    /// Scheduled prices, by first month.
    pub schedule: Vec<forecast::Scheduled>,
    /// Price change per year (the point value of a range) by vendor or model id.
    pub change_per_year: BTreeMap<String, Decimal>,
}

/// Negotiated per-1M-token prices.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PriceOverride {
    /// Input.
    pub input: Option<Decimal>,
    /// Output.
    pub output: Option<Decimal>,
    /// Cached input.
    pub cached_input: Option<Decimal>,
    /// Cache write.
    pub cache_write: Option<Decimal>,
}

impl Pricing {
    /// The discount for a model: its own, else its vendor's, else none.
    pub fn discount_for(&self, model_id: &str, vendor_id: &str) -> Decimal {
        self.discounts
            .get(model_id)
            .or_else(|| self.discounts.get(vendor_id))
            .copied()
            .unwrap_or(Decimal::ZERO)
    }
}

impl Scenario {
    /// Reads and validates a scenario file.
    pub fn from_path(path: &Path, catalogue: &Catalogue) -> Result<Scenario> {
        let src = SourceFile::read(path).map_err(Error::input)?;
        Scenario::from_shared(Arc::new(src), catalogue)
    }

    /// Validates a scenario held in memory.
    pub fn from_source(src: &SourceFile, catalogue: &Catalogue) -> Result<Scenario> {
        Scenario::from_shared(Arc::new(src.clone()), catalogue)
    }

    /// The scenario file as written, before validation: read one `[[workload]]` table at a time,
    /// as [`Scenario::from_shared`] reads it.
    pub fn read_raw(src: &SourceFile) -> Result<RawScenario> {
        validate::count_workloads(src).map_err(Error::input)?;
        blocks::parse(src).map_err(Error::input)
    }

    /// Validates a scenario held in memory, keeping `src` itself as its [`Scenario::origin`]
    /// rather than a copy of the text.
    pub fn from_shared(src: Arc<SourceFile>, catalogue: &Catalogue) -> Result<Scenario> {
        validate::count_workloads(&src).map_err(Error::input)?;
        let raw: RawScenario = blocks::parse(&src).map_err(Error::input)?;
        validate::scenario(&src, raw, catalogue).map_err(Error::Input)
    }

    /// Validates an already-parsed scenario; `name` is used in messages.
    pub fn from_raw(name: &str, raw: RawScenario, catalogue: &Catalogue) -> Result<Scenario> {
        let src = Arc::new(SourceFile {
            name: name.to_string(),
            text: String::new(),
        });
        validate::scenario(&src, raw, catalogue).map_err(Error::Input)
    }

    /// The scenario without its workloads: everything that prices a workload (currency, calendar,
    /// pricing) at the cost of the settings alone, for pricing workloads one at a time under
    /// several price lists ([`crate::cost::workload_priced`]).
    pub fn prices_only(&self) -> Scenario {
        Scenario {
            name: self.name.clone(),
            description: self.description.clone(),
            currency: self.currency,
            days_per_month: self.days_per_month,
            horizon_months: self.horizon_months,
            monthly_growth: self.monthly_growth,
            workloads: Vec::new(),
            requirements: self.requirements.clone(),
            fit: self.fit.clone(),
            pricing: self.pricing.clone(),
            objective: self.objective,
            points_per_tenfold: self.points_per_tenfold,
            top: self.top,
            origin: self.origin.clone(),
            selfhost: self.selfhost.clone(),
            forecast: self.forecast.clone(),
        }
    }

    /// Where workload `name`'s volume is set: the line to blame when its amounts overflow. Names
    /// are unique within a scenario; an unknown name (a workload built in code) blames the
    /// `[[workload]]` tables as a whole.
    pub fn volume_path(&self, name: &str) -> KeyPath {
        let workloads = KeyPath::root().key("workload");
        match self.workloads.iter().position(|w| w.name == name) {
            Some(i) => workloads.index(i).key(self.workloads[i].volume_key()),
            None => workloads,
        }
    }

    /// The line to blame when the horizon total overflows: the growth, or if there is none the
    /// number of months.
    pub fn horizon_path(&self) -> KeyPath {
        let key = if self.monthly_growth.is_zero() {
            "horizon_months"
        } else {
            "monthly_growth"
        };
        KeyPath::root().key(key)
    }

    /// Turns an overflow met while pricing into an input fault at `path` of the scenario file, so
    /// the user sees the line to fix; any other error passes through unchanged.
    pub fn overflow_at(&self, path: &KeyPath, e: Error) -> Error {
        match e {
            Error::Overflow(what) => Error::input(
                self.origin
                    .at(path, format!("arithmetic overflow ({what}): the amounts are too large to compute exactly"))
                    .with_help("check this value for a typo or extra zeros; every amount must stay below 79,228,162,514,264,337,593,543,950,335"),
            ),
            other => other,
        }
    }

    /// Whether any workload is routed or cascaded.
    pub fn has_routes(&self) -> bool {
        self.workloads.iter().any(|w| w.routing.is_some())
    }

    /// Whether some workload has no route, so that a single model must serve it.
    pub fn has_unrouted(&self) -> bool {
        self.workloads.iter().any(|w| w.routing.is_none())
    }

    /// Names of the workloads with no route, which a single model must serve.
    pub fn unrouted(&self) -> Vec<&str> {
        self.workloads
            .iter()
            .filter(|w| w.routing.is_none())
            .map(|w| w.name.as_str())
            .collect()
    }

    /// The catalogue's exchange rates with this scenario's overrides applied.
    pub fn fx(&self, catalogue: &Catalogue) -> crate::catalogue::fx::FxTable {
        let mut fx = catalogue.fx.clone();
        for (c, r) in &self.pricing.fx {
            fx.set(*c, *r);
        }
        fx
    }
}

//! The command line, and nothing else: flags are turned into typed options in `cmd`.

use crate::render::Format;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

const EXAMPLES: &str = "\
Examples:
  llmplan rank scenarios/support-chatbot.toml            rank every model for a workload
  llmplan rank scenarios/support-chatbot.toml --all      ...and list the excluded ones with reasons
  llmplan cost scenarios/support-chatbot.toml --model anthropic/claude-3-haiku
  llmplan cost scenarios/claude3-routing.toml            a routed scenario is priced by its routes
  llmplan mix scenarios/support-chatbot.toml --target-fit 84 --family claude-3
  llmplan models --vendor anthropic                      browse the catalogue
  llmplan show anthropic/claude-3-opus                   every price and benchmark, with sources
  llmplan check scenarios/*.toml profiles/*.toml         validate files without ranking
  llmplan breakeven scenarios/build-or-buy.toml --model meta/llama-2-70b --vs anthropic/claude-3-haiku
  llmplan rank s.toml --format json --output rank.json   for scripts
  llmplan sweep s.toml --vary workload.chat.requests_per_day=1000..100000/100:log
  llmplan diff base.toml new.toml --fail-above 500        gate CI on a cost increase
  llmplan compare s.toml --by family                     best model of each tier ladder
  llmplan init --preset rag --output my-rag.toml         start a scenario of your own
  llmplan plot scenarios/support-chatbot.toml -o chart.svg   cost against fit, as a picture
  llmplan import litellm prices.json --output imported/  LiteLLM's price map as profiles
  llmplan completions bash > ~/.local/share/bash-completion/completions/llmplan

Exit codes: 0 success; 1 a clean run in which no model qualifies or the budget is exceeded;
2 bad input or usage (the message names the file, line and field).";

/// Which LLM should we buy for this workload, and what will it cost each month?
#[derive(Debug, Parser)]
#[command(name = "llmplan", version, about, after_help = EXAMPLES, max_term_width = 100)]
pub struct Cli {
    /// Options every command takes.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command takes.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Output format.
    #[arg(long, global = true, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write the result to FILE instead of stdout; written atomically, so a failed run leaves nothing.
    #[arg(long, short = 'o', global = true, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Load more profile files from DIR (repeatable); a model id that already exists is replaced.
    #[arg(long, global = true, value_name = "DIR")]
    pub profiles: Vec<PathBuf>,
    /// Leave the embedded models out; the benchmark registry and exchange rates stay.
    #[arg(long, global = true)]
    pub no_default_profiles: bool,
    /// No progress bars or hints on stderr.
    #[arg(long, short = 'q', global = true)]
    pub quiet: bool,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Rank every catalogued model for a scenario: cost, fit and the reasons for each exclusion.
    #[command(
        after_help = "Examples:\n  llmplan rank scenarios/support-chatbot.toml\n  llmplan rank scenarios/support-chatbot.toml --objective cheapest --top 5\n  llmplan rank scenarios/support-chatbot.toml --all --format markdown\n  llmplan rank scenarios/chinese-support-desk.toml --format json   each model's billed tokens per workload\n  llmplan rank --requests-per-day 20000 --input-tokens 1800 --output-tokens 350   no file: one workload, USD, 12 months\n\nWithout a scenario file, --requests-per-day, --input-tokens and --output-tokens (all three) make a\none-workload scenario with the file defaults: USD, a 30-day month, a 12-month horizon, no growth.\n\nFit is the [fit] weights' mean of benchmark scores normalised from chance (MMLU 25 → 0, 62.5 →\n50). A weighted score a model has not published is estimated from the ones it has and marked:\n~84.1 in the table, with its coverage (the measured share of the weight) and, in the notes, a band\nof about one standard error. A model with no published score, or with less coverage than\n[fit] min_coverage, gets no fit and ranks after the scored ones. [fit] missing = \"zero\", \"skip\"\nor \"exclude\" turns estimation off. Balanced trades [rank] points_per_tenfold fit points (default\n25) for each tenfold in cost. docs/fit.md explains every step and how accurate the estimates are."
    )]
    Rank(RankArgs),
    /// The monthly bill of a scenario on one model, per workload and cost line, plus the horizon.
    #[command(
        after_help = "Examples:\n  llmplan cost scenarios/support-chatbot.toml --model anthropic/claude-3-sonnet\n  llmplan cost scenarios/support-chatbot.toml --model openai/gpt-4-turbo --format json\n  llmplan cost scenarios/claude3-routing.toml        routed workloads are priced by their routes\n  llmplan cost scenarios/long-documents.toml --model google/gemini-1.5-pro   prompt sizes that cross a price tier\n  llmplan cost scenarios/chinese-support-desk.toml --model alibaba/qwen-2.0\n                                         language = \"zh\": billed in Qwen's own tokens (billed_input_tokens)\n  llmplan cost scenarios/prompt-cache.toml --model anthropic/claude-3-haiku   cache read, write and storage lines\n  llmplan cost --model anthropic/claude-3-haiku --requests-per-day 20000 --input-tokens 1800 --output-tokens 350\n\nWithout a scenario file, --requests-per-day, --input-tokens and --output-tokens (all three) make a\none-workload scenario with the file defaults: USD, a 30-day month, a 12-month horizon, no growth."
    )]
    Cost(CostArgs),
    /// The cheapest route or cascade of two or three models whose blended fit reaches a target.
    #[command(
        after_help = "Examples:\n  llmplan mix scenarios/support-chatbot.toml --target-fit 84 --family claude-3\n  llmplan mix scenarios/support-chatbot.toml --target-fit 80 --models anthropic/claude-3-haiku,openai/gpt-4-turbo\n  llmplan mix scenarios/support-chatbot.toml --target-fit 84 --format json\n\nExit code 1 when no plan reaches the target (the message gives the best fit available) or the\ncheapest plan is over the scenario's max_monthly_cost."
    )]
    Mix(MixArgs),
    /// List the catalogue.
    #[command(
        after_help = "Examples:\n  llmplan models\n  llmplan models --vendor zhipu --format json\n  llmplan models --capability function_calling --status ga"
    )]
    Models(ModelsArgs),
    /// Every fact, price and benchmark of one model, with where each came from.
    #[command(
        after_help = "Examples:\n  llmplan show anthropic/claude-3-haiku\n  llmplan show openai/gpt-4 --format json"
    )]
    Show(ShowArgs),
    /// Validate scenario and profile files, reporting every problem in every file.
    #[command(
        after_help = "Examples:\n  llmplan check scenarios/*.toml\n  llmplan check my-profiles/acme.toml"
    )]
    Check(CheckArgs),
    /// The monthly volume above which serving an open-weight model on rented GPUs beats an API.
    #[command(
        after_help = "Examples:\n  llmplan breakeven scenarios/build-or-buy.toml --model meta/llama-2-70b --vs anthropic/claude-3-haiku\n  llmplan breakeven scenarios/build-or-buy.toml --model mistral/mixtral-8x7b --vs mistral/mixtral-8x7b --gpu h100-sxm\n  llmplan breakeven scenarios/build-or-buy.toml --model meta/llama-2-13b --vs openai/gpt-3.5-turbo --plot breakeven.svg --format json\n\nThe planner tries every GPU of the scenario's [selfhost] table (all data-centre GPUs when it names\nnone) at every tensor-parallel degree the model allows, and compares the fleet with the lowest\nmonthly cost at the scenario's volume; --format json lists every configuration tried. Precision,\npeaks, spares and latency targets come from [selfhost]; without one, bf16 weights and cache, one\nreplica, no peak allowance."
    )]
    Breakeven(BreakevenArgs),
    /// One replica's estimated throughput: memory, prefill, decode and latency for a static batch.
    #[command(after_help = THROUGHPUT_HELP)]
    Throughput(ThroughputArgs),
    /// The benchmark registry, and which models report each benchmark.
    #[command(after_help = "Examples:\n  llmplan benchmarks\n  llmplan benchmarks --format json")]
    Benchmarks(BenchmarksArgs),
    /// Evaluate a scenario over a grid of values: the winner, its cost and the crossovers.
    #[command(after_help = SWEEP_HELP)]
    Sweep(SweepArgs),
    /// The change in monthly and horizon cost between two scenarios, per model and per workload.
    #[command(
        after_help = "Examples:\n  llmplan diff scenarios/support-chatbot.toml new.toml\n  llmplan diff base.toml new.toml --fail-above 500     exit 1 if chosen-model spend rises by more than 500 a month\n  llmplan diff base.toml new.toml --fail-above-percent 10 --fail-if-monthly-above 5000\n  llmplan diff base.toml new.toml --format markdown    a pull-request comment\n  llmplan diff base.toml new.toml --format json\n\nChosen-model spend is BASE's winner's monthly cost under BASE before, and NEW's winner's under NEW\nafter, so a change that moves the choice counts in full. Exit codes: 0 within every threshold; 1 a\nthreshold crossed (or NEW has no qualifying model); 2 bad input."
    )]
    Diff(DiffArgs),
    /// For procurement: the best model of each vendor or family, and what stepping up a tier costs.
    #[command(
        after_help = "Examples:\n  llmplan compare scenarios/support-chatbot.toml --by vendor\n  llmplan compare scenarios/support-chatbot.toml --by family --format markdown\n\nWithin a group, models are laddered by monthly cost; stepping up a tier costs\n(cost of the next tier − cost of this one) ÷ (its fit − this fit) per fit point."
    )]
    Compare(CompareArgs),
    /// Draw the eligible models' monthly cost against fit as an SVG chart, Pareto front marked.
    #[command(
        after_help = "Examples:\n  llmplan plot scenarios/support-chatbot.toml --output chart.svg\n  llmplan plot my.toml --profiles imported/ -o chart.svg\n  llmplan plot scenarios/procurement-price-outlook.toml --fan --top 3 -o fan.svg\n\nWith --fan: each top model's monthly spend over the horizon, the median as a line and the\nP10–P90 band of the forecast's trials shaded (docs/forecast.md).\n\nThe cost axis is logarithmic. Labels are model ids; the front (bold, joined by a line) holds the\nmodels nothing else beats on both cost and fit. Without --output the SVG goes to stdout when stdout\nis a file or a pipe; at a terminal plot refuses (exit 2) and asks for -o."
    )]
    Plot(PlotArgs),
    /// Write a commented starting scenario for a common workload.
    #[command(
        after_help = "Examples:\n  llmplan init > my-scenario.toml\n  llmplan init --preset rag --output rag.toml && llmplan rank rag.toml\n  llmplan init --preset batch-summaries --output nightly.toml --force"
    )]
    Init(InitArgs),
    /// Turn another catalogue (LiteLLM's price map, models.dev) into profile files for --profiles.
    #[command(after_help = IMPORT_EXAMPLES)]
    Import(ImportArgs),
    /// Print the JSON Schema of scenario or profile files (for editors that validate TOML), or of a
    /// command's JSON output.
    #[command(after_help = SCHEMA_EXAMPLES)]
    Schema(SchemaArgs),
    /// Print a shell completion script.
    #[command(after_help = COMPLETIONS_EXAMPLES)]
    Completions(CompletionsArgs),
    /// Print a manual page (roff), for `man`: llmplan(1), or one command's page.
    #[command(
        after_help = "Examples:\n  llmplan man > llmplan.1 && man ./llmplan.1\n  llmplan man rank --output ~/.local/share/man/man1/llmplan-rank.1"
    )]
    Man(ManArgs),
}

const SWEEP_HELP: &str = "\
Examples:
  llmplan sweep scenarios/support-chatbot.toml --vary workload.chat.requests_per_day=1000..100000/100:log
  llmplan sweep s.toml --vary workload.chat.input_tokens=500,1000,2000 --vary monthly_growth=0..0.1/11
  llmplan sweep s.toml --vary requirements.max_monthly_cost=500..5000/10 --format csv -o grid.csv
  llmplan sweep s.toml --vary pricing.discounts.anthropic=0..0.3/4 --format jsonl
  llmplan sweep s.toml --vary workload.chat.requests_per_day=1000..100000/50:log --plot cost.svg
  llmplan sweep scenarios/claude3-routing.toml --vary 'workload.support-chat.route.\"anthropic/claude-3-opus\"=0..1/11'
  llmplan sweep scenarios/claude3-routing.toml --vary workload.code-review.cascade.escalation.1=0..0.3/7
  llmplan sweep scenarios/long-documents.toml --vary workload.filing-questions.input_tokens.p95=120000..240000/7
  llmplan sweep scenarios/prompt-cache.toml --vary workload.support.cache.hit_rate=0..1/11

PATH is a numeric scenario field: workload.<name>.<field> (requests_per_day, requests_per_month,
input_tokens, output_tokens, cached_input_share, batch_share, context_tokens, images_per_month,
video_seconds_per_month, and with a [workload.cache] cache.prefix_tokens, cache.hit_rate,
cache.storage_hours_per_month), days_per_month, horizon_months, monthly_growth,
requirements.min_context_tokens, requirements.max_monthly_cost, requirements.min_scores.<bench>,
fit.weights.<bench>, pricing.discounts.<vendor or model>, pricing.fx.<CUR>,
pricing.override.<model>.input|output|cached_input; for routed workloads
workload.<name>.route.\"<model>\" (one model's share; the others are rescaled so the shares sum to
1; the quotes may be left out) and workload.<name>.cascade.escalation.<i> (i counts from 0, as in
escalation[i]); for a size given as a distribution, workload.<name>.input_tokens.p50 (or p95, max)
and workload.<name>.input_tokens.buckets.<i> (one bucket's share; the others are rescaled to sum to
1), and the same under output_tokens. A scenario with routes adds mix_monthly_cost and mix_fit to every row: the mix's
cost and blended fit, for plotting cost against quality.

VALUES is a list a,b,c; a linear range START..END/STEPS; or a log range START..END/STEPS:log.
STEPS counts the points, both ends included. A linear step that does not divide exactly
(1000..2000/7 steps by 166.666…) is rounded at its sixth significant digit, and the summary says
so. Whole-number fields refuse fractions (a fractional list value, or a linear step that is not
whole); a log range rounds its inner points to whole numbers there (6 significant digits
elsewhere).
Several --vary flags form a grid. CSV and JSON Lines (--format json is JSON Lines here) hold one
header line (CSV) and one line per point; the crossover summary goes to stderr.
--plot FILE draws the leading models' monthly cost along the first axis, the other axes at their
first value, from at most 200 of its values plus each crossover.";

const SCHEMA_EXAMPLES: &str = "\
Examples:
  llmplan schema scenario > scenario.schema.json
  llmplan schema profile --output profile.schema.json
  llmplan schema registry --output registry.schema.json

  llmplan schema rank-output --output rank.output.schema.json

Then put `#:schema ./scenario.schema.json` on the first line of a scenario, and VS Code (Even Better
TOML) or Taplo validate it and complete its keys as you type. A `*-output` schema describes what
that command prints with --format json, for scripts that validate what they read.";

const IMPORT_EXAMPLES: &str = "\
Examples:
  llmplan import litellm model_prices_and_context_window.json --output litellm-profiles/
  llmplan import litellm prices.json --as-of 2024-12-01 --output imported/ --format json
  llmplan import models-dev models-dev.tar.gz --output models-dev-profiles/
  llmplan import models-dev ~/src/models.dev --output models-dev-profiles/ --keep-zero-prices
  llmplan --no-default-profiles --profiles litellm-profiles/ rank scenarios/support-chatbot.toml

LiteLLM prices are USD per token, models.dev prices USD per 1M tokens; profiles hold per-1M prices,
converted exactly. Image, video, speech, embedding, rerank and moderation models are imported with
their real modalities, so a text workload excludes them with a reason. A price that is $0
throughout is imported as no price (a note says why) unless --keep-zero-prices. An imported
snapshot or re-host of a built-in model inherits its benchmarks, marked as inherited. Entries that
cannot be mapped are skipped and counted by reason; nothing is guessed. --output names the folder;
one file per provider.";

const COMPLETIONS_EXAMPLES: &str = "\
Examples:
  llmplan completions bash > ~/.local/share/bash-completion/completions/llmplan
  llmplan completions zsh > ~/.zfunc/_llmplan      # with fpath+=(~/.zfunc) before compinit
  llmplan completions fish > ~/.config/fish/completions/llmplan.fish";

/// `llmplan rank`.
#[derive(Debug, Args)]
pub struct RankArgs {
    /// The scenario file (or the quick-estimate flags below instead).
    #[arg(required_unless_present_any = ["requests_per_day", "input_tokens", "output_tokens"])]
    pub scenario: Option<PathBuf>,
    /// A one-workload scenario from flags.
    #[command(flatten)]
    pub quick: crate::quick::QuickArgs,
    /// Also list excluded models with their reasons (JSON always has them).
    #[arg(long)]
    pub all: bool,
    /// Override the scenario's [rank] objective: cheapest, best_fit or balanced.
    #[arg(long, value_name = "OBJECTIVE")]
    pub objective: Option<String>,
    /// Show only the first N ranked models.
    #[arg(long, value_name = "N")]
    pub top: Option<usize>,
}

/// `llmplan cost`.
#[derive(Debug, Args)]
pub struct CostArgs {
    /// The scenario file (or the quick-estimate flags below instead).
    #[arg(required_unless_present_any = ["requests_per_day", "input_tokens", "output_tokens"])]
    pub scenario: Option<PathBuf>,
    /// A one-workload scenario from flags.
    #[command(flatten)]
    pub quick: crate::quick::QuickArgs,
    /// The model to price; needed only for workloads without a [workload.route] or [workload.cascade].
    #[arg(long, short = 'm', value_name = "ID")]
    pub model: Option<String>,
}

/// `llmplan mix`.
#[derive(Debug, Args)]
pub struct MixArgs {
    /// The scenario file; the plan is applied to every workload, ignoring routes in the file.
    pub scenario: PathBuf,
    /// The blended fit (0–100) the plan must reach.
    #[arg(long, value_name = "F")]
    pub target_fit: String,
    /// Combine only the models of this family, such as claude-3.
    #[arg(long, conflicts_with = "models")]
    pub family: Option<String>,
    /// Combine only these model ids, comma-separated.
    #[arg(long, value_delimiter = ',', value_name = "ID,ID,...")]
    pub models: Vec<String>,
}

/// `llmplan models`.
#[derive(Debug, Args)]
pub struct ModelsArgs {
    /// Only this vendor.
    #[arg(long)]
    pub vendor: Option<String>,
    /// Only models with this capability.
    #[arg(long)]
    pub capability: Option<String>,
    /// Only models with this status: ga, preview, announced, research, retired.
    #[arg(long)]
    pub status: Option<String>,
}

/// `llmplan show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The model id, such as anthropic/claude-3-opus.
    pub id: String,
}

/// `llmplan check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Scenario, profile, benchmark-registry or exchange-rate files.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
}

/// `llmplan benchmarks`.
#[derive(Debug, Args)]
pub struct BenchmarksArgs {}

/// `llmplan sweep`.
#[derive(Debug, Args)]
pub struct SweepArgs {
    /// The scenario file.
    pub scenario: PathBuf,
    /// An axis of the grid: PATH=VALUES (repeatable; several form a Cartesian grid).
    #[arg(long = "vary", value_name = "PATH=VALUES", required = true)]
    pub vary: Vec<String>,
    /// Override the scenario's [rank] objective: cheapest, best_fit or balanced.
    #[arg(long, value_name = "OBJECTIVE")]
    pub objective: Option<String>,
    /// Also draw the monthly cost of the leading models along the first --vary axis as an SVG
    /// chart in FILE, with the crossovers marked (other axes at their first value).
    #[arg(long, value_name = "FILE")]
    pub plot: Option<PathBuf>,
}

/// `llmplan diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The scenario before the change.
    pub base: PathBuf,
    /// The scenario after the change.
    pub new: PathBuf,
    /// Exit 1 when chosen-model spend (BASE's winner before, NEW's winner after) rises by more
    /// than AMOUNT a month (scenario currency).
    #[arg(long, value_name = "AMOUNT")]
    pub fail_above: Option<String>,
    /// Exit 1 when chosen-model spend rises by more than P percent a month.
    #[arg(long, value_name = "P")]
    pub fail_above_percent: Option<String>,
    /// Exit 1 when chosen-model spend after the change is above AMOUNT a month.
    #[arg(long, value_name = "AMOUNT")]
    pub fail_if_monthly_above: Option<String>,
}

/// How `compare` groups models.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum GroupBy {
    /// One row per vendor.
    Vendor,
    /// One row per model family (a tier ladder such as Claude 3 Haiku, Sonnet, Opus).
    Family,
}

/// `llmplan compare`.
#[derive(Debug, Args)]
pub struct CompareArgs {
    /// The scenario file.
    pub scenario: PathBuf,
    /// Group by vendor or by family.
    #[arg(long, value_enum, default_value_t = GroupBy::Vendor)]
    pub by: GroupBy,
}

/// `llmplan schema`.
#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Which file format, or which command's JSON output.
    #[arg(value_enum)]
    pub kind: crate::schema::SchemaKind,
}

/// `llmplan completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// `llmplan man`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// The command whose page to print, such as `rank`; without it, the page for llmplan itself.
    #[arg(value_name = "COMMAND")]
    pub command: Option<String>,
}

/// `llmplan init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// The kind of workload to start from.
    #[arg(long, value_enum, default_value_t = crate::presets::Preset::Chatbot)]
    pub preset: crate::presets::Preset,
    /// Replace the --output file if it exists.
    #[arg(long)]
    pub force: bool,
}

/// `llmplan import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The catalogue's format.
    #[arg(value_enum, value_name = "FORMAT")]
    pub list: crate::import::ImportFormat,
    /// The catalogue: LiteLLM's model_prices_and_context_window.json, or a models.dev .tar.gz
    /// or unpacked tree.
    pub file: PathBuf,
    /// The date the catalogue was read, YYYY-MM-DD [default: today (UTC)]. LiteLLM prices take
    /// it as their as_of and retire models whose deprecation_date is not after it; models.dev
    /// prices take their own last_updated and use it only where that is missing.
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// Keep prices that are $0 throughout instead of importing those models unpriced.
    #[arg(long)]
    pub keep_zero_prices: bool,
}

/// `llmplan plot`.
#[derive(Debug, Args)]
pub struct PlotArgs {
    /// The scenario file.
    pub scenario: PathBuf,
    /// Draw the forecast's fan instead: each top model's monthly spend over the horizon, with
    /// its P10–P90 band (needs a range or [forecast] in the scenario).
    #[arg(long)]
    pub fan: bool,
    /// With --fan, how many of the top models to draw (default 4).
    #[arg(long, requires = "fan")]
    pub top: Option<usize>,
}

const THROUGHPUT_HELP: &str = "\
Examples:
  llmplan throughput --model meta/llama-2-7b --gpu h100-sxm --precision fp8 --input 128 --output 2048 --batch 112 --kv-precision fp8
  llmplan throughput --model meta/llama-2-70b --gpu a100-80gb --precision int8 --input 1500 --output 300
  llmplan throughput --model mistral/mixtral-8x7b --gpu h100-sxm --gpus 4 --precision bf16 --input 1000 --output 200 --format json

The replica runs a static batch of B requests, each prefilling I prompt tokens and then generating
O, as the TensorRT-LLM benchmarks do: output tokens/s = B × O ÷ total time. Without --batch the
batch is the largest whose cache (prompt + half the reply per request) fits after the weights and
a 10% runtime reserve; without --gpus the replica has the fewest GPUs (1, 2, 4 or 8, dividing the
model's heads) that hold the weights. Figures are estimates: a roofline calibrated to TensorRT-LLM's
published H100 throughput (docs/selfhost.md). Here --output is the reply length in tokens; redirect
stdout to keep the report.";

/// `llmplan throughput`.
#[derive(Debug, Args)]
pub struct ThroughputArgs {
    /// The open-weight model.
    #[arg(long, short = 'm', value_name = "ID")]
    pub model: String,
    /// The accelerator, an id from profiles/hardware.toml.
    #[arg(long, value_name = "ID")]
    pub gpu: String,
    /// GPUs in the replica: its tensor-parallel degree, 1, 2, 4 or 8 [default: the fewest that
    /// hold the weights].
    #[arg(long, value_name = "N")]
    pub gpus: Option<u64>,
    /// Weight precision: bf16, fp8, int8 or int4.
    #[arg(long, value_name = "P", value_parser = crate::cli::parse_precision)]
    pub precision: crate::catalogue::vocab::Precision,
    /// Prompt tokens per request.
    #[arg(long, value_name = "I", value_parser = clap::value_parser!(u64).range(1..))]
    pub input: u64,
    /// Reply tokens per request.
    #[arg(long = "output", id = "output", value_name = "O", value_parser = crate::cli::parse_tokens)]
    pub output_tokens: PathBuf,
    /// Requests in the static batch [default: the largest that fits].
    #[arg(long, value_name = "B", value_parser = clap::value_parser!(u64).range(1..))]
    pub batch: Option<u64>,
    /// Key/value cache precision: bf16 or fp8.
    #[arg(long, value_name = "P", default_value = "bf16", value_parser = crate::cli::parse_kv_precision)]
    pub kv_precision: crate::catalogue::vocab::KvPrecision,
}

/// Reads a weight precision.
pub fn parse_precision(s: &str) -> Result<crate::catalogue::vocab::Precision, String> {
    use crate::catalogue::vocab::Precision;
    Precision::parse(s).ok_or_else(|| format!("expected one of {}", Precision::valid_list()))
}

/// Reads a cache precision.
pub fn parse_kv_precision(s: &str) -> Result<crate::catalogue::vocab::KvPrecision, String> {
    use crate::catalogue::vocab::KvPrecision;
    KvPrecision::parse(s).ok_or_else(|| format!("expected one of {}", KvPrecision::valid_list()))
}

/// Reads a token count of at least 1. It is kept as the text it was given because the id
/// `output` is shared with the global `--output FILE`, whose value type is a path; the command
/// reads the number back with [`ThroughputArgs::output_tokens`].
pub fn parse_tokens(s: &str) -> Result<PathBuf, String> {
    match s.parse::<u64>() {
        Ok(n) if n >= 1 => Ok(PathBuf::from(s)),
        _ => Err("expected a whole number of tokens, at least 1".into()),
    }
}

impl ThroughputArgs {
    /// Reply tokens per request.
    pub fn output_tokens(&self) -> u64 {
        self.output_tokens
            .to_str()
            .and_then(|s| s.parse().ok())
            .unwrap_or(1)
    }
}

/// `llmplan breakeven`.
#[derive(Debug, Args)]
pub struct BreakevenArgs {
    /// The scenario file: its traffic mix, and its [selfhost] settings if it has them.
    pub scenario: PathBuf,
    /// The open-weight model to self-host.
    #[arg(long, short = 'm', value_name = "ID")]
    pub model: String,
    /// The API model to compare with.
    #[arg(long, value_name = "ID")]
    pub vs: String,
    /// Only this accelerator (at every tensor-parallel degree), even one the scenario leaves out
    /// or a consumer card.
    #[arg(long, value_name = "ID")]
    pub gpu: Option<String>,
    /// Also draw both monthly bills against volume as an SVG chart in FILE.
    #[arg(long, value_name = "FILE")]
    pub plot: Option<PathBuf>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_definition_is_consistent() {
        // Catches clashing flag names, bad defaults and the like, which clap otherwise reports
        // only when the faulty command is run.
        Cli::command().debug_assert();
    }
}

//! The command line, and nothing else: flags are turned into typed options in `cmd`.

use crate::render::Format;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

const EXAMPLES: &str = "\
Examples:
  llmplan rank scenarios/support-chatbot.toml            rank every model for a workload
  llmplan rank scenarios/support-chatbot.toml --all      ...and list the excluded ones with reasons
  llmplan cost scenarios/support-chatbot.toml --model anthropic/claude-3-haiku
  llmplan models --vendor anthropic                      browse the catalogue
  llmplan show anthropic/claude-3-opus                   every price and benchmark, with sources
  llmplan check scenarios/*.toml profiles/*.toml         validate files without ranking
  llmplan rank s.toml --format json --output rank.json   for scripts

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
        after_help = "Examples:\n  llmplan rank scenarios/support-chatbot.toml\n  llmplan rank scenarios/support-chatbot.toml --objective cheapest --top 5\n  llmplan rank scenarios/support-chatbot.toml --all --format markdown"
    )]
    Rank(RankArgs),
    /// The monthly bill of a scenario on one model, per workload and cost line, plus the horizon.
    #[command(
        after_help = "Examples:\n  llmplan cost scenarios/support-chatbot.toml --model anthropic/claude-3-sonnet\n  llmplan cost scenarios/support-chatbot.toml --model openai/gpt-4-turbo --format json"
    )]
    Cost(CostArgs),
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
    /// The benchmark registry, and which models report each benchmark.
    #[command(after_help = "Examples:\n  llmplan benchmarks\n  llmplan benchmarks --format json")]
    Benchmarks(BenchmarksArgs),
}

/// `llmplan rank`.
#[derive(Debug, Args)]
pub struct RankArgs {
    /// The scenario file.
    pub scenario: PathBuf,
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
    /// The scenario file.
    pub scenario: PathBuf,
    /// The model to price.
    #[arg(long, short = 'm', value_name = "ID")]
    pub model: Option<String>,
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

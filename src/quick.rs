//! Quick estimates without a file: `cost` and `rank` take `--requests-per-day N --input-tokens I
//! --output-tokens O` and build a one-workload scenario from them.
//!
//! The scenario is written as scenario-file text and read by the same checks as any file
//! ([`Scenario::from_source`]), so a flag is validated exactly as the key it stands for, and
//! every default is the scenario file's: USD, a 30-day month, a 12-month horizon with no growth,
//! the default fit weights and no requirements beyond a text workload's.

use crate::catalogue::Catalogue;
use crate::error::{Error, Result};
use crate::scenario::Scenario;
use crate::source::SourceFile;
use clap::Args;
use std::path::PathBuf;

/// The quick-estimate flags, shared by `cost` and `rank`.
#[derive(Debug, Clone, Default, Args)]
pub struct QuickArgs {
    /// Without a scenario file: requests a day of a one-workload scenario (with --input-tokens
    /// and --output-tokens).
    #[arg(
        long,
        value_name = "N",
        help_heading = "Quick estimate (no scenario file)"
    )]
    pub requests_per_day: Option<String>,
    /// Without a scenario file: input tokens per request.
    #[arg(
        long,
        value_name = "I",
        help_heading = "Quick estimate (no scenario file)"
    )]
    pub input_tokens: Option<String>,
    /// Without a scenario file: output tokens per request.
    #[arg(
        long,
        value_name = "O",
        help_heading = "Quick estimate (no scenario file)"
    )]
    pub output_tokens: Option<String>,
}

/// The pseudo file name diagnostics give a quick scenario.
pub const NAME: &str = "<command-line workload>";

impl QuickArgs {
    fn given(&self) -> Vec<&'static str> {
        [
            ("--requests-per-day", &self.requests_per_day),
            ("--input-tokens", &self.input_tokens),
            ("--output-tokens", &self.output_tokens),
        ]
        .into_iter()
        .filter(|(_, v)| v.is_some())
        .map(|(f, _)| f)
        .collect()
    }

    /// The scenario text the flags stand for, or `None` when no flag is given.
    pub fn text(&self) -> Result<Option<String>> {
        let given = self.given();
        if given.is_empty() {
            return Ok(None);
        }
        let (Some(n), Some(i), Some(o)) = (
            &self.requests_per_day,
            &self.input_tokens,
            &self.output_tokens,
        ) else {
            let missing: Vec<&str> = ["--requests-per-day", "--input-tokens", "--output-tokens"]
                .into_iter()
                .filter(|f| !given.contains(f))
                .collect();
            return Err(Error::Usage(format!(
                "a quick estimate needs --requests-per-day, --input-tokens and --output-tokens; missing {}",
                missing.join(" and ")
            )));
        };
        for (flag, v) in [
            ("--requests-per-day", n),
            ("--input-tokens", i),
            ("--output-tokens", o),
        ] {
            // Only plain numbers reach the TOML text, so a value cannot add keys of its own.
            if v.is_empty() || !v.chars().all(|c| c.is_ascii_digit() || c == '.') {
                return Err(Error::Usage(format!(
                    "{flag} must be a plain number such as 20000, found `{v}`"
                )));
            }
        }
        Ok(Some(format!(
            "name = \"Quick estimate\"\n\n[[workload]]\nname = \"workload\"\nrequests_per_day = {n}\ninput_tokens = {i}\noutput_tokens = {o}\n"
        )))
    }
}

/// The scenario of a command: the file, or the quick-estimate flags, never both.
pub fn scenario(
    file: Option<&PathBuf>,
    quick: &QuickArgs,
    catalogue: &Catalogue,
) -> Result<Scenario> {
    if let (Some(path), false) = (file, quick.given().is_empty()) {
        return Err(Error::Usage(format!(
            "{} is a scenario file and {} describe a workload: give one or the other (edit the file's [[workload]] instead)",
            path.display(),
            quick.given().join(", ")
        )));
    }
    match (file, quick.text()?) {
        (Some(path), _) => Scenario::from_path(path, catalogue),
        (None, Some(text)) => {
            let src = SourceFile::from_text(NAME.into(), text).map_err(Error::input)?;
            Scenario::from_source(&src, catalogue)
        }
        (None, None) => Err(Error::Usage(
            "give a scenario file, or --requests-per-day N --input-tokens I --output-tokens O for a one-workload estimate".into(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(n: Option<&str>, i: Option<&str>, o: Option<&str>) -> QuickArgs {
        QuickArgs {
            requests_per_day: n.map(String::from),
            input_tokens: i.map(String::from),
            output_tokens: o.map(String::from),
        }
    }

    #[test]
    fn the_flags_become_one_workload_and_refuse_anything_but_numbers() {
        assert_eq!(q(None, None, None).text().unwrap(), None);
        let t = q(Some("20000"), Some("1800"), Some("350"))
            .text()
            .unwrap()
            .unwrap();
        assert!(t.contains("requests_per_day = 20000\ninput_tokens = 1800\noutput_tokens = 350"));
        let e = q(Some("1"), None, None).text().unwrap_err().to_string();
        assert!(
            e.contains("missing --input-tokens and --output-tokens"),
            "{e}"
        );
        let e = q(Some("1\n[pricing]"), Some("1"), Some("1"))
            .text()
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("--requests-per-day must be a plain number"),
            "{e}"
        );
    }
}

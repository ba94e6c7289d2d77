//! How a model counts the tokens of an image it reads: the rule its profile names in
//! `[model.image_input]`. The rules themselves are computed by the cost kernel (`cost::image`);
//! their sources are in docs/sources/caching-and-images.md.

use crate::diag::KeyPath;
use crate::num::Num;
use crate::validate::Checker;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The rule names a profile may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RuleName {
    /// Anthropic (Claude 3): long edge at most 1568 px and at most 1,600 tokens, then
    /// ceil(width × height ÷ 750).
    Anthropic,
    /// OpenAI (GPT-4V) at high detail: fit within 2048 × 2048, shortest side to 768 px, then
    /// 85 + 170 × the number of 512-px tiles.
    OpenaiTiles,
    /// The same number of tokens for every image (`tokens`), as Gemini 1.5 bills them.
    Fixed,
}

/// A `[model.image_input]` table.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawImageInput {
    /// `"anthropic"`, `"openai_tiles"` or `"fixed"`.
    pub rule: RuleName,
    /// Tokens per image, for `rule = "fixed"` only.
    pub tokens: Option<Num>,
    /// Where the rule was read, with a quote.
    pub source: Option<String>,
}

/// A checked image rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, schemars::JsonSchema)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum ImageRule {
    /// See [`RuleName::Anthropic`].
    Anthropic,
    /// See [`RuleName::OpenaiTiles`].
    OpenaiTiles,
    /// See [`RuleName::Fixed`].
    Fixed {
        /// Tokens per image.
        tokens: u64,
    },
}

/// A model's image rule and where it was read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct ImageInput {
    /// The rule.
    #[serde(flatten)]
    pub rule: ImageRule,
    /// Where it was read.
    pub source: String,
}

/// Checks a `[model.image_input]` table at `path`.
pub fn check(ck: &mut Checker, path: &KeyPath, raw: RawImageInput) -> Option<ImageInput> {
    let source = match raw.source.filter(|s| !s.trim().is_empty()) {
        Some(s) => Some(s),
        None => {
            ck.err(
                path,
                "[model.image_input] has no `source`",
                "say where the rule was read, with a quote",
            );
            None
        }
    };
    let rule = match (raw.rule, raw.tokens) {
        (RuleName::Fixed, Some(n)) => ck
            .whole(&path.key("tokens"), n, 1)
            .map(|tokens| ImageRule::Fixed { tokens }),
        (RuleName::Fixed, None) => {
            ck.err(
                path,
                "rule = \"fixed\" needs `tokens`",
                "add tokens = <tokens per image>, such as 258 for Gemini 1.5",
            );
            None
        }
        (_, Some(_)) => {
            ck.err(
                &path.key("tokens"),
                "`tokens` goes with rule = \"fixed\" only",
                "the anthropic and openai_tiles rules compute the tokens from the image size; remove `tokens`",
            );
            None
        }
        (RuleName::Anthropic, None) => Some(ImageRule::Anthropic),
        (RuleName::OpenaiTiles, None) => Some(ImageRule::OpenaiTiles),
    };
    Some(ImageInput {
        rule: rule?,
        source: source?,
    })
}

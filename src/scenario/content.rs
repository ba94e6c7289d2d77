//! What a workload's requests hold beyond a token count: the language of their text and the
//! tokenizer its counts were measured with (`language`, `token_basis`), text sized in characters
//! (`input_chars`, `output_chars`), and images (`images_per_request`, `image_size`).
//!
//! The same text is a different number of tokens on each model, and so is the same image. The
//! scenario only records what the user said; the cost kernel (`cost::tokens`) turns it into each
//! model's billed tokens.

use super::raw::RawWorkload;
use crate::catalogue::tokenizer::{Tokenizers, DEFAULT_BASIS};
use crate::catalogue::Catalogue;
use crate::diag::{suggest, KeyPath};
use crate::validate::Checker;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

/// The largest image side accepted, in pixels.
pub const MAX_IMAGE_SIDE: u64 = 100_000;

/// A workload's content, as the scenario states it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Content {
    /// The language of its text and the tokenizer its token counts were measured with, when it
    /// says so; without it every model bills the token counts as written.
    pub language: Option<Box<Language>>,
    /// Input characters a request, instead of `input_tokens`.
    pub input_chars: Option<u64>,
    /// Output characters a request, instead of `output_tokens`.
    pub output_chars: Option<u64>,
    /// Images read with each request.
    pub images: Option<Images>,
}

/// A workload's language and the tokenizer its token counts were measured with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Language {
    /// ISO 639-1 code, one the tokenizer table gives figures for.
    pub code: String,
    /// The tokenizer the counts were measured with (`token_basis`, default `cl100k_base`).
    pub basis: String,
    /// That tokenizer's tokens per 1,000 characters of this language.
    pub basis_per_1000_chars: Decimal,
}

/// Images read with each request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Images {
    /// How many.
    pub per_request: u64,
    /// Width in pixels.
    pub width: u64,
    /// Height in pixels.
    pub height: u64,
}

impl Content {
    /// Whether the content changes what some model bills: a language, characters or images.
    pub fn is_plain(&self) -> bool {
        *self == Content::default()
    }
}

/// n × num ÷ den rounded to the nearest whole number, halves up, exactly: the one rounding of a
/// converted token count. `None` when it cannot be held.
pub fn scale_round(n: u64, num: Decimal, den: Decimal) -> Option<u64> {
    let top = Decimal::from(n).checked_mul(num)?;
    if den <= Decimal::ZERO {
        return None;
    }
    // The quotient's whole part, corrected in case the division rounded across an integer.
    let mut q = top.checked_div(den)?.trunc();
    while q.checked_mul(den)? > top {
        q -= Decimal::ONE;
    }
    while (q + Decimal::ONE).checked_mul(den)? <= top {
        q += Decimal::ONE;
    }
    let rem = top - q * den;
    if rem.checked_mul(Decimal::TWO)? >= den {
        q += Decimal::ONE;
    }
    q.to_u64()
}

/// Checks the content fields of a workload at `path`. `has_requests` says whether it is priced
/// per token (images and characters make no sense on a media workload).
pub(super) fn check(
    ck: &mut Checker,
    path: &KeyPath,
    w: &RawWorkload,
    has_requests: bool,
    cat: &Catalogue,
) -> Content {
    let language = language(ck, path, w, &cat.tokenizers);
    let mut chars = |key: &str, n: Option<crate::num::Num>, tokens_key: &str, tokens: bool| {
        let n = n?;
        let at = path.key(key);
        if tokens {
            ck.err(
                &at,
                format!("`{key}` and `{tokens_key}` are both set"),
                format!("keep one: `{key}` is converted with each model's tokenizer, `{tokens_key}` is billed as measured"),
            );
            return None;
        }
        if language.is_none() && w.language.is_none() {
            ck.err(
                &at,
                format!("`{key}` needs the text's `language`"),
                format!(
                    "add language = \"en\" (or one of: {}): characters become tokens at each tokenizer's rate for that language",
                    cat.tokenizers.languages().join(", ")
                ),
            );
            return None;
        }
        ck.whole(&at, n, if key == "input_chars" { 1 } else { 0 })
    };
    let input_chars = chars(
        "input_chars",
        w.input_chars.as_deref().copied(),
        "input_tokens",
        w.input_tokens.is_some(),
    );
    let output_chars = chars(
        "output_chars",
        w.output_chars.as_deref().copied(),
        "output_tokens",
        w.output_tokens.is_some(),
    );
    let images = images(ck, path, w, has_requests);
    Content {
        language: language.map(Box::new),
        input_chars,
        output_chars,
        images,
    }
}

fn language(
    ck: &mut Checker,
    path: &KeyPath,
    w: &RawWorkload,
    tokenizers: &Tokenizers,
) -> Option<Language> {
    let Some(code) = &w.language else {
        if w.token_basis.is_some() {
            ck.err(
                &path.key("token_basis"),
                "`token_basis` needs the text's `language`",
                format!(
                    "add language = \"en\" (or one of: {}): the tokenizers' ratios are per language",
                    tokenizers.languages().join(", ")
                ),
            );
        }
        return None;
    };
    let known = tokenizers.languages();
    if !known.contains(&&**code) {
        ck.err(
            &path.key("language"),
            format!("unknown language `{code}`"),
            suggest(code, "languages with tokenizer figures", known),
        );
        return None;
    }
    let basis = w.token_basis.as_deref().unwrap_or(DEFAULT_BASIS);
    let Some(t) = tokenizers.get(basis) else {
        ck.err(
            &path.key("token_basis"),
            format!("unknown tokenizer `{basis}`"),
            suggest(
                basis,
                "tokenizers",
                tokenizers.by_id.keys().map(String::as_str),
            ),
        );
        return None;
    };
    let Some(&ratio) = t.per_1000_chars.get(&**code) else {
        ck.err(
            &path.key("token_basis"),
            format!("tokenizer `{basis}` has no figure for language `{code}`"),
            "name a tokenizer that profiles/tokenizers.toml measures for this language",
        );
        return None;
    };
    Some(Language {
        code: code.to_string(),
        basis: basis.to_string(),
        basis_per_1000_chars: ratio,
    })
}

fn images(ck: &mut Checker, path: &KeyPath, w: &RawWorkload, has_requests: bool) -> Option<Images> {
    let per_request = match w.images_per_request.as_deref() {
        Some(n) => ck.whole(&path.key("images_per_request"), *n, 0)?,
        None => {
            if w.image_size.is_some() {
                ck.err(
                    &path.key("image_size"),
                    "`image_size` without `images_per_request`",
                    "add images_per_request = <images read with each request>",
                );
            }
            return None;
        }
    };
    if !has_requests {
        ck.err(
            &path.key("images_per_request"),
            "`images_per_request` needs a request volume",
            "images are read as part of requests: add requests_per_day or requests_per_month",
        );
        return None;
    }
    let Some(size) = &w.image_size else {
        if per_request == 0 {
            return None;
        }
        ck.err(
            &path.key("images_per_request"),
            "`images_per_request` needs `image_size`",
            "add image_size = \"1024x1024\" (width x height in pixels)",
        );
        return None;
    };
    let Some((width, height)) = parse_size(size) else {
        ck.err(
            &path.key("image_size"),
            format!("malformed image size `{size}`"),
            format!("write width x height in whole pixels, such as \"1024x1024\", each side from 1 to {MAX_IMAGE_SIDE}"),
        );
        return None;
    };
    (per_request > 0).then_some(Images {
        per_request,
        width,
        height,
    })
}

/// `"1024x1024"` (or `1024×1024`) as width and height, each from 1 to [`MAX_IMAGE_SIDE`].
pub fn parse_size(s: &str) -> Option<(u64, u64)> {
    let (w, h) = s.trim().split_once(['x', 'X', '×'])?;
    let side = |t: &str| {
        let t = t.trim();
        if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        t.parse::<u64>()
            .ok()
            .filter(|&n| (1..=MAX_IMAGE_SIDE).contains(&n))
    };
    Some((side(w)?, side(h)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn case(n: u64, num: i64, den: i64, scale: u32, want: u64) {
        let (num, den) = (Decimal::new(num, scale), Decimal::new(den, scale));
        assert_eq!(scale_round(n, num, den), Some(want), "{n} × {num} ÷ {den}");
    }

    #[test]
    fn scaled_counts_round_half_up_exactly() {
        // 1,000 × 595.5 ÷ 1,023.5 = 581.83 → 582.
        case(1000, 5955, 10235, 1, 582);
        // 3 × 1 ÷ 2 = 1.5 → 2; 5 × 1 ÷ 2 = 2.5 → 3; 1 × 1 ÷ 3 = 0.33 → 0.
        case(3, 1, 2, 0, 2);
        case(5, 1, 2, 0, 3);
        case(1, 1, 3, 0, 0);
        // A figure over itself is the count unchanged, however long its decimals.
        case(123_456_789, 10_235, 10_235, 1, 123_456_789);
        assert_eq!(scale_round(1, Decimal::ONE, Decimal::ZERO), None);
    }

    #[test]
    fn image_sizes_are_width_x_height() {
        assert_eq!(parse_size("1024x768"), Some((1024, 768)));
        assert_eq!(parse_size(" 4000 × 3000 "), Some((4000, 3000)));
        for bad in [
            "1024",
            "x768",
            "1024x",
            "0x5",
            "-1x5",
            "1.5x2",
            "1024x768x3",
            "100001x1",
        ] {
            assert_eq!(parse_size(bad), None, "{bad}");
        }
    }
}

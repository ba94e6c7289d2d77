//! The tokens one request of a workload is billed for on a model: its text in the model's own
//! tokenizer, and its images by the model's image rule.
//!
//! For a request of I input and O output tokens (or characters), on a model whose tokenizer gives
//! r tokens per 1,000 characters of the workload's language:
//!
//! - counts measured with a basis tokenizer of ratio b (`language`, `token_basis`): the model bills
//!   round(I × r ÷ b) and round(O × r ÷ b);
//! - characters (`input_chars`, `output_chars`): round(chars × r ÷ 1000);
//! - no language: the counts as written, on every model;
//! - each of `images_per_request` images adds the model's image tokens ([`super::image`]) to the
//!   input.
//!
//! Rounding is to the nearest whole token per request, halves up, in exact `Decimal` arithmetic.
//! A model that names no tokenizer, or whose tokenizer has no figure for the language, bills the
//! basis counts (characters at the basis ratio), and [`Sizing::note`] says so. A model that reads
//! no images, or has no image rule, cannot be priced for a workload with images.

use super::distribution::Scale;
use super::image;
use crate::catalogue::image_input::ImageRule;
use crate::catalogue::model::Model;
use crate::catalogue::vocab::Modality;
use crate::scenario::content::scale_round;
use crate::scenario::Workload;
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;

/// What of a model shapes the tokens a request is billed for.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Sizing {
    /// Its tokenizer's id and tokens per 1,000 characters by language.
    tokenizer: Option<(String, BTreeMap<String, Decimal>)>,
    /// Whether it reads images.
    reads_images: bool,
    /// Its image rule.
    image: Option<ImageRule>,
}

/// The tokens one request is billed for on a model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Size {
    /// Input tokens, image tokens included.
    pub input: u64,
    /// Output tokens.
    pub output: u64,
    /// Of the input, the tokens of the request's images.
    pub image_tokens: u64,
}

/// Why a model cannot bill a workload's requests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The reason, for the exclusion list.
    Reason(String),
    /// A count too large to hold.
    Overflow,
}

impl Sizing {
    /// The sizing of a model.
    pub fn of(model: &Model) -> Sizing {
        Sizing {
            tokenizer: model
                .tokenizer
                .as_ref()
                .map(|t| (t.id.clone(), t.per_1000_chars.clone())),
            reads_images: model.reads(Modality::Image),
            image: model.image_input.as_ref().map(|i| i.rule),
        }
    }

    /// The sizing as these workloads see it: a tokenizer matters only to a workload that states its
    /// language, an image rule only to one that sends images. What none of them can see is
    /// dropped, so that models which bill them alike compare equal
    /// ([`super::quantity::Profile::seen_by`]).
    pub fn seen_by(&self, workloads: &[Workload]) -> Sizing {
        let text = workloads.iter().any(|w| w.content.language.is_some());
        let images = workloads.iter().any(|w| w.content.images.is_some());
        Sizing {
            tokenizer: self.tokenizer.clone().filter(|_| text),
            reads_images: self.reads_images && images,
            image: self.image.filter(|_| images),
        }
    }

    /// The model's tokens per 1,000 characters of a language, if it has a figure.
    fn ratio(&self, language: &str) -> Option<Decimal> {
        self.tokenizer
            .as_ref()
            .and_then(|(_, r)| r.get(language).copied())
    }

    /// The tokens one request of `w` is billed for.
    pub fn request(&self, w: &Workload) -> Result<Size, Refusal> {
        let c = &w.content;
        let (input, output) = match &c.language {
            None => (w.input_tokens, w.output_tokens),
            Some(l) => {
                let basis = l.basis_per_1000_chars;
                let ratio = self.ratio(&l.code);
                let text = |tokens: u64, chars: Option<u64>| match (chars, ratio) {
                    (Some(ch), r) => scale_round(ch, r.unwrap_or(basis), Decimal::ONE_THOUSAND),
                    (None, Some(r)) => scale_round(tokens, r, basis),
                    (None, None) => Some(tokens),
                };
                (
                    text(w.input_tokens, c.input_chars).ok_or(Refusal::Overflow)?,
                    text(w.output_tokens, c.output_chars).ok_or(Refusal::Overflow)?,
                )
            }
        };
        let image_tokens = self.image_tokens(w)?;
        Ok(Size {
            input: input.checked_add(image_tokens).ok_or(Refusal::Overflow)?,
            output,
            image_tokens,
        })
    }

    /// The tokens of one request's images.
    fn image_tokens(&self, w: &Workload) -> Result<u64, Refusal> {
        let Some(im) = &w.content.images else {
            return Ok(0);
        };
        if !self.reads_images {
            return Err(Refusal::Reason(format!(
                "reads no images (workload `{}` sends {} a request)",
                w.name, im.per_request
            )));
        }
        let Some(rule) = self.image else {
            return Err(Refusal::Reason(
                "reads images but its profile names no image token rule".into(),
            ));
        };
        im.per_request
            .checked_mul(image::tokens(rule, im.width, im.height))
            .ok_or(Refusal::Overflow)
    }

    /// How the model bills a request of x of `w`'s basis tokens, for sizes that vary
    /// ([`super::distribution`]): round(x × r ÷ b) plus the request's image tokens.
    pub fn scale(&self, w: &Workload) -> Result<Scale, Refusal> {
        let (num, den) = match &w.content.language {
            Some(l) => match self.ratio(&l.code) {
                Some(r) => (r, l.basis_per_1000_chars),
                None => (Decimal::ONE, Decimal::ONE),
            },
            None => (Decimal::ONE, Decimal::ONE),
        };
        Ok(Scale {
            num,
            den,
            plus: self.image_tokens(w)?,
        })
    }

    /// Why the model bills `w`'s text at the basis counts rather than its own, if it does.
    pub fn note(&self, w: &Workload) -> Option<String> {
        let l = w.content.language.as_ref()?;
        if self.ratio(&l.code).is_some() {
            return None;
        }
        let why = match &self.tokenizer {
            None => "names no tokenizer".to_string(),
            Some((id, _)) => format!("its tokenizer `{id}` has no `{}` figure", l.code),
        };
        Some(format!(
            "{why}: workload `{}` is billed at the {} counts",
            w.name, l.basis
        ))
    }
}

/// The notes `cost` prints about the tokens each request of workload `w` is billed for, on the
/// model `model` whose bill for it is `wc`: when its language, characters or images make the model
/// bill other counts than those written, what it bills and with which tokenizer, and where it falls
/// back to the basis counts. None for a plain-text workload.
pub fn billed_notes(
    w: &crate::scenario::Workload,
    wc: &super::WorkloadCost,
    model: &str,
) -> Vec<String> {
    let mut notes = Vec::new();
    let Some(b) = wc.billed.as_ref().filter(|_| !w.content.is_plain()) else {
        return notes;
    };
    let n = |x: u64| crate::money::grouped_int(Decimal::from(x));
    let images = if b.size.image_tokens > 0 {
        format!(", {} of them for images", n(b.size.image_tokens))
    } else {
        String::new()
    };
    let text = match &w.content.language {
        Some(l) => format!(
            " (`{}` text measured with {}, converted with each tokenizer's tokens per 1,000 characters from profiles/tokenizers.toml; proxies and vendor estimates are estimates)",
            l.code, l.basis
        ),
        None => String::new(),
    };
    notes.push(format!(
        "Workload `{}`: each request is billed as {} input tokens{images} and {} output tokens on {model}{text}.",
        w.name,
        n(b.size.input),
        n(b.size.output),
    ));
    if let Some(n) = &b.note {
        notes.push(format!("{model} {n}."));
    }
    notes
}

//! The closed vocabularies of the file formats: statuses, modalities, capabilities, precisions.
//!
//! Each is a serde enum, so a misspelt value is refused at parse time with the list of valid ones
//! and a "did you mean" (see `toml_error`).

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! vocab {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vdoc])* $variant),+ }

        impl $name {
            /// Every value, in documentation order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The value as written in files.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// Reads a value as written in files.
            pub fn parse(text: &str) -> Option<$name> {
                match text { $($text => Some($name::$variant),)+ _ => None }
            }

            /// The valid values, comma-separated, for error messages.
            pub fn valid_list() -> String {
                Self::ALL.iter().map(|v| format!("`{}`", v.as_str())).collect::<Vec<_>>().join(", ")
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { f.write_str(self.as_str()) }
        }
    };
}

vocab!(
    /// Whether and how a model can be bought.
    Status {
        /// Generally available.
        Ga => "ga",
        /// Sold as a preview or beta.
        Preview => "preview",
        /// Announced, not yet available.
        Announced => "announced",
        /// A research result, not offered for sale.
        Research => "research",
        /// No longer sold.
        Retired => "retired",
    }
);

impl Status {
    /// Statuses a scenario may buy from unless it says otherwise.
    pub const DEFAULT_BUYABLE: &'static [Status] = &[Status::Ga, Status::Preview];

    /// The plain reason given when a model of this status is excluded.
    pub fn exclusion_reason(self) -> String {
        match self {
            Status::Announced => "announced, not yet available".into(),
            Status::Research => "research model, not offered for sale".into(),
            Status::Retired => "retired, no longer sold".into(),
            Status::Ga | Status::Preview => {
                format!("status `{self}` is not in requirements.statuses")
            }
        }
    }
}

vocab!(
    /// A kind of input or output.
    Modality {
        /// Text.
        Text => "text",
        /// Still images.
        Image => "image",
        /// Audio.
        Audio => "audio",
        /// Video.
        Video => "video",
        /// A vector of numbers for search and clustering: what an embedding model returns.
        Embedding => "embedding",
        /// Numbers or labels about the input, not text: rerank relevance scores, moderation
        /// categories.
        Scores => "scores",
    }
);

vocab!(
    /// Something a model's API offers beyond plain completion.
    Capability {
        /// Tool or function calls.
        FunctionCalling => "function_calling",
        /// A guaranteed-JSON output mode.
        JsonMode => "json_mode",
        /// The vendor sells fine-tuning, or open weights allow it.
        FineTuning => "fine_tuning",
        /// An asynchronous batch API.
        BatchApi => "batch_api",
        /// Cached input billed at a lower rate.
        PromptCaching => "prompt_caching",
        /// Token streaming.
        Streaming => "streaming",
        /// A separate system prompt.
        SystemPrompt => "system_prompt",
        /// Designed to run on phones or laptops.
        OnDevice => "on_device",
        /// Output held to a JSON Schema the request supplies (stricter than `json_mode`).
        StructuredOutput => "structured_output",
        /// Reasons before answering, in thinking tokens that are usually billed as output.
        Reasoning => "reasoning",
    }
);

vocab!(
    /// A weight precision for self-hosting.
    Precision {
        /// 16-bit brain float: 2 bytes a parameter.
        Bf16 => "bf16",
        /// 8-bit floating point: 1 byte a parameter.
        Fp8 => "fp8",
        /// 8-bit integer: 1 byte a parameter.
        Int8 => "int8",
        /// 4-bit integer: half a byte a parameter.
        Int4 => "int4",
    }
);

vocab!(
    /// How the key/value cache is stored while self-hosting.
    KvPrecision {
        /// 16-bit: 2 bytes an element, what serving engines use by default.
        Bf16 => "bf16",
        /// 8-bit floating point: 1 byte an element, half the cache.
        Fp8 => "fp8",
    }
);

impl KvPrecision {
    /// Bytes one cached key or value element takes.
    pub fn bytes(self) -> u64 {
        match self {
            KvPrecision::Bf16 => 2,
            KvPrecision::Fp8 => 1,
        }
    }
}

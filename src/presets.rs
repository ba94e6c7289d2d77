//! Starting scenarios for `llmplan init`, one per common workload, so that a newcomer can begin
//! from a commented file that already passes `check` instead of from the format documentation.
//! The files live in `presets/` and are embedded in the binary.

/// A starting scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Preset {
    /// A chat assistant: many short conversations, answered at once.
    #[default]
    Chatbot,
    /// Answers over retrieved documents: long prompts, short replies.
    Rag,
    /// Long documents summarised overnight through a batch API.
    BatchSummaries,
    /// An in-editor code assistant for a team of developers.
    CodeAssistant,
    /// Generated images, priced per image or by plan.
    ImageGeneration,
}

impl Preset {
    /// Every preset, in help order.
    pub const ALL: [Preset; 5] = [
        Preset::Chatbot,
        Preset::Rag,
        Preset::BatchSummaries,
        Preset::CodeAssistant,
        Preset::ImageGeneration,
    ];

    /// The name used on the command line and as the file name in `presets/`.
    pub fn name(self) -> &'static str {
        match self {
            Preset::Chatbot => "chatbot",
            Preset::Rag => "rag",
            Preset::BatchSummaries => "batch-summaries",
            Preset::CodeAssistant => "code-assistant",
            Preset::ImageGeneration => "image-generation",
        }
    }

    /// The scenario text, comments included.
    pub fn text(self) -> &'static str {
        match self {
            Preset::Chatbot => include_str!("../presets/chatbot.toml"),
            Preset::Rag => include_str!("../presets/rag.toml"),
            Preset::BatchSummaries => include_str!("../presets/batch-summaries.toml"),
            Preset::CodeAssistant => include_str!("../presets/code-assistant.toml"),
            Preset::ImageGeneration => include_str!("../presets/image-generation.toml"),
        }
    }
}

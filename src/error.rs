//! The library's error type and the exit codes it maps to.

use crate::diag::Diagnostic;
use std::fmt;

/// Everything that can stop a command.
#[derive(Debug)]
pub enum Error {
    /// One or more faults in input files. Exit code 2.
    Input(Vec<Diagnostic>),
    /// A bad command line or a request that cannot be met as asked. Exit code 2.
    Usage(String),
    /// An amount too large to represent exactly. Exit code 2: it always comes from absurd input.
    Overflow(String),
    /// Writing output failed. Exit code 2.
    Output(String),
}

impl Error {
    /// A single input fault.
    pub fn input(d: Diagnostic) -> Error {
        Error::Input(vec![d])
    }

    /// The process exit code for this error.
    pub fn exit_code(&self) -> i32 {
        2
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Input(diags) => {
                for (i, d) in diags.iter().enumerate() {
                    if i > 0 {
                        f.write_str("\nerror: ")?;
                    }
                    write!(f, "{d}")?;
                }
                if diags.len() > 1 {
                    write!(f, "\n{} problems found", diags.len())?;
                }
                Ok(())
            }
            Error::Usage(m) | Error::Output(m) => f.write_str(m),
            Error::Overflow(m) => write!(
                f,
                "arithmetic overflow: {m}; the amounts are too large to compute exactly. Check the volumes for a typo"
            ),
        }
    }
}

impl std::error::Error for Error {}

/// The library's result type.
pub type Result<T> = std::result::Result<T, Error>;

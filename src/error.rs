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
    /// An amount too large to represent exactly, and which. Exit code 2: it always comes from
    /// absurd input.
    Overflow(Overflow),
    /// Writing output failed. Exit code 2.
    Output(String),
}

impl Error {
    /// A single input fault.
    pub fn input(d: Diagnostic) -> Error {
        Error::Input(vec![d])
    }

    /// An overflow in computing the amount `what` names.
    pub fn overflow(what: impl Into<Overflow>) -> Error {
        Error::Overflow(what.into())
    }

    /// The process exit code for this error: every kind is the user's to fix, so every kind is 2
    /// (1 is kept for a run that worked but found no answer, such as no model under the budget).
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Input(_) | Error::Usage(_) | Error::Overflow(_) | Error::Output(_) => 2,
        }
    }
}

/// The quantity whose amount overflowed. A caller that points the user at the scenario line to
/// fix tells them apart: a sum over the horizon is blamed on the horizon or the growth, any other
/// amount on the volume.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Overflow {
    /// The sum of the monthly bills over the horizon's months.
    Horizon,
    /// Any other amount, named as the message shows it (`input tokens of workload `w` on m`).
    Amount(String),
}

impl fmt::Display for Overflow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Overflow::Horizon => f.write_str("horizon cost"),
            Overflow::Amount(what) => f.write_str(what),
        }
    }
}

impl From<&str> for Overflow {
    fn from(what: &str) -> Overflow {
        Overflow::Amount(what.to_string())
    }
}

impl From<&String> for Overflow {
    fn from(what: &String) -> Overflow {
        Overflow::Amount(what.clone())
    }
}

impl From<String> for Overflow {
    fn from(what: String) -> Overflow {
        Overflow::Amount(what)
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

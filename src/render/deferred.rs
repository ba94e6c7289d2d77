//! JSON reports with parts made while they are written.
//!
//! A report's JSON is a [`Value`] built before anything is written. For a scenario with many
//! workloads, some arrays of it (every ranked model's bill workload by workload, `cost`'s
//! workloads) would hold kilobytes a workload, all at once. Such an array is left empty in the
//! value and given as a [`Deferred`] part instead: where it goes, and how to make its items one at a
//! time. [`write_json`] writes the value and, on reaching a deferred array, writes its items as
//! they are made, so memory does not grow with the array.
//!
//! The bytes are those of the value with the items in place, printed as
//! [`serde_json::to_writer_pretty`] (or [`serde_json::to_writer`]) prints it: the same object key
//! order (alphabetical, as [`Value`] keeps it), the same indentation. A unit test below holds the
//! two equal.

use crate::error::{Error, Result};
use serde::ser::{Error as _, SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};
use serde_json::Value;
use std::cell::RefCell;
use std::fmt;
use std::io::Write;

/// One step of the way to a deferred array: an object key or an array position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// The member with this key.
    Key(&'static str),
    /// The element at this position.
    Index(usize),
}

/// What a deferred part hands each item to; an error from it ends the part.
pub type Emit<'a> = dyn FnMut(Value) -> Result<()> + 'a;

/// Makes a deferred array's items, in order, handing each to `emit`.
pub type Fill = Box<dyn Fn(&mut Emit<'_>) -> Result<()>>;

/// Runs `make`, which hands its items over one at a time, and gives each to `emit` until one
/// cannot be written: the kernel calls that make a part's items take a callback that cannot fail,
/// so the first failure to write is kept and returned once `make` is done.
pub fn emit_all(
    emit: &mut Emit<'_>,
    make: impl FnOnce(&mut dyn FnMut(Value)) -> Result<()>,
) -> Result<()> {
    let mut written = Ok(());
    make(&mut |item| {
        if written.is_ok() {
            written = emit(item);
        }
    })?;
    written
}

/// An array of a report's JSON made while the report is written.
pub struct Deferred {
    /// Where the array goes, from the document's root. The value must hold an empty array there.
    pub at: Vec<Step>,
    /// Makes its items.
    pub fill: Fill,
}

impl fmt::Debug for Deferred {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Deferred").field("at", &self.at).finish()
    }
}

/// Why [`write_json`] stopped.
#[derive(Debug)]
pub enum Failure {
    /// A deferred part failed to make an item: its error, as it is.
    Part(Error),
    /// The writer failed.
    Io(std::io::Error),
}

/// Writes `doc` as JSON to `out`, pretty-printed or compact, with each deferred part's items in
/// place, and a final newline.
pub fn write_json(
    doc: &Value,
    deferred: &[Deferred],
    pretty: bool,
    out: &mut dyn Write,
) -> std::result::Result<(), Failure> {
    let failed = RefCell::new(None);
    let node = Node {
        v: doc,
        holes: deferred.iter().map(|d| (d.at.as_slice(), d)).collect(),
        failed: &failed,
    };
    let written = if pretty {
        serde_json::to_writer_pretty(&mut *out, &node)
    } else {
        serde_json::to_writer(&mut *out, &node)
    };
    if let Some(e) = failed.into_inner() {
        return Err(Failure::Part(e));
    }
    written
        .map_err(std::io::Error::from)
        .and_then(|()| out.write_all(b"\n"))
        .map_err(Failure::Io)
}

/// [`write_json`] into a string.
pub fn to_string(doc: &Value, deferred: &[Deferred], pretty: bool) -> Result<String> {
    let mut bytes = Vec::new();
    write_json(doc, deferred, pretty, &mut bytes).map_err(|f| match f {
        Failure::Part(e) => e,
        Failure::Io(e) => Error::Output(format!("the report: {e}")),
    })?;
    String::from_utf8(bytes).map_err(|e| Error::Output(format!("the report: {e}")))
}

/// Puts every deferred part's items in place in `doc`, for a caller that wants the value whole.
pub fn fill_in(doc: &mut Value, deferred: &[Deferred]) -> Result<()> {
    for d in deferred {
        let mut at = &mut *doc;
        for step in &d.at {
            at = match step {
                Step::Key(k) => &mut at[*k],
                Step::Index(i) => &mut at[*i],
            };
        }
        let mut made = Vec::new();
        (d.fill)(&mut |x| {
            made.push(x);
            Ok(())
        })?;
        *at = Value::Array(made);
    }
    Ok(())
}

/// A value to write, with the deferred parts at or below it and the rest of each one's way.
struct Node<'a> {
    v: &'a Value,
    holes: Vec<(&'a [Step], &'a Deferred)>,
    failed: &'a RefCell<Option<Error>>,
}

impl Node<'_> {
    fn child<'a>(&'a self, v: &'a Value, step: &dyn Fn(&Step) -> bool) -> Node<'a> {
        Node {
            v,
            holes: self
                .holes
                .iter()
                .filter_map(|(rest, d)| match rest.split_first() {
                    Some((s, tail)) if step(s) => Some((tail, *d)),
                    _ => None,
                })
                .collect(),
            failed: self.failed,
        }
    }
}

impl Serialize for Node<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        if self.holes.is_empty() {
            return self.v.serialize(s);
        }
        if let Some((_, d)) = self.holes.iter().find(|(rest, _)| rest.is_empty()) {
            let mut seq = s.serialize_seq(None)?;
            let mut write_error = None;
            let made = (d.fill)(&mut |item| match seq.serialize_element(&item) {
                Ok(()) => Ok(()),
                Err(e) => {
                    write_error = Some(e);
                    Err(Error::Output("write failed".into()))
                }
            });
            if let Some(e) = write_error {
                return Err(e);
            }
            if let Err(e) = made {
                *self.failed.borrow_mut() = Some(e);
                return Err(S::Error::custom("a deferred part failed"));
            }
            return seq.end();
        }
        match self.v {
            Value::Object(map) => {
                let mut m = s.serialize_map(Some(map.len()))?;
                for (k, v) in map {
                    m.serialize_entry(
                        k,
                        &self.child(v, &|s| matches!(s, Step::Key(key) if key == k)),
                    )?;
                }
                m.end()
            }
            Value::Array(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for (i, v) in items.iter().enumerate() {
                    seq.serialize_element(&self.child(v, &|s| *s == Step::Index(i)))?;
                }
                seq.end()
            }
            v => v.serialize(s),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn emit_all_writes_until_a_write_fails_and_returns_that_failure() {
        let mut got = Vec::new();
        let mut emit = |v: Value| {
            got.push(v.clone());
            match v == json!(2) {
                true => Err(Error::Output("full".into())),
                false => Ok(()),
            }
        };
        let made = emit_all(&mut emit, |out| {
            (1..=4).for_each(|i| out(json!(i)));
            Ok(())
        });
        assert!(matches!(made, Err(Error::Output(m)) if m == "full"));
        assert_eq!(got, [json!(1), json!(2)]);
        // A failure to make the items is the result, whatever was written.
        let mut emit = |_: Value| Ok(());
        let made = emit_all(&mut emit, |out| {
            out(json!(1));
            Err(Error::Output("no bill".into()))
        });
        assert!(matches!(made, Err(Error::Output(m)) if m == "no bill"));
    }

    fn items(xs: Vec<Value>) -> Fill {
        Box::new(move |emit| xs.iter().try_for_each(|x| emit(x.clone())))
    }

    /// The document with every deferred part's items put in place, as a value.
    fn filled(doc: &Value, deferred: &[Deferred]) -> Value {
        let mut doc = doc.clone();
        fill_in(&mut doc, deferred).expect("fills");
        doc
    }

    #[test]
    fn deferred_items_print_exactly_as_the_filled_value_would() {
        let doc = json!({
            "z": 1,
            "ranked": [
                {"workloads": [], "model": "a", "b": {"c": []}},
                {"workloads": [], "model": "b"},
                {"workloads": [], "model": "c"}
            ],
            "a": [],
            "empty": {}
        });
        let deferred = vec![
            Deferred {
                at: vec![Step::Key("ranked"), Step::Index(0), Step::Key("workloads")],
                fill: items(vec![
                    json!({"name": "w1", "cost": "1.5"}),
                    json!({"name": "w2"}),
                ]),
            },
            // An empty part prints as the empty array it stands in for.
            Deferred {
                at: vec![Step::Key("ranked"), Step::Index(1), Step::Key("workloads")],
                fill: items(vec![]),
            },
            Deferred {
                at: vec![Step::Key("a")],
                fill: items(vec![json!(1), json!([2, 3]), json!({"y": 1, "x": 2})]),
            },
        ];
        let whole = filled(&doc, &deferred);
        let pretty = to_string(&doc, &deferred, true).expect("writes");
        assert_eq!(
            pretty,
            serde_json::to_string_pretty(&whole).expect("json") + "\n"
        );
        let compact = to_string(&doc, &deferred, false).expect("writes");
        assert_eq!(compact, serde_json::to_string(&whole).expect("json") + "\n");
        // And the items really were written: the third row kept its empty array.
        assert!(pretty.contains("\"name\": \"w2\""));
        assert_eq!(whole["ranked"][2]["workloads"], json!([]));
    }

    #[test]
    fn a_document_without_deferred_parts_prints_as_serde_json_prints_it() {
        let doc = json!({"b": [1, {"d": null, "c": "x"}], "a": {}});
        assert_eq!(
            to_string(&doc, &[], true).expect("writes"),
            serde_json::to_string_pretty(&doc).expect("json") + "\n"
        );
    }

    #[test]
    fn an_error_while_making_items_is_returned_as_it_is() {
        let doc = json!({"a": []});
        let deferred = vec![Deferred {
            at: vec![Step::Key("a")],
            fill: Box::new(|emit| {
                emit(json!(1))?;
                Err(Error::Usage("the second item overflows".into()))
            }),
        }];
        match to_string(&doc, &deferred, true) {
            Err(Error::Usage(m)) => assert_eq!(m, "the second item overflows"),
            other => panic!("expected the part's error, got {other:?}"),
        }
    }
}

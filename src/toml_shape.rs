//! What a shape fault is, learnt from serde's calls rather than from any crate's wording.
//!
//! The `toml` crate turns every serde fault into a message string. When a document parses but
//! does not fit its type, [`fault`] reads the same document again through a deserializer of its
//! own over `toml_edit`'s items, whose error type records the serde call that failed (an unknown
//! field and the fields allowed, a missing field, an unknown variant and the variants allowed, a
//! wrong type with what was found and which kind of value the type asked for) instead of a
//! sentence. `toml_error` words its advice from that. The `toml` crate stays the reader of
//! record: this reading only classifies a fault it has already found.

use serde::de::value::{MapDeserializer, SeqDeserializer};
use serde::de::{self, DeserializeOwned, IntoDeserializer, Unexpected, Visitor};
use serde::Deserializer;
use std::fmt;
use toml_edit::{Item, Value};

/// A shape fault, as the serde call that raised it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shape {
    /// A key the table does not take, and the keys it does.
    UnknownField {
        /// The key as written.
        field: String,
        /// The keys the table takes.
        allowed: &'static [&'static str],
    },
    /// A name the field does not take, and the names it does.
    UnknownVariant {
        /// The name as written.
        variant: String,
        /// The names the field takes.
        allowed: &'static [&'static str],
    },
    /// A key the table must have.
    MissingField(&'static str),
    /// A value of the wrong kind.
    WrongType {
        /// What the file holds, in TOML words, such as `string "openai"`, `integer `5`` or
        /// `an array`.
        found: String,
        /// What the type asked for.
        wanted: Wanted,
    },
    /// A name (an enum) written as something other than a string.
    NotAName,
    /// A number (`num::Num`) its reader refused, and why.
    Number(crate::num::Refusal),
    /// Any other fault, with the message of the type that refused the value.
    Other(String),
}

/// The kind of value a type asked the reader for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Wanted {
    /// `true` or `false`.
    Boolean,
    /// Text.
    String,
    /// An array.
    Array,
    /// A table.
    Table,
    /// A number, or a decimal in quotes (`num::Num`).
    Number,
    /// Whatever its visitor accepts, as it describes itself (a number type says what it takes).
    Described(String),
}

/// The shape fault that keeps `text` from reading as `T`; `None` if it reads, or does not parse.
pub fn fault<T: DeserializeOwned>(text: &str) -> Option<Shape> {
    let doc = toml_edit::ImDocument::parse(text).ok()?;
    let root = Node::Item(doc.as_item());
    T::deserialize(root).err().map(|e| e.0)
}

/// The error type of the second reading: the shape fault itself.
#[derive(Debug)]
struct Fault(Shape);

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.0)
    }
}

impl std::error::Error for Fault {}

impl de::Error for Fault {
    fn custom<M: fmt::Display>(msg: M) -> Fault {
        Fault(Shape::Other(msg.to_string()))
    }

    fn invalid_type(found: Unexpected<'_>, expected: &dyn de::Expected) -> Fault {
        // A type that reads a number among other shapes (a request size) expects it in the
        // number's own words, and gets the number's help.
        let expected = expected.to_string();
        let wanted = if expected == crate::num::EXPECTING {
            Wanted::Number
        } else {
            Wanted::Described(expected)
        };
        Fault(Shape::WrongType {
            found: found_words(&found),
            wanted,
        })
    }

    fn unknown_field(field: &str, allowed: &'static [&'static str]) -> Fault {
        Fault(Shape::UnknownField {
            field: field.to_string(),
            allowed,
        })
    }

    fn unknown_variant(variant: &str, allowed: &'static [&'static str]) -> Fault {
        Fault(Shape::UnknownVariant {
            variant: variant.to_string(),
            allowed,
        })
    }

    fn missing_field(field: &'static str) -> Fault {
        Fault(Shape::MissingField(field))
    }
}

/// A value found in the file, in the words serde's `Unexpected` uses, tables and arrays in TOML's.
fn found_words(u: &Unexpected<'_>) -> String {
    match u {
        Unexpected::Map => "a table".into(),
        Unexpected::Seq => "an array".into(),
        other => other.to_string(),
    }
}

/// A node of the document.
#[derive(Clone, Copy)]
enum Node<'a> {
    Item(&'a Item),
    Value(&'a Value),
    /// A `[table]`, or one table of an `[[array]]`.
    Table(&'a toml_edit::Table),
    Key(&'a str),
}

impl<'a> Node<'a> {
    /// What the node holds, as a found value.
    fn found(self) -> String {
        match self {
            Node::Key(k) => found_words(&Unexpected::Str(k)),
            Node::Item(Item::Value(v)) | Node::Value(v) => match v {
                Value::String(s) => found_words(&Unexpected::Str(s.value())),
                Value::Integer(i) => found_words(&Unexpected::Signed(*i.value())),
                Value::Float(f) => found_words(&Unexpected::Float(*f.value())),
                Value::Boolean(b) => found_words(&Unexpected::Bool(*b.value())),
                Value::Datetime(_) => "a date".into(),
                Value::Array(_) => "an array".into(),
                Value::InlineTable(_) => "a table".into(),
            },
            Node::Item(Item::ArrayOfTables(_)) => "an array".into(),
            Node::Item(_) | Node::Table(_) => "a table".into(),
        }
    }

    /// A wrong-type fault when the node is not what `wanted` names.
    fn refuse<T>(self, wanted: Wanted) -> Result<T, Fault> {
        Err(Fault(Shape::WrongType {
            found: self.found(),
            wanted,
        }))
    }

    fn str(self) -> Option<&'a str> {
        match self {
            Node::Key(k) => Some(k),
            Node::Item(Item::Value(Value::String(s))) | Node::Value(Value::String(s)) => {
                Some(s.value())
            }
            _ => None,
        }
    }

    fn is_table(self) -> bool {
        matches!(
            self,
            Node::Item(Item::Table(_))
                | Node::Item(Item::Value(Value::InlineTable(_)))
                | Node::Value(Value::InlineTable(_))
                | Node::Table(_)
        )
    }

    fn is_array(self) -> bool {
        matches!(
            self,
            Node::Item(Item::ArrayOfTables(_))
                | Node::Item(Item::Value(Value::Array(_)))
                | Node::Value(Value::Array(_))
        )
    }
}

impl<'de, 'a> IntoDeserializer<'de, Fault> for Node<'a> {
    type Deserializer = Self;

    fn into_deserializer(self) -> Self {
        self
    }
}

impl<'de, 'a> Deserializer<'de> for Node<'a> {
    type Error = Fault;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Fault> {
        let value = match self {
            Node::Key(k) => return visitor.visit_str(k),
            Node::Item(Item::Value(v)) | Node::Value(v) => v,
            Node::Item(Item::None) => return visitor.visit_unit(),
            Node::Item(Item::Table(t)) | Node::Table(t) => {
                let entries = t.iter().map(|(k, v)| (Node::Key(k), Node::Item(v)));
                return visit_map(visitor, entries);
            }
            Node::Item(Item::ArrayOfTables(a)) => {
                return visit_seq(visitor, a.iter().map(Node::Table));
            }
        };
        match value {
            Value::String(s) => visitor.visit_str(s.value()),
            Value::Integer(i) => visitor.visit_i64(*i.value()),
            Value::Float(f) => visitor.visit_f64(*f.value()),
            Value::Boolean(b) => visitor.visit_bool(*b.value()),
            Value::Datetime(d) => visitor.visit_string(d.value().to_string()),
            Value::Array(a) => visit_seq(visitor, a.iter().map(Node::Value)),
            Value::InlineTable(t) => {
                let entries = t.iter().map(|(k, v)| (Node::Key(k), Node::Value(v)));
                visit_map(visitor, entries)
            }
        }
    }

    /// A key that is present holds a value: TOML has no null.
    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Fault> {
        visitor.visit_some(self)
    }

    /// The vocabularies and policies are enums of unit variants, written as strings.
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Fault> {
        match self.str() {
            Some(s) => visitor.visit_enum(s.into_deserializer()),
            None => Err(Fault(Shape::NotAName)),
        }
    }

    /// A number is read here by the same functions `Num` reads it with, so a refusal arrives as
    /// its kind rather than as the sentence `Num` would hand serde.
    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Fault> {
        // A range field holding a plain value is a number like any other.
        let number =
            name == crate::num::NAME || (name == crate::scenario::range::NAME && !self.is_table());
        if number {
            match self.deserialize_any(NumWhy) {
                Ok(None) => {}
                Ok(Some(why)) => return Err(Fault(Shape::Number(why))),
                Err(Fault(Shape::WrongType { found, .. })) => {
                    return Err(Fault(Shape::WrongType {
                        found,
                        wanted: Wanted::Number,
                    }))
                }
                Err(other) => return Err(other),
            }
        }
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Fault> {
        match self {
            Node::Item(Item::Value(Value::Boolean(_))) | Node::Value(Value::Boolean(_)) => {
                self.deserialize_any(visitor)
            }
            _ => self.refuse(Wanted::Boolean),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Fault> {
        match self.str() {
            Some(_) => self.deserialize_any(visitor),
            None => self.refuse(Wanted::String),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Fault> {
        self.deserialize_str(visitor)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Fault> {
        if self.is_array() {
            self.deserialize_any(visitor)
        } else {
            self.refuse(Wanted::Array)
        }
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Fault> {
        if self.is_table() {
            self.deserialize_any(visitor)
        } else {
            self.refuse(Wanted::Table)
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Fault> {
        self.deserialize_map(visitor)
    }

    serde::forward_to_deserialize_any! {
        i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char
        bytes byte_buf unit unit_struct tuple tuple_struct identifier ignored_any
    }
}

/// Why `num::Num` would refuse a value, if it would: the kinds of value it takes, read by the
/// functions it reads them with.
struct NumWhy;

impl<'de> Visitor<'de> for NumWhy {
    type Value = Option<crate::num::Refusal>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(crate::num::EXPECTING)
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(crate::num::from_float(v).err())
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(crate::num::parse_decimal(v).err())
    }
}

fn visit_seq<'de, 'a, V: Visitor<'de>>(
    visitor: V,
    items: impl Iterator<Item = Node<'a>>,
) -> Result<V::Value, Fault> {
    let mut seq = SeqDeserializer::new(items);
    let v = visitor.visit_seq(&mut seq)?;
    seq.end()?;
    Ok(v)
}

fn visit_map<'de, 'a, V: Visitor<'de>>(
    visitor: V,
    entries: impl Iterator<Item = (Node<'a>, Node<'a>)>,
) -> Result<V::Value, Fault> {
    let mut map = MapDeserializer::new(entries);
    let v = visitor.visit_map(&mut map)?;
    map.end()?;
    Ok(v)
}

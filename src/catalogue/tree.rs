//! TOML documents fixed at build time, and a serde reader for them.
//!
//! `build.rs` parses every embedded profile file once and writes the documents out as one flat
//! array of [`Value`]s and one string of all their text. Reading the file types from there costs
//! a walk and a copy of each string: no text is scanned. A value holds offsets, not pointers, so
//! the whole tree is plain read-only data that the loader maps without relocating it.
//!
//! The reader hands serde exactly what the TOML reader would (a float as an `f64`, a table as a
//! map), so a type reads the same from the tree as from the file; a test holds it to that.

use serde::de::value::{BorrowedStrDeserializer, Error, MapDeserializer, SeqDeserializer};
use serde::de::{self, DeserializeOwned, IntoDeserializer, Visitor};
use serde::Deserializer;

/// A TOML value. There are no dates: a file with one is left to the TOML reader.
#[derive(Debug, Clone, Copy)]
pub enum Value {
    /// A string: its byte offset and length in [`Tree::strings`].
    Str(u32, u32),
    /// An integer.
    Int(i64),
    /// A float.
    Float(f64),
    /// A boolean.
    Bool(bool),
    /// An array: the index of its first element in [`Tree::values`], and its length.
    Array(u32, u32),
    /// A table: the index of its first key in [`Tree::values`], and its number of entries. Keys
    /// and values alternate, in the order the TOML reader yields them.
    Table(u32, u32),
}

/// Documents laid out flat.
#[derive(Debug)]
pub struct Tree {
    /// Every value.
    pub values: &'static [Value],
    /// The text of every string.
    pub strings: &'static str,
}

impl Tree {
    /// Reads a type from the document at `root`; `None` if its shape does not fit.
    pub fn decode<T: DeserializeOwned>(&'static self, root: Value) -> Option<T> {
        T::deserialize(Node {
            tree: self,
            value: root,
        })
        .ok()
    }

    fn str(&self, start: u32, len: u32) -> &'static str {
        let start = start as usize;
        let strings: &'static str = self.strings;
        &strings[start..start + len as usize]
    }

    fn run(&'static self, first: u32, len: u32) -> impl Iterator<Item = Node> {
        let first = first as usize;
        self.values[first..first + len as usize]
            .iter()
            .map(move |&value| Node { tree: self, value })
    }
}

/// A value and the tree it lives in: what serde reads.
#[derive(Clone, Copy)]
struct Node {
    tree: &'static Tree,
    value: Value,
}

impl Node {
    /// The key of a table entry.
    fn key(self) -> &'static str {
        match self.value {
            Value::Str(start, len) => self.tree.str(start, len),
            _ => "",
        }
    }
}

impl<'de> IntoDeserializer<'de, Error> for Node {
    type Deserializer = Self;

    fn into_deserializer(self) -> Self {
        self
    }
}

impl<'de> Deserializer<'de> for Node {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::Str(start, len) => visitor.visit_str(self.tree.str(start, len)),
            Value::Int(i) => visitor.visit_i64(i),
            Value::Float(f) => visitor.visit_f64(f),
            Value::Bool(b) => visitor.visit_bool(b),
            Value::Array(first, len) => {
                let mut seq = SeqDeserializer::new(self.tree.run(first, len));
                let v = visitor.visit_seq(&mut seq)?;
                seq.end()?;
                Ok(v)
            }
            Value::Table(first, len) => {
                let mut items = self.tree.run(first, 2 * len);
                let entries = std::iter::from_fn(|| Some((items.next()?.key(), items.next()?)));
                let mut map = MapDeserializer::new(entries);
                let v = visitor.visit_map(&mut map)?;
                map.end()?;
                Ok(v)
            }
        }
    }

    /// A key that is present holds a value: TOML has no null.
    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_some(self)
    }

    /// The vocabularies are enums of unit variants, written as strings.
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.value {
            Value::Str(start, len) => visitor.visit_enum(BorrowedStrDeserializer::<Error>::new(
                self.tree.str(start, len),
            )),
            _ => Err(de::Error::custom("expected a string")),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map struct identifier ignored_any
    }
}

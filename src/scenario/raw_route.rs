//! A `[workload.route]` table as written: each model id and its share.
//!
//! It is read as a map keyed by model id and kept as a list in the order of its keys, as a
//! `BTreeMap` would iterate it: every workload of a file is held as read while the file is
//! parsed, and a `BTreeMap` allocates room for eleven entries (about 1.4 KB) for a route of two.

use super::range::Uncertain;
use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

/// Each model id of a route and its share, in the order of the ids.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RawRoute(Vec<(String, Uncertain)>);

impl RawRoute {
    /// The shares, ordered by model id; of a model id written twice, the last.
    pub fn new(mut entries: Vec<(String, Uncertain)>) -> RawRoute {
        // A stable sort of the reversed list puts the last of equal ids first, and dedup keeps it.
        entries.reverse();
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        entries.dedup_by(|later, kept| later.0 == kept.0);
        entries.shrink_to_fit();
        RawRoute(entries)
    }

    /// Models named.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the route names no model.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Each model id and its share, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &Uncertain)> {
        self.0.iter().map(|(k, v)| (k, v))
    }

    /// Each share, in order.
    pub fn values(&self) -> impl Iterator<Item = &Uncertain> {
        self.0.iter().map(|(_, v)| v)
    }

    /// Each model id and its share, the share to change.
    pub fn iter_mut(&mut self) -> impl Iterator<Item = (&String, &mut Uncertain)> {
        self.0.iter_mut().map(|(k, v)| (&*k, v))
    }
}

impl IntoIterator for RawRoute {
    type Item = (String, Uncertain);
    type IntoIter = std::vec::IntoIter<(String, Uncertain)>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'de> Deserialize<'de> for RawRoute {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<RawRoute, D::Error> {
        struct Entries;
        impl<'de> Visitor<'de> for Entries {
            type Value = RawRoute;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                // As a `BTreeMap` says it, so that messages do not change.
                f.write_str("a map")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawRoute, A::Error> {
                let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(2).min(16));
                while let Some(entry) = map.next_entry::<String, Uncertain>()? {
                    entries.push(entry);
                }
                Ok(RawRoute::new(entries))
            }
        }
        d.deserialize_map(Entries)
    }
}

impl Serialize for RawRoute {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

/// The schema of the map it is written as.
impl JsonSchema for RawRoute {
    fn inline_schema() -> bool {
        <BTreeMap<String, Uncertain>>::inline_schema()
    }

    fn schema_name() -> Cow<'static, str> {
        <BTreeMap<String, Uncertain>>::schema_name()
    }

    fn schema_id() -> Cow<'static, str> {
        <BTreeMap<String, Uncertain>>::schema_id()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        <BTreeMap<String, Uncertain>>::json_schema(generator)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::num::Num;
    use rust_decimal::Decimal;

    fn share(n: i64) -> Uncertain {
        Uncertain::Fixed(Num(Decimal::new(n, 1)))
    }

    #[test]
    fn a_route_is_ordered_by_model_id_as_a_map_would_be() {
        let text = "\"z/b\" = 0.7\n\"a/c\" = 0.2\n\"m/x\" = 0.1\n";
        let read: RawRoute = toml::from_str(text).unwrap();
        let map: BTreeMap<String, Uncertain> = toml::from_str(text).unwrap();
        let ids: Vec<&str> = read.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(ids, ["a/c", "m/x", "z/b"]);
        assert!(read.iter().eq(map.iter()));
        assert_eq!(read.len(), 3);
        // Written back as the same table.
        assert_eq!(
            toml::to_string(&read).unwrap(),
            toml::to_string(&map).unwrap()
        );
    }

    #[test]
    fn of_an_id_given_twice_the_last_share_is_kept() {
        let r = RawRoute::new(vec![
            ("b".into(), share(1)),
            ("a".into(), share(2)),
            ("b".into(), share(3)),
        ]);
        let got: Vec<(String, Uncertain)> = r.into_iter().collect();
        assert_eq!(got, [("a".into(), share(2)), ("b".into(), share(3))]);
    }
}

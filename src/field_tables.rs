//! Which table each field of the file formats belongs in, so that a field written under the wrong
//! header is sent to the right one.
//!
//! In TOML every key after a `[table]` header belongs to that table, so `min_context_tokens`
//! typed below `[[workload]]` is an unknown workload field, though it is a fine requirement. The
//! field names are read from the raw types themselves (serde's derive hands each struct's field
//! list to the deserializer), so this never falls out of step with the formats.

use crate::catalogue::raw::{
    RawAccelerator, RawBenchmark, RawHourlyPrice, RawModel, RawPlan, RawPrice, RawScore,
    RawServing, RawTier, RawVendor,
};
use crate::scenario::raw::{
    RawCascade, RawFit, RawOverride, RawPricing, RawRank, RawRequirements, RawScenario,
    RawSelfhost, RawWorkload,
};
use serde::de::{self, DeserializeOwned, Visitor};
use std::sync::OnceLock;

/// Where a table is, as a phrase ("in [requirements]"), and the fields it takes.
type Table = (&'static str, &'static [&'static str]);

/// The tables of one file format.
fn formats() -> &'static [Vec<Table>; 2] {
    static FORMATS: OnceLock<[Vec<Table>; 2]> = OnceLock::new();
    FORMATS.get_or_init(|| {
        [
            vec![
                (
                    "at the top of the file, before any [table]",
                    fields_of::<RawScenario>(),
                ),
                ("in [[workload]]", fields_of::<RawWorkload>()),
                ("in [workload.cascade]", fields_of::<RawCascade>()),
                (
                    "in [workload.cache]",
                    fields_of::<crate::scenario::cache::RawCache>(),
                ),
                ("in [requirements]", fields_of::<RawRequirements>()),
                ("in [fit]", fields_of::<RawFit>()),
                ("in [pricing]", fields_of::<RawPricing>()),
                (
                    "in [pricing.override.\"<model id>\"]",
                    fields_of::<RawOverride>(),
                ),
                ("in [rank]", fields_of::<RawRank>()),
                ("in [selfhost]", fields_of::<RawSelfhost>()),
            ],
            vec![
                ("in [vendor]", fields_of::<RawVendor>()),
                ("in [[model]]", fields_of::<RawModel>()),
                ("in [model.price]", fields_of::<RawPrice>()),
                ("in [[model.price.tiers]]", fields_of::<RawTier>()),
                ("in [[model.price.plans]]", fields_of::<RawPlan>()),
                ("in [[model.benchmarks]]", fields_of::<RawScore>()),
                ("in [model.serving]", fields_of::<RawServing>()),
                ("in [[benchmark]]", fields_of::<RawBenchmark>()),
                ("in [[accelerator]]", fields_of::<RawAccelerator>()),
                ("in [accelerator.price]", fields_of::<RawHourlyPrice>()),
            ],
        ]
    })
}

/// The other tables of the same format that take `field`, given the fields of the table it was
/// found in (as serde lists them in its "unknown field" message).
pub fn tables_taking(field: &str, here: &[&str]) -> Vec<&'static str> {
    let Some(format) = formats()
        .iter()
        .find(|f| f.iter().any(|(_, fs)| same_fields(fs, here)))
    else {
        return Vec::new();
    };
    format
        .iter()
        .filter(|(_, fs)| !same_fields(fs, here) && fs.contains(&field))
        .map(|(name, _)| *name)
        .collect()
}

fn same_fields(a: &[&str], b: &[&str]) -> bool {
    a.len() == b.len() && a.iter().all(|x| b.contains(x))
}

/// The field names of a struct, read from its `Deserialize` impl.
fn fields_of<T: DeserializeOwned>() -> &'static [&'static str] {
    let mut probe = FieldProbe(None);
    // The probe always fails; it only records the list it was handed.
    let _ = T::deserialize(&mut probe);
    probe.0.unwrap_or(&[])
}

/// A deserializer that reads nothing and records the field list of the struct asked for.
struct FieldProbe(Option<&'static [&'static str]>);

impl<'de> de::Deserializer<'de> for &mut FieldProbe {
    type Error = de::value::Error;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
        Err(de::Error::custom("a probe for field names"))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Self::Error> {
        self.0 = Some(fields);
        Err(de::Error::custom("a probe for field names"))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option
        unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_field_names_from_the_raw_types() {
        assert!(fields_of::<RawRequirements>().contains(&"min_context_tokens"));
        assert!(
            fields_of::<RawPricing>().contains(&"override"),
            "serde renames are honoured"
        );
        assert!(fields_of::<RawModel>().contains(&"capabilities"));
    }

    #[test]
    fn sends_a_field_to_its_table() {
        let workload = fields_of::<RawWorkload>();
        assert_eq!(
            tables_taking("min_context_tokens", workload),
            vec!["in [requirements]"]
        );
        assert_eq!(
            tables_taking("horizon_months", workload),
            vec!["at the top of the file, before any [table]"]
        );
        // A scenario field is never sent to a profile table, and the reverse.
        assert_eq!(
            tables_taking("capabilities", workload),
            vec!["in [requirements]"]
        );
        assert_eq!(
            tables_taking("capabilities", fields_of::<RawPrice>()),
            vec!["in [[model]]"]
        );
        assert!(tables_taking("colour", workload).is_empty());
        assert_eq!(tables_taking("gpus", workload), vec!["in [selfhost]"]);
        assert!(tables_taking("min_context_tokens", &["not", "a", "known", "table"]).is_empty());
    }
}

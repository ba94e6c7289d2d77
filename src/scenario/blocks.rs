//! Reading a scenario one `[[workload]]` table at a time, so that memory grows with the workloads
//! themselves and not with the TOML library's document tree of the whole file.
//!
//! The file is cut at its header lines ([`crate::toml_scan`]): each `[[workload]]` table, with the
//! `[workload.…]` tables right after it, is parsed on its own, and everything else is parsed
//! together. Whenever the cut is not certain to mean what the whole file means (a header the scan
//! cannot read, a `[workload.…]` table that does not follow its `[[workload]]`, a `workload` key
//! outside the tables), or any piece fails to parse, the whole file is parsed instead, so every
//! fault is reported exactly as before, at its line.

use super::raw::RawScenario;
use crate::diag::Diagnostic;
use crate::source::SourceFile;
use crate::toml_scan;

/// The scenario as written: piece by piece when that is certain to give the same result, else
/// the whole file at once.
pub(super) fn parse(src: &SourceFile) -> Result<RawScenario, Diagnostic> {
    match by_blocks(&src.text) {
        Some(raw) => Ok(raw),
        None => src.parse(),
    }
}

/// The scenario parsed piece by piece, or `None` to parse the whole file.
pub(crate) fn by_blocks(text: &str) -> Option<RawScenario> {
    // A number that a float would round is reported by the whole-file parse.
    if crate::num::inexact_float(text).is_some() {
        return None;
    }
    let headers = toml_scan::headers(text)?;
    let (head, regions) = toml_scan::regions(text, &headers);
    let mut rest = String::from(&text[head]);
    let mut blocks: Vec<std::ops::Range<usize>> = Vec::new();
    let mut in_block = false;
    for (h, region) in headers.iter().zip(regions) {
        match (h.path[0] == "workload", h.array, h.path.len()) {
            (true, true, 1) => {
                blocks.push(region);
                in_block = true;
            }
            (true, false, n) if n > 1 && in_block => {
                blocks.last_mut()?.end = region.end;
            }
            (true, _, _) => return None,
            (false, _, _) => {
                in_block = false;
                rest.push_str(&text[region]);
            }
        }
    }
    // The scan's headers are given back before the workloads are read into their place.
    drop(headers);
    if blocks.is_empty() {
        return None;
    }
    // `workload = […]` or `workload.x = …` outside the tables is for the whole-file parse to judge.
    if toml::from_str::<toml::Table>(&rest)
        .ok()?
        .contains_key("workload")
    {
        return None;
    }
    let mut raw: RawScenario = toml::from_str(&rest).ok()?;
    raw.workload.reserve_exact(blocks.len());
    for b in blocks {
        let mut one: RawScenario = toml::from_str(&text[b]).ok()?;
        if one.workload.len() != 1 {
            return None;
        }
        raw.workload.push(one.workload.pop()?);
    }
    Some(raw)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The whole-file parse, as `Debug` text to compare.
    fn whole(text: &str) -> String {
        format!("{:?}", toml::from_str::<RawScenario>(text).expect("parses"))
    }

    #[test]
    fn gives_what_the_whole_file_parse_gives_on_every_scenario_in_the_repository() {
        let mut dirs = vec![std::path::PathBuf::from("scenarios")];
        let mut files = Vec::new();
        dirs.extend(["tests/fixtures", "tests/bad", "presets"].map(std::path::PathBuf::from));
        while let Some(d) = dirs.pop() {
            for e in std::fs::read_dir(d).expect("folder").flatten() {
                let p = e.path();
                if p.is_dir() {
                    dirs.push(p);
                } else if p.extension().is_some_and(|x| x == "toml") {
                    files.push(p);
                }
            }
        }
        let mut pieces = 0;
        for f in files {
            // The fixtures' dangling links cannot be read.
            let Ok(text) = std::fs::read_to_string(&f) else {
                continue;
            };
            let Ok(want) = toml::from_str::<RawScenario>(&text) else {
                // What the whole parse refuses is never read piece by piece: it is refused the
                // same way, at its line.
                assert!(by_blocks(&text).is_none(), "{}", f.display());
                continue;
            };
            if let Some(got) = by_blocks(&text) {
                assert_eq!(format!("{got:?}"), format!("{want:?}"), "{}", f.display());
                pieces += 1;
            }
        }
        assert!(
            pieces >= 10,
            "only {pieces} scenarios were read piece by piece"
        );
    }

    #[test]
    fn workload_tables_keep_their_sub_tables_and_order() {
        let text = concat!(
            "name = \"s\"\n",
            "[[workload]]\nname = \"a\"\nrequests_per_day = 1\ninput_tokens = 1\noutput_tokens = 1\n",
            "[workload.cache]\nprefix_tokens = 1\n",
            "[requirements]\nlanguages = [\n  \"en\",\n]\n",
            "[[workload]]\nname = \"b\"\nrequests_per_month = 2\ninput_tokens = { p50 = 10, p95 = 20 }\noutput_tokens = 1\n",
            "[rank]\nobjective = \"cheapest\"\n",
        );
        let got = by_blocks(text).expect("read piece by piece");
        assert_eq!(format!("{got:?}"), whole(text));
        assert_eq!(got.workload.len(), 2);
        assert!(got.workload[0].cache.is_some());
    }

    #[test]
    fn leaves_to_the_whole_file_parse_what_it_cannot_cut_with_certainty() {
        let w = "[[workload]]\nname = \"a\"\n";
        for text in [
            // A workload sub-table after another table still belongs to the last workload.
            format!("{w}[rank]\ntop = 1\n[workload.cache]\nprefix_tokens = 1\n"),
            // A plain `[workload]` table, and an inline array beside the tables.
            "[workload]\nname = \"a\"\n".to_string(),
            format!("workload = []\n{w}"),
            // A duplicate table across pieces, and a syntax fault in one.
            format!("[rank]\ntop = 1\n{w}[rank]\ntop = 2\n"),
            format!("{w}name = \n"),
            // No workload tables: nothing to gain.
            "name = \"a\"\n".to_string(),
        ] {
            assert!(by_blocks(&text).is_none(), "{text}");
        }
    }
}

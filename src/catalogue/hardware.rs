//! The accelerator catalogue (`profiles/hardware.toml`): what a GPU holds, how fast it reads and
//! computes, what an hour of it costs, and how far serving engines fall short of its peak rates
//! (the calibration). The self-hosting estimator prices open-weight models from these facts alone.

use super::raw::{RawAccelerator, RawCalibration, RawHardware};
use super::vocab::Precision;
use crate::diag::{Diagnostic, KeyPath};
use crate::num::Num;
use crate::source::SourceFile;
use crate::validate::Checker;
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;

/// One accelerator. Rates are dense (no sparsity), per GPU.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Accelerator {
    /// Lowercase id such as `h100-sxm`.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Memory, GB (10⁹ bytes).
    pub memory_gb: Decimal,
    /// Memory bandwidth, TB/s (10¹² bytes a second).
    pub bandwidth_tbs: Decimal,
    /// bf16 tensor rate, TFLOP/s.
    pub bf16_tflops: Decimal,
    /// fp8 tensor rate, TFLOP/s.
    pub fp8_tflops: Option<Decimal>,
    /// int8 tensor rate, TOP/s.
    pub int8_tops: Option<Decimal>,
    /// A consumer card, offered only when a scenario allows consumer GPUs.
    pub consumer: bool,
    /// Where the specifications were read.
    pub source: String,
    /// On-demand price, if one could be sourced.
    pub price: Option<HourlyPrice>,
}

/// An on-demand price per GPU-hour.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HourlyPrice {
    /// USD per GPU-hour.
    pub hourly: Decimal,
    /// Date read.
    pub as_of: String,
    /// Where read.
    pub source: String,
}

impl Accelerator {
    /// The tensor rate, TFLOP/s, that matrix multiplies run at for weights of this precision, or
    /// `None` for fp8 on a GPU without fp8 tensor cores.
    ///
    /// int8 weights run at the GPU's int8 rate where it has one (W8A8), else at bf16; fp8 weights
    /// need fp8 tensor cores; 4-bit weights are dequantised and multiplied in bf16 (AWQ/GPTQ-style
    /// weight-only kernels), since none of these GPUs has a usable 4-bit tensor path in common
    /// serving stacks.
    pub fn tflops_for(&self, p: Precision) -> Option<Decimal> {
        match p {
            Precision::Bf16 | Precision::Int4 => Some(self.bf16_tflops),
            Precision::Int8 => Some(self.int8_tops.unwrap_or(self.bf16_tflops)),
            Precision::Fp8 => self.fp8_tflops,
        }
    }
}

/// How far serving engines fall short of the peak rates on the spec sheets, measured. The
/// self-hosting roofline multiplies peak FLOP/s by `prefill_efficiency`, peak bandwidth by
/// `decode_bandwidth_efficiency`, and both by the tensor-parallel efficiency of the group size.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Calibration {
    /// Share of peak tensor FLOP/s reached, in (0, 1].
    pub prefill_efficiency: Decimal,
    /// Where `prefill_efficiency` comes from.
    pub prefill_source: String,
    /// Share of peak memory bandwidth reached while decoding, in (0, 1].
    pub decode_bandwidth_efficiency: Decimal,
    /// Where `decode_bandwidth_efficiency` comes from.
    pub decode_source: String,
    /// Speed-up of a tensor-parallel group over one GPU, by group size (1, 2, 4 and 8).
    pub tp_speedup: BTreeMap<u64, Decimal>,
    /// Where the speed-ups come from.
    pub tp_source: String,
}

/// The tensor-parallel group sizes serving engines use: 1, 2, 4 or 8 GPUs, within one node.
pub const TP_DEGREES: [u64; 4] = [1, 2, 4, 8];

impl Calibration {
    /// The tensor-parallel efficiency of `gpus` GPUs: their speed-up over one GPU ÷ `gpus`.
    pub fn tp_efficiency(&self, gpus: u64) -> Option<Decimal> {
        self.tp_speedup.get(&gpus).map(|s| *s / Decimal::from(gpus))
    }
}

/// Every accelerator, in file order, and the calibration.
#[derive(Debug, Clone, Default)]
pub struct Hardware {
    /// The accelerators.
    pub accelerators: Vec<Accelerator>,
    /// The measured shortfall from peak rates; the last file that sets one wins.
    pub calibration: Option<Calibration>,
}

impl Hardware {
    /// Parses and checks a hardware file.
    pub fn from_source(src: &SourceFile) -> Result<Hardware, Vec<Diagnostic>> {
        Hardware::from_raw(src, src.parse().map_err(|d| vec![d])?)
    }

    /// Checks a hardware file already parsed from `src`, locating each fault in its text.
    pub fn from_raw(src: &SourceFile, raw: RawHardware) -> Result<Hardware, Vec<Diagnostic>> {
        let mut ck = Checker::new(src);
        let mut accelerators: Vec<Accelerator> = Vec::with_capacity(raw.accelerator.len());
        for (i, a) in raw.accelerator.into_iter().enumerate() {
            let path = KeyPath::root().key("accelerator").index(i);
            if accelerators.iter().any(|b| b.id == a.id) {
                ck.err(
                    &path.key("id"),
                    format!("accelerator `{}` is listed twice", a.id),
                    "remove one of the entries",
                );
            }
            if let Some(acc) = accelerator(&mut ck, &path, a) {
                accelerators.push(acc);
            }
        }
        let calibration = raw.calibration.and_then(|c| calibration(&mut ck, c));
        ck.finish()?;
        Ok(Hardware {
            accelerators,
            calibration,
        })
    }

    /// Adds or replaces accelerators, and the calibration, from another file.
    pub fn merge(&mut self, other: Hardware) {
        if other.calibration.is_some() {
            self.calibration = other.calibration;
        }
        for a in other.accelerators {
            match self.accelerators.iter_mut().find(|b| b.id == a.id) {
                Some(slot) => *slot = a,
                None => self.accelerators.push(a),
            }
        }
    }

    /// An accelerator by id.
    pub fn get(&self, id: &str) -> Option<&Accelerator> {
        self.accelerators.iter().find(|a| a.id == id)
    }

    /// The closest id to a mistyped one: an id it begins (`h100` → `h100-sxm`), else a near spelling.
    pub fn suggest(&self, id: &str) -> Option<String> {
        let lower = id.to_lowercase();
        self.ids()
            .find(|known| {
                known.starts_with(&lower)
                    || known.replace('-', "") == lower.replace(['-', '_', ' '], "")
            })
            .map(str::to_string)
            .or_else(|| crate::diag::did_you_mean(id, self.ids()))
    }

    /// The ids, for "did you mean" and error lists.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.accelerators.iter().map(|a| a.id.as_str())
    }
}

fn accelerator(ck: &mut Checker, path: &KeyPath, a: RawAccelerator) -> Option<Accelerator> {
    let before = ck.diags.len();
    if a.id.is_empty()
        || !a
            .id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        ck.err(
            &path.key("id"),
            format!(
                "accelerator id `{}` must be lowercase letters, digits and '-'",
                a.id
            ),
            "for example `h100-sxm`",
        );
    }
    ck.name(&path.key("name"), &a.name);
    let memory_gb = ck.positive(&path.key("memory_gb"), a.memory_gb);
    let bandwidth_tbs = ck.positive(&path.key("bandwidth_tbs"), a.bandwidth_tbs);
    if let Some(b) = bandwidth_tbs.filter(|b| *b > Decimal::from(100)) {
        ck.err(
            &path.key("bandwidth_tbs"),
            format!("`bandwidth_tbs` is {b} TB/s, far beyond any GPU"),
            "bandwidth is in TB/s: 3,350 GB/s is 3.35",
        );
    }
    let bf16_tflops = ck.positive(&path.key("bf16_tflops"), a.bf16_tflops);
    let rate = |ck: &mut Checker, key: &str, n: Option<Num>| {
        n.and_then(|n| ck.positive(&path.key(key), n))
    };
    let fp8_tflops = rate(ck, "fp8_tflops", a.fp8_tflops);
    let int8_tops = rate(ck, "int8_tops", a.int8_tops);
    let source = a.source.filter(|s| !s.trim().is_empty());
    if source.is_none() {
        ck.err(
            path,
            format!("accelerator `{}` has no `source`", a.id),
            "add source = \"...\": the spec sheet the figures were read from",
        );
    }
    let price = a.price.and_then(|p| {
        let pp = path.key("price");
        let hourly = ck.positive(&pp.key("hourly"), p.hourly);
        let as_of = p.as_of.filter(|s| !s.trim().is_empty());
        let src = p.source.filter(|s| !s.trim().is_empty());
        if let Some(d) = &as_of {
            ck.date(&pp.key("as_of"), d, false);
        }
        if as_of.is_none() {
            ck.err(
                &pp,
                "price has no `as_of` date",
                "add as_of = \"YYYY-MM-DD\": the date the price was read",
            );
        }
        if src.is_none() {
            ck.err(
                &pp,
                "price has no `source`",
                "add source = \"...\": the provider and page the price was read from",
            );
        }
        Some(HourlyPrice {
            hourly: hourly?,
            as_of: as_of?,
            source: src?,
        })
    });
    if ck.diags.len() > before {
        return None;
    }
    Some(Accelerator {
        id: a.id,
        name: a.name,
        memory_gb: memory_gb?,
        bandwidth_tbs: bandwidth_tbs?,
        bf16_tflops: bf16_tflops?,
        fp8_tflops,
        int8_tops,
        consumer: a.consumer,
        source: source?,
        price,
    })
}

fn calibration(ck: &mut Checker, c: RawCalibration) -> Option<Calibration> {
    let path = KeyPath::root().key("calibration");
    let before = ck.diags.len();
    let factor = |ck: &mut Checker, key: &str, f: super::raw::RawFactor| {
        let p = path.key(key);
        let value = ck.positive(&p.key("value"), f.value).and_then(|v| {
            if v > Decimal::ONE {
                ck.err(
                    &p.key("value"),
                    format!("`{key}` is {v}, more than the peak rate"),
                    "an efficiency is a share of the peak: above 0 and at most 1",
                );
                return None;
            }
            Some(v)
        });
        let source = sourced(ck, &p, f.source);
        Some((value?, source?))
    };
    let prefill = factor(ck, "prefill_efficiency", c.prefill_efficiency);
    let decode = factor(
        ck,
        "decode_bandwidth_efficiency",
        c.decode_bandwidth_efficiency,
    );
    let tp_path = path.key("tensor_parallel");
    let mut tp_speedup = BTreeMap::from([(1, Decimal::ONE)]);
    let mut given = Vec::new();
    for (key, n) in c.tensor_parallel.speedup {
        let kp = tp_path.key("speedup").key(&key);
        let gpus = key
            .parse::<u64>()
            .ok()
            .filter(|g| TP_DEGREES[1..].contains(g));
        given.extend(gpus);
        let Some(gpus) = gpus else {
            ck.err(
                &kp,
                format!("`{key}` is not a tensor-parallel group size"),
                "give the speed-up over one GPU for \"2\", \"4\" and \"8\" GPUs",
            );
            continue;
        };
        match ck.positive(&kp, n) {
            Some(s) if s > Decimal::from(gpus) => ck.err(
                &kp,
                format!("a speed-up of {s} on {gpus} GPUs is more than perfect scaling"),
                format!("a group of {gpus} GPUs is at most {gpus}× faster than one"),
            ),
            Some(s) => {
                tp_speedup.insert(gpus, s);
            }
            None => {}
        }
    }
    for g in &TP_DEGREES[1..] {
        if !given.contains(g) {
            ck.err(
                &tp_path.key("speedup"),
                format!("no speed-up for {g} GPUs"),
                "give the speed-up over one GPU for \"2\", \"4\" and \"8\" GPUs",
            );
        }
    }
    let tp_source = sourced(ck, &tp_path, c.tensor_parallel.source);
    if ck.diags.len() > before {
        return None;
    }
    let (prefill_efficiency, prefill_source) = prefill?;
    let (decode_bandwidth_efficiency, decode_source) = decode?;
    Some(Calibration {
        prefill_efficiency,
        prefill_source,
        decode_bandwidth_efficiency,
        decode_source,
        tp_speedup,
        tp_source: tp_source?,
    })
}

fn sourced(ck: &mut Checker, path: &KeyPath, source: Option<String>) -> Option<String> {
    let source = source.filter(|s| !s.trim().is_empty());
    if source.is_none() {
        ck.err(
            path,
            format!("`{}` has no `source`", crate::validate::last_key(path)),
            "add source = \"...\": the measurement or fit the figure comes from",
        );
    }
    source
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<Hardware, Vec<Diagnostic>> {
        Hardware::from_source(&SourceFile::from_text("hardware.toml".into(), text.into()).unwrap())
    }

    #[test]
    fn embedded_catalogue_has_the_five_gpus() {
        let src = crate::catalogue::embedded_sources()
            .into_iter()
            .find(|s| s.name.ends_with("/hardware.toml"))
            .unwrap();
        let hw = Hardware::from_source(&src).unwrap();
        let ids: Vec<&str> = hw.ids().collect();
        assert_eq!(ids, ["a100-80gb", "h100-sxm", "h200", "l40s", "rtx-4090"]);
        let h100 = hw.get("h100-sxm").unwrap();
        assert_eq!(h100.memory_gb, Decimal::from(80));
        assert_eq!(h100.tflops_for(Precision::Int4), Some(h100.bf16_tflops));
        // The A100 has no fp8 tensor cores: fp8 weights cannot run on it.
        assert_eq!(
            hw.get("a100-80gb").unwrap().tflops_for(Precision::Fp8),
            None
        );
        // Only the GeForce card is a consumer card.
        let consumer: Vec<&str> = hw
            .accelerators
            .iter()
            .filter(|a| a.consumer)
            .map(|a| a.id.as_str())
            .collect();
        assert_eq!(consumer, ["rtx-4090"]);
        // The calibration: half the peak FLOP/s, 60% of the bandwidth, and 2 GPUs 1.27× one,
        // so each runs at 1.27 ÷ 2 = 0.635 of a lone GPU.
        let cal = hw.calibration.as_ref().unwrap();
        assert_eq!(cal.prefill_efficiency, Decimal::new(5, 1));
        assert_eq!(cal.decode_bandwidth_efficiency, Decimal::new(6, 1));
        assert_eq!(cal.tp_efficiency(2), Some(Decimal::new(635, 3)));
        assert_eq!(cal.tp_efficiency(8), Some(Decimal::new(1925, 4)));
        assert_eq!(cal.tp_efficiency(3), None);
        assert_eq!(hw.suggest("h100").as_deref(), Some("h100-sxm"));
        assert_eq!(hw.suggest("RTX4090").as_deref(), Some("rtx-4090"));
        assert_eq!(hw.suggest("l40").as_deref(), Some("l40s"));
        assert_eq!(hw.suggest("tpu-v5"), None);
    }

    #[test]
    fn faults_are_located() {
        let text = "[[accelerator]]\nid = \"x\"\nname = \"X\"\nmemory_gb = -1\nbandwidth_tbs = 3350\nbf16_tflops = 1\nsource = \"s\"\n[accelerator.price]\nhourly = 2\n";
        let d = load(text).unwrap_err();
        let msgs: Vec<String> = d
            .iter()
            .map(|d| {
                format!(
                    "{}:{} {}",
                    d.line.unwrap_or(0),
                    d.message,
                    d.help.clone().unwrap_or_default()
                )
            })
            .collect();
        assert!(
            msgs.iter()
                .any(|m| m.starts_with("4:`memory_gb` must be greater than 0")),
            "{msgs:?}"
        );
        assert!(
            msgs.iter()
                .any(|m| m.starts_with("5:`bandwidth_tbs` is 3350 TB/s") && m.contains("3.35")),
            "{msgs:?}"
        );
        assert!(
            msgs.iter().any(|m| m.contains("price has no `as_of`")),
            "{msgs:?}"
        );
    }

    #[test]
    fn calibration_faults_are_located() {
        let text = "[calibration.prefill_efficiency]\nvalue = 1.5\nsource = \"fit\"\n\n[calibration.decode_bandwidth_efficiency]\nvalue = 0.6\n\n[calibration.tensor_parallel]\nspeedup = { \"2\" = 2.5, \"3\" = 1.2, \"8\" = 1.5 }\nsource = \"nemo\"\n";
        let d = load(text).unwrap_err();
        let msgs: Vec<String> = d
            .iter()
            .map(|d| format!("{}:{}", d.line.unwrap_or(0), d.message))
            .collect();
        assert_eq!(
            msgs,
            [
                "2:`prefill_efficiency` is 1.5, more than the peak rate",
                "5:`decode_bandwidth_efficiency` has no `source`",
                "9:no speed-up for 4 GPUs",
                "9:a speed-up of 2.5 on 2 GPUs is more than perfect scaling",
                "9:`3` is not a tensor-parallel group size",
            ]
        );
    }
}

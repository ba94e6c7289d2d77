//! A one-factor model of benchmark scores, for estimating the scores a model has not published.
//!
//! Benchmark results are strongly correlated across models: a model that does well on one
//! knowledge or reasoning benchmark tends to do well on the others (Ruan et al., 2024, find that a
//! few latent capabilities explain most of them). The model here keeps one such capability:
//!
//! ```text
//! score[i][j] ≈ μⱼ + aⱼ × uᵢ        i = model, j = benchmark, scores normalised 0–100 from chance
//! ```
//!
//! with an intercept μⱼ and a slope aⱼ per benchmark and an ability uᵢ per model. It is fitted to
//! every observed score by alternating ridge least squares: holding u fixed, each benchmark's
//! (μⱼ, aⱼ) is a two-parameter regression; holding (μ, a) fixed, each uᵢ is a one-parameter one.
//! The slope and the ability carry a ridge penalty [`RIDGE`], so a benchmark or a model seen once
//! stays near the average instead of fitting noise; the intercept has none.
//!
//! A missing score is the fitted value. Its standard error adds, as ordinary least squares does
//! for a new observation, the residual variance σ² and the variance of the fitted line at that
//! point: σ² × (1 + aⱼ² ÷ (Σ aₖ² + λ) + zᵀ Cⱼ⁻¹ z), where the sum runs over the model's observed
//! benchmarks, z = (1, uᵢ) and Cⱼ is benchmark j's regression matrix. σ² is the residual sum of
//! squares over the degrees of freedom left after the (ridge-shrunk) parameters.
//!
//! Everything is plain `f64` arithmetic (+, −, ×, ÷) in a fixed order with a fixed stopping rule,
//! with no randomness and no parallel sums, so every platform computes the same figures.

/// The ridge penalty on slopes and abilities. Chosen by leave-one-out on the shipped catalogue
/// (`fit::accuracy`): 1 and 3 give the same error; 0.3 and 10 are worse.
pub const RIDGE: f64 = 2.0;

/// The most alternating sweeps; the fit usually settles well before.
pub const MAX_SWEEPS: usize = 2000;

/// A sweep that moves no parameter by more than this ends the fit.
const SETTLED: f64 = 1e-9;

/// The fewest models that must report a benchmark for it to be estimated for others. With one,
/// there is no slope to learn: every model would get that one model's score, a number that says
/// nothing about the model. From two on, leave-one-out finds the band as honest as elsewhere
/// (estimates made from exactly two reporters: 7.4 points off on average, 68% inside the band).
pub const MIN_REPORTING: u32 = 2;

/// The residual standard deviation assumed when too few scores are observed to estimate it
/// (fewer than one degree of freedom left): a quarter of the 0–100 scale.
pub const UNKNOWN_SPREAD: f64 = 25.0;

/// One observed score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Obs {
    /// The model's row.
    pub row: u32,
    /// The benchmark's column.
    pub col: u32,
    /// The normalised score, 0–100.
    pub value: f64,
}

/// An estimated score and its standard error, both in normalised points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    /// The fitted value (not clamped).
    pub mean: f64,
    /// About one standard error.
    pub se: f64,
}

/// A fitted model.
#[derive(Debug, Clone)]
pub struct Factor {
    mu: Vec<f64>,
    a: Vec<f64>,
    u: Vec<f64>,
    /// Observed scores per row and per column.
    row_n: Vec<u32>,
    col_n: Vec<u32>,
    /// Σ aₖ² + λ over each row's observed columns.
    row_info: Vec<f64>,
    /// The inverse of each column's regression matrix [[n, Σu], [Σu, Σu² + λ]], as (p, q, r) for
    /// [[p, q], [q, r]].
    col_inv: Vec<[f64; 3]>,
    /// Residual variance.
    s2: f64,
    /// Sweeps run.
    pub sweeps: usize,
    /// Degrees of freedom left for the residuals.
    pub dof: f64,
}

impl Factor {
    /// Fits the model to `obs` over `rows` models and `cols` benchmarks. Each (row, col) should
    /// appear at most once.
    pub fn fit(rows: usize, cols: usize, obs: &[Obs]) -> Factor {
        let mut by_row: Vec<Vec<(usize, f64)>> = vec![Vec::new(); rows];
        let mut by_col: Vec<Vec<(usize, f64)>> = vec![Vec::new(); cols];
        for o in obs {
            by_row[o.row as usize].push((o.col as usize, o.value));
            by_col[o.col as usize].push((o.row as usize, o.value));
        }
        // Start from each benchmark's mean and each model's mean distance from it, scaled down
        // so that slopes start near 10 points per unit of ability.
        let mut mu: Vec<f64> = by_col.iter().map(|c| mean(c.iter().map(|x| x.1))).collect();
        let mut u: Vec<f64> = by_row
            .iter()
            .map(|r| mean(r.iter().map(|&(j, x)| x - mu[j])) / 10.0)
            .collect();
        let mut a = vec![0.0; cols];
        let mut sweeps = 0;
        while sweeps < MAX_SWEEPS {
            sweeps += 1;
            let mut moved: f64 = 0.0;
            for (j, col) in by_col.iter().enumerate() {
                if col.is_empty() {
                    continue;
                }
                let (m, b) = column(col, &u);
                moved = moved.max((m - mu[j]).abs()).max((b - a[j]).abs());
                mu[j] = m;
                a[j] = b;
            }
            for (i, row) in by_row.iter().enumerate() {
                if row.is_empty() {
                    continue;
                }
                let (mut num, mut den) = (0.0, RIDGE);
                for &(j, x) in row {
                    num += a[j] * (x - mu[j]);
                    den += a[j] * a[j];
                }
                let v = num / den;
                moved = moved.max((v - u[i]).abs());
                u[i] = v;
            }
            if moved < SETTLED {
                break;
            }
            rebalance(&by_row, &by_col, &mut mu, &mut a, &mut u);
        }
        let row_info: Vec<f64> = by_row
            .iter()
            .map(|r| RIDGE + r.iter().map(|&(j, _)| a[j] * a[j]).sum::<f64>())
            .collect();
        let col_inv: Vec<[f64; 3]> = by_col.iter().map(|c| inverse(c, &u)).collect();
        // Effective parameters: the trace of each ridge regression's hat matrix.
        let mut params = 0.0;
        for (r, info) in by_row.iter().zip(&row_info) {
            if !r.is_empty() {
                params += (info - RIDGE) / info;
            }
        }
        for (c, inv) in by_col.iter().zip(&col_inv) {
            if !c.is_empty() {
                params += 2.0 - RIDGE * inv[2];
            }
        }
        let mut rss = 0.0;
        for o in obs {
            let (i, j) = (o.row as usize, o.col as usize);
            let e = o.value - mu[j] - a[j] * u[i];
            rss += e * e;
        }
        let dof = obs.len() as f64 - params;
        let s2 = if dof >= 1.0 {
            rss / dof
        } else {
            UNKNOWN_SPREAD * UNKNOWN_SPREAD
        };
        Factor {
            mu,
            a,
            u,
            row_n: by_row.iter().map(|r| r.len() as u32).collect(),
            col_n: by_col.iter().map(|c| c.len() as u32).collect(),
            row_info,
            col_inv,
            s2,
            sweeps,
            dof,
        }
    }

    /// The estimate for a model and benchmark, or `None` when the model has no observed score or
    /// fewer than [`MIN_REPORTING`] models have one for the benchmark.
    pub fn predict(&self, row: usize, col: usize) -> Option<Estimate> {
        if self.row_n.get(row).copied().unwrap_or(0) == 0
            || self.col_n.get(col).copied().unwrap_or(0) < MIN_REPORTING
        {
            return None;
        }
        let (u, a) = (self.u[row], self.a[col]);
        let [p, q, r] = self.col_inv[col];
        // Variance of the fitted line at z = (1, u), of the ability, and of a new observation.
        let line = p + 2.0 * q * u + r * u * u;
        let ability = a * a / self.row_info[row];
        Some(Estimate {
            mean: self.mu[col] + a * u,
            se: (self.s2 * (1.0 + line + ability)).sqrt(),
        })
    }

    /// The residual standard deviation.
    pub fn sigma(&self) -> f64 {
        self.s2.sqrt()
    }
}

/// Moves along the two directions that leave every fitted value unchanged, to where the ridge
/// penalty is least: abilities centred on 0 (each intercept takes up its slope × the mean), and
/// slopes and abilities scaled to equal size (a × s, u ÷ s with s⁴ = Σu² ÷ Σa²). Alternating
/// least squares crawls along these directions on its own; stepping straight to their optimum
/// lowers the objective and ends the fit in far fewer sweeps.
fn rebalance(
    by_row: &[Vec<(usize, f64)>],
    by_col: &[Vec<(usize, f64)>],
    mu: &mut [f64],
    a: &mut [f64],
    u: &mut [f64],
) {
    let rows: Vec<usize> = (0..by_row.len())
        .filter(|&i| !by_row[i].is_empty())
        .collect();
    let cols: Vec<usize> = (0..by_col.len())
        .filter(|&j| !by_col[j].is_empty())
        .collect();
    if rows.is_empty() {
        return;
    }
    let mean = rows.iter().map(|&i| u[i]).sum::<f64>() / rows.len() as f64;
    for &j in &cols {
        mu[j] += a[j] * mean;
    }
    for &i in &rows {
        u[i] -= mean;
    }
    let suu: f64 = rows.iter().map(|&i| u[i] * u[i]).sum();
    let saa: f64 = cols.iter().map(|&j| a[j] * a[j]).sum();
    if suu > 0.0 && saa > 0.0 {
        let s = (suu / saa).sqrt().sqrt();
        for &j in &cols {
            a[j] *= s;
        }
        for &i in &rows {
            u[i] /= s;
        }
    }
}

/// The mean, or 0 for nothing.
fn mean(xs: impl Iterator<Item = f64>) -> f64 {
    let (mut s, mut n) = (0.0, 0.0);
    for x in xs {
        s += x;
        n += 1.0;
    }
    if n > 0.0 {
        s / n
    } else {
        0.0
    }
}

/// Σ over a column: n, Σu, Σu², Σx, Σux.
fn sums(col: &[(usize, f64)], u: &[f64]) -> [f64; 5] {
    let mut s = [0.0; 5];
    for &(i, x) in col {
        s[0] += 1.0;
        s[1] += u[i];
        s[2] += u[i] * u[i];
        s[3] += x;
        s[4] += u[i] * x;
    }
    s
}

/// Solves [[n, Σu], [Σu, Σu² + λ]] (μ, a) = (Σx, Σux). The determinant is at least nλ > 0
/// (Cauchy–Schwarz: n Σu² ≥ (Σu)²), so a column with one score is solvable.
fn column(col: &[(usize, f64)], u: &[f64]) -> (f64, f64) {
    let [n, su, suu, sx, sux] = sums(col, u);
    let r = suu + RIDGE;
    let det = n * r - su * su;
    ((r * sx - su * sux) / det, (n * sux - su * sx) / det)
}

/// The inverse of a column's regression matrix, as (p, q, r); zeros for an empty column.
fn inverse(col: &[(usize, f64)], u: &[f64]) -> [f64; 3] {
    if col.is_empty() {
        return [0.0; 3];
    }
    let [n, su, suu, _, _] = sums(col, u);
    let r = suu + RIDGE;
    let det = n * r - su * su;
    [r / det, -su / det, n / det]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obs(cells: &[(u32, u32, f64)]) -> Vec<Obs> {
        cells
            .iter()
            .map(|&(row, col, value)| Obs { row, col, value })
            .collect()
    }

    #[test]
    fn a_benchmark_seen_once_is_not_estimated() {
        // Benchmark 0 has one score, 70: its regression has a single point, the slope falls to 0
        // under the ridge, and every model would get 70 back, whatever its ability. No estimate.
        let f = Factor::fit(2, 2, &obs(&[(0, 0, 70.0), (0, 1, 60.0), (1, 1, 50.0)]));
        assert!(
            f.predict(1, 0).is_none(),
            "only model 0 reports benchmark 0"
        );
        assert!(f.predict(0, 1).is_some(), "two models report benchmark 1");
        let alone = Factor::fit(1, 1, &obs(&[(0, 0, 70.0)]));
        assert!(alone.dof < 1.0);
        assert_eq!(alone.sigma(), UNKNOWN_SPREAD);
    }

    #[test]
    fn no_estimate_without_data() {
        let f = Factor::fit(
            3,
            3,
            &obs(&[(0, 0, 70.0), (1, 1, 50.0), (0, 1, 60.0), (1, 0, 65.0)]),
        );
        assert!(f.predict(2, 0).is_none(), "model 2 has no score");
        assert!(f.predict(0, 2).is_none(), "nobody has benchmark 2");
        assert!(f.predict(1, 0).is_some());
    }

    #[test]
    fn a_perfect_one_factor_table_is_recovered() {
        // score = 20 + 10 × ability on benchmark 0 and 40 + 5 × ability on benchmark 1, for
        // abilities 1..=6; model 6 has only benchmark 0 (80 → ability 6), so benchmark 1 should be
        // near 40 + 5 × 6 = 70. The ridge pulls towards the mean (57.5 on benchmark 1) a little,
        // by less than the standard error it reports.
        let mut cells = Vec::new();
        for i in 0..6u32 {
            let ability = f64::from(i + 1);
            cells.push((i, 0, 20.0 + 10.0 * ability));
            if i < 5 {
                cells.push((i, 1, 40.0 + 5.0 * ability));
            }
        }
        let f = Factor::fit(6, 2, &obs(&cells));
        let e = f.predict(5, 1).unwrap();
        assert!(e.mean < 70.0 && 70.0 - e.mean < e.se.min(2.0), "{e:?}");
        // The same inputs give the same bits.
        let again = Factor::fit(6, 2, &obs(&cells)).predict(5, 1).unwrap();
        assert_eq!(e.mean.to_bits(), again.mean.to_bits());
        assert_eq!(e.se.to_bits(), again.se.to_bits());
        assert!(f.sweeps < MAX_SWEEPS, "settles: {}", f.sweeps);
    }

    #[test]
    fn noisier_tables_give_wider_bands() {
        let tidy: Vec<(u32, u32, f64)> = (0..8u32)
            .flat_map(|i| {
                let x = f64::from(i) * 10.0;
                [(i, 0, 10.0 + x), (i, 1, 5.0 + x), (i, 2, 15.0 + x)]
            })
            .collect();
        let mut noisy = tidy.clone();
        for (k, c) in noisy.iter_mut().enumerate() {
            c.2 += if k % 2 == 0 { 6.0 } else { -6.0 };
        }
        let band = |cells: &[(u32, u32, f64)]| {
            let mut cells = cells.to_vec();
            cells.retain(|c| !(c.0 == 7 && c.1 == 2));
            Factor::fit(8, 3, &obs(&cells)).predict(7, 2).unwrap().se
        };
        assert!(band(&noisy) > band(&tidy) + 1.0);
    }
}

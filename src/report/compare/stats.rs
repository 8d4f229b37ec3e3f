//! The statistics behind `convoy compare`: Mann–Whitney U on two HDR histograms,
//! Fisher's exact test on two proportions, Holm's correction for many rows, and the
//! intervals shown beside each change (a percentile difference from order statistics,
//! a proportion difference by Newcombe's method from Wilson intervals).
//!
//! Pure numerics on counts: no run.json types, no tolerances, no rendering.

use hdrhistogram::Histogram;

/// P(Z > z) for a standard normal Z. erfc after Numerical Recipes (`erfcc`, relative
/// error below 1.2e-7 everywhere), which is far finer than any α a user would pick.
pub fn normal_sf(z: f64) -> f64 {
    let x = z / std::f64::consts::SQRT_2;
    let t = 1.0 / (1.0 + 0.5 * x.abs());
    let poly = -x * x - 1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_203_98
                                + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77))))))));
    let erfc = t * poly.exp();
    let erfc = if x >= 0.0 { erfc } else { 2.0 - erfc };
    erfc / 2.0
}

/// The z with P(Z > z) = `p`, for 0 < p < 1, by bisection on [`normal_sf`] (60 halvings
/// leave an error far below the sf's own).
pub fn normal_isf(p: f64) -> f64 {
    let (mut lo, mut hi) = (-40.0_f64, 40.0_f64);
    for _ in 0..60 {
        let mid = (lo + hi) / 2.0;
        if normal_sf(mid) > p {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    (lo + hi) / 2.0
}

/// ln Γ(x) for x > 0 (Lanczos, g = 7, nine coefficients: ~15 significant digits).
fn ln_gamma(x: f64) -> f64 {
    const COEFFICIENTS: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        // Reflection keeps the series in its accurate range.
        let pi = std::f64::consts::PI;
        return (pi / (pi * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut sum = COEFFICIENTS[0];
    for (i, c) in COEFFICIENTS.iter().enumerate().skip(1) {
        sum += c / (x + i as f64);
    }
    let t = x + 7.5;
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + sum.ln()
}

fn ln_choose(n: u64, k: u64) -> f64 {
    ln_gamma(n as f64 + 1.0) - ln_gamma(k as f64 + 1.0) - ln_gamma((n - k) as f64 + 1.0)
}

/// Successes out of trials on one side of a comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Proportion {
    pub successes: u64,
    pub trials: u64,
}

impl Proportion {
    pub fn rate(self) -> Option<f64> {
        (self.trials > 0).then(|| self.successes as f64 / self.trials as f64)
    }
}

/// Two-sided p-value of Fisher's exact test on the 2×2 table of `a` and `b`: the
/// probability, with both margins fixed, of a table at most as likely as the one seen.
pub fn fisher_exact(a: Proportion, b: Proportion) -> f64 {
    let (n1, n2) = (a.trials, b.trials);
    let successes = a.successes + b.successes;
    let total = n1 + n2;
    if n1 == 0 || n2 == 0 || successes == 0 || successes == total {
        return 1.0;
    }
    let ln_denominator = ln_choose(total, n1);
    let ln_p =
        |x: u64| ln_choose(successes, x) + ln_choose(total - successes, n1 - x) - ln_denominator;
    let observed = ln_p(a.successes);
    // Tables whose probability equals the observed one up to rounding count as "as likely".
    let threshold = observed + 1e-7;
    let low = successes.saturating_sub(n2);
    let high = successes.min(n1);
    let p: f64 = (low..=high)
        .map(ln_p)
        .filter(|lp| *lp <= threshold)
        .map(f64::exp)
        .sum();
    p.min(1.0)
}

/// The smallest two-sided Fisher p-value any outcome could reach with these trial counts:
/// all successes on one side and none on the other. Above α, no difference of these
/// sizes can be told from noise.
pub fn fisher_floor(n1: u64, n2: u64) -> f64 {
    if n1 == 0 || n2 == 0 {
        return 1.0;
    }
    let one_table = (-ln_choose(n1 + n2, n1)).exp();
    // The mirror table (the other side all successes) is as extreme.
    if n1 == n2 {
        (2.0 * one_table).min(1.0)
    } else {
        let other = (-ln_choose(n1 + n2, n2)).exp();
        one_table.max(other).min(1.0)
    }
}

/// Wilson score interval at the normal quantile `z`.
pub fn wilson(p: Proportion, z: f64) -> (f64, f64) {
    let Some(rate) = p.rate() else {
        return (0.0, 1.0);
    };
    let n = p.trials as f64;
    let z2 = z * z;
    let centre = (rate + z2 / (2.0 * n)) / (1.0 + z2 / n);
    let half = z / (1.0 + z2 / n) * (rate * (1.0 - rate) / n + z2 / (4.0 * n * n)).sqrt();
    ((centre - half).max(0.0), (centre + half).min(1.0))
}

/// Interval of `new − base` rates by Newcombe's hybrid score method (his method 10),
/// built from the two Wilson intervals at `z`.
pub fn rate_difference_interval(base: Proportion, new: Proportion, z: f64) -> (f64, f64) {
    let (Some(p1), Some(p2)) = (base.rate(), new.rate()) else {
        return (-1.0, 1.0);
    };
    let (l1, u1) = wilson(base, z);
    let (l2, u2) = wilson(new, z);
    let diff = p2 - p1;
    let lower = diff - ((p2 - l2).powi(2) + (u1 - p1).powi(2)).sqrt();
    let upper = diff + ((u2 - p2).powi(2) + (p1 - l1).powi(2)).sqrt();
    (lower, upper)
}

/// Mann–Whitney U of `new` against `base`, each histogram's bucket a group of tied values.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct UTest {
    /// P(a sample of new > one of base) + ½ P(equal): 0.5 when neither tends larger.
    pub new_larger: f64,
    /// Two-sided p-value (normal approximation with tie and continuity corrections).
    pub p_value: f64,
}

/// The U test on two histograms recorded with the same precision, so that equal bucket
/// values are equal ranks. `None` when either side is empty.
pub fn mann_whitney(base: &Histogram<u64>, new: &Histogram<u64>) -> Option<UTest> {
    let (n1, n2) = (base.len() as f64, new.len() as f64);
    if n1 == 0.0 || n2 == 0.0 {
        return None;
    }
    let buckets = |h: &Histogram<u64>| -> Vec<(u64, u64)> {
        h.iter_recorded()
            .map(|v| {
                (
                    h.highest_equivalent(v.value_iterated_to()),
                    v.count_at_value(),
                )
            })
            .collect()
    };
    let (b, n) = (buckets(base), buckets(new));
    let (mut i, mut j) = (0, 0);
    let (mut ranked, mut rank_sum_new, mut ties) = (0.0_f64, 0.0_f64, 0.0_f64);
    while i < b.len() || j < n.len() {
        let value = match (b.get(i), n.get(j)) {
            (Some(x), Some(y)) => x.0.min(y.0),
            (Some(x), None) => x.0,
            (None, Some(y)) => y.0,
            (None, None) => break,
        };
        let take = |list: &[(u64, u64)], at: &mut usize| match list.get(*at) {
            Some(&(v, c)) if v == value => {
                *at += 1;
                c as f64
            }
            _ => 0.0,
        };
        let (from_base, from_new) = (take(&b, &mut i), take(&n, &mut j));
        let group = from_base + from_new;
        let mean_rank = ranked + (group + 1.0) / 2.0;
        rank_sum_new += from_new * mean_rank;
        ties += group * group * group - group;
        ranked += group;
    }
    let u_new = rank_sum_new - n2 * (n2 + 1.0) / 2.0;
    let total = n1 + n2;
    let mean = n1 * n2 / 2.0;
    let variance = n1 * n2 / 12.0 * ((total + 1.0) - ties / (total * (total - 1.0)).max(1.0));
    let p_value = if variance <= 0.0 {
        1.0
    } else {
        let distance = ((u_new - mean).abs() - 0.5).max(0.0);
        (2.0 * normal_sf(distance / variance.sqrt())).min(1.0)
    };
    Some(UTest {
        new_larger: u_new / (n1 * n2),
        p_value,
    })
}

/// Holm's step-down adjustment: adjusted p-values in the input's order. Controls the
/// chance of any false "significant" among all the rows at the chosen α.
pub fn holm(p_values: &[f64]) -> Vec<f64> {
    let m = p_values.len();
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_by(|&a, &b| p_values[a].total_cmp(&p_values[b]));
    let mut adjusted = vec![1.0; m];
    let mut running = 0.0_f64;
    for (step, &index) in order.iter().enumerate() {
        let scaled = ((m - step) as f64 * p_values[index]).min(1.0);
        running = running.max(scaled);
        adjusted[index] = running;
    }
    adjusted
}

/// Bonferroni's adjustment: each p-value times the number of rows.
pub fn bonferroni(p_values: &[f64]) -> Vec<f64> {
    let m = p_values.len() as f64;
    p_values.iter().map(|p| (p * m).min(1.0)).collect()
}

/// The value of the `rank`-th smallest sample (1-based), as the histogram's bucket value.
fn value_at_rank(h: &Histogram<u64>, rank: u64) -> u64 {
    let mut seen = 0;
    for v in h.iter_recorded() {
        seen += v.count_at_value();
        if seen >= rank {
            return h.highest_equivalent(v.value_iterated_to());
        }
    }
    h.max()
}

/// Distribution-free interval of the `quantile` (0–1) at the normal quantile `z`: the
/// samples at ranks nq ∓ z·√(nq(1−q)) (the binomial order-statistic interval).
pub fn quantile_interval(h: &Histogram<u64>, quantile: f64, z: f64) -> (u64, u64) {
    let n = h.len() as f64;
    let centre = n * quantile;
    let half = z * (n * quantile * (1.0 - quantile)).sqrt();
    let low = ((centre - half).floor() as u64).clamp(1, h.len().max(1));
    let high = ((centre + half).ceil() as u64 + 1).clamp(1, h.len().max(1));
    (value_at_rank(h, low), value_at_rank(h, high))
}

#[cfg(test)]
#[path = "stats_tests.rs"]
mod tests;

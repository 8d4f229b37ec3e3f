//! Reference values from SciPy 1.17 (`scipy.stats.fisher_exact`, `norm.sf`/`isf`,
//! `mannwhitneyu(..., method="asymptotic", use_continuity=True)`), and properties that
//! hold whatever the data.

use super::*;
use proptest::prelude::*;

fn close(a: f64, b: f64, relative: f64) -> bool {
    (a - b).abs() <= relative * b.abs().max(1e-300)
}

fn histogram(values: &[u64]) -> Histogram<u64> {
    let mut h = Histogram::<u64>::new_with_bounds(1, 60_000_000, 3).expect("valid bounds");
    for v in values {
        h.record(*v).expect("in range");
    }
    h
}

fn prop(successes: u64, trials: u64) -> Proportion {
    Proportion { successes, trials }
}

#[test]
fn normal_tail_matches_scipy() {
    assert!(close(normal_sf(1.96), 0.024_997_895_148_220_435, 1e-6));
    assert!(close(normal_sf(3.0), 0.001_349_898_031_630_093_3, 1e-6));
    assert!(close(normal_sf(-1.0), 0.841_344_746_068_542_9, 1e-6));
    assert!((normal_isf(0.005) - 2.575_829_303_548_901).abs() < 1e-5);
}

#[test]
fn fisher_matches_scipy() {
    assert!(close(
        fisher_exact(prop(20, 20), prop(0, 20)),
        1.450_888_910_384_968_8e-11,
        1e-6
    ));
    assert!(close(fisher_exact(prop(20, 20), prop(19, 20)), 1.0, 1e-9));
    assert!(close(
        fisher_exact(prop(8, 10), prop(1, 6)),
        0.034_965_034_965_034_975,
        1e-6
    ));
    assert!(close(
        fisher_exact(prop(90, 100), prop(70, 100)),
        0.000_650_410_707_603_420_8,
        1e-6
    ));
}

#[test]
fn fisher_floor_is_the_all_or_nothing_table() {
    let floor = fisher_floor(20, 20);
    assert!(close(floor, fisher_exact(prop(20, 20), prop(0, 20)), 1e-6));
    // Three runs a side can never reach α = 0.01.
    assert!(fisher_floor(3, 3) > 0.01);
    assert_eq!(fisher_floor(0, 5), 1.0);
}

#[test]
fn mann_whitney_matches_scipy_with_ties() {
    let base: Vec<u64> = [1, 2, 2, 3, 3, 3, 4, 5, 5, 6].repeat(3);
    let new: Vec<u64> = [2, 3, 4, 4, 5, 6, 6, 7, 7, 8].repeat(3);
    let u = mann_whitney(&histogram(&base), &histogram(&new)).expect("both sides have samples");
    assert!(close(u.p_value, 0.000_372_382_748_178_919_1, 1e-5), "{u:?}");
    assert!(close(u.new_larger, 0.765, 1e-9));
    let base: Vec<u64> = (1..=40).collect();
    let new: Vec<u64> = (4..=43).collect();
    let u = mann_whitney(&histogram(&base), &histogram(&new)).expect("samples");
    assert!(close(u.p_value, 0.268_368_284_195_781_5, 1e-5), "{u:?}");
}

#[test]
fn mann_whitney_of_identical_constant_samples_is_no_evidence() {
    let h = histogram(&[500; 50]);
    let u = mann_whitney(&h, &h).expect("samples");
    assert_eq!(u.p_value, 1.0);
    assert!(mann_whitney(&h, &histogram(&[])).is_none());
}

#[test]
fn holm_steps_down_and_stays_monotone() {
    let adjusted = holm(&[0.01, 0.04, 0.03, 0.005]);
    let expected = [0.03, 0.06, 0.06, 0.02];
    for (a, e) in adjusted.iter().zip(expected) {
        assert!(close(*a, e, 1e-12), "{adjusted:?}");
    }
    assert_eq!(bonferroni(&[0.2, 0.001]), vec![0.4, 0.002]);
}

#[test]
fn quantile_interval_brackets_the_quantile() {
    let values: Vec<u64> = (1..=1000).collect();
    let h = histogram(&values);
    let (low, high) = quantile_interval(&h, 0.95, 2.576);
    assert!(low < 950 && high > 950, "({low}, {high})");
    assert!(low > 920 && high < 975, "({low}, {high})");
}

#[test]
fn newcombe_interval_contains_the_difference() {
    let (low, high) = rate_difference_interval(prop(90, 100), prop(70, 100), 1.96);
    assert!(low < -0.2 && -0.2 < high && high < 0.0, "({low}, {high})");
}

proptest! {
    /// A p-value is a probability, and a sample compared with itself shows no shift.
    #[test]
    fn u_test_of_a_sample_with_itself_is_neutral(values in prop::collection::vec(1u64..100_000, 1..200)) {
        let h = histogram(&values);
        let u = mann_whitney(&h, &h).expect("samples");
        prop_assert!((u.new_larger - 0.5).abs() < 1e-9);
        prop_assert!(u.p_value > 0.9 && u.p_value <= 1.0);
    }

    #[test]
    fn fisher_p_is_a_probability_and_symmetric(a in 0u64..40, n1 in 1u64..40, b in 0u64..40, n2 in 1u64..40) {
        let (a, b) = (a.min(n1), b.min(n2));
        let p = fisher_exact(prop(a, n1), prop(b, n2));
        prop_assert!(p > 0.0 && p <= 1.0);
        let q = fisher_exact(prop(b, n2), prop(a, n1));
        prop_assert!((p - q).abs() < 1e-9);
        prop_assert!(p >= fisher_floor(n1, n2) * (1.0 - 1e-9));
    }
}

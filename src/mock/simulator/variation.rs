//! How one response may depart from the plain assistant, as decided by the caller (`--vary`,
//! drawn in `mock::vary`): the order fields are asked in, the wording of the question,
//! values missed, a filled field asked for again, two fields asked for at once.
//!
//! Owns the decisions as plain data and how they read against a form (which field is
//! next, which filled field is asked again). It must not draw anything: the simulator stays
//! pure, and [`Variation::default`] departs in nothing, which is the deterministic mock.

/// The departures of one response. Build it with struct-update syntax over
/// `Variation::default()`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Variation {
    /// Field indices in the order to ask for them; `None` asks in form order. Indices
    /// out of range are skipped, and fields it leaves out come after it in form order.
    pub order: Option<Vec<usize>>,
    /// Which wording of the question (taken modulo the number of wordings of its kind);
    /// `None` keeps the plain wording.
    pub wording: Option<usize>,
    /// Per field index: a value extracted for it from this message is missed (neither
    /// stored nor reported). Fields past its end are not missed.
    pub missed: Vec<bool>,
    /// Ask again for an already-filled field instead of going on: the `k`-th (modulo
    /// their count) of the filled fields in form order. No submission on such a turn.
    pub reask: Option<usize>,
    /// Ask for the next two missing required fields in one question.
    pub merge: bool,
}

impl Variation {
    /// Whether a value extracted for field `field` is missed.
    pub(crate) fn misses(&self, field: usize) -> bool {
        self.missed.get(field).copied().unwrap_or(false)
    }

    /// Every field index in `0..count` once, in asking order.
    pub(crate) fn asking_order(&self, count: usize) -> Vec<usize> {
        let mut seen = vec![false; count];
        let mut out = Vec::with_capacity(count);
        let given = self.order.iter().flatten().copied();
        for field in given.chain(0..count) {
            if field < count && !seen[field] {
                seen[field] = true;
                out.push(field);
            }
        }
        out
    }

    /// The filled field to ask for again, if this response re-asks and any is filled.
    pub(crate) fn reask_among(&self, filled: &[usize]) -> Option<usize> {
        let k = self.reask?;
        match filled.len() {
            0 => None,
            n => filled.get(k % n).copied(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn asking_order_is_a_permutation_whatever_is_given() {
        let plain = Variation::default();
        assert_eq!(plain.asking_order(3), [0, 1, 2]);
        let odd = Variation {
            order: Some(vec![2, 9, 2, 0]),
            ..Variation::default()
        };
        assert_eq!(odd.asking_order(3), [2, 0, 1]);
    }

    #[test]
    fn reask_picks_among_the_filled_fields() {
        let v = Variation {
            reask: Some(5),
            ..Variation::default()
        };
        assert_eq!(v.reask_among(&[]), None);
        assert_eq!(v.reask_among(&[3, 4]), Some(4));
        assert_eq!(Variation::default().reask_among(&[3]), None);
    }
}

//! Deterministic GUIDs for the mock: session, submission and request ids derived from a
//! counter, so that the same run produces the same ids.
//!
//! Owns id formatting only; it must not keep any counter itself (callers own them).

/// What an id is for; each kind draws from its own sequence of GUIDs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdKind {
    Session,
    Submission,
    Request,
}

impl IdKind {
    fn salt(self) -> u64 {
        match self {
            IdKind::Session => 0x5e55_1011_0000_0001,
            IdKind::Submission => 0x5b01_5510_0000_0002,
            IdKind::Request => 0x4e90_e570_0000_0003,
        }
    }
}

/// SplitMix64: a bijection on u64, so distinct inputs give distinct outputs.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The `n`th GUID of `kind`, in the 8-4-4-4-12 lower-case form of a version-4 UUID. The
/// first 64 bits are a bijection of `n`, so ids of one kind never repeat.
pub fn guid(kind: IdKind, n: u64) -> String {
    let hi = mix(n ^ kind.salt());
    let lo = mix(hi ^ kind.salt().rotate_left(17));
    // Version 4 and RFC 4122 variant bits, so every UUID parser accepts the ids.
    let lo = (lo & 0x3fff_ffff_ffff_ffff) | 0x8000_0000_0000_0000;
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        hi >> 32,
        (hi >> 16) & 0xffff,
        hi & 0x0fff,
        lo >> 48,
        lo & 0xffff_ffff_ffff
    )
}

/// GUID shape check, shared with suite validation so both agree on what a form id is.
pub use crate::suite::form::is_guid;

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn guids_are_well_formed_distinct_and_repeatable() {
        let ids: HashSet<String> = (0..10_000).map(|n| guid(IdKind::Session, n)).collect();
        assert_eq!(ids.len(), 10_000);
        assert!(ids.iter().all(|id| is_guid(id)));
        assert_eq!(guid(IdKind::Request, 7), guid(IdKind::Request, 7));
        assert_ne!(guid(IdKind::Request, 7), guid(IdKind::Session, 7));
        assert_eq!(&guid(IdKind::Submission, 1)[14..15], "4");
    }

    #[test]
    fn guid_shape_check() {
        assert!(is_guid("5D0C9E2A-1f4b-4c8e-9a51-3b2f7e6d8c10"));
        assert!(!is_guid("5d0c9e2a-1f4b-4c8e-9a51-3b2f7e6d8c1"));
        assert!(!is_guid("not-a-guid"));
        assert!(!is_guid("5d0c9e2a-1f4b-4c8e-9a51-3b2f7e6d8c1g"));
    }
}

//! The `--vary` profile: its comma and YAML forms, its errors, and its seeded draws.

use super::*;
use std::collections::BTreeSet;

fn list(text: &str) -> VaryProfile {
    VaryProfile::parse_list(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn list_error(text: &str) -> VaryError {
    match VaryProfile::parse_list(text) {
        Ok(profile) => panic!("{text} parsed as {profile:?}"),
        Err(e) => e,
    }
}

#[test]
fn the_full_comma_form_parses() {
    let profile = list("order,paraphrase,miss=0.05,reask=0.05,merge=0.2");
    assert_eq!(
        profile,
        VaryProfile {
            order: true,
            paraphrase: true,
            miss: 0.05,
            reask: 0.05,
            merge: 0.2,
        }
    );
    assert_eq!(
        profile.to_string(),
        "order,paraphrase,miss=0.05,reask=0.05,merge=0.2"
    );
    assert_eq!(list(&profile.to_string()), profile);
}

#[test]
fn any_subset_with_spaces_and_case_parses() {
    assert_eq!(
        list(" ORDER , miss = 1 ,"),
        VaryProfile {
            order: true,
            miss: 1.0,
            ..VaryProfile::default()
        }
    );
    assert_eq!(list("merge=0.1,merge=0").merge, 0.0, "a later key wins");
    assert!(list("miss=0").is_off());
    assert_eq!(list("reask=0").to_string(), "");
}

#[test]
fn an_unknown_key_is_named_with_a_suggestion() {
    let e = list_error("order,paraphrse");
    assert_eq!(
        e,
        VaryError::UnknownKey {
            key: "paraphrse".into(),
            help: "did you mean `paraphrase`?".into()
        }
    );
    let text = list_error("speed=2").to_string();
    assert!(text.contains("`speed`"), "{text}");
    assert!(
        text.contains("order, paraphrase, miss=R, reask=R, merge=R"),
        "{text}"
    );
}

#[test]
fn rates_must_be_probabilities() {
    for bad in [
        "miss=1.5",
        "reask=-0.1",
        "merge=abc",
        "miss=NaN",
        "miss=inf",
    ] {
        let e = list_error(bad);
        assert!(matches!(e, VaryError::BadRate { .. }), "{bad}: {e:?}");
        let text = e.to_string();
        let value = bad.split_once('=').map(|(_, v)| v).unwrap_or_default();
        assert!(text.contains(&format!("got `{value}`")), "{text}");
        assert!(text.contains("between 0 and 1"), "{text}");
    }
    assert_eq!(list_error("miss"), VaryError::MissingRate { key: "miss" });
    assert!(matches!(
        list_error("order=true"),
        VaryError::NotASwitch { key: "order", .. }
    ));
    assert_eq!(list_error(""), VaryError::Empty);
    assert_eq!(list_error(" , "), VaryError::Empty);
}

#[test]
fn the_yaml_form_parses_and_is_checked() {
    let yaml = "order: true\nparaphrase: false\nmiss: 0.05\nreask: 0.05\nmerge: 0.2\n";
    let profile = VaryProfile::parse_yaml("vary.yaml", yaml).expect("valid");
    assert_eq!(profile, list("order,miss=0.05,reask=0.05,merge=0.2"));
    let unknown = VaryProfile::parse_yaml("vary.yaml", "order: true\nshuffle: true\n");
    let Err(VaryError::File(diagnostic)) = unknown else {
        panic!("{unknown:?}");
    };
    assert_eq!(
        (diagnostic.file.as_str(), diagnostic.line),
        ("vary.yaml", 2)
    );
    assert!(diagnostic.title.contains("shuffle"), "{diagnostic}");
    let rate = VaryProfile::parse_yaml("vary.yaml", "merge: 2\n");
    assert_eq!(
        rate,
        Err(VaryError::BadRate {
            source_name: "vary.yaml".into(),
            key: "merge",
            value: "2".into()
        })
    );
    assert!(VaryProfile::parse_yaml("v.yaml", "order: [1]\n").is_err());
}

#[test]
fn draws_depend_on_seed_session_and_turn_only() {
    let profile = list("order,paraphrase,miss=0.5,reask=0.5,merge=0.5");
    let draw = |seed, session: &str, turn| profile.variation(seed, session, turn, 6);
    assert_eq!(draw(3, "a", 2), draw(3, "a", 2));
    let turns: Vec<Variation> = (0..20).map(|t| draw(3, "a", t)).collect();
    assert!(turns.windows(2).any(|w| w[0] != w[1]), "turns differ");
    assert!(turns.iter().all(|v| v.order == turns[0].order));
    let sessions: BTreeSet<Option<Vec<usize>>> = (0..20)
        .map(|s| draw(3, &format!("s{s}"), 0).order)
        .collect();
    assert!(sessions.len() > 1, "orders differ between sessions");
    let seeds: BTreeSet<Option<Vec<usize>>> = (0..20).map(|s| draw(s, "a", 0).order).collect();
    assert!(seeds.len() > 1, "orders differ between seeds");
    for v in &turns {
        let mut order = v.order.clone().unwrap_or_default();
        order.sort_unstable();
        assert_eq!(order, [0, 1, 2, 3, 4, 5]);
        assert_eq!(v.missed.len(), 6);
    }
}

#[test]
fn rates_are_drawn_at_about_their_probability() {
    let profile = list("miss=0.3,reask=0.1,merge=0.6");
    let draws: Vec<Variation> = (0..5_000)
        .map(|t| profile.variation(1, "session", t, 2))
        .collect();
    let share = |hits: usize, of: usize| hits as f64 / of as f64;
    let missed = draws.iter().flat_map(|v| &v.missed).filter(|m| **m).count();
    let reasked = draws.iter().filter(|v| v.reask.is_some()).count();
    let merged = draws.iter().filter(|v| v.merge).count();
    assert!((0.27..0.33).contains(&share(missed, 10_000)));
    assert!((0.08..0.12).contains(&share(reasked, 5_000)));
    assert!((0.57..0.63).contains(&share(merged, 5_000)));
}

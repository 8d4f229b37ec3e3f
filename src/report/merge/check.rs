//! Whether a set of results are the N distinct shards of one run with one configuration.
//! The first differing field is named, so the user can see which shard was started
//! differently.

use super::{MergeError, ShardFile};
use crate::report::result::{RunConfig, RunResult, SHARD_LOCAL, ShardInfo};
use std::collections::BTreeMap;

fn shard_of(file: &ShardFile) -> Result<&ShardInfo, MergeError> {
    let shard = file
        .result
        .load
        .as_ref()
        .and_then(|l| l.shard.as_ref())
        .ok_or_else(|| MergeError::NotAShard {
            file: file.label.clone(),
        })?;
    if shard.merged {
        return Err(MergeError::AlreadyMerged {
            file: file.label.clone(),
        });
    }
    Ok(shard)
}

/// The fields every shard must share, as text for the message: (name, value).
fn identity(result: &RunResult, shard: &ShardInfo) -> Vec<(&'static str, String)> {
    let c = &result.config;
    let mut fields = vec![
        ("the shard count", shard.count.to_string()),
        (
            "the plan (suites, conversations, load flags, seed, thresholds)",
            shard.fingerprint.clone(),
        ),
        ("the run name", result.name.clone()),
        ("the target", c.target.clone()),
        ("the embedded mock", c.embedded_mock.to_string()),
        ("--concurrency", c.concurrency.to_string()),
        ("--filter", c.filters.join(",")),
        ("--timeout (ms)", c.timeout_ms.to_string()),
        ("--submit", c.submit.to_string()),
    ];
    // Each embedded mock listens on its own port; a shared target must be the same.
    if !c.embedded_mock {
        fields.push(("the base URL", c.base_url.clone()));
    }
    fields
}

/// The rest of what the run was asked to do ([`RunConfig::entries`]), but for what shards
/// of one run differ in ([`SHARD_LOCAL`]: the shard, its seed, the convoy build).
fn settings(config: &RunConfig) -> BTreeMap<&'static str, String> {
    config
        .entries()
        .into_iter()
        .filter(|(label, _)| !SHARD_LOCAL.contains(label))
        .collect()
}

/// The first setting `file` has otherwise than `first` (one only has is a difference
/// too): (label, file's value, first's value).
fn differing_setting(
    file: &RunConfig,
    first: &RunConfig,
) -> Option<(&'static str, String, String)> {
    let (mine, theirs) = (settings(file), settings(first));
    let unset = || "(not set)".to_string();
    theirs
        .keys()
        .chain(mine.keys())
        .find(|label| mine.get(*label) != theirs.get(*label))
        .map(|label| {
            let found = mine.get(label).cloned().unwrap_or_else(unset);
            (
                *label,
                found,
                theirs.get(label).cloned().unwrap_or_else(unset),
            )
        })
}

/// Refuses anything but the complete set of shards of one run.
pub(super) fn check(files: &[ShardFile]) -> Result<(), MergeError> {
    let first = files.first().ok_or(MergeError::Empty)?;
    let first_shard = shard_of(first)?;
    let expected = identity(&first.result, first_shard);
    let mut seen: BTreeMap<u32, &str> = BTreeMap::new();
    for file in files {
        let shard = shard_of(file)?;
        if file.result.run_id != first.result.run_id {
            return Err(MergeError::OtherRun {
                file: file.label.clone(),
                first: first.label.clone(),
                found: file.result.run_id.clone(),
                expected: first.result.run_id.clone(),
            });
        }
        let found = identity(&file.result, shard);
        for ((field, mine), (_, theirs)) in found.iter().zip(&expected) {
            if mine != theirs {
                return Err(MergeError::Differs {
                    file: file.label.clone(),
                    first: first.label.clone(),
                    field,
                    found: mine.clone(),
                    expected: theirs.clone(),
                });
            }
        }
        if let Some((field, found, expected)) =
            differing_setting(&file.result.config, &first.result.config)
        {
            return Err(MergeError::Differs {
                file: file.label.clone(),
                first: first.label.clone(),
                field,
                found,
                expected,
            });
        }
        if let Some(other) = seen.insert(shard.index, &file.label) {
            return Err(MergeError::Duplicate {
                index: shard.index,
                count: shard.count,
                file: file.label.clone(),
                other: other.to_string(),
            });
        }
    }
    let missing: Vec<String> = (0..first_shard.count)
        .filter(|i| !seen.contains_key(i))
        .map(|i| i.to_string())
        .collect();
    if !missing.is_empty() {
        return Err(MergeError::Missing {
            missing: missing.join(", "),
            count: first_shard.count,
        });
    }
    Ok(())
}

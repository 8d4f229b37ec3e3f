//! `fields:` and `no_fields:` of a recorded block: which written fields failed for want of
//! a value (they move to `no_fields`), which forbidden ones were extracted after all (they
//! move to `fields` with their value), and the rewritten entries.

use super::{Block, Builder};
use crate::record::entries::{Entry, mapping_entries};
use crate::record::merge::MergeError;
use crate::record::observe::{Extracted, describe, field_line, yaml_key};

impl<'a> Builder<'a> {
    /// Written `fields` that failed because nothing was extracted: now under `no_fields`.
    pub(super) fn moved_to_no_fields(&self) -> Vec<String> {
        let fields = self.checks.fields.iter().map(|f| f.key.clone());
        fields
            .filter(|k| self.failed_field(k) && self.seen.field(k).is_none())
            .collect()
    }

    /// Written `no_fields` keys that were extracted after all.
    pub(super) fn unforbidden(&self) -> Vec<&'a Extracted> {
        let keys = self.checks.no_fields.iter().map(|k| k.value.as_str());
        keys.filter(|k| self.failed_top(&format!("no_fields.{k}")))
            .filter_map(|k| self.seen.field(k))
            .collect()
    }

    pub(super) fn no_fields_after(
        &self,
        moved: &[String],
        unforbidden: &[&Extracted],
    ) -> Vec<String> {
        let mut keys: Vec<String> = self
            .checks
            .no_fields
            .iter()
            .map(|k| k.value.clone())
            .filter(|k| !unforbidden.iter().any(|u| u.key == *k))
            .collect();
        keys.extend(
            moved
                .iter()
                .filter(|k| !keys.contains(k))
                .cloned()
                .collect::<Vec<_>>(),
        );
        keys
    }

    /// Observed fields to add: those unforbidden, and (for a response) those not checked.
    pub(super) fn extra_fields(
        &self,
        no_fields: &[String],
        unforbidden: &[&'_ Extracted],
    ) -> Vec<Extracted> {
        let checked = |k: &str| {
            self.checks.fields.iter().any(|f| f.key == k) || no_fields.iter().any(|n| n == k)
        };
        self.seen
            .fields
            .iter()
            .filter(|f| !checked(&f.key))
            .filter(|f| self.checks.add_unchecked || unforbidden.iter().any(|u| u.key == f.key))
            .cloned()
            .collect()
    }

    pub(super) fn fields(
        &mut self,
        entry: Option<&Entry>,
        extra: &[Extracted],
    ) -> Result<(), MergeError> {
        let changed =
            !extra.is_empty() || self.checks.fields.iter().any(|f| self.failed_field(&f.key));
        match entry {
            Some(entry) if !changed => {
                self.keep(entry, 1);
                Ok(())
            }
            _ => self.fields_body(entry, extra),
        }
    }

    /// `fields:` rewritten as a block mapping: held checks as written, failed ones replaced.
    pub(super) fn fields_body(
        &mut self,
        entry: Option<&Entry>,
        extra: &[Extracted],
    ) -> Result<(), MergeError> {
        let subs = match entry {
            Some(entry) => mapping_entries(&entry.lines, 0, 0, entry.line - 1)
                .ok_or(MergeError::NotAMapping(entry.line))?,
            None if extra.is_empty() => return Ok(()),
            None => Vec::new(),
        };
        let head = match entry {
            Some(e) => {
                self.push(1, &e.comments);
                e.lines[0].clone()
            }
            None => "fields:".to_owned(),
        };
        // Written as a block mapping whatever it was, since entries are added and removed.
        let head = match head.split_once(':') {
            Some((_, rest)) if rest.trim_start().starts_with('{') => "fields:".to_owned(),
            _ => head,
        };
        let mut inner = Builder {
            seen: self.seen,
            checks: self.checks,
            failed: self.failed.clone(),
            step: self.step.clone(),
            out: Block::default(),
        };
        let mut live = false;
        for sub in &subs {
            if !self.failed_field(&sub.key) {
                inner.keep(sub, 0);
                live = true;
                continue;
            }
            match self.seen.field(&sub.key) {
                Some(seen) => {
                    let display = self
                        .checks
                        .fields
                        .iter()
                        .any(|f| f.key == sub.key && f.matcher.display.is_some());
                    inner.replace(sub, 0, describe(seen), vec![field_line(seen, display)]);
                    live = true;
                }
                None => inner.replace(
                    sub,
                    0,
                    "no value, so it is now under `no_fields`".into(),
                    vec![],
                ),
            }
        }
        let added: Vec<String> = extra.iter().map(|f| field_line(f, false)).collect();
        inner.push(0, &added);
        live |= !added.is_empty();
        if live {
            self.push(1, &[head]);
        }
        let depth = if live { 2 } else { 1 };
        self.push(depth, &inner.out.lines);
        self.out.changes.append(&mut inner.out.changes);
        Ok(())
    }

    pub(super) fn no_fields(
        &mut self,
        entry: Option<&Entry>,
        keys: &[String],
        moved: &[String],
        unforbidden: &[&Extracted],
    ) {
        if let Some(entry) = entry.filter(|_| moved.is_empty() && unforbidden.is_empty()) {
            self.keep(entry, 1);
            return;
        }
        let listed: Vec<String> = keys.iter().map(|k| yaml_key(k)).collect();
        let lines = if listed.is_empty() {
            Vec::new()
        } else {
            vec![format!("no_fields: [{}]", listed.join(", "))]
        };
        match entry {
            Some(entry) if !unforbidden.is_empty() => {
                let observed: Vec<String> = unforbidden
                    .iter()
                    .map(|f| format!("{} = {}", f.key, describe(f)))
                    .collect();
                self.replace(entry, 1, observed.join(", "), lines);
            }
            Some(entry) => {
                self.push(1, &entry.comments);
                self.push(1, &lines);
            }
            None => self.push(1, &lines),
        }
    }
}

//! Number ranges in a matcher: the bounds `gt`, `gte`, `lt`, `lte` (at most one lower and
//! one upper, written side by side as `{gte: 0, lte: 40}`) and `between: [low, high]`, both
//! ends included. A range no number can satisfy is a load error, not a test that can never
//! pass.

use crate::suite::context::Ctx;
use crate::suite::matcher::{Bound, NumRange};
use crate::suite::matcher_parse::{OpEntry, number_arg};
use crate::suite::node::{Node, NodeValue};

/// Whether `name` is one of the four bound operators.
pub fn is_bound(name: &str) -> bool {
    matches!(name, "gt" | "gte" | "lt" | "lte")
}

/// Whether two bound operators are both lower (`gt`, `gte`) or both upper (`lt`, `lte`).
pub fn same_side(a: &str, b: &str) -> bool {
    let lower = |n: &str| n.starts_with("gt");
    is_bound(a) && is_bound(b) && lower(a) == lower(b)
}

/// The range of the bound operators in `ops` (one or two, on different sides: the parser
/// has already refused the rest).
pub fn bounds_range(ops: &[OpEntry<'_>], cx: &mut Ctx) -> Option<NumRange> {
    let mut range = NumRange::default();
    let mut ok = true;
    for (name, _, value) in ops {
        let Some(n) = number_arg(name, value, cx) else {
            ok = false;
            continue;
        };
        let bound = Bound {
            value: n,
            inclusive: name.ends_with('e'),
        };
        if name.starts_with("gt") {
            range.low = Some(bound);
        } else {
            range.high = Some(bound);
        }
    }
    if !ok {
        return None;
    }
    if range.is_empty()
        && let Some((_, key, _)) = ops.last()
    {
        let shown: Vec<String> = ops
            .iter()
            .map(|(o, _, v)| format!("{o}: {}", v.scalar_text().unwrap_or_default()))
            .collect();
        cx.error(
            key.pos,
            format!("no number is {}: the range is empty", range.describe()),
            format!(
                "`{}` leave no number between them: the lower bound must be below the \
                 upper one, e.g. `{{gte: 0, lte: 40}}`",
                shown.join("` and `")
            ),
        );
        return None;
    }
    Some(range)
}

fn end(node: &Node, cx: &mut Ctx) -> Option<f64> {
    let n = node.as_f64();
    if n.is_none() {
        cx.error(
            node.pos,
            format!("`between` takes numbers, found {}", node.kind_name()),
            "write the ends as numbers, without quotes: `{between: [0, 40]}`",
        );
    }
    n
}

/// `between: [low, high]`: two numbers, `low` ≤ `high`, both included.
pub fn between_arg(value: &Node, cx: &mut Ctx) -> Option<NumRange> {
    let help = "write the two ends, lower first, in brackets: `{between: [0, 40]}` \
                (both ends are included)";
    let [low, high] = match &value.value {
        NodeValue::Seq(items) if items.len() == 2 => [&items[0], &items[1]],
        NodeValue::Seq(items) => {
            let found = match items.len() {
                0 => "an empty list".to_owned(),
                1 => "a list of 1 value".to_owned(),
                n => format!("a list of {n} values"),
            };
            let title = format!("`between` takes two numbers `[low, high]`, found {found}");
            cx.error(value.pos, title, help);
            return None;
        }
        _ => {
            let title = format!(
                "`between` takes two numbers `[low, high]`, found {}",
                value.kind_name()
            );
            cx.error(value.pos, title, help);
            return None;
        }
    };
    let ends = (end(low, cx), end(high, cx));
    let (Some(l), Some(h)) = ends else {
        return None;
    };
    if l > h {
        cx.error(
            value.pos,
            format!("`between: [{l}, {h}]` is empty: {l} is above {h}"),
            format!("write the lower end first: `{{between: [{h}, {l}]}}`"),
        );
        return None;
    }
    let bound = |value| {
        Some(Bound {
            value,
            inclusive: true,
        })
    };
    Some(NumRange {
        low: bound(l),
        high: bound(h),
    })
}

//! The entries of a YAML mapping as written, so that `convoy record` can keep each
//! hand-written expectation byte for byte and rewrite only the ones that failed.
//!
//! Reads text, not values: a block mapping's entry is its key line plus the lines indented
//! below it; a flow mapping (`{a: 1, b: {regex: "x"}}`) is split at its top-level commas,
//! quotes and brackets respected. Anything else (an alias, a scalar) is not a mapping the
//! recorder can edit, and is reported as `None` for the caller to keep whole.

/// One key of a mapping as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The key, unquoted.
    pub key: String,
    /// 1-based line of the key in the text the lines were taken from.
    pub line: usize,
    /// Blank and comment lines just above the key (kept with it).
    pub comments: Vec<String>,
    /// The key line and the lines below it, without the mapping's indentation; a flow
    /// entry is one line `key: value`.
    pub lines: Vec<String>,
}

impl Entry {
    /// The entry on one line, for a comment or the terminal.
    pub fn one_line(&self) -> String {
        collapse(&self.lines.join("\n"))
    }
}

/// The indentation of a block mapping's keys below the key line, relative to the key; 2
/// when the mapping is empty or written in flow style.
pub fn step(lines: &[String], key_line: usize, indent: usize) -> usize {
    let end = block_end(lines, key_line, indent + 1);
    lines[key_line + 1..end]
        .iter()
        .find(|l| significant(l))
        .map_or(2, |l| indent_of(l).saturating_sub(indent).max(1))
}

/// The file's indentation unit: how far the first block below a top-level key is indented
/// (2 when there is none), for blocks that are inserted rather than rewritten.
pub fn file_step(lines: &[String]) -> usize {
    let mut previous: Option<&String> = None;
    for line in lines.iter().filter(|l| significant(l)) {
        if let Some(p) = previous
            && indent_of(p) == 0
            && indent_of(line) > 0
        {
            return indent_of(line);
        }
        previous = Some(line);
    }
    2
}

/// The entries of the mapping that is the value of the key on `lines[key_line]`, whose key
/// starts at column `indent` (0-based). `lines[i]` is reported as line `i + 1 + line_base`.
pub fn mapping_entries(
    lines: &[String],
    key_line: usize,
    indent: usize,
    line_base: usize,
) -> Option<Vec<Entry>> {
    let end = block_end(lines, key_line, indent + 1);
    let head: String = lines[key_line].chars().skip(indent).collect();
    let rest = head.split_once(':').map(|(_, r)| r.trim_start())?;
    let rest = strip_comment(rest);
    if rest.is_empty() {
        return block_entries(&lines[key_line + 1..end], key_line + 2 + line_base);
    }
    if !rest.starts_with('{') {
        return None;
    }
    // The flow text from `{` to the end of the entry, with line breaks kept for counting.
    let offset = head.len() - head.split_once(':')?.1.trim_start().len();
    let mut text = head[offset..].to_owned();
    for line in &lines[key_line + 1..end] {
        text.push('\n');
        text.push_str(line);
    }
    flow_entries(&text, key_line + 1 + line_base)
}

/// Entries of a block mapping given its lines (the first key's indentation is the level);
/// `first_line` is the 1-based line of `lines[0]`.
fn block_entries(lines: &[String], first_line: usize) -> Option<Vec<Entry>> {
    let Some(level) = lines.iter().find(|l| significant(l)).map(|l| indent_of(l)) else {
        return Some(Vec::new());
    };
    let mut entries: Vec<Entry> = Vec::new();
    let mut pending: Vec<String> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let unindented = unindent(line, level);
        if !significant(line) {
            pending.push(unindented);
            continue;
        }
        // A block sequence may sit at its key's own indentation (`key:` then `- item`).
        let item = unindented.starts_with("- ") || unindented == "-";
        if indent_of(line) > level || item {
            let entry = entries.last_mut()?;
            entry.lines.append(&mut pending);
            entry.lines.push(unindented);
            continue;
        }
        let key = key_of(&unindented)?;
        entries.push(Entry {
            key,
            line: first_line + i,
            comments: std::mem::take(&mut pending),
            lines: vec![unindented],
        });
    }
    Some(entries)
}

/// Entries of a flow mapping `{...}` at the start of `text`, which starts on line `line`.
fn flow_entries(text: &str, line: usize) -> Option<Vec<Entry>> {
    let items = split_flow(text)?;
    items
        .into_iter()
        .map(|(offset, item)| {
            let key = key_of(&item)?;
            Some(Entry {
                key,
                line: line + text[..offset].matches('\n').count(),
                comments: Vec::new(),
                lines: vec![collapse(&item)],
            })
        })
        .collect()
}

/// The top-level items of the flow collection at the start of `text`, each with its byte
/// offset; `None` when the brackets do not close.
pub fn split_flow(text: &str) -> Option<Vec<(usize, String)>> {
    let mut items = Vec::new();
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    let mut comment = false;
    let mut start = 0;
    let mut current = String::new();
    let mut previous = ' ';
    for (i, c) in text.char_indices() {
        if comment {
            comment = c != '\n';
            if !comment {
                current.push(c);
            }
            previous = c;
            continue;
        }
        if let Some(q) = quote {
            current.push(c);
            match c {
                '\\' if q == '"' && !escaped => escaped = true,
                _ if c == q && !escaped => quote = None,
                _ => escaped = false,
            }
            previous = c;
            continue;
        }
        match c {
            '"' | '\'' => quote = Some(c),
            '#' if previous.is_whitespace() => {
                comment = true;
                continue;
            }
            '{' | '[' => {
                depth += 1;
                if depth == 1 {
                    previous = c;
                    continue;
                }
            }
            '}' | ']' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    push_item(&mut items, start, &current);
                    return Some(items);
                }
            }
            ',' if depth == 1 => {
                push_item(&mut items, start, &current);
                current.clear();
                previous = c;
                continue;
            }
            _ => {}
        }
        if current.trim().is_empty() && !c.is_whitespace() {
            start = i;
        }
        current.push(c);
        previous = c;
    }
    None
}

fn push_item(items: &mut Vec<(usize, String)>, start: usize, item: &str) {
    let item = item.trim();
    if !item.is_empty() {
        items.push((start, item.to_owned()));
    }
}

/// The key of `key: value` (quotes removed), if the text starts with one.
fn key_of(text: &str) -> Option<String> {
    let text = text.trim_start();
    if let Some(quoted) = text.strip_prefix('"') {
        let end = quoted.find('"')?;
        return serde_json::from_str(&text[..end + 2]).ok();
    }
    if let Some(quoted) = text.strip_prefix('\'') {
        let end = quoted.find('\'')?;
        return Some(quoted[..end].to_owned());
    }
    let (key, _) = text.split_once(':')?;
    let key = key.trim();
    (!key.is_empty() && !key.contains(['{', '[', ',', '#'])).then(|| key.to_owned())
}

/// Line breaks and the indentation after them become one space (what they mean inside a
/// flow collection).
fn collapse(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The text before a ` #` comment, outside quotes.
fn strip_comment(text: &str) -> &str {
    let mut quote: Option<char> = None;
    let mut previous = ' ';
    for (i, c) in text.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '#' && previous.is_whitespace() => return text[..i].trim_end(),
            None => {}
        }
        previous = c;
    }
    text.trim_end()
}

fn unindent(line: &str, level: usize) -> String {
    if indent_of(line) >= level {
        line.chars().skip(level).collect()
    } else {
        line.trim_start().to_owned()
    }
}

pub fn indent_of(line: &str) -> usize {
    line.chars().take_while(|c| *c == ' ').count()
}

pub fn significant(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty() && !t.starts_with('#')
}

/// The index after the last significant line that belongs to the block starting at
/// `first` (lines indented at least `min_indent`).
pub fn block_end(lines: &[String], first: usize, min_indent: usize) -> usize {
    let mut end = first + 1;
    for (i, line) in lines.iter().enumerate().skip(first + 1) {
        if !significant(line) {
            continue;
        }
        if indent_of(line) < min_indent {
            break;
        }
        end = i + 1;
    }
    end
}

#[cfg(test)]
#[path = "entries_tests.rs"]
mod tests;

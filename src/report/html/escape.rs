//! The one escaping helper of `report.html`. Every string that did not come from a
//! literal in this module's siblings (API text, suite names, file paths, ids, numbers
//! printed from the result) goes through [`esc`] before it is placed in the page.

/// Escapes text for HTML element content and double- or single-quoted attribute values:
/// `& < > " '` become references, so no tag, attribute or entity can form. Control
/// characters other than tab and line break become U+FFFD, visibly, since a browser would
/// drop or mangle them.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' | '\t' => out.push(c),
            c if c.is_control() => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::esc;

    #[test]
    fn nothing_can_become_markup() {
        assert_eq!(
            esc("<script>alert(1)</script>\"><img src=x onerror='a'>&\u{1b}"),
            "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=&#39;a&#39;&gt;&amp;\u{FFFD}"
        );
    }
}

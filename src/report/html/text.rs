//! How text from a run is made visible in `report.html`. HTML escaping is maud's: every
//! value spliced into `html!` is escaped, so this module only writes control characters
//! (other than tab and line break) as visible escapes (`\u{1b}`, `\r`), the rule of the
//! terminal and the other reports, since a browser would drop or mangle them. It
//! returns plain text and must never return markup.

/// `text` with each control character but tab and line break written as its visible
/// escape. The result is still text: it goes into `html!` as a splice, which escapes it.
pub fn visible(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' | '\t' => out.push(c),
            c if c.is_control() => out.extend(c.escape_default()),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::visible;
    use maud::html;

    #[test]
    fn control_characters_become_visible() {
        assert_eq!(visible("a\u{1b}b\u{7f}\n\tc\r"), "a\\u{1b}b\\u{7f}\n\tc\\r");
    }

    #[test]
    fn nothing_can_become_markup() {
        let hostile = "<script>alert(1)</script>\"><img src=x onerror='a'>&\u{1b}";
        let page = html! { p title=(visible(hostile)) { (visible(hostile)) } }.into_string();
        let escaped = concat!(
            "&lt;script&gt;alert(1)&lt;/script&gt;",
            "&quot;&gt;&lt;img src=x onerror='a'&gt;&amp;\\u{1b}"
        );
        assert_eq!(page, format!("<p title=\"{escaped}\">{escaped}</p>"));
    }
}

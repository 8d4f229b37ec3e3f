//! How text from a run is made visible in `report.html`. HTML escaping is maud's: every
//! value spliced into `html!` is escaped, so this module only maps control characters
//! (other than tab and line break) to U+FFFD, visibly, since a browser would drop or
//! mangle them. It returns plain text and must never return markup.

/// `text` with each control character but tab and line break replaced by U+FFFD. The
/// result is still text: it goes into `html!` as a splice, which escapes it.
pub fn visible(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\n' | '\t' => c,
            c if c.is_control() => '\u{FFFD}',
            c => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::visible;
    use maud::html;

    #[test]
    fn control_characters_become_visible() {
        assert_eq!(visible("a\u{1b}b\u{7f}\n\tc"), "a\u{FFFD}b\u{FFFD}\n\tc");
    }

    #[test]
    fn nothing_can_become_markup() {
        let hostile = "<script>alert(1)</script>\"><img src=x onerror='a'>&\u{1b}";
        let page = html! { p title=(visible(hostile)) { (visible(hostile)) } }.into_string();
        let escaped = concat!(
            "&lt;script&gt;alert(1)&lt;/script&gt;",
            "&quot;&gt;&lt;img src=x onerror='a'&gt;&amp;\u{FFFD}"
        );
        assert_eq!(page, format!("<p title=\"{escaped}\">{escaped}</p>"));
    }
}

//! How convoy prints a duration for people: one rule for the terminal, progress lines,
//! failure messages and reports. Pure formatting.

use std::time::Duration;

/// Every duration convoy prints for people (terminal tables, progress, failure messages):
/// three significant figures, `1.23ms`, `12.3ms`, `123ms`, `1.23s`, and whole `µs` below
/// a millisecond. A value that rounding leaves unchanged drops its trailing zeros (a
/// `5ms` budget reads `5ms`), so `1.00ms` always means "rounded". Integer maths: the same
/// input always prints the same bytes.
pub fn format_duration(duration: Duration) -> String {
    let micros = u64::try_from(duration.as_micros()).unwrap_or(u64::MAX);
    if micros < 1_000 {
        return format!("{micros}µs");
    }
    let step = 10u64.pow(decimal_digits(micros) - 3);
    let rounded = micros.saturating_add(step / 2) / step * step;
    let (unit, per) = if rounded < 1_000_000 {
        ("ms", 1_000)
    } else {
        ("s", 1_000_000)
    };
    let (whole, fraction) = (rounded / per, rounded % per);
    let decimals = 3usize.saturating_sub(decimal_digits(whole) as usize);
    let width = decimal_digits(per) as usize - 1;
    let mut digits = format!("{fraction:0width$}");
    digits.truncate(decimals);
    if rounded == micros {
        digits.truncate(digits.trim_end_matches('0').len());
    }
    if digits.is_empty() {
        format!("{whole}{unit}")
    } else {
        format!("{whole}.{digits}{unit}")
    }
}

fn decimal_digits(n: u64) -> u32 {
    n.checked_ilog10().map_or(1, |log| log + 1)
}

/// `text` when it has at most `limit` characters; else its first `limit` characters and
/// a marker with the whole length, so a report says what it left out:
/// `…[cut: 1048576 characters in all]`.
pub fn cut(text: &str, limit: usize) -> String {
    match text.char_indices().nth(limit) {
        None => text.to_string(),
        Some((end, _)) => {
            let total = text.chars().count();
            format!("{}…[cut: {total} characters in all]", &text[..end])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::format_duration;
    use std::time::Duration;

    #[test]
    fn durations_have_three_significant_figures() {
        let text = |us: u64| format_duration(Duration::from_micros(us));
        assert_eq!(text(0), "0µs");
        assert_eq!(text(999), "999µs");
        assert_eq!(text(1_234), "1.23ms");
        assert_eq!(text(1_003), "1.00ms");
        assert_eq!(text(12_345), "12.3ms");
        assert_eq!(text(123_456), "123ms");
        assert_eq!(text(999_600), "1.00s");
        assert_eq!(text(9_996), "10.0ms");
        assert_eq!(text(1_234_567), "1.23s");
        assert_eq!(text(12_345_678), "12.3s");
        assert_eq!(text(1_234_567_890), "1230s");
        assert_eq!(text(u64::MAX), "18400000000000s");
    }

    #[test]
    fn exact_values_read_as_written() {
        let text = |us: u64| format_duration(Duration::from_micros(us));
        assert_eq!(text(5_000), "5ms");
        assert_eq!(text(1_500_000), "1.5s");
        assert_eq!(text(2_000_000), "2s");
        assert_eq!(text(12_300), "12.3ms");
        assert_eq!(text(250_000), "250ms");
    }
}

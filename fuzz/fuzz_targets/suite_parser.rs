//! Suite loading from bytes (`convoy::suite::load_bytes`: UTF-8 check, YAML, validation,
//! template expansion): never panics, never hangs, and every error it returns points at a
//! line and column (the loader's promise: "every suite error names file, line and
//! column"), and renders.
#![no_main]

use libfuzzer_sys::fuzz_target;

/// A directory that does not exist: a `data:` file named relative to the suite cannot be
/// read, so the loader reports it instead of touching the disk.
const LABEL: &str = "/nonexistent-convoy-fuzz/suite.yaml";

fuzz_target!(|data: &[u8]| {
    // `data:` is the one key that reads a file; an absolute path there would make the
    // fuzzer read the machine's files (`/dev/zero` would never end). Keep it off the disk.
    if data.windows(4).any(|w| w == b"data") {
        return;
    }
    if let Err(diagnostics) = convoy::suite::load_bytes(LABEL, data) {
        assert!(!diagnostics.is_empty(), "an error with no diagnostic");
        for d in &diagnostics {
            assert!(d.line >= 1 && d.column >= 1, "no line:col in {d:?}");
            let _ = d.to_string();
        }
    }
});

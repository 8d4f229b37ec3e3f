//! The `--faults FILE` profile parser and the `--fault RULE` flag parser
//! (`convoy::mock::faults`): never panic, and every error points at a line and column
//! ("errors name file:line:col, like suite errors", docs/faults.md) and renders.
#![no_main]

use convoy::mock::faults::{FaultProfile, parse_profile};
use libfuzzer_sys::fuzz_target;

fn check(diagnostic: &convoy::suite::Diagnostic) {
    assert!(
        diagnostic.line >= 1 && diagnostic.column >= 1,
        "no line:col in {diagnostic:?}"
    );
    let _ = diagnostic.to_string();
}

fuzz_target!(|data: &[u8]| {
    // Both read text the CLI has already decoded as UTF-8.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Err(d) = parse_profile("fuzz.yaml", text) {
        check(&d);
    }
    if let Err(d) = FaultProfile::default().push_flag(text) {
        check(&d);
    }
});

//! Build script: records `git describe --always --dirty` of the checkout convoy is built
//! from as `CONVOY_GIT_DESCRIBE`, so every run.json can say which build produced it.
//!
//! Never fails the build: without git, outside a checkout (a source tarball, the Docker
//! build context) the variable is simply not set. `CONVOY_GIT_DESCRIBE` in the build's
//! environment wins, for builds that know their version but have no `.git`.

use std::path::Path;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-env-changed=CONVOY_GIT_DESCRIBE");
    // Re-run when the sources change (for `-dirty`) or a commit moves HEAD; only paths
    // that exist are named, since a missing one would re-run the script on every build.
    for path in ["build.rs", "src", "Cargo.toml"] {
        println!("cargo:rerun-if-changed={path}");
    }
    for path in git_paths() {
        println!("cargo:rerun-if-changed={path}");
    }
    let describe = std::env::var("CONVOY_GIT_DESCRIBE")
        .ok()
        .or_else(|| git(&["describe", "--always", "--dirty"]));
    if let Some(describe) = describe.filter(|d| !d.is_empty()) {
        println!("cargo:rustc-env=CONVOY_GIT_DESCRIBE={describe}");
    }
}

/// The git files whose change means another commit: HEAD, the branch it points at, and
/// packed refs (each as git names it, which also works in a worktree).
fn git_paths() -> Vec<String> {
    let mut names = vec!["HEAD".to_string(), "packed-refs".to_string()];
    if let Some(branch) = git(&["symbolic-ref", "-q", "HEAD"]) {
        names.push(branch);
    }
    names
        .iter()
        .filter_map(|name| git(&["rev-parse", "--git-path", name]))
        .filter(|path| Path::new(path).exists())
        .collect()
}

/// A git command's trimmed output; `None` when git is missing or the command fails.
fn git(args: &[&str]) -> Option<String> {
    let output = Command::new("git").args(args).output().ok()?;
    if !output.status.success() {
        return None;
    }
    let text = String::from_utf8(output.stdout).ok()?;
    let text = text.trim();
    // A value with a line break would end the `cargo:` line early.
    (!text.is_empty() && !text.contains('\n')).then(|| text.to_string())
}

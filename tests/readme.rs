//! The README's suite example is a valid suite and passes on the embedded mock.

use convoy::runner::{RunOptions, Verdict, build_plan, execute};

fn readme_suite() -> String {
    let readme = include_str!("../README.md");
    let start = readme.find("```yaml\n").expect("README has a yaml block") + "```yaml\n".len();
    let end = start + readme[start..].find("```").expect("the yaml block ends");
    readme[start..end].to_string()
}

/// Someone copying the README's example gets a suite that loads and passes.
#[tokio::test]
async fn readme_example_is_valid_and_passes() {
    let suite = convoy::suite::load_str("README.md", &readme_suite())
        .unwrap_or_else(|errors| panic!("README suite is invalid: {errors:?}"));
    let plan = build_plan(vec![suite], &RunOptions::default(), |_| None).unwrap();
    let outcome = execute(&plan, std::future::pending(), &mut |_, _| {})
        .await
        .unwrap();
    assert_eq!(outcome.results.len(), 1);
    let result = &outcome.results[0];
    assert_eq!(result.verdict(), Verdict::Passed, "{result:#?}");
}

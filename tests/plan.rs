//! Plan building: flags + suites → an immutable plan, with configuration errors found
//! before any request (dry-run rules, credentials, `${VAR}` form ids, filters).

use convoy::runner::{Endpoint, PlanError, RunOptions, TargetKind, build_plan};
use convoy::suite::{Suite, load_str};

const SUITE: &str = r#"
name: plan-test
form:
  id: "${PLAN_TEST_FORM_ID}"
  fields:
    - {key: email, type: string, format: email, required: true}
defaults:
  dry_run: false
conversations:
  - name: first conversation
    tags: [smoke]
    turns:
      - user: "a@b.io"
  - name: second conversation
    turns:
      - user: "c@d.io"
"#;

fn suite() -> Suite {
    load_str("plan-test.yaml", SUITE).expect("the test suite is valid")
}

/// An environment where only the listed variables are set.
fn env(vars: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
    move |name| {
        vars.iter()
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value.to_string())
    }
}

const FORM: (&str, &str) = ("PLAN_TEST_FORM_ID", "5d0c9e2a-1f4b-4c8e-9a51-3b2f7e6d8c10");
const KEY: (&str, &str) = ("WIX_API_KEY", "secret-key");

/// Against the real API, sessions are dry-run unless --submit, whatever the suite says.
#[test]
fn wix_target_is_dry_run_unless_submit() {
    let wix = RunOptions {
        target: TargetKind::Wix,
        ..RunOptions::default()
    };
    let plan = build_plan(vec![suite()], &wix, env(&[FORM, KEY])).unwrap();
    assert!(plan.conversations.iter().all(|c| c.dry_run));
    match &plan.endpoint {
        Endpoint::Url { base_url, auth } => {
            assert!(base_url.starts_with("https://www.wixapis.com/"));
            assert_eq!(
                auth.as_ref().map(|a| a.api_key.as_str()),
                Some("secret-key")
            );
        }
        other => panic!("expected the real API, got {other:?}"),
    }

    let submit = RunOptions {
        submit: true,
        ..wix
    };
    let plan = build_plan(vec![suite()], &submit, env(&[FORM, KEY])).unwrap();
    assert!(plan.conversations.iter().all(|c| !c.dry_run));
}

/// On the mock the suite's `defaults.dry_run` applies, and the embedded mock is used.
#[test]
fn mock_target_follows_the_suite_default() {
    let plan = build_plan(vec![suite()], &RunOptions::default(), env(&[FORM])).unwrap();
    assert!(plan.conversations.iter().all(|c| !c.dry_run));
    assert!(matches!(plan.endpoint, Endpoint::EmbeddedMock));
    assert_eq!(plan.forms[0].0, FORM.1);
}

/// An unset `${VAR}` form id is a suite error pointing at the id, before any request.
#[test]
fn unset_form_id_variable_is_an_error() {
    let err = build_plan(vec![suite()], &RunOptions::default(), env(&[])).unwrap_err();
    let PlanError::Suite(diagnostic) = err else {
        panic!("expected a suite diagnostic, got {err:?}");
    };
    let text = diagnostic.to_string();
    assert!(text.contains("PLAN_TEST_FORM_ID"), "{text}");
    assert!(text.contains("plan-test.yaml:4:"), "{text}");
}

/// The real API needs credentials.
#[test]
fn wix_target_needs_an_api_key() {
    let wix = RunOptions {
        target: TargetKind::Wix,
        ..RunOptions::default()
    };
    let err = build_plan(vec![suite()], &wix, env(&[FORM])).unwrap_err();
    assert!(matches!(err, PlanError::MissingApiKey));
}

/// Filters select by exact tag or by part of a name; nothing selected is an error.
#[test]
fn filters_select_by_tag_or_name() {
    let names = |filters: &[&str]| -> Result<Vec<String>, PlanError> {
        let options = RunOptions {
            filters: filters.iter().map(|f| f.to_string()).collect(),
            ..RunOptions::default()
        };
        let plan = build_plan(vec![suite()], &options, env(&[FORM]))?;
        Ok(plan
            .conversations
            .iter()
            .map(|c| c.name().to_string())
            .collect())
    };
    assert_eq!(names(&["smoke"]).unwrap(), ["first conversation"]);
    assert_eq!(names(&["SECOND"]).unwrap(), ["second conversation"]);
    assert_eq!(names(&["smoke", "second"]).unwrap().len(), 2);
    assert!(matches!(
        names(&["nothing"]),
        Err(PlanError::NothingSelected(_))
    ));
}

/// A base URL that is not http(s) is refused.
#[test]
fn base_url_must_be_http() {
    let options = RunOptions {
        base_url: Some("127.0.0.1:8080".into()),
        ..RunOptions::default()
    };
    let err = build_plan(vec![suite()], &options, env(&[FORM])).unwrap_err();
    assert!(matches!(err, PlanError::BadBaseUrl(_)));
}

//! Each extraction rule, with inputs it must read and inputs it must leave alone.

use super::{field, formatted, meetup, required, with_options};
use crate::mock::simulator::extract::{Situation, extract};
use crate::mock::simulator::fields::FieldModel;
use crate::suite::model::{Form, FormId, StringFormat};
use serde_json::{Value, json};

fn form(fields: Vec<crate::suite::model::Field>) -> Form {
    Form {
        id: FormId::Guid("00000000-0000-4000-8000-000000000000".into()),
        name: None,
        fields,
    }
}

/// Candidates (key, raw value, matched text) for `input` when every field is missing and
/// nothing was asked.
fn run(form: &Form, input: &str) -> Vec<(String, Value, String)> {
    run_with(form, input, &[], None)
}

fn run_with(
    form: &Form,
    input: &str,
    filled: &[&str],
    asked: Option<&str>,
) -> Vec<(String, Value, String)> {
    let models: Vec<FieldModel> = form.fields.iter().map(FieldModel::new).collect();
    let missing: Vec<bool> = form
        .fields
        .iter()
        .map(|f| !filled.contains(&f.key.as_str()))
        .collect();
    let overridden = vec![false; models.len()];
    let asked = asked.and_then(|k| form.fields.iter().position(|f| f.key == k));
    let situation = Situation {
        overridden: &overridden,
        missing: &missing,
        asked,
    };
    extract(&models, input, &situation)
        .into_iter()
        .map(|c| {
            (
                models[c.field].key().to_string(),
                c.value,
                input[c.span].to_string(),
            )
        })
        .collect()
}

fn values(found: &[(String, Value, String)]) -> Vec<(&str, &Value)> {
    found.iter().map(|(k, v, _)| (k.as_str(), v)).collect()
}

#[test]
fn design_example_first_turn() {
    let found = run(&meetup(), "Hi, I'm Dana, dana@example.com");
    assert_eq!(
        values(&found),
        [
            ("first_name", &json!("Dana")),
            ("email", &json!("dana@example.com"))
        ]
    );
    assert_eq!(found[0].2, "Dana");
    assert_eq!(found[1].2, "dana@example.com");
}

#[test]
fn design_example_second_turn() {
    let found = run_with(
        &meetup(),
        "VIP please, two guests, topics rust and ai",
        &["first_name", "email"],
        Some("ticket"),
    );
    assert_eq!(
        values(&found),
        [
            ("guests", &json!(2)),
            ("ticket", &json!("vip")),
            ("topics", &json!(["rust", "ai"]))
        ]
    );
    assert_eq!(found[0].2, "two");
}

#[test]
fn emails_by_format_or_by_name() {
    let declared = form(vec![formatted(
        field("contact", "Contact", "string"),
        StringFormat::Email,
    )]);
    assert_eq!(
        values(&run(&declared, "reach me at a.b@x.io please")),
        [("contact", &json!("a.b@x.io"))]
    );
    let inferred = form(vec![field("work_email", "Work e-mail", "string")]);
    assert_eq!(
        values(&run(&inferred, "a@b.co")),
        [("work_email", &json!("a@b.co"))]
    );
    assert!(run(&declared, "reach me at dana at example dot com").is_empty());
}

#[test]
fn two_email_fields_take_matches_in_order() {
    let f = form(vec![
        field("email", "Email", "string"),
        field("backup_email", "Backup email", "string"),
    ]);
    let found = run(&f, "a@x.io and b@x.io");
    assert_eq!(
        values(&found),
        [
            ("email", &json!("a@x.io")),
            ("backup_email", &json!("b@x.io"))
        ]
    );
    // With the first already filled, a single address goes to the one still missing.
    let found = run_with(&f, "b@x.io", &["email"], None);
    assert_eq!(values(&found), [("backup_email", &json!("b@x.io"))]);
}

#[test]
fn phones_dates_times_urls() {
    let f = form(vec![
        formatted(field("phone", "Phone", "string"), StringFormat::Phone),
        formatted(field("day", "Day", "string"), StringFormat::Date),
        formatted(field("at", "Arrival", "string"), StringFormat::Time),
        formatted(field("site", "Website", "string"), StringFormat::Url),
    ]);
    let found = run(
        &f,
        "Call +1 555 123 4567 on March 3, 2026 at 3pm, see https://dana.dev.",
    );
    assert_eq!(
        values(&found),
        [
            ("phone", &json!("+1 555 123 4567")),
            ("day", &json!("2026-03-03")),
            ("at", &json!("15:00")),
            ("site", &json!("https://dana.dev")),
        ]
    );
    assert!(run(&f, "call me tomorrow afternoon at home").is_empty());
}

#[test]
fn numbers_near_their_label() {
    let f = form(vec![
        field("adults", "Adults", "number"),
        field("children", "Children", "number"),
    ]);
    let found = run(&f, "2 adults and three children");
    assert_eq!(
        values(&found),
        [("adults", &json!(2)), ("children", &json!(3))]
    );
    let found = run(&f, "children: 1, adults 4");
    assert_eq!(
        values(&found),
        [("adults", &json!(4)), ("children", &json!(1))]
    );
    // Two number fields missing and no label nearby: the number is ambiguous.
    assert!(run(&f, "we are 5").is_empty());
}

#[test]
fn a_lone_number_goes_to_the_only_missing_number_field() {
    let f = meetup();
    assert_eq!(values(&run(&f, "we'll be 3")), [("guests", &json!(3))]);
    assert_eq!(values(&run(&f, "just one more")), [("guests", &json!(1))]);
    // Numbers glued to words are not numbers.
    assert!(run(&f, "I'm 3rd in line").is_empty());
}

#[test]
fn booleans_near_their_label() {
    let f = meetup();
    assert_eq!(
        values(&run(&f, "subscribe me to the newsletter")),
        [("newsletter", &json!(true))]
    );
    assert_eq!(
        values(&run(&f, "no newsletter")),
        [("newsletter", &json!(false))]
    );
    assert_eq!(
        values(&run(&f, "I don't want the newsletter")),
        [("newsletter", &json!(false))]
    );
    assert_eq!(
        values(&run(&f, "newsletter: yes")),
        [("newsletter", &json!(true))]
    );
    assert!(run(&f, "what is the newsletter about").is_empty());
    assert!(
        run(&f, "yes").is_empty(),
        "a bare yes only answers a yes/no question"
    );
}

#[test]
fn bare_yes_no_answers_the_asked_boolean() {
    let mut f = meetup();
    f.fields[5].required = true;
    let filled = ["first_name", "email", "ticket"];
    let found = run_with(&f, "No thanks", &filled, Some("newsletter"));
    assert_eq!(values(&found), [("newsletter", &json!(false))]);
    let found = run_with(&f, "sure", &filled, Some("newsletter"));
    assert_eq!(values(&found), [("newsletter", &json!(true))]);
}

#[test]
fn options_by_value_or_label_whole_words() {
    let mut ticket = with_options(field("ticket", "Ticket", "string"), &["standard", "vip"]);
    ticket.options[1].label = "VIP pass".into();
    let f = form(vec![
        ticket,
        with_options(field("topics", "Topics", "array"), &["rust", "ai", "web"]),
    ]);
    assert_eq!(
        values(&run(&f, "the vip pass")),
        [("ticket", &json!("vip"))]
    );
    assert_eq!(
        values(&run(&f, "Standard")),
        [("ticket", &json!("standard"))]
    );
    assert_eq!(
        values(&run(&f, "web and RUST")),
        [("topics", &json!(["rust", "web"]))]
    );
    assert!(run(&f, "vipstandard, trust, aim, website").is_empty());
}

#[test]
fn single_choice_takes_the_first_option_mentioned() {
    let f = form(vec![with_options(
        field("ticket", "Ticket", "string"),
        &["standard", "vip"],
    )]);
    assert_eq!(
        values(&run(&f, "vip, not standard")),
        [("ticket", &json!("vip"))]
    );
}

#[test]
fn label_phrasings_for_any_field() {
    let f = form(vec![
        field("city", "City", "string"),
        field("company_name", "Company name", "string"),
    ]);
    assert_eq!(
        values(&run(&f, "City: Lisbon")),
        [("city", &json!("Lisbon"))]
    );
    assert_eq!(
        values(&run(&f, "company name = Acme Ltd; thanks")),
        [("company_name", &json!("Acme Ltd"))]
    );
    assert_eq!(
        values(&run(&f, "my city is New York, and")),
        [("city", &json!("New York"))]
    );
    assert!(run(&f, "I love this city").is_empty());
}

#[test]
fn phrasings_keep_values_that_do_not_fit_for_validation() {
    let found = run(&meetup(), "guests: lots, email: dana at home");
    assert_eq!(
        values(&found),
        [
            ("email", &json!("dana at home")),
            ("guests", &json!("lots"))
        ]
    );
    // "ticket is ..." that names no option is not an answer at all.
    assert!(run(&meetup(), "the ticket is what I need help with").is_empty());
}

#[test]
fn names_from_introductions() {
    let f = form(vec![
        field("first_name", "First name", "string"),
        field("last_name", "Last name", "string"),
    ]);
    let found = run(&f, "my name is dana smith and I'm here");
    assert_eq!(
        values(&found),
        [
            ("first_name", &json!("Dana")),
            ("last_name", &json!("Smith"))
        ]
    );
    assert_eq!(
        values(&run(&f, "Hello, this is Dana")),
        [("first_name", &json!("Dana"))]
    );
    assert_eq!(
        values(&run(&f, "I am Dana Smith.")),
        [
            ("first_name", &json!("Dana")),
            ("last_name", &json!("Smith"))
        ]
    );
    assert!(
        run(&f, "I'm happy to help").is_empty(),
        "lower-case words after I'm are not names"
    );
    let full = form(vec![field("name", "Name", "string")]);
    assert_eq!(
        values(&run(&full, "I'm Mary Ann Lee, hi")),
        [("name", &json!("Mary Ann Lee"))]
    );
    assert_eq!(
        values(&run(&full, "my name is dana smith")),
        [("name", &json!("Dana Smith"))]
    );
}

#[test]
fn corrections_replace_filled_values() {
    let filled = ["first_name", "email"];
    let found = run_with(
        &meetup(),
        "actually my email is dana@new.com",
        &filled,
        Some("ticket"),
    );
    assert_eq!(values(&found), [("email", &json!("dana@new.com"))]);
    let found = run_with(&meetup(), "Actually I'm Dina", &filled, Some("ticket"));
    assert_eq!(values(&found), [("first_name", &json!("Dina"))]);
}

#[test]
fn bare_answers_to_the_asked_field() {
    let f = meetup();
    assert_eq!(
        values(&run_with(&f, "dana", &[], Some("first_name"))),
        [("first_name", &json!("Dana"))]
    );
    assert!(run_with(&f, "hi there", &[], Some("first_name")).is_empty());
    assert!(
        run_with(&f, "dana", &[], None).is_empty(),
        "nothing asked, nothing assumed"
    );
    let found = run_with(&f, "gold", &["first_name", "email"], Some("ticket"));
    assert_eq!(
        values(&found),
        [("ticket", &json!("gold"))],
        "kept for validation to reject"
    );
}

#[test]
fn values_in_current_values_are_not_extracted() {
    let models: Vec<FieldModel> = meetup().fields.iter().map(FieldModel::new).collect();
    let mut overridden = vec![false; models.len()];
    overridden[1] = true;
    let missing = vec![true; models.len()];
    let situation = Situation {
        overridden: &overridden,
        missing: &missing,
        asked: None,
    };
    let found = extract(&models, "I'm Dana, dana@example.com", &situation);
    assert_eq!(found.len(), 1);
    assert_eq!(models[found[0].field].key(), "first_name");
}

#[test]
fn required_flag_does_not_change_extraction() {
    let f = form(vec![required(field("nickname", "Nickname", "string"))]);
    assert_eq!(
        values(&run(&f, "nickname: Dee")),
        [("nickname", &json!("Dee"))]
    );
}

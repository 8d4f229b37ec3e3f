//! Unit tests of the parent module.

use super::*;

#[test]
fn guids() {
    assert!(is_guid("5d0c9e2a-1f4b-4c8e-9a51-3b2f7e6d8c10"));
    assert!(is_guid("5D0C9E2A-1F4B-4C8E-9A51-3B2F7E6D8C10"));
    assert!(!is_guid("5d0c9e2a-1f4b-4c8e-9a51-3b2f7e6d8c1"));
    assert!(!is_guid("5d0c9e2a1f4b-4c8e-9a51-3b2f7e6d8c10"));
    assert!(!is_guid("5d0c9e2g-1f4b-4c8e-9a51-3b2f7e6d8c10"));
    assert!(!is_guid("5d0c9e2a-1f4b-4c8e-9a51-3b2f7e6d8c10-"));
    assert!(!is_guid("{5d0c9e2a-1f4b-4c8e-9a51-3b2f7e6d8c10}"));
    assert!(!is_guid(""));
    assert!(!is_guid("5d0c9e2a-1f4b-4c8e-9a51-3b2f7e6d8c1é"));
}

#[test]
fn placeholders() {
    assert_eq!(placeholder("${WIX_FORM_ID}"), Some("WIX_FORM_ID"));
    assert_eq!(placeholder("${_x1}"), Some("_x1"));
    assert_eq!(placeholder("${1X}"), None);
    assert_eq!(placeholder("${}"), None);
    assert_eq!(placeholder("$WIX_FORM_ID"), None);
    assert_eq!(placeholder("id-${X}"), None);
    assert_eq!(placeholder("${X}-id"), None);
    assert_eq!(placeholder("${A-B}"), None);
}

#[test]
fn field_keys() {
    assert!(is_field_key("first_name"));
    assert!(is_field_key("a1"));
    assert!(is_field_key(&"a".repeat(200)));
    assert!(!is_field_key(&"a".repeat(201)));
    assert!(!is_field_key("1st"));
    assert!(!is_field_key("_x"));
    assert!(!is_field_key("first-name"));
    assert!(!is_field_key("émail"));
    assert!(!is_field_key(""));
}

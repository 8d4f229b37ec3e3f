//! The headers every request of a client carries: content type, accept and, for the real
//! API, the credentials (`Authorization` marked sensitive so no `Debug` output shows it,
//! `wix-site-id`, `wix-account-id`). Builds them once; sends nothing.

use crate::api::auth::Auth;
use crate::api::error::ConfigError;
use http::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};

pub(crate) fn default_headers(auth: Option<&Auth>) -> Result<HeaderMap, ConfigError> {
    let mut headers = HeaderMap::new();
    let json = HeaderValue::from_static("application/json");
    headers.insert(CONTENT_TYPE, json.clone());
    headers.insert(ACCEPT, json);
    let Some(auth) = auth else {
        return Ok(headers);
    };
    let mut key = header_value(&auth.api_key, "API key")?;
    // Sensitive: hidden from the Debug output of the header map.
    key.set_sensitive(true);
    headers.insert(AUTHORIZATION, key);
    if let Some(site) = &auth.site_id {
        headers.insert(
            HeaderName::from_static("wix-site-id"),
            header_value(site, "site id")?,
        );
    }
    if let Some(account) = &auth.account_id {
        let value = header_value(account, "account id")?;
        headers.insert(HeaderName::from_static("wix-account-id"), value);
    }
    Ok(headers)
}

pub(crate) fn header_value(value: &str, what: &'static str) -> Result<HeaderValue, ConfigError> {
    HeaderValue::from_str(value).map_err(|_| ConfigError::InvalidHeader { what })
}

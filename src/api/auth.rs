//! Credentials for the real API (docs/wire-format.md, "Headers and authentication"): the raw API key (or an
//! OAuth access token) for `Authorization`, and the site or account it acts on. The key is
//! never printed: `Debug` redacts it, and the client scrubs it from server text.

use crate::api::error::ConfigError;
use std::fmt;

/// Environment variable holding the API key.
pub const ENV_API_KEY: &str = "WIX_API_KEY";
/// Environment variable holding the site id (site-level calls).
pub const ENV_SITE_ID: &str = "WIX_SITE_ID";
/// Environment variable holding the account id (account-level calls).
pub const ENV_ACCOUNT_ID: &str = "WIX_ACCOUNT_ID";

/// What the client sends to authenticate: `Authorization: <api_key>` (raw, no `Bearer`),
/// plus `wix-site-id` and/or `wix-account-id` when set.
#[derive(Clone, PartialEq, Eq)]
pub struct Auth {
    pub api_key: String,
    pub site_id: Option<String>,
    pub account_id: Option<String>,
}

/// Shorter keys are refused: see [`ConfigError::KeyTooShort`]. Every secret convoy
/// redacts is at least this long, so redaction never touches ordinary words.
pub const MIN_KEY_CHARS: usize = 8;

impl Auth {
    /// Reads `WIX_API_KEY` (required), `WIX_SITE_ID` and `WIX_ACCOUNT_ID` (optional).
    pub fn from_env() -> Result<Auth, ConfigError> {
        Auth::from_lookup(|name| std::env::var(name).ok())
    }

    /// Like [`Auth::from_env`], reading variables through `lookup`. Values are trimmed (a
    /// key pasted with its newline would be an invalid header) and empty ones are unset.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Auth, ConfigError> {
        let read = |name: &str| {
            lookup(name)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let api_key = read(ENV_API_KEY).ok_or(ConfigError::MissingEnv { var: ENV_API_KEY })?;
        let len = api_key.chars().count();
        if len < MIN_KEY_CHARS {
            return Err(ConfigError::KeyTooShort {
                var: ENV_API_KEY,
                len,
                min: MIN_KEY_CHARS,
            });
        }
        Ok(Auth {
            api_key,
            site_id: read(ENV_SITE_ID),
            account_id: read(ENV_ACCOUNT_ID),
        })
    }
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Auth")
            .field(
                "api_key",
                &format_args!("<redacted, {} chars>", self.api_key.chars().count()),
            )
            .field("site_id", &self.site_id)
            .field("account_id", &self.account_id)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn lookup(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| vars.get(name).cloned()
    }

    #[test]
    fn reads_key_and_ids() {
        let auth = Auth::from_lookup(lookup(&[
            (ENV_API_KEY, " IST.secret-key\n"),
            (ENV_SITE_ID, "site-1"),
            (ENV_ACCOUNT_ID, ""),
        ]))
        .unwrap();
        assert_eq!(auth.api_key, "IST.secret-key");
        assert_eq!(auth.site_id.as_deref(), Some("site-1"));
        assert_eq!(auth.account_id, None);
    }

    #[test]
    fn missing_or_blank_key_is_a_typed_error() {
        for vars in [&[][..], &[(ENV_API_KEY, "  ")][..]] {
            let err = Auth::from_lookup(lookup(vars)).unwrap_err();
            assert_eq!(err, ConfigError::MissingEnv { var: ENV_API_KEY });
            assert!(err.to_string().contains("WIX_API_KEY"));
        }
    }

    /// A one-letter key would be "redacted" inside ordinary words of every message
    /// (`loo<redacted>up`); it is refused with a message that does not show it.
    #[test]
    fn keys_shorter_than_eight_characters_are_refused() {
        let err = Auth::from_lookup(lookup(&[(ENV_API_KEY, "o")])).expect_err("too short");
        assert_eq!(
            err,
            ConfigError::KeyTooShort {
                var: ENV_API_KEY,
                len: 1,
                min: MIN_KEY_CHARS
            }
        );
        assert!(err.to_string().contains("shorter than 8 characters"));
        assert!(Auth::from_lookup(lookup(&[(ENV_API_KEY, "1234567")])).is_err());
        assert!(Auth::from_lookup(lookup(&[(ENV_API_KEY, "12345678")])).is_ok());
    }

    #[test]
    fn debug_redacts_the_key() {
        let auth = Auth {
            api_key: "IST.very-secret".into(),
            site_id: Some("site-1".into()),
            account_id: None,
        };
        let shown = format!("{auth:?}");
        assert!(!shown.contains("very-secret"), "{shown}");
        assert!(
            shown.contains("site-1") && shown.contains("redacted"),
            "{shown}"
        );
    }
}

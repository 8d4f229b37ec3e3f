//! Fault profiles: which faults the mock injects, where and how often, read from YAML
//! (`--faults FILE.yaml`, or one rule per `--fault '{kind: ..., ...}'` flag).
//!
//! Owns the profile's model, parsing and validation, with `file:line:col` diagnostics.
//! It must not decide whether a given request is faulted (`inject` does) nor build any
//! response (`respond` does). Parsing never panics, whatever the bytes (a property test
//! in `tests/faults_profile.rs` holds it to that).

use crate::common::duration::parse_duration;
use crate::mock::select::EndpointSelector;
use crate::suite::Diagnostic;
use crate::suite::node::Pos;
use serde::{Deserialize, Deserializer};
use serde_saphyr::{Budget, Location, Options, Spanned};
use std::time::Duration;

/// What goes wrong. Names (`http_429`, `reset`, ...) are those of the YAML and the stats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultKind {
    /// 429 with `Retry-After` and a Wix error body; the request is not processed.
    #[serde(rename = "http_429")]
    Http429,
    /// 500 with a Wix error body; the request is not processed.
    #[serde(rename = "http_500")]
    Http500,
    /// 503 with an empty body; the request is not processed.
    #[serde(rename = "http_503")]
    Http503,
    /// 504 with a Wix error body after `delay`; the request is not processed.
    #[serde(rename = "http_504")]
    Http504,
    /// The connection is closed without any response; the request is not processed.
    Reset,
    /// The response is processed, then the body is cut halfway while `Content-Length`
    /// announces all of it, and the connection closes.
    Truncated,
    /// A `200` whose body is not JSON.
    MalformedJson,
    /// Streamed endpoints only: the stream stops (connection closed) before END_OF_RESPONSE.
    StreamCut,
    /// Streamed endpoints only: END_OF_RESPONSE says `success: false`.
    EndFailure,
    /// An ERROR chunk is added at the end of an otherwise normal answer.
    ErrorChunk,
    /// The whole body is dribbled out in small pieces over `duration`.
    Trickle,
    /// Every response due between `at` and `at + duration` (from server start) is held
    /// until the window ends, as if the server froze.
    Stall,
    /// Send-user-message only: the simulator's extraction of `field` is dropped from the
    /// answer and not stored, as if the assistant missed it (it can be asked again).
    DropField,
}

impl FaultKind {
    pub const ALL: [FaultKind; 13] = [
        FaultKind::Http429,
        FaultKind::Http500,
        FaultKind::Http503,
        FaultKind::Http504,
        FaultKind::Reset,
        FaultKind::Truncated,
        FaultKind::MalformedJson,
        FaultKind::StreamCut,
        FaultKind::EndFailure,
        FaultKind::ErrorChunk,
        FaultKind::Trickle,
        FaultKind::Stall,
        FaultKind::DropField,
    ];

    /// The name used in profiles and in `/__convoy/stats`.
    pub fn name(self) -> &'static str {
        match self {
            FaultKind::Http429 => "http_429",
            FaultKind::Http500 => "http_500",
            FaultKind::Http503 => "http_503",
            FaultKind::Http504 => "http_504",
            FaultKind::Reset => "reset",
            FaultKind::Truncated => "truncated",
            FaultKind::MalformedJson => "malformed_json",
            FaultKind::StreamCut => "stream_cut",
            FaultKind::EndFailure => "end_failure",
            FaultKind::ErrorChunk => "error_chunk",
            FaultKind::Trickle => "trickle",
            FaultKind::Stall => "stall",
            FaultKind::DropField => "drop_field",
        }
    }

    /// Faults that only make sense in a streamed body; on a unary endpoint they never fire.
    pub fn streamed_only(self) -> bool {
        matches!(self, FaultKind::StreamCut | FaultKind::EndFailure)
    }

    /// Faults about extraction from a user message; on a create they never fire.
    pub fn send_only(self) -> bool {
        self == FaultKind::DropField
    }
}

/// One request-level fault rule. It fires on a request to a matching endpoint when every
/// given condition holds: the request's 1-based number on that endpoint is in `requests`,
/// the time since server start is in `[from, until)`, and a seeded draw is below `rate`.
#[derive(Debug, Clone, PartialEq)]
pub struct FaultRule {
    pub kind: FaultKind,
    pub endpoint: EndpointSelector,
    /// Probability in `[0, 1]`; 1 when not given.
    pub rate: f64,
    /// Request numbers (1-based, per endpoint) that fault; any when empty.
    pub requests: Vec<u64>,
    pub from: Option<Duration>,
    pub until: Option<Duration>,
    /// `http_429`: the `Retry-After` sent (whole seconds, rounded up; default 1s).
    pub retry_after: Duration,
    /// `http_504`: how long the gateway "waited" before answering (default 1s).
    pub delay: Duration,
    /// `trickle`: how long the body takes to dribble out (default 1s).
    pub duration: Duration,
    /// `drop_field`: the field key whose extraction is dropped.
    pub field: Option<String>,
}

/// A window during which the server holds every response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stall {
    /// From server start.
    pub at: Duration,
    pub duration: Duration,
}

impl std::str::FromStr for Stall {
    type Err = String;

    /// `--stall 2s@10s`: hold for 2 s from t = 10 s.
    fn from_str(text: &str) -> Result<Stall, String> {
        let (duration, at) = text
            .split_once('@')
            .ok_or_else(|| format!("`{text}`: write DURATION@START, e.g. 2s@10s"))?;
        let parse = |s: &str| parse_duration(s).map_err(|e| format!("{e} in `{text}`"));
        Ok(Stall {
            at: parse(at)?,
            duration: parse(duration)?,
        })
    }
}

/// A whole profile. The default injects nothing.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FaultProfile {
    /// The profile's seed; `--seed` overrides it.
    pub seed: Option<u64>,
    /// In order: the first rule that fires on a request wins.
    pub rules: Vec<FaultRule>,
    pub stalls: Vec<Stall>,
}

impl FaultProfile {
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty() && self.stalls.is_empty()
    }

    /// Adds one rule given as a YAML flow mapping (`--fault '{kind: reset, rate: 0.1}'`).
    pub fn push_flag(&mut self, text: &str) -> Result<(), Diagnostic> {
        let raw: Spanned<RawRule> = from_yaml("--fault", text)?;
        self.push(raw, "--fault", text)
    }

    fn push(&mut self, raw: Spanned<RawRule>, file: &str, source: &str) -> Result<(), Diagnostic> {
        let at = pos(&raw.referenced);
        let fail = |title: String, help: &str| Diagnostic::at(file, source, at, title, help);
        let r = raw.value;
        if r.kind == FaultKind::Stall {
            let (Some(at), Some(duration)) = (r.at, r.duration) else {
                return Err(fail(
                    "a stall needs `at` and `duration`".into(),
                    "e.g. {kind: stall, at: 10s, duration: 2s}",
                ));
            };
            self.stalls.push(Stall { at, duration });
            return Ok(());
        }
        if r.at.is_some() {
            return Err(fail(
                "`at` is only for stalls".into(),
                "use `from`/`until` for a time window, or `requests: [N]`",
            ));
        }
        let rate = r.rate.unwrap_or(1.0);
        if !(0.0..=1.0).contains(&rate) {
            return Err(fail(
                format!("rate {rate} is not between 0 and 1"),
                "write a probability, e.g. rate: 0.05",
            ));
        }
        if (r.kind == FaultKind::DropField) != r.field.is_some() {
            return Err(fail(
                "`drop_field` needs `field`, and only `drop_field` takes one".into(),
                "e.g. {kind: drop_field, field: email, rate: 0.3}",
            ));
        }
        if r.requests.contains(&0) {
            return Err(fail(
                "request numbers start at 1".into(),
                "requests: [1] faults the first request",
            ));
        }
        self.rules.push(FaultRule {
            kind: r.kind,
            endpoint: r.endpoint.unwrap_or(EndpointSelector::All),
            rate,
            requests: r.requests,
            from: r.from,
            until: r.until,
            retry_after: r.retry_after.unwrap_or(Duration::from_secs(1)),
            delay: r.delay.unwrap_or(Duration::from_secs(1)),
            duration: r.duration.unwrap_or(Duration::from_secs(1)),
            field: r.field,
        });
        Ok(())
    }
}

/// Parses a profile file's text; `file` only labels diagnostics.
pub fn parse_profile(file: &str, source: &str) -> Result<FaultProfile, Diagnostic> {
    let raw: RawProfile = from_yaml(file, source)?;
    let mut profile = FaultProfile {
        seed: raw.seed,
        ..FaultProfile::default()
    };
    for rule in raw.faults {
        profile.push(rule, file, source)?;
    }
    Ok(profile)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProfile {
    seed: Option<u64>,
    #[serde(default)]
    faults: Vec<Spanned<RawRule>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    kind: FaultKind,
    endpoint: Option<EndpointSelector>,
    rate: Option<f64>,
    #[serde(default)]
    requests: Vec<u64>,
    #[serde(default, deserialize_with = "duration")]
    from: Option<Duration>,
    #[serde(default, deserialize_with = "duration")]
    until: Option<Duration>,
    #[serde(default, deserialize_with = "duration")]
    at: Option<Duration>,
    #[serde(default, deserialize_with = "duration")]
    duration: Option<Duration>,
    #[serde(default, deserialize_with = "duration")]
    retry_after: Option<Duration>,
    #[serde(default, deserialize_with = "duration")]
    delay: Option<Duration>,
    field: Option<String>,
}

fn duration<'de, D: Deserializer<'de>>(de: D) -> Result<Option<Duration>, D::Error> {
    let text = String::deserialize(de)?;
    parse_duration(&text)
        .map(Some)
        .map_err(|e| serde::de::Error::custom(format!("{e} (write e.g. 500ms, 2s)")))
}

fn from_yaml<T: for<'de> Deserialize<'de>>(file: &str, source: &str) -> Result<T, Diagnostic> {
    // A profile is a handful of lines: tight budgets keep hostile input cheap.
    let mut budget = Budget::default();
    budget.max_depth = 16;
    budget.max_nodes = 10_000;
    budget.max_events = 50_000;
    budget.max_aliases = 100;
    budget.max_anchors = 100;
    budget.max_documents = 1;
    let mut options = Options::default();
    options.budget = Some(budget);
    options.strict_booleans = true;
    options.with_snippet = false;
    serde_saphyr::from_str_with_options::<T>(source, options).map_err(|err| {
        let at = err.location().map(|l| pos(&l)).unwrap_or(Pos {
            line: 1,
            column: 1,
            len: 1,
        });
        Diagnostic::at(
            file,
            source,
            at,
            err.to_string(),
            "see docs/faults.md for the profile format",
        )
    })
}

fn pos(location: &Location) -> Pos {
    let at = Pos::from_location(location);
    Pos {
        line: at.line.max(1),
        column: at.column.max(1),
        len: 1,
    }
}

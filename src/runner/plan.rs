//! Flags + loaded suites → an immutable, validated [`Plan`], before any request is sent.
//!
//! Everything that can be wrong with a run's configuration (an unset `${VAR}` form id, a
//! missing API key, a filter that selects nothing) is found here, as a [`PlanError`].

use crate::api::client::Auth;
use crate::api::limits::ResponseLimits;
use crate::api::protocol::HttpVersions;
use crate::api::retry::RetryPolicy;
use crate::mock::{FaultProfile, Latency, StreamFormat, VaryProfile};
use crate::runner::load::{LoadModel, LoadSpec};
pub use crate::runner::planned::{PlannedConversation, Script};
use crate::suite::{Diagnostic, Suite};
use std::sync::Arc;
use std::time::Duration;

/// Where the sessions go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetKind {
    /// The embedded mock (default), or any mock-like server given by `--base-url`.
    Mock,
    /// The real API: authenticated, and dry-run unless `--submit`.
    Wix,
}

/// Run options as given on the command line, before validation.
#[derive(Debug, Clone)]
pub struct RunOptions {
    pub target: TargetKind,
    pub base_url: Option<String>,
    pub submit: bool,
    pub concurrency: usize,
    pub filters: Vec<String>,
    pub timeout: Duration,
    /// `--streamed`: every request uses the streamed endpoints, whatever the suites say.
    pub streamed: bool,
    /// How the embedded mock frames streamed responses (ignored for other endpoints).
    pub stream_format: StreamFormat,
    /// A load run (`--vus`, `--rate`, `--ramp`); `None` runs each conversation once.
    pub load: Option<LoadSpec>,
    /// The embedded mock's latency model, faults and seed (ignored for other endpoints).
    pub mock_latency: Latency,
    pub mock_faults: FaultProfile,
    pub mock_seed: u64,
    /// `--vary`: how the embedded mock varies like an LLM (off by default).
    pub mock_vary: VaryProfile,
    /// `--retries`: the client's retry policy (none by default).
    pub retries: RetryPolicy,
    /// `--max-rps`: `None` for the target's default (200/min for wix, no cap otherwise),
    /// `Some(0.0)` for no cap.
    pub max_rps: Option<f64>,
    /// `--repeat N`: run every conversation N times (overrides `repeat:` in suites).
    pub repeat: Option<u32>,
    /// `--max-response-bytes`, `--max-chunks`: how much of one response is held.
    pub limits: ResponseLimits,
    /// `--http1`, `--http2`: the HTTP versions the client may speak.
    pub http: HttpVersions,
    /// `--fail-fast`: a functional run starts no conversation after the first failed or
    /// errored one.
    pub fail_fast: bool,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            target: TargetKind::Mock,
            base_url: None,
            submit: false,
            concurrency: 8,
            filters: Vec::new(),
            timeout: Duration::from_secs(30),
            streamed: false,
            stream_format: StreamFormat::default(),
            load: None,
            mock_latency: Latency::default(),
            mock_faults: FaultProfile::default(),
            mock_seed: 0,
            mock_vary: VaryProfile::default(),
            retries: RetryPolicy::default(),
            max_rps: None,
            repeat: None,
            limits: ResponseLimits::default(),
            http: HttpVersions::default(),
            fail_fast: false,
        }
    }
}

/// Wix's documented rate limit: 200 requests per minute per app instance (API.md).
pub const WIX_DEFAULT_MAX_RPS: f64 = 200.0 / 60.0;

/// Where the client sends requests.
#[derive(Debug, Clone)]
pub enum Endpoint {
    /// Start the mock inside this process and serve the suites' forms.
    EmbeddedMock,
    Url {
        base_url: String,
        auth: Option<Auth>,
    },
}

/// A validated run: nothing in it can fail to be understood at run time.
#[derive(Debug, Clone)]
pub struct Plan {
    pub endpoint: Endpoint,
    pub target: TargetKind,
    /// Every loaded suite with its resolved form id (the embedded mock serves them all).
    pub forms: Vec<(String, crate::suite::Form)>,
    pub conversations: Vec<PlannedConversation>,
    pub concurrency: usize,
    pub timeout: Duration,
    /// How the embedded mock frames streamed responses.
    pub stream_format: StreamFormat,
    pub load: Option<LoadSpec>,
    /// The embedded mock's latency model, faults, seed and variability.
    pub mock_latency: Latency,
    pub mock_faults: FaultProfile,
    pub mock_seed: u64,
    pub mock_vary: VaryProfile,
    pub retries: RetryPolicy,
    /// The client-side rate cap in requests per second; `None` for no cap.
    pub max_rps: Option<f64>,
    /// How many whole transcripts a functional run keeps (the rest are summarized).
    pub retention: crate::runner::Retention,
    /// How much of one response the client holds before failing it as `too_large`.
    pub limits: ResponseLimits,
    /// The HTTP versions the client may speak.
    pub http: HttpVersions,
    /// `--metrics-listen`: where requests and sessions are also counted live; `None` (the
    /// default, set by the caller after [`build_plan`]) costs nothing.
    pub live: Option<Arc<crate::live::LiveMetrics>>,
    /// Who sees every exchange (`--trace`, `-vv`); set by the caller after planning.
    pub trace: Option<crate::api::trace::TraceHook>,
    /// Start no conversation after the first failed or errored one (functional runs).
    pub fail_fast: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    #[error("{0}")]
    Suite(Diagnostic),
    #[error("--target wix needs an API key: set WIX_API_KEY (and WIX_SITE_ID or WIX_ACCOUNT_ID)")]
    MissingApiKey,
    #[error("{0}")]
    Credentials(String),
    #[error("--base-url `{0}` is not an http(s) URL (example: http://127.0.0.1:8080)")]
    BadBaseUrl(String),
    #[error("--concurrency must be at least 1")]
    ZeroConcurrency,
    #[error("no conversation matches --filter {0} (it matches a tag exactly or part of a name)")]
    NothingSelected(String),
    #[error("no conversations to run: the suites declare only forms")]
    NoConversations,
    #[error("a load run needs --duration, --iterations or --ramp, so that it ends by itself")]
    UnboundedLoad,
    #[error("--{flag} must be greater than 0")]
    ZeroLoad { flag: &'static str },
    #[error(
        "--fail-fast stops a functional run at its first failure; a load run measures its failures instead (use a threshold such as --threshold 'pass_rate>=0.99')"
    )]
    FailFastUnderLoad,
}

/// Builds the plan; `env` reads environment variables (injected so tests stay hermetic).
pub fn build_plan(
    suites: Vec<Suite>,
    options: &RunOptions,
    env: impl Fn(&str) -> Option<String>,
) -> Result<Plan, PlanError> {
    if options.concurrency == 0 {
        return Err(PlanError::ZeroConcurrency);
    }
    if let Some(load) = &options.load {
        check_load(load)?;
        if options.fail_fast {
            return Err(PlanError::FailFastUnderLoad);
        }
    }
    let endpoint = endpoint(options, &env)?;
    let mut forms = Vec::new();
    let mut conversations = Vec::new();
    for suite in suites {
        plan_suite(suite, options, &env, &mut forms, &mut conversations)?;
    }
    if conversations.is_empty() {
        return Err(match options.filters.is_empty() {
            true => PlanError::NoConversations,
            false => PlanError::NothingSelected(options.filters.join(", ")),
        });
    }
    Ok(Plan {
        endpoint,
        target: options.target,
        forms,
        conversations,
        concurrency: options.concurrency,
        timeout: options.timeout,
        stream_format: options.stream_format,
        load: options.load.clone(),
        mock_latency: options.mock_latency,
        mock_faults: options.mock_faults.clone(),
        mock_seed: options.mock_seed,
        mock_vary: options.mock_vary,
        retries: options.retries,
        max_rps: match (options.max_rps, options.target) {
            (Some(rate), _) => Some(rate).filter(|r| *r > 0.0),
            (None, TargetKind::Wix) => Some(WIX_DEFAULT_MAX_RPS),
            (None, TargetKind::Mock) => None,
        },
        retention: crate::runner::Retention::default(),
        limits: options.limits,
        http: options.http,
        live: None,
        trace: None,
        fail_fast: options.fail_fast,
    })
}

/// One suite's form and the conversations and personas of it that the filters select.
fn plan_suite(
    suite: Suite,
    options: &RunOptions,
    env: &impl Fn(&str) -> Option<String>,
    forms: &mut Vec<(String, crate::suite::Form)>,
    conversations: &mut Vec<PlannedConversation>,
) -> Result<(), PlanError> {
    let form_id: Arc<str> = crate::suite::resolve_form_id(&suite.form, env)
        .map_err(PlanError::Suite)?
        .into();
    forms.push((form_id.to_string(), suite.form.clone()));
    let dry_run = match options.target {
        TargetKind::Wix => !options.submit,
        TargetKind::Mock => suite.defaults.dry_run && !options.submit,
    };
    let suite = Arc::new(suite);
    let scripted = suite.conversations.iter().enumerate().map(|(i, c)| {
        let repeat = c.repeat;
        let min_pass_rate = c.min_pass_rate;
        (Script::Turns(i), &c.name, &c.tags, repeat, min_pass_rate)
    });
    let personas = (suite.personas.iter().enumerate())
        .map(|(i, p)| (Script::Persona(i), &p.name, &p.tags, None, None));
    for (script, name, tags, repeat, min_pass_rate) in scripted.chain(personas) {
        if !selected(name, tags, &options.filters) {
            continue;
        }
        conversations.push(PlannedConversation {
            suite: Arc::clone(&suite),
            script,
            form_id: Arc::clone(&form_id),
            dry_run,
            force_streamed: options.streamed,
            repeat: (options.repeat.or(repeat))
                .or(suite.defaults.repeat)
                .unwrap_or(1)
                .max(1),
            min_pass_rate: min_pass_rate
                .or(suite.defaults.min_pass_rate)
                .unwrap_or(1.0),
        });
    }
    Ok(())
}

fn check_load(load: &LoadSpec) -> Result<(), PlanError> {
    if !load.is_bounded() {
        return Err(PlanError::UnboundedLoad);
    }
    let (flag, shape) = match &load.model {
        LoadModel::Closed { vus } => ("vus", vus),
        LoadModel::Open {
            rate, max_sessions, ..
        } => {
            if *max_sessions == 0 {
                return Err(PlanError::ZeroLoad {
                    flag: "max-sessions",
                });
            }
            ("rate", rate)
        }
    };
    if shape.max_value() <= 0.0 {
        return Err(PlanError::ZeroLoad { flag });
    }
    if load.iterations == Some(0) {
        return Err(PlanError::ZeroLoad { flag: "iterations" });
    }
    Ok(())
}

fn endpoint(
    options: &RunOptions,
    env: &impl Fn(&str) -> Option<String>,
) -> Result<Endpoint, PlanError> {
    let auth = match options.target {
        TargetKind::Wix => Some(auth_from(env)?),
        TargetKind::Mock => None,
    };
    let base_url = match (&options.base_url, options.target) {
        (Some(url), _) => url.clone(),
        (None, TargetKind::Wix) => crate::api::client::DEFAULT_BASE_URL.to_string(),
        (None, TargetKind::Mock) => return Ok(Endpoint::EmbeddedMock),
    };
    if !(base_url.starts_with("http://") || base_url.starts_with("https://")) {
        return Err(PlanError::BadBaseUrl(crate::api::endpoint::strip_userinfo(
            &base_url,
        )));
    }
    Ok(Endpoint::Url { base_url, auth })
}

fn auth_from(env: &impl Fn(&str) -> Option<String>) -> Result<Auth, PlanError> {
    Auth::from_lookup(env).map_err(|err| match err {
        crate::api::error::ConfigError::MissingEnv { .. } => PlanError::MissingApiKey,
        other => PlanError::Credentials(other.to_string()),
    })
}

/// A conversation is selected when there is no filter, or a filter equals one of its tags
/// or is part of its name (case-insensitive).
/// Whether a conversation or persona named `name` with `tags` is run under `filters`.
fn selected(name: &str, tags: &[String], filters: &[String]) -> bool {
    filters.is_empty()
        || filters.iter().any(|filter| {
            tags.iter().any(|tag| tag == filter)
                || name.to_lowercase().contains(&filter.to_lowercase())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SUITE: &str = r#"
version: 1
name: s
defaults: {streamed: true}
form:
  id: 2f0c1a5e-7b8d-4c3e-9f10-a1b2c3d4e5f6
  fields:
    - {key: name, label: Name, type: string, required: true}
conversations:
  - name: inherits
    turns:
      - user: "a"
      - user: "b"
        streamed: false
  - name: overrides
    streamed: false
    turns:
      - user: "a"
      - user: "b"
        streamed: true
"#;

    fn plan_with(force: bool) -> Plan {
        let suite = crate::suite::load_str("s.yaml", SUITE).expect("the suite loads");
        let options = RunOptions {
            streamed: force,
            ..RunOptions::default()
        };
        build_plan(vec![suite], &options, |_| None).expect("the plan builds")
    }

    /// The most specific `streamed:` wins; `--streamed` streams everything.
    #[test]
    fn streamed_resolves_from_turn_to_defaults() {
        let plan = plan_with(false);
        let (inherits, overrides) = (&plan.conversations[0], &plan.conversations[1]);
        assert!(inherits.create_streamed());
        assert!(inherits.turn_streamed(0));
        assert!(!inherits.turn_streamed(1));
        assert!(!overrides.create_streamed());
        assert!(!overrides.turn_streamed(0));
        assert!(overrides.turn_streamed(1));
        let forced = plan_with(true);
        for planned in &forced.conversations {
            assert!(planned.create_streamed());
            assert!((0..2).all(|turn| planned.turn_streamed(turn)));
        }
    }
}

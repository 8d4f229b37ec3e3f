//! `convoy mock`: serve the mock API for the forms of some suites until Ctrl-C, then
//! print the tally of injected faults. Also the latency, fault and variability flags that
//! `convoy run` shares for its embedded mock ([`MockFaultArgs`]).

use super::{default_paths, exit, load_suites};
use crate::mock::latency::parse_spec;
use crate::mock::{
    Delay, EndpointSelector, FaultProfile, Latency, MockConfig, Stall, StatsSnapshot, StreamFormat,
    VaryProfile,
};
use clap::{Args, ValueEnum};
use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, Args)]
pub struct MockArgs {
    /// Port to listen on (0 picks a free one; the address is printed).
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// Address to bind; loopback by default.
    #[arg(long, default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    pub host: IpAddr,
    /// Suite files or directories whose forms are served (default: ./suites).
    #[arg(long, value_name = "SUITES")]
    pub forms: Vec<PathBuf>,
    /// Framing of streamed responses.
    #[arg(long, value_enum, default_value_t = StreamFormatArg::Array, value_name = "FORMAT")]
    pub stream_format: StreamFormatArg,
    /// Delay before the first message of a streamed response, e.g. 200ms.
    #[arg(long, default_value = "0s", value_parser = crate::common::parse::duration, value_name = "D")]
    pub stream_ttfc: Duration,
    /// Delay between the messages of a streamed response, e.g. 50ms.
    #[arg(long, default_value = "0s", value_parser = crate::common::parse::duration, value_name = "D")]
    pub stream_gap: Duration,
    /// Answer from the transcripts `convoy record` wrote (`*.transcript.json` in DIR) when
    /// form id, turn index and input match exactly; the simulator answers the rest.
    #[arg(long, value_name = "DIR")]
    pub replay: Option<PathBuf>,
    /// With --replay: wait the recorded latency before a replayed answer.
    #[arg(long, requires = "replay")]
    pub replay_latency: bool,
    #[command(flatten)]
    pub faults: MockFaultArgs,
    /// Serve the mock's counters for Prometheus (OpenMetrics text) at http://ADDR/metrics,
    /// apart from the API, e.g. 127.0.0.1:9465 (port 0 picks a free one; the URL is
    /// printed on the line after the mock's address).
    #[arg(long, value_name = "ADDR")]
    pub metrics_listen: Option<SocketAddr>,
}

/// Latency, fault and variability flags of the mock (`convoy mock`, and `convoy run`'s
/// embedded mock).
#[derive(Debug, Clone, Default, Args)]
pub struct MockFaultArgs {
    /// Service time of an endpoint: ENDPOINT=DELAY with ENDPOINT create, send,
    /// create_streamed, send_streamed, summary or all and DELAY 50ms, 20ms..80ms or
    /// lognormal:MEDIAN,P99 (repeatable; later ones override).
    #[arg(long, value_parser = latency_flag, value_name = "ENDPOINT=DELAY")]
    pub latency: Vec<Given<(EndpointSelector, Delay)>>,
    /// Seed of latency sampling, fault and --vary draws, and with `convoy run` of the load
    /// mix, think times and Poisson arrivals (default: the fault profile's, else 0).
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
    /// Hold every response due in a window: DURATION@START from server start, e.g. 2s@10s
    /// (repeatable).
    #[arg(long, value_name = "D@T", value_parser = stall_flag)]
    pub stall: Vec<Given<Stall>>,
    /// A fault profile (YAML, see docs/faults.md).
    #[arg(long, value_name = "FILE")]
    pub faults: Option<PathBuf>,
    /// One fault rule as a YAML mapping, e.g. '{kind: http_429, endpoint: send, rate: 0.05}'
    /// (repeatable; added after the profile's rules).
    #[arg(long, value_name = "RULE")]
    pub fault: Vec<String>,
    /// Make the assistant vary like an LLM, seeded: a comma list of order, paraphrase,
    /// miss=R, reask=R, merge=R (R in [0, 1]), e.g. 'order,paraphrase,miss=0.05', or a
    /// YAML file (a path ending in .yaml/.yml or containing /) with the same keys.
    #[arg(long, value_name = "SPEC")]
    pub vary: Option<String>,
}

/// A flag's value and its text as written, which run.json records as given.
#[derive(Debug, Clone)]
pub struct Given<T> {
    pub text: String,
    pub value: T,
}

fn latency_flag(text: &str) -> Result<Given<(EndpointSelector, Delay)>, String> {
    Ok(Given {
        text: text.trim().to_string(),
        value: parse_spec(text)?,
    })
}

fn stall_flag(text: &str) -> Result<Given<Stall>, String> {
    Ok(Given {
        text: text.trim().to_string(),
        value: text.parse()?,
    })
}

/// A diagnostic as a usage message: without its own leading `error: `, which the caller
/// prints (so the user never reads `error: error:`).
fn diagnostic_text(diagnostic: impl std::fmt::Display) -> String {
    let text = diagnostic.to_string();
    text.strip_prefix("error: ").unwrap_or(&text).to_string()
}

impl MockFaultArgs {
    /// The latency model, the fault profile and the seed these flags describe.
    pub fn resolve(&self) -> Result<(Latency, FaultProfile, u64), String> {
        let mut latency = Latency::default();
        for Given {
            value: (selector, delay),
            ..
        } in &self.latency
        {
            latency.set(*selector, *delay);
        }
        let mut profile = match &self.faults {
            Some(path) => {
                let label = path.display().to_string();
                let bytes =
                    crate::suite::file::read_capped(path, crate::suite::file::MAX_SUITE_BYTES)
                        .map_err(|e| format!("cannot read the fault profile {label}: {e}"))?;
                let text = String::from_utf8(bytes)
                    .map_err(|_| format!("the fault profile {label} is not UTF-8 text"))?;
                crate::mock::faults::parse_profile(&label, &text).map_err(diagnostic_text)?
            }
            None => FaultProfile::default(),
        };
        for rule in &self.fault {
            profile.push_flag(rule).map_err(diagnostic_text)?;
        }
        profile.stalls.extend(self.stall.iter().map(|s| s.value));
        let seed = self.seed.or(profile.seed).unwrap_or(0);
        Ok((latency, profile, seed))
    }

    /// The variability profile `--vary` describes (off when not given).
    pub fn vary_profile(&self) -> Result<VaryProfile, String> {
        let Some(spec) = &self.vary else {
            return Ok(VaryProfile::default());
        };
        let spec = spec.trim();
        if !names_a_file(spec) {
            return VaryProfile::parse_list(spec).map_err(|e| e.to_string());
        }
        let bytes = crate::suite::file::read_capped(
            std::path::Path::new(spec),
            crate::suite::file::MAX_SUITE_BYTES,
        )
        .map_err(|e| format!("cannot read the --vary profile {spec}: {e}"))?;
        let text = String::from_utf8(bytes)
            .map_err(|_| format!("the --vary profile {spec} is not UTF-8 text"))?;
        VaryProfile::parse_yaml(spec, &text).map_err(diagnostic_text)
    }

    /// Whether any flag asks for latency, faults or variability.
    pub fn is_set(&self) -> bool {
        !self.latency.is_empty()
            || !self.stall.is_empty()
            || self.faults.is_some()
            || !self.fault.is_empty()
            || self.vary.is_some()
    }
}

/// Whether a `--vary` value is a file's path rather than a comma list: it ends in `.yaml`
/// or `.yml`, or contains a path separator.
fn names_a_file(spec: &str) -> bool {
    let lower = spec.to_ascii_lowercase();
    lower.ends_with(".yaml") || lower.ends_with(".yml") || spec.contains(['/', '\\'])
}

/// `--stream-format`: how streamed responses are framed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StreamFormatArg {
    /// A JSON array streamed element by element (application/json).
    Array,
    /// One JSON message per line (application/x-ndjson).
    Ndjson,
    /// Server-sent events (text/event-stream).
    Sse,
}

impl From<StreamFormatArg> for StreamFormat {
    fn from(arg: StreamFormatArg) -> StreamFormat {
        match arg {
            StreamFormatArg::Array => StreamFormat::Array,
            StreamFormatArg::Ndjson => StreamFormat::Ndjson,
            StreamFormatArg::Sse => StreamFormat::Sse,
        }
    }
}

pub async fn mock(args: MockArgs) -> u8 {
    let forms = match served_forms(&args) {
        Ok(forms) => forms,
        Err(code) => return code,
    };
    let config = match mock_config(&args) {
        Ok(config) => config,
        Err(message) => {
            eprintln!("error: {message}");
            return exit::USAGE;
        }
    };
    let address = SocketAddr::new(args.host, args.port);
    let listener = match tokio::net::TcpListener::bind(address).await {
        Ok(listener) => listener,
        Err(err) => {
            eprintln!("error: cannot listen on {address}: {err}");
            return exit::RUN_ERROR;
        }
    };
    let bound = listener.local_addr().unwrap_or(address);
    outln!(
        "convoy mock serving {} form(s) at http://{bound}{}",
        forms.len(),
        crate::mock::API_PREFIX
    );
    if let (Some(replay), Some(dir)) = (&config.replay, &args.replay) {
        outln!(
            "replaying {} recorded answer(s) from {}",
            replay.len(),
            dir.display()
        );
    }
    if !config.vary.is_off() {
        outln!(
            "varying like an LLM (--vary {}, seed {})",
            config.vary,
            config.seed
        );
    }
    // Tests and scripts read the address from the first line: make sure it is out.
    let _ = std::io::stdout().flush();
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let mock = crate::mock::PreparedMock::new(forms, config);
    let metrics = match args.metrics_listen {
        Some(address) => match super::live_metrics::start_for_mock(address, mock.probe()).await {
            Ok(server) => Some(server),
            Err(message) => {
                eprintln!("error: {message}");
                return exit::RUN_ERROR;
            }
        },
        None => None,
    };
    let served = mock.serve(listener, shutdown).await;
    if let Some(server) = metrics {
        server.stop().await;
    }
    match served {
        Ok(stats) => {
            out!("{}", fault_tally(&stats));
            exit::PASSED
        }
        Err(err) => {
            eprintln!("error: the mock stopped: {err}");
            exit::RUN_ERROR
        }
    }
}

/// The `(form id, form)` pairs of `--forms`; the exit code when a suite or an id is bad
/// (already reported).
fn served_forms(args: &MockArgs) -> Result<Vec<(String, crate::suite::Form)>, u8> {
    let Some(suites) = load_suites(&default_paths(&args.forms)) else {
        return Err(exit::USAGE);
    };
    let mut forms = Vec::new();
    for suite in &suites {
        match crate::suite::resolve_form_id(&suite.form, |name| std::env::var(name).ok()) {
            Ok(id) => forms.push((id, suite.form.clone())),
            Err(diagnostic) => {
                eprintln!("{diagnostic}");
                return Err(exit::USAGE);
            }
        }
    }
    Ok(forms)
}

/// The mock's configuration from the flags; a message for a usage error.
fn mock_config(args: &MockArgs) -> Result<MockConfig, String> {
    let (latency, faults, seed) = args.faults.resolve()?;
    let vary = args.faults.vary_profile()?;
    let replay = match &args.replay {
        None => None,
        Some(dir) => {
            let mut replay = crate::mock::Replay::load_dir(dir).map_err(|e| e.to_string())?;
            replay.latency = args.replay_latency;
            Some(std::sync::Arc::new(replay))
        }
    };
    Ok(MockConfig {
        latency,
        faults,
        seed,
        vary,
        stream_format: args.stream_format.into(),
        stream_ttfc: args.stream_ttfc,
        stream_gap: args.stream_gap,
        replay,
        ..MockConfig::default()
    })
}

/// The faults injected, by kind and endpoint, as printed when `convoy mock` stops.
pub fn fault_tally(stats: &StatsSnapshot) -> String {
    use std::fmt::Write as _;
    if stats.faults.is_empty() {
        return "faults injected: none\n".to_string();
    }
    let mut out = String::from("faults injected:\n");
    for (kind, total) in &stats.faults {
        let by_endpoint: Vec<String> = stats
            .endpoints
            .iter()
            .filter_map(|(name, e)| e.faults.get(kind).map(|n| format!("{name} {n}")))
            .collect();
        let _ = writeln!(out, "  {kind:<15} {total:>6}  ({})", by_endpoint.join(", "));
    }
    out
}

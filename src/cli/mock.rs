//! `convoy mock`: serve the mock API for the forms of some suites until Ctrl-C.

use super::run::parse_duration;
use super::{default_paths, exit, load_suites};
use crate::mock::{MockConfig, StreamFormat};
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
    #[arg(long, default_value = "0s", value_parser = parse_duration, value_name = "D")]
    pub stream_ttfc: Duration,
    /// Delay between the messages of a streamed response, e.g. 50ms.
    #[arg(long, default_value = "0s", value_parser = parse_duration, value_name = "D")]
    pub stream_gap: Duration,
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
    let Some(suites) = load_suites(&default_paths(&args.forms)) else {
        return exit::USAGE;
    };
    let mut forms = Vec::new();
    for suite in &suites {
        match crate::suite::resolve_form_id(&suite.form, |name| std::env::var(name).ok()) {
            Ok(id) => forms.push((id, suite.form.clone())),
            Err(diagnostic) => {
                eprintln!("{diagnostic}");
                return exit::USAGE;
            }
        }
    }
    let address = SocketAddr::new(args.host, args.port);
    let listener = match tokio::net::TcpListener::bind(address).await {
        Ok(listener) => listener,
        Err(err) => {
            eprintln!("error: cannot listen on {address}: {err}");
            return exit::RUN_ERROR;
        }
    };
    let bound = listener.local_addr().unwrap_or(address);
    println!(
        "convoy mock serving {} form(s) at http://{bound}{}",
        forms.len(),
        crate::mock::API_PREFIX
    );
    // Tests and scripts read the address from the first line: make sure it is out.
    let _ = std::io::stdout().flush();
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let config = MockConfig {
        stream_format: args.stream_format.into(),
        stream_ttfc: args.stream_ttfc,
        stream_gap: args.stream_gap,
        ..MockConfig::default()
    };
    match crate::mock::serve(listener, forms, config, shutdown).await {
        Ok(()) => exit::PASSED,
        Err(err) => {
            eprintln!("error: the mock stopped: {err}");
            exit::RUN_ERROR
        }
    }
}

//! Stop signals: the first Ctrl-C (SIGINT) or SIGTERM asks the run to stop gracefully;
//! a second one exits at once. The library never installs handlers; the CLI does, here.

/// Exit code after a second interrupt (128 + SIGINT, as shells report it).
const HARD_STOP: i32 = 130;

/// Completes on the first SIGINT or SIGTERM, and arms the hard stop on the second.
pub async fn graceful_stop() {
    first_signal().await;
    eprintln!(
        "\nstopping: no new sessions; waiting for those in flight (Ctrl-C again to quit now)"
    );
    tokio::spawn(async {
        first_signal().await;
        eprintln!("\ninterrupted again: exiting now");
        std::process::exit(HARD_STOP);
    });
}

async fn first_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => ctrl_c_or_never().await,
        }
    }
    #[cfg(not(unix))]
    ctrl_c_or_never().await;
}

/// If the handler cannot be installed, run to completion rather than stop at once.
async fn ctrl_c_or_never() {
    if tokio::signal::ctrl_c().await.is_err() {
        std::future::pending::<()>().await;
    }
}

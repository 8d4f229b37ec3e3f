//! Functional mode: every planned conversation once, at most `concurrency` at a time,
//! results returned in plan order whatever order they finished in.

use crate::api::client::Client;
use crate::runner::outcome::ConversationResult;
use crate::runner::plan::Plan;
use crate::runner::session::run_conversation;
use futures_util::StreamExt;
use std::future::Future;

/// What a functional run produced, in plan order.
#[derive(Debug)]
pub struct FunctionalOutcome {
    pub results: Vec<ConversationResult>,
    /// True when `stop` fired before every conversation finished.
    pub interrupted: bool,
}

/// Runs every conversation of `plan`; when `stop` completes, conversations not yet
/// finished are abandoned and the ones that finished are still returned.
pub async fn run_functional(
    plan: &Plan,
    client: &Client,
    stop: impl Future<Output = ()>,
) -> FunctionalOutcome {
    let mut finished: Vec<(usize, ConversationResult)> =
        Vec::with_capacity(plan.conversations.len());
    let mut pending = futures_util::stream::iter(plan.conversations.iter().enumerate())
        .map(|(index, planned)| async move { (index, run_conversation(client, planned).await) })
        .buffer_unordered(plan.concurrency);
    tokio::pin!(stop);
    let mut interrupted = false;
    loop {
        tokio::select! {
            next = pending.next() => match next {
                Some(done) => finished.push(done),
                None => break,
            },
            () = &mut stop => {
                interrupted = true;
                break;
            }
        }
    }
    // Reports must not depend on which conversation happened to finish first.
    finished.sort_by_key(|(index, _)| *index);
    FunctionalOutcome {
        results: finished.into_iter().map(|(_, result)| result).collect(),
        interrupted,
    }
}

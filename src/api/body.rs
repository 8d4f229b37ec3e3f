//! Reading a whole response body up to a limit, for the unary calls and for describing
//! an error status: without copying when the body arrives in one piece (the usual case),
//! keeping what was read when the limit is passed.

use crate::api::transport::{Response, TransportError};
use bytes::{Bytes, BytesMut};

/// A body read up to a limit.
pub(crate) enum Body {
    Complete(Bytes),
    /// The limit was passed; holds the bytes read so far.
    TooLarge(Bytes),
}

/// Reads a body without copying when it arrives in one chunk (the usual case).
pub(crate) async fn read_body(
    mut response: Response,
    limit: usize,
) -> Result<Body, TransportError> {
    let hint = response
        .content_length()
        .map_or(0, |n| usize::try_from(n).unwrap_or(limit));
    let Some(first) = response.chunk().await? else {
        return Ok(Body::Complete(Bytes::new()));
    };
    let Some(second) = response.chunk().await? else {
        return Ok(if first.len() > limit {
            Body::TooLarge(first)
        } else {
            Body::Complete(first)
        });
    };
    let mut buffer = BytesMut::with_capacity(hint.min(limit).max(first.len() + second.len()));
    buffer.extend_from_slice(&first);
    buffer.extend_from_slice(&second);
    while buffer.len() <= limit {
        match response.chunk().await? {
            Some(chunk) => buffer.extend_from_slice(&chunk),
            None => return Ok(Body::Complete(buffer.freeze())),
        }
    }
    Ok(Body::TooLarge(buffer.freeze()))
}

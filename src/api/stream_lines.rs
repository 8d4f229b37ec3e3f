//! The line-based framings of a streamed body, NDJSON and server-sent events: complete
//! lines in, messages queued on the [`StreamDecoder`]. Apart from the array scanner so
//! that each framing reads on its own; it never touches the bytes of a partial line.

use super::{Framing, StreamDecoder, StreamError, parse_at};

impl StreamDecoder {
    /// Handles every complete line (NDJSON or SSE); returns where the partial last line
    /// starts.
    pub(super) fn scan_lines(&mut self, framing: Framing) -> Result<usize, StreamError> {
        // The buffer is moved out so line handlers may borrow `self` mutably without a copy
        // of each line; it is put back whatever happens.
        let buf = std::mem::take(&mut self.buf);
        let mut line_start = 0;
        let mut from = self.scan;
        let mut result = Ok(());
        while let Some(offset) = buf[from..].iter().position(|&b| b == b'\n') {
            let end = from + offset;
            let line = &buf[line_start..end];
            // Measured raw (spaces and `\r` included), as the line in progress is in `push`.
            result = match framing {
                _ if line.len() > self.limit => Err(self.too_large()),
                Framing::Ndjson => self.ndjson_line(line, false),
                _ => self.sse_line(line),
            };
            if result.is_err() {
                break;
            }
            line_start = end + 1;
            from = line_start;
        }
        self.scan = buf.len();
        self.buf = buf;
        result.map(|()| line_start)
    }

    pub(super) fn ndjson_line(&mut self, line: &[u8], at_end: bool) -> Result<(), StreamError> {
        let line = line.trim_ascii();
        if line.is_empty() {
            return Ok(());
        }
        let message = parse_at(&self.scrub, Framing::Ndjson, line, at_end)?;
        self.ready.push_back(message);
        Ok(())
    }

    /// One SSE line (without its `\n`): a blank line dispatches the event; comments and
    /// fields other than `data` are ignored.
    pub(super) fn sse_line(&mut self, line: &[u8]) -> Result<(), StreamError> {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() {
            return self.sse_dispatch(false);
        }
        if line.starts_with(b":") {
            return Ok(());
        }
        let (field, value) = match line.iter().position(|&b| b == b':') {
            Some(colon) => {
                let value = &line[colon + 1..];
                (&line[..colon], value.strip_prefix(b" ").unwrap_or(value))
            }
            None => (line, &b""[..]),
        };
        if field == b"data" {
            if self.sse_has_data {
                self.sse_data.push(b'\n');
            }
            self.sse_data.extend_from_slice(value);
            self.sse_has_data = true;
            // An event's data is its message: measured as it grows, line by line.
            if self.sse_data.len() > self.limit {
                return Err(self.too_large());
            }
        }
        Ok(())
    }

    pub(super) fn sse_dispatch(&mut self, at_end: bool) -> Result<(), StreamError> {
        if !std::mem::take(&mut self.sse_has_data) {
            return Ok(());
        }
        let data = std::mem::take(&mut self.sse_data);
        if data.trim_ascii().is_empty() {
            return Ok(());
        }
        let message = parse_at(&self.scrub, Framing::Sse, &data, at_end)?;
        self.ready.push_back(message);
        Ok(())
    }
}

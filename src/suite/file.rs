//! Reading the files a suite names (the suite itself, `data:` CSVs) with a size cap that
//! holds while reading, and only when they are regular files: a device such as
//! `/dev/zero` reports a length of 0 and never ends, and a FIFO blocks, so both are
//! refused by their file type (after following symlinks), never by their length.
//!
//! Reads bytes only; what they mean is for the loader and the CSV reader.

use std::fs::File;
use std::io::Read;
use std::path::Path;

/// A suite file is a few kilobytes; larger ones are refused.
pub const MAX_SUITE_BYTES: u64 = 8 * 1024 * 1024;
/// A `data:` file of the maximum row count with long rows stays well under this.
pub const MAX_DATA_BYTES: u64 = 16 * 1024 * 1024;

/// Why a file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("no such file")]
    NotFound,
    #[error("not a regular file (it is {kind})")]
    NotRegular { kind: &'static str },
    #[error("larger than {limit} bytes")]
    TooLarge { limit: u64 },
    #[error("{0}")]
    Io(std::io::Error),
}

impl From<std::io::Error> for ReadError {
    fn from(err: std::io::Error) -> Self {
        if err.kind() == std::io::ErrorKind::NotFound {
            ReadError::NotFound
        } else {
            ReadError::Io(err)
        }
    }
}

fn kind_of(file_type: std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if file_type.is_dir() {
        "a directory"
    } else if file_type.is_char_device() || file_type.is_block_device() {
        "a device"
    } else if file_type.is_fifo() {
        "a FIFO"
    } else if file_type.is_socket() {
        "a socket"
    } else {
        "not a file"
    }
}

/// The whole file, if it is a regular file (symlinks followed) of at most `limit` bytes.
pub fn read_capped(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    // Checked before opening: opening a FIFO for reading waits for a writer.
    let file_type = std::fs::metadata(path)?.file_type();
    if !file_type.is_file() {
        return Err(ReadError::NotRegular {
            kind: kind_of(file_type),
        });
    }
    let file = File::open(path)?;
    // Checked again on the handle, in case the path changed in between.
    let file_type = file.metadata()?.file_type();
    if !file_type.is_file() {
        return Err(ReadError::NotRegular {
            kind: kind_of(file_type),
        });
    }
    let mut bytes = Vec::new();
    // One byte past the limit tells "exactly at the limit" from "larger", whatever the
    // file's stated length (a file may grow while it is read).
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge { limit });
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_and_directories_are_refused_by_type() {
        let err = read_capped(Path::new("/dev/zero"), 1024).expect_err("a device");
        assert!(
            matches!(err, ReadError::NotRegular { kind: "a device" }),
            "{err}"
        );
        let err = read_capped(Path::new("/"), 1024).expect_err("a directory");
        assert!(matches!(
            err,
            ReadError::NotRegular {
                kind: "a directory"
            }
        ));
    }

    #[test]
    fn a_symlink_to_a_device_is_a_device() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let link = dir.path().join("rows.csv");
        std::os::unix::fs::symlink("/dev/zero", &link).expect("a symlink");
        let err = read_capped(&link, 1024).expect_err("a device behind a link");
        assert!(matches!(err, ReadError::NotRegular { .. }), "{err}");
    }

    #[test]
    fn the_limit_holds_to_the_byte() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let path = dir.path().join("f");
        std::fs::write(&path, [b'x'; 100]).expect("written");
        assert_eq!(read_capped(&path, 100).expect("at the limit").len(), 100);
        let err = read_capped(&path, 99).expect_err("past the limit");
        assert!(matches!(err, ReadError::TooLarge { limit: 99 }));
        let missing = read_capped(&dir.path().join("nope"), 10).expect_err("missing");
        assert!(matches!(missing, ReadError::NotFound));
    }
}

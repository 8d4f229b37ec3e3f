//! The hand-written JSON serialization of [`Chunk`] and the naming helpers shared with its
//! deserializer (`chunk_de.rs`).

use super::*;
use serde::Serializer;
use serde_json::Map;

fn details_value<T: Serialize>(details: &T) -> Result<Value, serde_json::Error> {
    serde_json::to_value(details)
}

impl Serialize for Chunk {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::Error as _;
        let details = match &self.body {
            ChunkBody::Text(d) => details_value(d),
            ChunkBody::TextData(d) => details_value(d),
            ChunkBody::MultiSelectInput(d) | ChunkBody::SingleSelectInput(d) => details_value(d),
            ChunkBody::NumberInput(d) => details_value(d),
            ChunkBody::Separator(d) => details_value(d),
            ChunkBody::Error(d) => details_value(d),
            ChunkBody::Submission(d) => details_value(d),
            ChunkBody::ImportantText(d) => details_value(d),
            ChunkBody::Debug(d) => details_value(d),
            ChunkBody::EndOfResponse(d) => details_value(d),
            ChunkBody::FileUpload(d) | ChunkBody::Signature(d) => details_value(d),
            ChunkBody::Unknown { details, .. } => Ok(details.clone()),
        }
        .map_err(S::Error::custom)?;
        let chunk_type = self.chunk_type();
        let mut object = Map::new();
        object.insert("chunkType".into(), Value::String(chunk_type.name().into()));
        let key = match chunk_type {
            ChunkType::Unknown(_) if details.is_null() => None,
            ChunkType::Unknown(name) => Some(format!("{}Details", camel_case(&name))),
            known => CHUNK_TYPES
                .iter()
                .find(|(n, _)| *n == known.name())
                .map(|(_, k)| k.to_string()),
        };
        if let Some(key) = key {
            object.insert(key, details);
        }
        if let Some(mi) = &self.meaningful_input {
            let mi = serde_json::to_value(mi).map_err(S::Error::custom)?;
            object.insert("meaningfulInput".into(), mi);
        }
        object.serialize(serializer)
    }
}

/// `SOME_NAME` → `someName`, for the details key of an unknown chunk type.
pub(super) fn camel_case(upper_snake: &str) -> String {
    let mut out = String::with_capacity(upper_snake.len());
    for (i, part) in upper_snake.split('_').filter(|p| !p.is_empty()).enumerate() {
        let lower = part.to_ascii_lowercase();
        if i == 0 {
            out.push_str(&lower);
        } else {
            let mut chars = lower.chars();
            if let Some(first) = chars.next() {
                out.push(first.to_ascii_uppercase());
                out.extend(chars);
            }
        }
    }
    out
}

/// `videoEmbedDetails` → `VIDEO_EMBED`: the chunk type name a details key implies.
pub(super) fn upper_snake(details_key: &str) -> String {
    let stem = details_key.strip_suffix("Details").unwrap_or(details_key);
    let mut out = String::with_capacity(stem.len() + 4);
    for (i, c) in stem.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_uppercase());
    }
    out
}

pub(super) fn known_body(
    chunk_type: &ChunkType,
    details: Value,
) -> Result<ChunkBody, serde_json::Error> {
    use serde_json::from_value as from;
    Ok(match chunk_type {
        ChunkType::Text => ChunkBody::Text(from(details)?),
        ChunkType::TextData => ChunkBody::TextData(from(details)?),
        ChunkType::MultiSelectInput => ChunkBody::MultiSelectInput(from(details)?),
        ChunkType::SingleSelectInput => ChunkBody::SingleSelectInput(from(details)?),
        ChunkType::NumberInput => ChunkBody::NumberInput(from(details)?),
        ChunkType::Separator => ChunkBody::Separator(from(details)?),
        ChunkType::Error => ChunkBody::Error(from(details)?),
        ChunkType::Submission => ChunkBody::Submission(from(details)?),
        ChunkType::ImportantText => ChunkBody::ImportantText(from(details)?),
        ChunkType::Debug => ChunkBody::Debug(from(details)?),
        ChunkType::EndOfResponse => ChunkBody::EndOfResponse(from(details)?),
        ChunkType::FileUpload => ChunkBody::FileUpload(from(details)?),
        ChunkType::Signature => ChunkBody::Signature(from(details)?),
        ChunkType::Unknown(name) => ChunkBody::Unknown {
            chunk_type: name.clone(),
            details,
        },
    })
}

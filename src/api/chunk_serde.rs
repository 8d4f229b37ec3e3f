//! The hand-written JSON mapping of [`Chunk`]: the details key decides the type, then
//! `chunkType`, then TEXT (the proto3 default); unknown types keep their details.

use super::*;
use serde::de::Error as _;
use serde::{Deserializer, Serializer};
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
fn camel_case(upper_snake: &str) -> String {
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

impl<'de> Deserialize<'de> for Chunk {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut object = Map::<String, Value>::deserialize(deserializer)?;
        let meaningful_input = match object.remove("meaningfulInput") {
            Some(Value::Null) | None => None,
            Some(v) => Some(serde_json::from_value(v).map_err(D::Error::custom)?),
        };
        let declared = match object.get("chunkType") {
            Some(Value::String(name)) => Some(ChunkType::from_name(name)),
            _ => None,
        };
        let found = CHUNK_TYPES
            .iter()
            .find(|(_, key)| object.get(*key).is_some_and(|v| !v.is_null()));
        let body = match (found, declared) {
            (Some((_, key)), _) => {
                let details = object.remove(*key).unwrap_or(Value::Null);
                let chunk_type = ChunkType::from_details_key(key).unwrap_or(ChunkType::Text);
                known_body(&chunk_type, details).map_err(D::Error::custom)?
            }
            (None, Some(ChunkType::Unknown(name))) => {
                let key = format!("{}Details", camel_case(&name));
                let details = match object.remove(&key) {
                    Some(details) => details,
                    // A details key that does not follow the naming rule still belongs
                    // to this chunk: keep it rather than drop what the server sent.
                    None => take_other_details(&mut object).map_or(Value::Null, |(_, v)| v),
                };
                ChunkBody::Unknown {
                    chunk_type: name,
                    details,
                }
            }
            // A known type with no details object: every details field has a default.
            (None, Some(known)) => {
                known_body(&known, Value::Object(Map::new())).map_err(D::Error::custom)?
            }
            // No type, and a details key this build does not know: a newer chunk type
            // whose name is implied by its key, not an empty TEXT.
            (None, None) => match take_other_details(&mut object) {
                Some((key, details)) => ChunkBody::Unknown {
                    chunk_type: upper_snake(&key),
                    details,
                },
                // Neither key nor type: TEXT is the proto3 default of chunkType.
                None => ChunkBody::Text(TextDetails::default()),
            },
        };
        Ok(Chunk {
            body,
            meaningful_input,
        })
    }
}

/// Removes the first non-null `...Details` entry (no known key is left when this runs).
fn take_other_details(object: &mut Map<String, Value>) -> Option<(String, Value)> {
    let key = object
        .iter()
        .find(|(k, v)| k.len() > "Details".len() && k.ends_with("Details") && !v.is_null())
        .map(|(k, _)| k.clone())?;
    let details = object.remove(&key)?;
    Some((key, details))
}

/// `videoEmbedDetails` → `VIDEO_EMBED`: the chunk type name a details key implies.
fn upper_snake(details_key: &str) -> String {
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

fn known_body(chunk_type: &ChunkType, details: Value) -> Result<ChunkBody, serde_json::Error> {
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

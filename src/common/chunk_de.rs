//! The JSON deserializer of [`Chunk`], in one pass over the object: the details key decides
//! the type (the first of [`CHUNK_TYPES`] present and not null), then `chunkType`, then
//! TEXT (the proto3 default); unknown types keep their details as JSON.
//!
//! One pass because this runs for every chunk of every response of a load run: details are
//! decoded straight into their typed struct, never through an intermediate JSON map.

use super::chunk_serde::{camel_case, known_body, upper_snake};
use super::*;
use serde::Deserializer;
use serde::de::{self, IgnoredAny, MapAccess, Visitor};
use serde_json::Map;

impl<'de> Deserialize<'de> for Chunk {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(ChunkVisitor)
    }
}

/// A key of a chunk object.
enum Key {
    /// A known details key: its index in [`CHUNK_TYPES`].
    Details(usize),
    ChunkType,
    MeaningfulInput,
    /// `...Details` that this build does not know.
    OtherDetails(String),
    Other,
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_identifier(KeyVisitor)
    }
}

struct KeyVisitor;

impl Visitor<'_> for KeyVisitor {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a chunk field name")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Key, E> {
        if let Some(index) = CHUNK_TYPES.iter().position(|(_, k)| *k == key) {
            return Ok(Key::Details(index));
        }
        Ok(match key {
            "chunkType" => Key::ChunkType,
            "meaningfulInput" => Key::MeaningfulInput,
            other if other.len() > "Details".len() && other.ends_with("Details") => {
                Key::OtherDetails(other.to_string())
            }
            _ => Key::Other,
        })
    }
}

struct ChunkVisitor;

impl<'de> Visitor<'de> for ChunkVisitor {
    type Value = Chunk;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a response chunk object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Chunk, A::Error> {
        // The known details with the lowest index in CHUNK_TYPES wins, as documented.
        let mut best: Option<(usize, ChunkBody)> = None;
        let mut declared: Option<ChunkType> = None;
        let mut meaningful_input = None;
        let mut others: Vec<(String, Value)> = Vec::new();
        while let Some(key) = map.next_key::<Key>()? {
            match key {
                Key::Details(index) if best.as_ref().is_some_and(|(b, _)| *b < index) => {
                    map.next_value::<IgnoredAny>()?;
                }
                Key::Details(index) => {
                    if let Some(body) = next_details(&mut map, index)? {
                        best = Some((index, body));
                    }
                }
                Key::ChunkType => {
                    declared = match map.next_value::<Value>()? {
                        Value::String(name) => Some(ChunkType::from_name(&name)),
                        _ => None,
                    };
                }
                Key::MeaningfulInput => meaningful_input = map.next_value()?,
                Key::OtherDetails(key) => {
                    let value: Value = map.next_value()?;
                    others.retain(|(k, _)| *k != key);
                    if !value.is_null() {
                        others.push((key, value));
                    }
                }
                Key::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let body = match (best, declared) {
            (Some((_, body)), _) => body,
            (None, Some(ChunkType::Unknown(name))) => {
                let key = format!("{}Details", camel_case(&name));
                let details = match others.iter().position(|(k, _)| *k == key) {
                    Some(at) => others.swap_remove(at).1,
                    // A details key that does not follow the naming rule still belongs
                    // to this chunk: keep it rather than drop what the server sent.
                    None => first_other(others).map_or(Value::Null, |(_, v)| v),
                };
                ChunkBody::Unknown {
                    chunk_type: name,
                    details,
                }
            }
            // A known type with no details object: every details field has a default.
            (None, Some(known)) => {
                known_body(&known, Value::Object(Map::new())).map_err(de::Error::custom)?
            }
            // No type, and a details key this build does not know: a newer chunk type
            // whose name is implied by its key, not an empty TEXT.
            (None, None) => match first_other(others) {
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

/// The unknown details entry that comes first by name (stable whatever the key order).
fn first_other(others: Vec<(String, Value)>) -> Option<(String, Value)> {
    others.into_iter().min_by(|a, b| a.0.cmp(&b.0))
}

/// Decodes the value of details key `index` of [`CHUNK_TYPES`]; `None` when it is null.
fn next_details<'de, A: MapAccess<'de>>(
    map: &mut A,
    index: usize,
) -> Result<Option<ChunkBody>, A::Error> {
    fn typed<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
        map: &mut A,
        wrap: fn(T) -> ChunkBody,
    ) -> Result<Option<ChunkBody>, A::Error> {
        Ok(map.next_value::<Option<T>>()?.map(wrap))
    }
    match index {
        0 => typed(map, ChunkBody::Text),
        1 => typed(map, ChunkBody::TextData),
        2 => typed(map, ChunkBody::MultiSelectInput),
        3 => typed(map, ChunkBody::SingleSelectInput),
        4 => typed(map, ChunkBody::NumberInput),
        5 => typed(map, ChunkBody::Separator),
        6 => typed(map, ChunkBody::Error),
        7 => typed(map, ChunkBody::Submission),
        8 => typed(map, ChunkBody::ImportantText),
        9 => typed(map, ChunkBody::Debug),
        10 => typed(map, ChunkBody::EndOfResponse),
        11 => typed(map, ChunkBody::FileUpload),
        12 => typed(map, ChunkBody::Signature),
        _ => {
            map.next_value::<IgnoredAny>()?;
            Ok(None)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunk(json: &str) -> Chunk {
        serde_json::from_str(json).expect("a chunk")
    }

    /// Index order of CHUNK_TYPES must match the typed decoders above.
    #[test]
    fn every_details_key_decodes_to_its_own_type() {
        for (index, (name, key)) in CHUNK_TYPES.iter().enumerate() {
            let decoded = chunk(&format!(r#"{{"{key}": {{}}}}"#));
            assert_eq!(decoded.chunk_type().name(), *name, "index {index}");
        }
    }

    #[test]
    fn the_first_known_details_key_wins_and_nulls_do_not_count() {
        let both = chunk(r#"{"errorDetails": {}, "textDetails": {"text": "hi"}}"#);
        assert_eq!(both.chunk_type(), ChunkType::Text);
        let null_text = chunk(r#"{"textDetails": null, "errorDetails": {}}"#);
        assert_eq!(null_text.chunk_type(), ChunkType::Error);
    }

    #[test]
    fn unknown_details_are_kept_whatever_the_key_order() {
        let a = chunk(r#"{"zedDetails": {"z": 1}, "videoEmbedDetails": {"v": 2}}"#);
        let b = chunk(r#"{"videoEmbedDetails": {"v": 2}, "zedDetails": {"z": 1}}"#);
        assert_eq!(a, b);
        assert_eq!(a.chunk_type(), ChunkType::Unknown("VIDEO_EMBED".into()));
    }

    #[test]
    fn a_malformed_known_details_is_an_error_not_a_default() {
        let err = serde_json::from_str::<Chunk>(r#"{"textDetails": {"text": 5}}"#);
        assert!(err.is_err());
        assert!(serde_json::from_str::<Chunk>(r#"["textDetails"]"#).is_err());
    }
}

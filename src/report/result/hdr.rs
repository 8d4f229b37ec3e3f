//! HDR histograms to and from the text form kept in `run.json`: V2 + deflate, then
//! base64, so that `merge`/`compare` can add histograms exactly instead of averaging
//! percentiles. Owns the encoding only.

use super::ResultError;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hdrhistogram::Histogram;
use hdrhistogram::serialization::{Deserializer, Serializer, V2DeflateSerializer};

/// Encodes `histogram` as base64 of its HDR V2 deflate serialisation.
pub fn encode_histogram(histogram: &Histogram<u64>) -> Result<String, ResultError> {
    let mut bytes = Vec::new();
    V2DeflateSerializer::new()
        .serialize(histogram, &mut bytes)
        .map_err(|e| ResultError::Histogram(format!("{e:?}")))?;
    Ok(STANDARD.encode(bytes))
}

/// Decodes what [`encode_histogram`] wrote.
pub fn decode_histogram(text: &str) -> Result<Histogram<u64>, ResultError> {
    let bytes = STANDARD
        .decode(text.trim())
        .map_err(|e| ResultError::Histogram(e.to_string()))?;
    Deserializer::new()
        .deserialize(&mut bytes.as_slice())
        .map_err(|e| ResultError::Histogram(format!("{e:?}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_a_histogram() {
        let mut h = Histogram::<u64>::new_with_bounds(1, 3_600_000_000, 3).unwrap();
        for v in [1u64, 950, 12_345, 12_346, 2_000_000] {
            h.record(v).unwrap();
        }
        let back = decode_histogram(&encode_histogram(&h).unwrap()).unwrap();
        assert_eq!(back.len(), h.len());
        assert_eq!(back.value_at_quantile(0.5), h.value_at_quantile(0.5));
        assert_eq!(back.max(), h.max());
    }

    #[test]
    fn rejects_garbage() {
        assert!(decode_histogram("not base64!").is_err());
        assert!(decode_histogram("aGVsbG8=").is_err());
    }
}

//! Histograms merged across shards give exactly the percentiles of one histogram fed
//! every sample: the property that makes per-worker recording and shard merges honest.

use convoy::metrics::{LatencyHistogram, Recorder, RequestSample, StreamSample};
use proptest::prelude::*;
use std::time::Duration;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn merged_shards_equal_one_histogram(
        samples in prop::collection::vec((1u64..120_000_000, 0usize..5), 1..400),
    ) {
        let highest = Duration::from_secs(30);
        let mut shards: Vec<LatencyHistogram> = (0..5).map(|_| LatencyHistogram::new(highest)).collect();
        let mut one = LatencyHistogram::new(highest);
        for (micros, shard) in &samples {
            shards[*shard].record(Duration::from_micros(*micros));
            one.record(Duration::from_micros(*micros));
        }
        let mut merged = LatencyHistogram::new(highest);
        for shard in &shards {
            merged.merge(shard);
        }
        prop_assert_eq!(merged.percentiles(), one.percentiles());
        prop_assert_eq!(merged.count(), samples.len() as u64);
    }

    #[test]
    fn merged_recorders_equal_one_recorder(
        samples in prop::collection::vec(
            (1u64..5_000_000, 0usize..2, 0usize..6, 0usize..3, 0usize..5),
            1..200,
        ),
    ) {
        let highest = Duration::from_secs(30);
        let mut shards: Vec<Recorder> = (0..3).map(|_| Recorder::new(6, highest)).collect();
        let mut one = Recorder::new(6, highest);
        for (micros, operation, turn_key, shard, messages) in &samples {
            // 0 messages: a unary request; else a stream whose messages end at `micros`.
            let arrivals: Vec<Duration> = (1..=*messages as u64)
                .map(|i| Duration::from_micros(micros * i / *messages as u64))
                .collect();
            let sample = RequestSample {
                operation: *operation,
                turn_key: *turn_key,
                service: Duration::from_micros(*micros),
                intended: None,
                stream: (*messages > 0).then_some(StreamSample {
                    arrivals: &arrivals,
                    end: arrivals.last().copied(),
                }),
                error: None,
                failures: 0,
                retries: 0,
                retry_time: Duration::ZERO,
                headline: true,
            };
            shards[*shard].record_request(&sample);
            shards[*shard].record_turn_stream(&sample);
            one.record_request(&sample);
            one.record_turn_stream(&sample);
        }
        let mut merged = Recorder::new(6, highest);
        for shard in &shards {
            merged.merge(shard);
        }
        for op in 0..2 {
            prop_assert_eq!(
                merged.operations[op].service.percentiles(),
                one.operations[op].service.percentiles()
            );
        }
        for key in 0..6 {
            let p = |r: &Recorder| r.turns[key].as_ref().map(|h| h.percentiles());
            prop_assert_eq!(p(&merged), p(&one));
            let s = |r: &Recorder| {
                r.turn_streams[key].as_ref().map(|s| {
                    (s.ttfc.percentiles(), s.gaps.percentiles(), s.end.percentiles(), s.chunks)
                })
            };
            prop_assert_eq!(s(&merged), s(&one));
        }
        prop_assert_eq!(&merged.counters, &one.counters);
    }
}

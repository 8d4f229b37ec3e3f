//! Recorder tests: shards merge exactly, warm-up samples stay out of the headline
//! figures, streamed samples fill the per-operation and per-turn streaming figures, and
//! open-model samples the per-turn latency from the intended start.

use super::*;
use crate::metrics::ShardedRecorder;

fn sample(operation: usize, micros: u64, error: Option<ErrorClass>) -> RequestSample<'static> {
    RequestSample {
        operation,
        turn_key: operation,
        service: Duration::from_micros(micros),
        intended: Some(Duration::from_micros(micros + 100)),
        stream: None,
        error,
        failures: 0,
        retries: 0,
        retry_time: Duration::ZERO,
        headline: true,
    }
}

#[test]
fn shards_merge_into_the_same_figures_as_one_recorder() {
    let highest = Duration::from_secs(30);
    let sharded = ShardedRecorder::new(3, 4, highest);
    let mut single = Recorder::new(4, highest);
    for i in 0..300u64 {
        let s = sample((i % 2) as usize, 100 + i * 37 % 5000, None);
        sharded.shard(i as usize).record_request(&s);
        single.record_request(&s);
    }
    let merged = sharded.take_merged(4, highest);
    for op in 0..OPERATION_COUNT {
        assert_eq!(
            merged.operations[op].service.percentiles(),
            single.operations[op].service.percentiles()
        );
    }
    assert_eq!(merged.counters, single.counters);
}

#[test]
fn warmup_samples_count_in_the_interval_only() {
    let mut recorder = Recorder::new(2, Duration::from_secs(30));
    let mut s = sample(1, 500, Some(ErrorClass::Timeout));
    s.headline = false;
    recorder.record_request(&s);
    assert_eq!(recorder.operations[1].service.count(), 0);
    assert_eq!(recorder.operations[1].errors, 0);
    assert_eq!(recorder.interval.requests, 1);
    assert_eq!(recorder.interval.errors, 1);
    assert_eq!(recorder.counters.errors.get(&ErrorClass::Timeout), Some(&1));
}

#[test]
fn taking_the_interval_resets_it() {
    let highest = Duration::from_secs(30);
    let sharded = ShardedRecorder::new(2, 2, highest);
    sharded.shard(0).record_request(&sample(0, 1000, None));
    sharded.shard(1).session_started(None);
    let interval = sharded.take_interval(highest);
    assert_eq!((interval.requests, interval.sessions_started), (1, 1));
    assert_eq!(sharded.take_interval(highest).requests, 0);
    assert_eq!(sharded.take_merged(2, highest).counters.requests, 1);
}

/// A streamed sample feeds its operation and its turn key; an errored or warm-up one
/// feeds neither, and a unary run creates no per-turn streaming histogram at all.
#[test]
fn streamed_samples_fill_operation_and_turn_figures() {
    let mut recorder = Recorder::new(3, Duration::from_secs(30));
    let record = |recorder: &mut Recorder, s: &RequestSample<'_>| {
        recorder.record_request(s);
        recorder.record_turn_stream(s);
    };
    record(&mut recorder, &sample(1, 900, None));
    assert!(recorder.turn_streams.iter().all(Option::is_none));
    let arrivals = [
        Duration::from_millis(40),
        Duration::from_millis(50),
        Duration::from_millis(65),
    ];
    let stream = crate::metrics::StreamSample {
        arrivals: &arrivals,
        end: arrivals.last().copied(),
    };
    let mut s = sample(1, 70_000, None);
    s.turn_key = 2;
    s.stream = Some(stream);
    record(&mut recorder, &s);
    let mut errored = s;
    errored.error = Some(ErrorClass::StreamIncomplete);
    record(&mut recorder, &errored);
    let mut warmup = s;
    warmup.headline = false;
    record(&mut recorder, &warmup);
    let op = &recorder.operations[1].stream;
    assert_eq!(
        (op.ttfc.count(), op.gaps.count(), op.end.count()),
        (1, 2, 1)
    );
    let turn = recorder.turn_streams[2].as_ref().expect("turn 2 streamed");
    assert_eq!(turn.chunks.chunks, 3);
    assert!(turn.ttfc.percentiles().min >= 39_900);
    assert!(recorder.turn_streams[1].is_none());
    let mut merged = Recorder::new(3, Duration::from_secs(30));
    merged.merge(&recorder);
    merged.merge(&recorder);
    let turn = merged.turn_streams[2].as_ref().expect("merged");
    assert_eq!((turn.ttfc.count(), turn.gaps.count()), (2, 4));
}

/// The sharded recorder keeps a turn key's streaming figures in one shard, whichever
/// worker recorded them, and its merge is what one recorder fed everything holds.
#[test]
fn turn_streams_live_in_their_keys_shard() {
    let highest = Duration::from_secs(30);
    let sharded = ShardedRecorder::new(3, 4, highest);
    let mut single = Recorder::new(4, highest);
    let arrivals = [Duration::from_millis(10), Duration::from_millis(12)];
    for worker in 0..6 {
        let mut s = sample(1, 20_000, None);
        s.turn_key = 1;
        s.stream = Some(crate::metrics::StreamSample {
            arrivals: &arrivals,
            end: Some(arrivals[1]),
        });
        sharded.shard(worker).record_request(&s);
        sharded.record_per_turn(&s);
        single.record_request(&s);
        single.record_turn_stream(&s);
    }
    let holding = (0..3)
        .filter(|i| sharded.shard(*i).turn_streams[1].is_some())
        .count();
    assert_eq!(holding, 1);
    let merged = sharded.take_merged(4, highest);
    let chunks = |r: &Recorder| r.turn_streams[1].as_ref().map(|s| s.chunks);
    assert_eq!(chunks(&merged), chunks(&single));
    assert_eq!(merged.operations[1].stream.chunks.responses, 6);
}

/// Open-model samples fill their turn key's intended-start histogram, in one shard;
/// closed-model samples (no intended start), errors and warm-up samples never do.
#[test]
fn intended_starts_are_kept_per_turn_in_their_keys_shard() {
    let highest = Duration::from_secs(30);
    let sharded = ShardedRecorder::new(3, 4, highest);
    for worker in 0..6u64 {
        let mut s = sample(1, 20_000 + worker, None);
        s.turn_key = 3;
        sharded.shard(worker as usize).record_request(&s);
        sharded.record_per_turn(&s);
    }
    let mut closed = sample(1, 5_000, None);
    closed.turn_key = 2;
    closed.intended = None;
    sharded.record_per_turn(&closed);
    let mut errored = sample(1, 5_000, Some(ErrorClass::Timeout));
    errored.turn_key = 1;
    sharded.record_per_turn(&errored);
    let mut warmup = sample(1, 5_000, None);
    warmup.turn_key = 0;
    warmup.headline = false;
    sharded.record_per_turn(&warmup);
    let holding = (0..3)
        .filter(|i| sharded.shard(*i).turn_intended[3].is_some())
        .count();
    assert_eq!(holding, 1);
    let merged = sharded.take_merged(4, highest);
    let turn = merged.turn_intended[3]
        .as_ref()
        .expect("turn 3 has intended starts");
    // `sample` puts the intended start 100 µs before the service time's start.
    assert_eq!(turn.count(), 6);
    let service = merged.turns[3].as_ref().expect("turn 3 has service times");
    assert!(turn.percentiles().min > service.percentiles().min + 50);
    assert!(merged.turn_intended[..3].iter().all(Option::is_none));
}

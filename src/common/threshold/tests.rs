//! Unit tests of the threshold parser: every metric, statistic and operator, and the
//! messages of bad expressions.

use super::*;

fn ok(text: &str) -> Threshold {
    parse(text).unwrap_or_else(|e| panic!("{text}: {}", e.render()))
}

fn bad(text: &str) -> ThresholdError {
    match parse(text) {
        Ok(t) => panic!("{text} parsed as {t:?}"),
        Err(e) => e,
    }
}

#[test]
fn parses_the_issue_examples() {
    let t = ok("create.p95<1.5s");
    assert_eq!(t.metric, Metric::Latency(Series::Create, Stat::P95));
    assert_eq!((t.op, t.limit), (Op::Lt, 1_500_000.0));
    let t = ok("send.p99<3s");
    assert_eq!(t.metric, Metric::Latency(Series::Send, Stat::P99));
    let t = ok("turn[2].p95<2s");
    assert_eq!(t.metric, Metric::Latency(Series::Turn(2), Stat::P95));
    let t = ok("pass_rate>=0.99");
    assert_eq!((t.metric, t.op, t.limit), (Metric::PassRate, Op::Ge, 0.99));
    let t = ok("error_rate<0.01");
    assert_eq!((t.metric, t.limit), (Metric::ErrorRate, 0.01));
    let t = ok("ttfc.p95<500ms");
    assert_eq!(t.metric, Metric::Latency(Series::Ttfc, Stat::P95));
    assert_eq!(t.limit, 500_000.0);
}

#[test]
fn every_statistic_operator_and_unit() {
    for (name, stat) in Stat::NAMES {
        assert_eq!(
            ok(&format!("send.{name}<1s")).metric,
            Metric::Latency(Series::Send, stat)
        );
    }
    for (text, op) in [
        ("<", Op::Lt),
        ("<=", Op::Le),
        (">", Op::Gt),
        (">=", Op::Ge),
        ("==", Op::Eq),
    ] {
        assert_eq!(ok(&format!("send.max{text}2m")).op, op);
    }
    assert_eq!(ok(" send.mean <= 2m ").limit, 120_000_000.0);
    assert_eq!(ok("send.mean<=2m").expression, "send.mean<=2m");
    assert_eq!(
        ok("turn[0].max<1s").metric,
        Metric::Latency(Series::Turn(0), Stat::Max)
    );
    assert!(Op::Le.holds(1.0, 1.0) && !Op::Lt.holds(1.0, 1.0) && Op::Eq.holds(1.0, 1.0));
    assert!(Op::Gt.holds(2.0, 1.0) && Op::Ge.holds(1.0, 1.0));
}

#[test]
fn bad_expressions_point_at_the_bad_part() {
    let e = bad("sned.p95<2s");
    assert_eq!(e.title, "unknown metric `sned`");
    assert_eq!(e.help, "did you mean `send`?");
    assert_eq!((e.start, e.len), (0, 4));
    let e = bad("pass_rat>=0.9");
    assert_eq!(e.help, "did you mean `pass_rate`?");
    let e = bad("send.p96<2s");
    assert_eq!(e.title, "unknown statistic `p96`");
    assert_eq!(e.start, 5);
    let e = bad("send.p95<2");
    assert!(e.title.contains("invalid duration"), "{}", e.title);
    assert_eq!(e.start, 9);
    assert!(bad("send.p95<2parsecs").help.contains("unit"));
    assert!(bad("pass_rate>=99").title.contains("between 0 and 1"));
    assert!(bad("pass_rate>=high").title.contains("not a number"));
    assert_eq!(bad("send.p95").title, "no comparison operator");
    assert_eq!(bad("send.p95=2s").title, "`=` is not an operator");
    assert_eq!(bad("<2s").title, "the metric is missing");
    assert!(bad("send<2s").help.contains("send.p95"));
    assert!(bad("turn[x].p95<2s").title.contains("turn number"));
    assert_eq!(bad("send.p95<").title, "the value is missing");
}

#[test]
fn renders_a_caret_under_the_bad_part() {
    let rendered = bad("send.p96<2s").render();
    assert_eq!(
        rendered,
        "invalid threshold: unknown statistic `p96`\n  | send.p96<2s\n  |      ^^^\n  = help: did you mean `p90`?"
    );
}

/// Streaming series name a turn before their statistic, whose own dot (`p99.9`) still
/// parses; a bad turn index or a missing statistic is pointed at.
#[test]
fn streaming_series_per_turn() {
    let t = ok("ttfc.turn[1].p95 < 300ms");
    assert_eq!(t.metric, Metric::Latency(Series::TtfcTurn(1), Stat::P95));
    assert_eq!(t.limit, 300_000.0);
    assert_eq!(
        ok("gap.turn[0].p99.9<50ms").metric,
        Metric::Latency(Series::GapTurn(0), Stat::P999)
    );
    assert_eq!(
        ok("gap.max<1s").metric,
        Metric::Latency(Series::Gap, Stat::Max)
    );
    let e = bad("ttfc.turn[x].p95<1s");
    assert_eq!(e.title, "`ttfc.turn[x]` needs a turn number");
    assert_eq!((e.start, e.len), (0, 12));
    assert!(e.help.contains("ttfc.turn[2].p95"), "{}", e.help);
    let e = bad("gap.turn[1].p96<1s");
    assert_eq!(e.title, "unknown statistic `p96`");
    assert_eq!(e.start, 12);
    assert!(bad("ttfc.turn[1]<1s").help.contains("add a statistic"));
    assert_eq!(bad("gapp.p95<1s").help, "did you mean `gap`?");
}

/// The load metrics: counts take whole numbers, `dropped_rate` a fraction, and the
/// intended-start series every statistic, per operation and per turn.
#[test]
fn load_metrics_and_intended_start_series() {
    let t = ok("dropped==0");
    assert_eq!((t.metric, t.op, t.limit), (Metric::Dropped, Op::Eq, 0.0));
    assert_eq!(ok("late < 10").metric, Metric::Late);
    assert_eq!(ok("late<10").limit, 10.0);
    let t = ok("dropped_rate<0.9");
    assert_eq!((t.metric, t.limit), (Metric::DroppedRate, 0.9));
    assert!(Metric::Dropped.judges_drops() && Metric::DroppedRate.judges_drops());
    assert!(!Metric::Late.judges_drops() && !Metric::ErrorRate.judges_drops());
    assert_eq!(
        ok("intended.create.p99<3s").metric,
        Metric::Latency(Series::IntendedCreate, Stat::P99)
    );
    assert_eq!(
        ok("intended.send.p99.9<3s").metric,
        Metric::Latency(Series::IntendedSend, Stat::P999)
    );
    let t = ok("intended.turn[2].p95<1.5s");
    assert_eq!(
        t.metric,
        Metric::Latency(Series::IntendedTurn(2), Stat::P95)
    );
    assert_eq!(t.limit, 1_500_000.0);
}

#[test]
fn bad_load_metrics_say_what_they_take() {
    let e = bad("dropped<1.5");
    assert_eq!(e.title, "`1.5` is not a whole number");
    assert!(e.help.contains("whole number"), "{}", e.help);
    assert_eq!(bad("late<-1").title, "`-1` is not a whole number");
    assert!(bad("dropped_rate<5").title.contains("between 0 and 1"));
    assert_eq!(bad("droped<1").help, "did you mean `dropped`?");
    assert_eq!(bad("dropped_rat<0.1").help, "did you mean `dropped_rate`?");
    let e = bad("dropped.p95<1s");
    assert_eq!(e.title, "`dropped` has no statistic");
    assert_eq!(e.help, "compare it directly, e.g. `dropped<10`");
    let e = bad("intended.creat.p95<1s");
    assert_eq!(e.help, "did you mean `intended.create`?");
    assert_eq!((e.start, e.len), (0, 14));
    assert!(bad("intended.send<1s").help.contains("intended.send.p95"));
    assert!(bad("intended.turn[x].p95<1s").title.contains("turn number"));
    assert_eq!(
        bad("intended.turn[1].p96<1s").title,
        "unknown statistic `p96`"
    );
}

/// A name nothing resembles gets the whole list of metrics, load metrics included.
#[test]
fn an_unrecognisable_metric_lists_every_metric() {
    assert_eq!(
        bad("zzzzzzzzzzzz<1").help,
        "use one of `create`, `send`, `turn[N]`, `ttfc`, `gap`, `ttfc.turn[N]`, \
`gap.turn[N]`, `intended.create`, `intended.send`, `intended.turn[N]`, `pass_rate`, \
`error_rate`, `dropped`, `late`, `dropped_rate`, `persona.success_rate` or \
`persona.turns`"
    );
}

/// The persona metrics: the overall success rate takes a fraction, turns to completion
/// every statistic and a plain number of turns (fractional for a mean).
#[test]
fn persona_metrics() {
    let t = ok("persona.success_rate>=0.95");
    assert_eq!(
        (t.metric, t.op, t.limit),
        (Metric::PersonaSuccessRate, Op::Ge, 0.95)
    );
    for (name, stat) in Stat::NAMES {
        let t = ok(&format!("persona.turns.{name}<=6"));
        assert_eq!((t.metric, t.limit), (Metric::PersonaTurns(stat), 6.0));
    }
    assert_eq!(ok(" persona.turns.mean < 3.5 ").limit, 3.5);
    assert!(Metric::PersonaTurns(Stat::P90).is_turns());
    assert!(!Metric::PersonaTurns(Stat::P90).is_latency());
    assert!(!Metric::PersonaTurns(Stat::Max).is_count());
}

#[test]
fn bad_persona_metrics_say_what_they_take() {
    let e = bad("persona.turns.p90<=6s");
    assert_eq!(e.title, "`6s` is a duration, but turns are counted");
    assert_eq!((e.start, e.len), (19, 2));
    assert!(e.help.contains("`6`, not `6s`"), "{}", e.help);
    assert_eq!(
        bad("persona.turns.max<-1").title,
        "`-1` is not a number of turns"
    );
    assert_eq!(
        bad("persona.turns.max<many").title,
        "`many` is not a number of turns"
    );
    assert!(
        bad("persona.success_rate>=95")
            .title
            .contains("between 0 and 1")
    );
    let e = bad("persona.turns.p96<6");
    assert_eq!(e.title, "unknown statistic `p96`");
    assert_eq!((e.start, e.help.as_str()), (14, "did you mean `p90`?"));
    assert!(bad("persona.turns<6").help.contains("`persona.turns.p95`"));
    assert_eq!(
        bad("persona.success_rate.p90>0.9").title,
        "`persona.success_rate` has no statistic"
    );
    assert_eq!(
        bad("persona.sucess_rate>=0.9").help,
        "did you mean `persona.success_rate`?"
    );
    let e = bad("persona.turn.p90<6");
    assert_eq!(e.help, "did you mean `persona.turns`?");
    assert_eq!((e.start, e.len), (0, 12));
}

/// What a user sees for a duration where turns are counted.
#[test]
fn renders_a_duration_given_for_turns() {
    assert_eq!(
        bad("persona.turns.p90<=6s").render(),
        "invalid threshold: `6s` is a duration, but turns are counted\n  \
| persona.turns.p90<=6s\n  |                    ^^\n  = help: turns to completion are a \
number of user messages, without a unit: `6`, not `6s`"
    );
}

#[test]
fn summary_is_a_latency_series_of_its_own() {
    let t = ok("summary.p95<500ms");
    assert_eq!(t.metric, Metric::Latency(Series::Summary, Stat::P95));
    assert_eq!((t.op, t.limit), (Op::Lt, 500_000.0));
    assert_eq!(
        ok("summary.max<=2s").metric,
        Metric::Latency(Series::Summary, Stat::Max)
    );
}

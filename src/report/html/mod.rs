//! `report.html`: one self-contained page (inline CSS, inline SVG charts, a few lines of
//! inline script; no URL to anything) that reads on a laptop and on a phone: the verdict,
//! thresholds, the suite × conversation matrix, failures with their transcripts, the
//! personas (table and transcripts with the simulator's reasons), latency
//! charts and tables, errors, pass rates, the extraction scorecard and, for streamed
//! runs, the streaming figures; last, the configuration the run was started with.
//!
//! Only reads a [`RunResult`]. The markup is written with maud's `html!`, which escapes
//! every spliced value; text from the run also goes through [`text::visible`] so control
//! characters show. No module here escapes by hand or builds tags with `format!`; the
//! only raw insertions are this module's own CSS and script constants. The sections are
//! small render functions in [`tables`], [`charts`], [`streaming`], [`failures`],
//! [`personas`] and [`config`], assembled here.

mod charts;
mod config;
mod failures;
mod form_summaries;
mod load;
mod personas;
mod regress;
mod streaming;
mod tables;
pub mod text;

use crate::report::result::RunResult;
use maud::{DOCTYPE, Markup, PreEscaped, html};
use text::visible;

/// Renders `report.html`.
pub fn report_html(r: &RunResult) -> String {
    let matrix = match &r.load {
        Some(load) => load::matrix(load),
        None => tables::matrix(r),
    };
    let charts: Vec<Markup> = [
        charts::percentile_chart(r),
        charts::latency_over_time(r),
        charts::throughput_over_time(r),
    ]
    .into_iter()
    .flatten()
    .collect();
    let charts =
        (!charts.is_empty()).then(|| html! { div.charts { @for chart in &charts { (chart) } } });
    let page = html! {
        (DOCTYPE) "\n"
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title {
                    "convoy · " (visible(&crate::report::cells::run_subject(r)))
                    " · " (visible(&r.headline()))
                }
                // safe: CSS is a constant of this module; no text from a run is in it.
                style { (PreEscaped(CSS)) }
                // safe: ERROR_HOOK is a constant of this module; no text from a run is in it.
                script { (PreEscaped(ERROR_HOOK)) }
            }
            body {
                main {
                    (tables::headline(r))
                    (section("thresholds", "Thresholds", tables::thresholds(r)))
                    (section("matrix", "Conversations", Some(matrix)))
                    (section("load", "Sessions", load::sessions(r)))
                    (section("failures", "Failures", failures::failures(r)))
                    (section("form-summaries", "Form summaries", form_summaries::form_summaries(r)))
                    (section("personas", "Personas", personas::personas(r)))
                    (section("charts", "Latency and throughput", charts))
                    (section("errors", "Errors by class", tables::errors(r)))
                    (section("pass-rates", "Pass rates", regress::pass_rates(r)))
                    (section("extraction", "Extraction scorecard", regress::scorecard(r)))
                    (section("latency", "Latency", Some(tables::latency(r))))
                    (section("streaming", "Streaming", streaming::streaming(r)))
                    (section("configuration", "Configuration", config::configuration(&r.config)))
                    footer {
                        "convoy report · schema " (r.schema_version)
                        " · run " (visible(&r.run_id))
                    }
                }
                // safe: SORT is a constant of this module; no text from a run is in it.
                script { (PreEscaped(SORT)) }
            }
        }
    };
    let mut out = page.into_string();
    out.push('\n');
    out
}

/// A `<section>` with its heading, or nothing when the run has nothing to show there.
fn section(id: &str, title: &str, content: Option<Markup>) -> Markup {
    html! {
        @if let Some(content) = content {
            section id=(id) { h2 { (title) } (content) }
        }
    }
}
/// Runs first: a script error anywhere marks the page, so the browser test can see it in
/// the DOM (the marker text is assembled at run time so this source never contains it).
const ERROR_HOOK: &str = "window.addEventListener('error',function(e){var m=document.createElement('pre');m.id='js'+'-error';m.textContent='JS'+'-ERROR-'+'SEEN '+e.message;(document.body||document.documentElement).appendChild(m);});";

/// Click a column header to sort by it (numbers by `data-v`), click again to reverse.
const SORT: &str = "document.querySelectorAll('table.sortable').forEach(function(t){t.querySelectorAll('th').forEach(function(th,i){th.addEventListener('click',function(){var b=t.tBodies[0],rows=Array.prototype.slice.call(b.rows),d=th.dataset.dir==='asc'?-1:1;th.dataset.dir=d===1?'asc':'desc';rows.sort(function(x,y){var a=x.cells[i],c=y.cells[i];var va=a.dataset.v,vc=c.dataset.v;if(va!==undefined&&vc!==undefined){return (Number(va)-Number(vc))*d;}return a.textContent.localeCompare(c.textContent)*d;});rows.forEach(function(r){b.appendChild(r);});});});});";

const CSS: &str = r#"
:root{--fg:#1f2937;--muted:#6b7280;--bg:#f8fafc;--card:#fff;--line:#e5e7eb;--pass:#15803d;--passbg:#dcfce7;--fail:#b91c1c;--failbg:#fee2e2;--err:#b45309;--errbg:#fef3c7}
*{box-sizing:border-box}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:1100px;margin:0 auto;padding:16px}
h1{margin:0;font-size:1.5rem}h2{font-size:1.15rem;margin:0 0 10px}
section{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:14px 16px;margin:14px 0}
.verdict{border-radius:10px;padding:16px 18px;color:#fff}
.verdict p{margin:6px 0 0;opacity:.9;font-size:.9rem;overflow-wrap:anywhere}
.verdict.passed{background:var(--pass)}.verdict.failed{background:var(--fail)}.verdict.errored{background:var(--err)}
.word{display:inline-block;background:rgba(255,255,255,.2);border-radius:6px;padding:0 8px;margin-right:6px}
.counts{display:grid;grid-template-columns:repeat(auto-fit,minmax(120px,1fr));gap:10px;margin-top:12px}
.tile{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:10px 12px}
.tile b{display:block;font-size:1.4rem}.tile span{color:var(--muted);font-size:.85rem}
.tile.passed b{color:var(--pass)}.tile.failed b{color:var(--fail)}.tile.errored b{color:var(--err)}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{padding:6px 8px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
table.sortable th{cursor:pointer;user-select:none;white-space:nowrap;background:#f1f5f9}
table.sortable th:hover{background:#e2e8f0}
.matrix th{width:1%;white-space:nowrap;padding-right:16px}
.chip,.badge{display:inline-block;border-radius:999px;padding:2px 10px;margin:2px 4px 2px 0;font-size:.85rem}
.passed.chip,.badge.passed{background:var(--passbg);color:var(--pass)}
.failed.chip,.badge.failed{background:var(--failbg);color:var(--fail)}
.errored.chip,.badge.errored{background:var(--errbg);color:var(--err)}
details.failure{border:1px solid var(--line);border-radius:8px;margin:10px 0;padding:8px 12px}
details.failure summary{cursor:pointer;font-weight:600}
details.failure .body{max-height:560px;overflow-y:auto}
small{color:var(--muted);font-weight:normal}
pre{margin:0;white-space:pre-wrap;overflow-wrap:anywhere;font:13px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
code{font:13px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;overflow-wrap:anywhere}
.expect,.error{margin:10px 0;padding:8px 10px;border-left:4px solid var(--fail);background:#fff7f7}
.error{border-color:var(--err);background:#fffbeb}
dl{display:grid;grid-template-columns:auto 1fr;gap:4px 10px;margin:6px 0 0}dt{color:var(--muted)}dd{margin:0}
.transcript{margin-top:10px;border-top:1px dashed var(--line);padding-top:8px}
.meta{color:var(--muted);font-size:.8rem;margin-top:6px}
.msg{margin:4px 0;padding:6px 10px;border-radius:8px;max-width:90%;overflow-wrap:anywhere;white-space:pre-wrap}
.msg.user{background:#dbeafe;margin-left:auto;width:fit-content}
.msg.user.empty{color:var(--muted);font-style:italic}
.msg.bot{background:#f1f5f9;width:fit-content}.msg.err{background:var(--errbg)}
.reason{margin:0 0 6px auto;width:fit-content;max-width:90%;color:var(--muted);font-size:.8rem;font-style:italic;overflow-wrap:anywhere;white-space:pre-wrap}
details.run{border:1px solid var(--line);border-radius:8px;margin:6px 0;padding:6px 12px}
details.run summary{cursor:pointer}details.run .body{max-height:560px;overflow-y:auto}
tfoot td{border-top:2px solid var(--line)}
.kind{font:11px ui-monospace,monospace;color:var(--muted);margin-right:6px}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,420px),1fr));gap:16px}
.charts figure:first-child{grid-column:1/-1}
.tall{max-height:480px;overflow-y:auto}
figure{margin:0}figcaption{font-weight:600;font-size:.9rem;margin-bottom:4px}
svg.chart{width:100%;height:auto;background:#fff}
svg .grid{stroke:#eef2f7}svg .tick,svg .legend{font-size:11px;fill:#475569}svg .axis{font-size:12px;fill:#64748b}
.note{color:var(--muted)}
footer{color:var(--muted);font-size:.8rem;text-align:center;margin:16px 0}
@media (max-width:600px){main{padding:8px}section{padding:10px}h1{font-size:1.2rem}th,td{padding:5px}
.counts{grid-template-columns:repeat(3,1fr);gap:6px}.tile{padding:6px 8px}.tile b{font-size:1.15rem}
.matrix th,.matrix td{display:block;border:0;padding:2px 0}.matrix tr{display:block;border-bottom:1px solid var(--line);padding:6px 0}}
"#;

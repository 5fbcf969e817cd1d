//! "Compare watermarks" under a paragraph: two WATERMARK delays (or two idle timeouts), the
//! query replayed under each over the stream's or topic's recorded records ([`crate::views::strategies`]), both results side by side
//! and a completeness / latency chart.

use leptos::prelude::*;

use super::host::ask;
use super::paragraph::ParagraphState;
use crate::views::host::protocol::{SessionReply, SessionRequest};
use crate::views::strategies::{self, Comparison, Strategy};

/// Rows of each result shown.
const SHOWN_ROWS: usize = 12;

#[component]
pub fn StrategiesPanel(p: ParagraphState) -> impl IntoView {
    let first = RwSignal::new("2".to_string());
    let second = RwSignal::new("15".to_string());
    // What the two runs vary: the WATERMARK delay, or `table.exec.source.idle-timeout`.
    let idle = RwSignal::new(false);
    let result = RwSignal::new(None::<Result<Comparison, String>>);
    let compare = move |_| {
        let idle = idle.get_untracked();
        let strategy = |text: String| -> Result<Strategy, String> {
            let t = text.trim();
            if idle && (t.is_empty() || t.eq_ignore_ascii_case("none")) {
                return Ok(Strategy::IdleTimeout(None));
            }
            match t.parse::<f64>() {
                Ok(s) if s.is_finite() && (0.0..=3600.0).contains(&s) => {
                    let ms = (s * 1000.0).round() as i64;
                    Ok(if !idle {
                        Strategy::Delay(ms)
                    } else if ms == 0 {
                        Strategy::IdleTimeout(None)
                    } else {
                        Strategy::IdleTimeout(Some(ms))
                    })
                }
                _ if idle => Err(format!("`{text}` is not an idle timeout: give seconds, from 0 to 3600, or none")),
                _ => Err(format!("`{text}` is not a delay: give seconds, from 0 to 3600")),
            }
        };
        let picked = strategy(first.get_untracked()).and_then(|a| Ok(vec![a, strategy(second.get_untracked())?]));
        match picked {
            Err(e) => result.set(Some(Err(e))),
            // Replayed by the session's side; shown when it answers.
            Ok(strategies) => ask(SessionRequest::CompareStrategies { query: p.text.get_untracked(), strategies }, move |reply| {
                if let SessionReply::Strategies(r) = reply {
                    result.try_set(Some(r));
                }
            }),
        }
    };
    let vary = move |ev| {
        let to_idle = event_target_value(&ev) == "idle";
        if to_idle != idle.get_untracked() {
            idle.set(to_idle);
            first.set(if to_idle { "none" } else { "2" }.to_string());
            second.set(if to_idle { "5" } else { "15" }.to_string());
        }
    };
    view! {
        <div class="strategies" data-testid="strategies">
            <div class="strategies-head">
                <span>"Replay this query's stream under two "</span>
                <select data-testid="strategy-kind" title="What the two runs differ in" on:change=vary>
                    <option value="delay" selected=move || !idle.get()>"watermark delays"</option>
                    <option value="idle" selected=move || idle.get()>"idle timeouts"</option>
                </select>
                <span>": "</span>
                <label><input type="text" inputmode="decimal" class="delay" data-testid="delay-a" prop:value=first
                    on:change=move |ev| first.set(event_target_value(&ev)) />" s"</label>
                <label><input type="text" inputmode="decimal" class="delay" data-testid="delay-b" prop:value=second
                    on:change=move |ev| second.set(event_target_value(&ev)) />" s"</label>
                <button class="primary small" data-testid="compare-run" on:click=compare>"Compare"</button>
            </div>
            {move || result.get().map(|r| match r {
                Err(e) => view! { <pre class="error" data-testid="strategies-error">{e}</pre> }.into_any(),
                Ok(c) => {
                    let chart = strategies::chart_svg(&c);
                    let columns = c.columns.clone();
                    view! {
                        <div class="strategies-chart" data-testid="strategies-chart" inner_html=chart></div>
                        <div class="strategies-runs">
                            {c.runs.iter().map(|run| {
                                let columns = columns.clone();
                                // `none` for a run without an idle timeout; absent for the other kind.
                                let (delay_ms, idle_ms) = match run.strategy {
                                    Strategy::Delay(ms) => (Some(ms.to_string()), None),
                                    Strategy::IdleTimeout(ms) => (None, Some(ms.map_or("none".to_string(), |ms| ms.to_string()))),
                                };
                                view! {
                                    <div class="strategy" data-testid="strategy" data-delay-ms=delay_ms data-idle-timeout-ms=idle_ms data-late=run.late.to_string()>
                                        <div class="strategy-summary">{strategies::summary(run)}</div>
                                        {run.error.clone().map(|e| view! { <pre class="error">{e}</pre> })}
                                        <table class="result-table small">
                                            <thead><tr>{columns.iter().map(|c| view! { <th>{c.clone()}</th> }).collect_view()}</tr></thead>
                                            <tbody>
                                                {run.rows.iter().rev().take(SHOWN_ROWS).map(|row| view! {
                                                    <tr>{row.iter().map(|v| view! { <td>{v.to_string()}</td> }).collect_view()}</tr>
                                                }).collect_view()}
                                            </tbody>
                                        </table>
                                    </div>
                                }
                            }).collect_view()}
                        </div>
                        <p class="hint">{format!("{} records of `{}`'s {} replayed, each at the moment it arrived; the newest rows first.", c.records, c.table, c.source)}</p>
                    }.into_any()
                }
            })}
        </div>
    }
}

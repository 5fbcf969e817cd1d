//! "Compare watermarks" under a paragraph: two WATERMARK delays, the query replayed under each
//! over the stream's recorded records ([`crate::views::strategies`]), both results side by side
//! and a completeness / latency chart.

use leptos::prelude::*;

use super::host::ask;
use super::paragraph::ParagraphState;
use crate::views::host::protocol::{SessionReply, SessionRequest};
use crate::views::strategies::{self, Comparison};

/// Rows of each result shown.
const SHOWN_ROWS: usize = 12;

#[component]
pub fn StrategiesPanel(p: ParagraphState) -> impl IntoView {
    let first = RwSignal::new("2".to_string());
    let second = RwSignal::new("15".to_string());
    let result = RwSignal::new(None::<Result<Comparison, String>>);
    let compare = move |_| {
        let delay = |text: String| -> Result<i64, String> {
            match text.trim().parse::<f64>() {
                Ok(s) if s.is_finite() && (0.0..=3600.0).contains(&s) => Ok((s * 1000.0).round() as i64),
                _ => Err(format!("`{text}` is not a delay: give seconds, from 0 to 3600")),
            }
        };
        let delays = delay(first.get_untracked()).and_then(|a| Ok(vec![a, delay(second.get_untracked())?]));
        match delays {
            Err(e) => result.set(Some(Err(e))),
            // Replayed by the session's side; shown when it answers.
            Ok(delays_ms) => ask(SessionRequest::CompareStrategies { query: p.text.get_untracked(), delays_ms }, move |reply| {
                if let SessionReply::Strategies(r) = reply {
                    result.try_set(Some(r));
                }
            }),
        }
    };
    view! {
        <div class="strategies" data-testid="strategies">
            <div class="strategies-head">
                <span>"Replay this query's stream under two watermark delays: "</span>
                <label><input type="number" min="0" step="any" class="delay" data-testid="delay-a" prop:value=first
                    on:change=move |ev| first.set(event_target_value(&ev)) />" s"</label>
                <label><input type="number" min="0" step="any" class="delay" data-testid="delay-b" prop:value=second
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
                                view! {
                                    <div class="strategy" data-testid="strategy" data-delay-ms=run.delay_ms.to_string() data-late=run.late.to_string()>
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
                        <p class="hint">{format!("{} records of `{}`'s stream replayed, each at the moment it arrived; the newest rows first.", c.records, c.table)}</p>
                    }.into_any()
                }
            })}
        </div>
    }
}

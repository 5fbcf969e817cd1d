//! The late-event ledger under a paragraph whose query dropped records as late: each record
//! with the windows it missed and by how much, and a slider for another WATERMARK delay that
//! replays the job's recorded input under it ([`crate::session::ledger`]).

use leptos::prelude::*;

use super::host::ask;
use super::paragraph::ParagraphState;
use super::RedrawTick;
use crate::views::diagnosis::duration;
use crate::views::host::protocol::{SessionReply, SessionRequest};
use crate::views::late_ledger;

/// Ledger records listed (the newest).
const SHOWN: usize = 20;

#[component]
pub fn LateLedgerPanel(p: ParagraphState) -> impl IntoView {
    let tick = use_context::<RedrawTick>();
    // Asked of the session at each redraw; shown when it answers.
    let ledger = RwSignal::new(None);
    Effect::new(move |_| {
        if let Some(RedrawTick(t)) = tick {
            t.get();
        }
        let Some(job) = p.job.get() else { return ledger.set(None) };
        ask(SessionRequest::LateLedger { job }, move |reply| {
            if let SessionReply::LateLedger(l) = reply {
                ledger.try_set(l.filter(|l| l.dropped > 0));
            }
        });
    });
    // The delay the slider asks for, and what the replay under it said.
    let delay = RwSignal::new(None::<i64>);
    let what_if = RwSignal::new(None::<Result<String, String>>);
    let replay = move |ms: i64| {
        delay.set(Some(ms));
        let Some(job) = p.job.get_untracked() else { return };
        ask(SessionRequest::WhatIfDelay { job, delay_ms: ms }, move |reply| {
            if let SessionReply::WhatIf(w) = reply {
                // A later move of the slider wins over this answer.
                if delay.get_untracked() == Some(ms) {
                    what_if.try_set(Some(w.map(|w| late_ledger::render_what_if(&w))));
                }
            }
        });
    };
    view! {
        {move || ledger.get().map(|l| {
            let current = l.delay_ms.unwrap_or(0);
            let needed = l.entries.iter().map(|e| e.late_by_ms).max().unwrap_or(0);
            // Up to the delay that would keep every listed record, and some room past it.
            let max = ((current + needed) * 3 / 2).max(current * 2).max(10_000) / 500 * 500 + 500;
            let value = delay.get_untracked().unwrap_or(current);
            let entries: Vec<String> = l.entries.iter().rev().take(SHOWN).map(late_ledger::entry_line).collect();
            let summary = format!("{} record{} dropped as late", l.dropped, if l.dropped == 1 { "" } else { "s" });
            view! {
                <details class="late-ledger" data-testid="late-ledger">
                    <summary>{summary}</summary>
                    <pre class="text-output" data-testid="late-ledger-text">{late_ledger::render(&l, 0)}</pre>
                    <label class="what-if">
                        "What if the delay were "
                        <input type="range" min="0" max=max step="500" prop:value=value data-testid="what-if-delay"
                            on:change=move |ev| {
                                if let Ok(ms) = event_target_value(&ev).parse::<i64>() {
                                    replay(ms);
                                }
                            } />
                        <span data-testid="what-if-delay-value">{move || duration(delay.get().unwrap_or(current))}</span>
                    </label>
                    {move || what_if.get().map(|r| match r {
                        Ok(text) => view! { <pre class="text-output" data-testid="what-if-text">{text}</pre> }.into_any(),
                        Err(e) => view! { <div class="error small" data-testid="what-if-text">{e}</div> }.into_any(),
                    })}
                    <ul class="late-records" data-testid="late-ledger-list">
                        {entries.into_iter().map(|e| view! { <li>{e}</li> }).collect_view()}
                    </ul>
                </details>
            }
        })}
    }
}

//! "Why is this window empty?" under a paragraph whose event-time query runs: the job's
//! diagnosis ([`crate::session::diagnosis`]) in the words `EXPLAIN JOB` uses, redrawn with the
//! page's views. Open by itself while the query has shown nothing.

use leptos::prelude::*;

use super::host::ask;
use super::paragraph::ParagraphState;
use super::{with_mirror, RedrawTick};
use crate::views::diagnosis;
use crate::views::host::protocol::{SessionReply, SessionRequest};

#[component]
pub fn WhyEmpty(p: ParagraphState) -> impl IntoView {
    let tick = use_context::<RedrawTick>();
    // (the text, whether the query has shown nothing yet), for a running event-time query:
    // asked of the session at each redraw, shown when it answers.
    let state = RwSignal::new(None::<(String, bool)>);
    Effect::new(move |_| {
        if let Some(RedrawTick(t)) = tick {
            t.get();
        }
        let Some(job) = p.job.get() else { return state.set(None) };
        ask(SessionRequest::Diagnose { job }, move |reply| {
            let SessionReply::Diagnosis(d) = reply else { return };
            let shown = d.filter(|d| d.event_time && d.status == "RUNNING").map(|d| {
                let empty = with_mirror(|m| m.job(job)).is_some_and(|j| j.records_out == 0);
                (diagnosis::render(&d), empty)
            });
            state.try_set(shown);
        });
    });
    view! {
        {move || state.get().map(|(text, empty)| view! {
            <details class="why-empty" data-testid="why-empty" prop:open=empty>
                <summary>{if empty { "Why is this window empty?" } else { "Why do windows fire when they do?" }}</summary>
                <pre class="text-output" data-testid="why-empty-text">{text}</pre>
            </details>
        })}
    }
}

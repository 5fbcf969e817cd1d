//! "Why is this window empty?" under a paragraph whose event-time query runs: the job's
//! diagnosis ([`crate::session::diagnosis`]) in the words `EXPLAIN JOB` uses, redrawn with the
//! page's views. Open by itself while the query has shown nothing.

use leptos::prelude::*;

use super::paragraph::ParagraphState;
use super::{with_session, RedrawTick};
use crate::views::diagnosis;

#[component]
pub fn WhyEmpty(p: ParagraphState) -> impl IntoView {
    let tick = use_context::<RedrawTick>();
    // (the text, whether the query has shown nothing yet), for a running event-time query.
    let state = move || {
        if let Some(RedrawTick(t)) = tick {
            t.get();
        }
        let job = p.job.get()?;
        with_session(|s| {
            let d = s.diagnose(job).filter(|d| d.event_time && d.status == "RUNNING")?;
            let empty = s.job(job).is_some_and(|j| j.records_out == 0);
            Some((diagnosis::render(&d), empty))
        })
    };
    view! {
        {move || state().map(|(text, empty)| view! {
            <details class="why-empty" data-testid="why-empty" prop:open=empty>
                <summary>{if empty { "Why is this window empty?" } else { "Why do windows fire when they do?" }}</summary>
                <pre class="text-output" data-testid="why-empty-text">{text}</pre>
            </details>
        })}
    }
}

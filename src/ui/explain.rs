//! The plan graph of a paragraph's running query: its stages, source to sink, as boxes joined
//! by arrows, each with the counts that went through it and the kinds of change it emits, redrawn with the page's views. What
//! the boxes say is plain Rust ([`crate::views::plan_graph`]); EXPLAIN gives the text form.

use leptos::prelude::*;

use super::host::ask;
use super::paragraph::ParagraphState;
use super::{now_ms, RedrawTick};
use crate::views::host::protocol::{SessionReply, SessionRequest};
use crate::views::plan_graph;

#[component]
pub fn PlanGraphView(p: ParagraphState) -> impl IntoView {
    let tick = use_context::<RedrawTick>();
    // Asked of the session at each redraw; shown when it answers.
    let stages = RwSignal::new(None);
    Effect::new(move |_| {
        if let Some(RedrawTick(t)) = tick {
            t.get();
        }
        let Some(job) = p.job.get() else { return stages.set(None) };
        ask(SessionRequest::JobStages { job }, move |reply| {
            if let SessionReply::Stages(s) = reply {
                stages.try_set(s);
            }
        });
    });
    let boxes = move || stages.with(|s: &Option<Vec<_>>| s.as_ref().map(|stages| plan_graph::boxes(stages, now_ms())));
    view! {
        {move || match boxes() {
            None => view! { <div class="kept" data-testid="plan-none">"The plan shows while the query runs: run the paragraph."</div> }.into_any(),
            Some(boxes) => {
                let last = boxes.len().saturating_sub(1);
                view! {
                    <div class="plan-graph" data-testid="plan-graph">
                        {boxes.into_iter().enumerate().map(|(i, b)| view! {
                            <div class=format!("plan-stage plan-{}", b.kind) class:late=b.dropped_late
                                data-testid="plan-stage" data-kind=b.kind data-records-in=b.records_in.to_string()>
                                <div class="plan-title">{b.title.clone()}</div>
                                {b.detail.clone().map(|d| view! { <div class="plan-detail">{d}</div> })}
                                {b.changelog.clone().map(|c| view! { <div class="plan-changelog" data-testid="plan-changelog">{c}</div> })}
                                {b.counts.iter().map(|c| view! { <div class="plan-count">{c.clone()}</div> }).collect_view()}
                            </div>
                            {(i < last).then(|| view! { <span class="plan-arrow" aria-hidden="true">"→"</span> })}
                        }).collect_view()}
                    </div>
                }.into_any()
            }
        }}
    }
}

//! "Break it": one button per way a producer goes wrong ([`crate::connectors::Scenario`]), for
//! a generator-fed stream in the Streams panel, and one to make it behave again.

use leptos::prelude::*;

use super::host::ask;
use super::with_mirror;
use crate::connectors::Scenario;
use crate::views::host::protocol::SessionRequest;

#[component]
pub fn BreakItButtons(stream: String, tick: RwSignal<u64>) -> impl IntoView {
    let stream = StoredValue::new(stream);
    let active = move || {
        tick.get();
        stream.with_value(|name| with_mirror(|m| m.stream(name)).and_then(|x| x.generator).and_then(|g| g.scenario))
    };
    let start = move |scenario: Option<Scenario>| {
        ask(SessionRequest::BreakStream { stream: stream.get_value(), scenario }, move |_| tick.update(|t| *t += 1));
    };
    view! {
        <div class="break-it" data-testid="break-it">
            <span class="break-it-title">"Break it:"</span>
            {Scenario::ALL.into_iter().map(|scenario| view! {
                <button class="ghost small" data-testid=format!("break-{}", scenario.name()) title=scenario.describe()
                    class:active=move || active().is_some_and(|a| a.scenario == scenario)
                    on:click=move |_| start(Some(scenario))>
                    {scenario.label()}
                </button>
            }).collect_view()}
            <Show when=move || active().is_some()>
                <button class="ghost small" data-testid="break-none" on:click=move |_| start(None)>"Behave"</button>
                <div class="small" data-testid="break-active">
                    {move || active().map(|a| format!("Since {}: {}", crate::types::format_timestamp(a.since_ms).replace('T', " "), a.scenario.describe()))}
                </div>
            </Show>
        </div>
    }
}

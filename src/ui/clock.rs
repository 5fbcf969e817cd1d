//! The virtual clock in the top bar: the session's time, pause and resume, the three steps
//! (one record, one second, to the next window firing) and the speed. The clock itself is
//! plain Rust ([`crate::session::clock`]); this only shows it and presses its buttons.

use leptos::prelude::*;

use super::host::{self, ask, send};
use super::{now_ms, with_mirror};
use crate::session::clock::{Speed, Step, SPEEDS};
use crate::views::address::Address;
use crate::views::host::protocol::{SessionReply, SessionRequest};

/// Sets the clock as the address asks (`?start=`, `?paused`) and sets the session to it.
pub fn start(address: &Address) {
    let start_ms = address.clock_start_ms.unwrap_or_else(super::wall_clock_ms);
    send(SessionRequest::StartClock { start_ms, paused: address.clock_paused });
}

fn speed_value(speed: Speed) -> String {
    match speed {
        Speed::Times(x) => x.to_string(),
        Speed::Fastest => "max".into(),
    }
}

/// The clock's controls. `tick` redraws the time; `on_moved` runs after a step, so results
/// show at once instead of at the next redraw.
#[component]
pub fn ClockBar(tick: RwSignal<u64>, on_moved: Callback<()>) -> impl IntoView {
    // Moves when the person changes the clock, so what it shows follows at once.
    let changed = RwSignal::new(0u64);
    // Requests sent and not yet answered (the session may be in its worker): `data-busy`.
    let pending = RwSignal::new(0u32);
    let problem = RwSignal::new(None::<String>);
    let paused = move || {
        changed.get();
        tick.get();
        with_mirror(|m| m.is_paused())
    };
    let time = move || {
        tick.get();
        changed.get();
        crate::types::format_timestamp(now_ms()).replace('T', " ")
    };
    let toggle = move |_| {
        let request = if with_mirror(|m| m.is_paused()) { SessionRequest::Resume } else { SessionRequest::Pause };
        problem.set(None);
        pending.update(|n| *n += 1);
        ask(request, move |_| {
            pending.update(|n| *n -= 1);
            changed.update(|n| *n += 1);
        });
    };
    let step = move |step: Step| {
        pending.update(|n| *n += 1);
        ask(SessionRequest::Step(step), move |reply| {
            pending.update(|n| *n -= 1);
            if let SessionReply::Stepped(result) = reply {
                problem.set(result.err());
            }
            changed.update(|n| *n += 1);
            on_moved.run(());
        });
    };
    let set_speed = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        let speed = if value == "max" { Speed::Fastest } else { Speed::Times(value.parse().unwrap_or(1.0)) };
        pending.update(|n| *n += 1);
        ask(SessionRequest::SetSpeed(speed), move |_| {
            pending.update(|n| *n -= 1);
            changed.update(|n| *n += 1);
        });
    };
    let current_speed = move || {
        changed.get();
        speed_value(with_mirror(|m| m.speed()))
    };
    let options = SPEEDS
        .iter()
        .map(|x| (x.to_string(), format!("{x}×")))
        .chain([("max".to_string(), "as fast as possible".to_string())])
        .map(|(value, label)| {
            let v = value.clone();
            view! { <option value=value selected=move || current_speed() == v>{label}</option> }
        })
        .collect_view();

    view! {
        <div class="clock" data-testid="clock" data-paused=move || paused().to_string() data-engine=if host::in_worker() { "worker" } else { "page" }
            data-busy=move || (pending.get() > 0).to_string()>
            <span class="clock-time" data-testid="clock-time" title="The session's virtual time: generators stamp records with it">{time}</span>
            <button class="ghost small" data-testid="clock-pause" title="Pause or resume the clock for generators and every running query" on:click=toggle>
                {move || if paused() { "▶ Resume" } else { "❚❚ Pause" }}
            </button>
            <button class="ghost small" data-testid="clock-step-record" title="Step to the next generated record" on:click=move |_| step(Step::Record)>"+1 record"</button>
            <button class="ghost small" data-testid="clock-step-second" title="Step one second of event time" on:click=move |_| step(Step::Second)>"+1 s"</button>
            <button class="ghost small" data-testid="clock-step-window" title="Step until a running query fires its next window" on:click=move |_| step(Step::WindowFiring)>"→ next window"</button>
            <select class="clock-speed" data-testid="clock-speed" aria-label="Clock speed" title="How fast virtual time runs" on:change=set_speed>{options}</select>
            <Show when=move || problem.with(Option::is_some)>
                <span class="clock-problem" data-testid="clock-problem">{move || problem.get().unwrap_or_default()}</span>
            </Show>
        </div>
    }
}

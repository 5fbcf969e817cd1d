//! The studio in the page (Leptos, client-side rendered). Browser-only code lives here: the
//! clock, the timer that moves the session on, storage, files, and the views. Everything they
//! show comes from [`crate::session::Session`] and [`crate::views`].

mod app;
mod break_it;
mod chart;
mod clock;
mod data_files;
mod editor;
mod embed;
mod exercise;
mod explain;
pub mod fetch_transport;
mod files;
mod late_ledger;
mod note;
mod notebook;
mod notes_panel;
mod output;
mod page_remote;
mod paragraph;
mod result;
mod sample;
mod settings;
mod share;
mod sidebar;
mod storage;
mod strategies;
mod theme;
mod timeline;
mod why_empty;

use std::cell::RefCell;

use crate::session::clock::VirtualClock;
use crate::session::Session;

thread_local! {
    /// The page's one session. The page is single-threaded; every access is a short borrow
    /// that never spans an await or a callback into Leptos.
    static SESSION: RefCell<Session> = RefCell::new(Session::new());
    /// The session's one clock (see [`clock`]); set at start from the address.
    static CLOCK: RefCell<VirtualClock> = RefCell::new(VirtualClock::new(wall_clock_ms()));
}

/// Moves each time the page's views redraw (every 250 ms); views that show counts from the
/// session without a paragraph's changes (the plan graph) follow it.
#[derive(Clone, Copy)]
pub(crate) struct RedrawTick(pub leptos::prelude::RwSignal<u64>);

/// Runs `f` with the session.
pub(crate) fn with_session<R>(f: impl FnOnce(&mut Session) -> R) -> R {
    SESSION.with(|s| f(&mut s.borrow_mut()))
}

/// Runs `f` with the virtual clock and the session it moves.
pub(crate) fn with_clock<R>(f: impl FnOnce(&mut VirtualClock, &mut Session) -> R) -> R {
    CLOCK.with(|c| with_session(|s| f(&mut c.borrow_mut(), s)))
}

/// The session's time: the virtual clock's, which generators stamp records with and queries
/// see as processing time (ms since the epoch, local time).
pub(crate) fn now_ms() -> i64 {
    CLOCK.with(|c| c.borrow().now_ms())
}

/// The browser's monotonic clock (ms), which the virtual clock's ticks measure real time by.
pub(crate) fn real_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
}

/// The page's wall clock: local time as milliseconds since the epoch, as the walkthrough's
/// sender stamps `event_time` (local time, no zone). The virtual clock starts here.
pub(crate) fn wall_clock_ms() -> i64 {
    let date = js_sys::Date::new_0();
    let utc = date.get_time();
    let offset_minutes = date.get_timezone_offset();
    (utc - offset_minutes * 60_000.0) as i64
}

pub fn mount() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}

//! The studio in the page (Leptos, client-side rendered). Browser-only code lives here: the
//! clock, the timer that moves the session on, storage, files, and the views. Everything they
//! show comes from [`crate::session::Session`] and [`crate::views`].

mod app;
mod chart;
mod editor;
mod files;
mod note;
mod notebook;
mod notes_panel;
mod output;
mod paragraph;
mod result;
mod sidebar;
mod storage;
mod theme;

use std::cell::RefCell;

use crate::session::Session;

thread_local! {
    /// The page's one session. The page is single-threaded; every access is a short borrow
    /// that never spans an await or a callback into Leptos.
    static SESSION: RefCell<Session> = RefCell::new(Session::new());
}

/// Runs `f` with the session.
pub(crate) fn with_session<R>(f: impl FnOnce(&mut Session) -> R) -> R {
    SESSION.with(|s| f(&mut s.borrow_mut()))
}

/// The page's wall clock: local time as milliseconds since the epoch, as the walkthrough's
/// sender stamps `event_time` (local time, no zone).
pub(crate) fn now_ms() -> i64 {
    let date = js_sys::Date::new_0();
    let utc = date.get_time();
    let offset_minutes = date.get_timezone_offset();
    (utc - offset_minutes * 60_000.0) as i64
}

pub fn mount() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}

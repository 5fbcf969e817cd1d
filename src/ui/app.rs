//! The studio's frame: the top bar, the side panels, the open note, and the clock that moves
//! the session on. The notebook autosaves here, at the boundary with the browser's storage.

use leptos::prelude::*;

use super::note::NoteView;
use super::notebook::Notebook;
use super::notes_panel::NotesPanel;
use super::sidebar::Sidebar;
use super::theme::{Theme, ThemeToggle};
use super::{now_ms, storage, with_session};

/// How often the page moves time on: generators produce, jobs consume. Small steps keep each
/// one short, so a fast generator never holds a frame for long.
const ENGINE_TICK_MS: u32 = 40;
/// How often the views redraw what changed (tables, charts, panels).
const VIEW_TICK_MS: u32 = 250;

#[component]
pub fn App() -> impl IntoView {
    let theme = Theme::provide();
    let notebook = Notebook::load();
    let tick = RwSignal::new(0u64);

    // The clock: move the session on and hand every paragraph of every note its new changes;
    // a slower one redraws. Both intervals live as long as the page.
    gloo_timers::callback::Interval::new(ENGINE_TICK_MS, move || {
        with_session(|s| s.advance(now_ms()));
        notebook.pull_changes();
    })
    .forget();
    gloo_timers::callback::Interval::new(VIEW_TICK_MS, move || {
        notebook.refresh_views();
        tick.update(|t| *t += 1);
    })
    .forget();

    // Autosave: every change of a name, a paragraph's text or its view settings. A failed save
    // says so once, and again only after a save has worked.
    let save_failed = StoredValue::new(false);
    Effect::new(move |_| {
        let saved = notebook.to_saved();
        match storage::save(&saved) {
            Ok(()) => save_failed.set_value(false),
            Err(e) if !save_failed.get_value() => {
                save_failed.set_value(true);
                notebook.warn(e);
            }
            Err(_) => {}
        }
    });

    let current = Memo::new(move |_| notebook.current.get());
    let open_note = move || {
        let key = current.get();
        notebook.note(key).map(|note| view! { <NoteView notebook=notebook note=note tick=tick /> })
    };

    view! {
        <header class="topbar">
            <span class="logo">"Sluice"</span>
            <span class="topbar-hint">"Flink SQL in your browser · Shift+Enter runs a paragraph"</span>
            <ThemeToggle theme=theme />
        </header>
        <div class="layout">
            <div class="side">
                <NotesPanel notebook=notebook />
                <Sidebar tick=tick />
            </div>
            <main class="note" data-testid="note">
                <Show when=move || notebook.notice.with(Option::is_some)>
                    <div class="notice" data-testid="notice" class:notice-error=move || notebook.notice.with(|n| n.as_ref().is_some_and(|n| n.error))>
                        <span>{move || notebook.notice.get().map(|n| n.text).unwrap_or_default()}</span>
                        <button class="ghost small" data-testid="notice-dismiss" title="Dismiss" on:click=move |_| notebook.notice.set(None)>"✕"</button>
                    </div>
                </Show>
                {open_note}
            </main>
        </div>
    }
}

//! The studio's frame: the top bar with the virtual clock, the side panels, the open note (or
//! a shared one, read-only), and the timer that moves the clock on. The notebook autosaves
//! here, at the boundary with the browser's storage. An embed link gets the embed page instead.

use leptos::prelude::*;

use super::clock::ClockBar;
use super::embed::EmbedPage;
use super::note::NoteView;
use super::notebook::{new_paragraph_id, Notebook};
use super::notes_panel::NotesPanel;
use super::share::SharedNoteView;
use super::sidebar::Sidebar;
use super::theme::{Theme, ThemeToggle};
use super::{host, storage};
use crate::views::address::{self, PageMode};

/// How often the page hands paragraphs the changes the session published (it publishes as often,
/// see `worker.rs`).
const ENGINE_TICK_MS: u32 = 40;
/// How often the views redraw what changed (tables, charts, panels).
const VIEW_TICK_MS: u32 = 250;

#[component]
pub fn App() -> impl IntoView {
    let theme = Theme::provide();
    let location = web_sys::window().map(|w| w.location());
    let search = location.as_ref().and_then(|l| l.search().ok()).unwrap_or_default();
    let hash = location.as_ref().and_then(|l| l.hash().ok()).unwrap_or_default();
    let address = address::read(&search, &hash, new_paragraph_id);
    host::start(host::wants_page(&search));
    super::clock::start(&address);
    match address.mode {
        PageMode::Embed(shared) => view! { <EmbedPage shared=shared /> }.into_any(),
        mode => view! { <Studio theme=theme mode=mode problem=address.problem /> }.into_any(),
    }
}

#[component]
fn Studio(theme: Theme, mode: PageMode, problem: Option<String>) -> impl IntoView {
    let notebook = Notebook::load();
    let tick = RwSignal::new(0u64);
    provide_context(super::RedrawTick(tick));
    // Panels that write into the open note (a CREATE TABLE from a sample) find it here.
    provide_context(notebook);
    let shared = match mode {
        PageMode::Shared(shared) => Some(shared),
        PageMode::Broken(why) => {
            notebook.warn(format!("The note in this link cannot be read: {why}. Your own notes are below."));
            None
        }
        _ => None,
    };
    if let Some(problem) = problem {
        notebook.warn(problem);
    }
    let shared_closed = RwSignal::new(shared.is_none());

    // Hand every paragraph of every note its new changes; a slower one redraws. Both intervals
    // live as long as the page.
    gloo_timers::callback::Interval::new(ENGINE_TICK_MS, move || {
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
    let cut_told = StoredValue::new(Vec::<String>::new());
    Effect::new(move |_| {
        let saved = notebook.to_saved();
        match storage::save(&saved) {
            Ok((written, cut)) => {
                save_failed.set_value(false);
                notebook.seen.update_value(|s| {
                    s.record(written.notes);
                });
                // A paragraph saved without part of its text (a credential that could not be
                // redacted): said once, until it changes.
                if !cut.is_empty() && cut != cut_told.get_value() {
                    notebook.warn(cut.join(" "));
                }
                cut_told.set_value(cut);
            }
            Err(e) if !save_failed.get_value() => {
                save_failed.set_value(true);
                notebook.warn(e);
            }
            Err(_) => {}
        }
    });

    let current = Memo::new(move |_| notebook.current.get());
    let open_note = move || {
        if !shared_closed.get() {
            let shared = shared.clone()?;
            return Some(view! { <SharedNoteView shared=shared notebook=notebook closed=shared_closed /> }.into_any());
        }
        let key = current.get();
        notebook.note(key).map(|note| view! { <NoteView notebook=notebook note=note tick=tick /> }.into_any())
    };
    // A step shows its results at once, not at the next redraw.
    let on_moved = Callback::new(move |_| {
        notebook.pull_changes();
        notebook.refresh_views();
        tick.update(|t| *t += 1);
    });

    view! {
        <header class="topbar">
            <span class="logo">"Sluice"</span>
            <span class="topbar-hint">"Flink SQL in your browser · Shift+Enter runs a paragraph"</span>
            <ClockBar tick=tick on_moved=on_moved />
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

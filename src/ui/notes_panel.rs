//! The notes list: open, create, duplicate, delete, and import a note from a `.zpln` or `.sql`
//! file.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::files;
use super::notebook::{new_paragraph_id, NoteState, Notebook};
use crate::views::exercise::course;
use crate::views::note::{script, seed, zeppelin};

/// Reads an imported file into a note: `.sql` as a script, anything else as a Zeppelin note.
fn import(notebook: Notebook, file_name: &str, text: &str) {
    let doc = if file_name.to_ascii_lowercase().ends_with(".sql") {
        script::from_sql(text, file_name, new_paragraph_id)
    } else {
        zeppelin::from_zpln(text, file_name, new_paragraph_id)
    };
    match doc {
        Ok(doc) => {
            let n = doc.paragraphs.len();
            let note = notebook.add(doc);
            notebook.tell(format!(
                "Imported “{}” ({n} paragraph{}) from {file_name}.",
                note.name.get_untracked(),
                if n == 1 { "" } else { "s" }
            ));
        }
        Err(e) => notebook.warn(format!("Nothing imported: {e}")),
    }
}

#[component]
pub fn NotesPanel(notebook: Notebook) -> impl IntoView {
    let file_input = NodeRef::<leptos::html::Input>::new();
    let on_file = move |ev: leptos::ev::Event| {
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
        let picked = input.clone();
        files::read_picked(&input, move |read| {
            match read {
                Ok((name, text)) => import(notebook, &name, &text),
                Err(e) => notebook.warn(format!("Nothing imported: {e}")),
            }
            // Picking the same file again must fire `change` again.
            picked.set_value("");
        });
    };
    view! {
        <section class="panel notes" data-testid="notes">
            <div class="panel-head">
                <h2>"Notes"</h2>
                <span class="spacer"></span>
                <button class="ghost small" data-testid="new-note" title="A new, empty note"
                    on:click=move |_| { notebook.add(seed::blank("Untitled note", new_paragraph_id)); }>"+ New"</button>
                <button class="ghost small" data-testid="import-note" title="Import a Zeppelin note (.zpln, .json) or a SQL script (.sql)"
                    on:click=move |_| { if let Some(input) = file_input.get() { input.click(); } }>"Import…"</button>
                <input type="file" class="hidden" data-testid="import-file" accept=".zpln,.json,.sql,application/json,text/plain"
                    node_ref=file_input on:change=on_file />
            </div>
            <ul class="note-list">
                <For each=move || notebook.notes.get() key=|n| n.key let:note>
                    <NoteItem notebook=notebook note=note />
                </For>
            </ul>
            <button class="ghost small walkthrough" data-testid="load-walkthrough" title="A new note with the Sensors walkthrough"
                on:click=move |_| { notebook.add(seed::sensors(new_paragraph_id)); }>"+ Sensors walkthrough"</button>
            <button class="ghost small walkthrough" data-testid="load-watermarks" title="A new note: a lesson on watermarks and late data, with the virtual clock"
                on:click=move |_| { notebook.add(seed::watermarks(new_paragraph_id)); }>"+ Watermarks and late data"</button>
            <button class="ghost small walkthrough" data-testid="load-exercises" title="A new note: five exercises that check themselves (TUMBLE, HOP, watermarks, a join, MATCH_RECOGNIZE)"
                on:click=move |_| {
                    super::host::send(crate::views::host::protocol::SessionRequest::AddExerciseFiles { exercise: None });
                    notebook.add(course::note(new_paragraph_id));
                }>"+ Exercises: event time"</button>
        </section>
    }
}

#[component]
fn NoteItem(notebook: Notebook, note: NoteState) -> impl IntoView {
    let is_current = move || notebook.current.get() == note.key;
    let confirming = RwSignal::new(false);
    let running = move || note.paragraphs.with(|ps| ps.iter().any(|p| p.status.get() == super::paragraph::Status::Running));
    view! {
        <li class="note-item" data-testid="note-item" data-current=move || is_current().to_string() class:current=is_current>
            <button class="note-link" data-testid="note-link" title=move || note.name.get()
                on:click=move |_| notebook.current.set(note.key)>
                <span class="note-link-name">{move || note.name.get()}</span>
                <Show when=running><span class="live-dot" title="a job of this note is running"></span></Show>
            </button>
            <Show when=move || !confirming.get()
                fallback=move || view! {
                    <span class="confirm">
                        <button class="danger small" data-testid="note-delete-confirm" on:click=move |_| notebook.delete(note.key)>"Delete"</button>
                        <button class="ghost small" data-testid="note-delete-cancel" on:click=move |_| confirming.set(false)>"Keep"</button>
                    </span>
                }>
                <button class="ghost small icon" data-testid="note-duplicate" title="Duplicate this note" on:click=move |_| notebook.duplicate(note.key)>
                    <svg viewBox="0 0 16 16" width="13" height="13" aria-hidden="true">
                        <rect x="5" y="5" width="9" height="9" rx="1.5" fill="none" stroke="currentColor" stroke-width="1.5"></rect>
                        <path d="M2.5 10.5V3.5a1 1 0 0 1 1-1h7" fill="none" stroke="currentColor" stroke-width="1.5"></path>
                    </svg>
                </button>
                <button class="ghost small icon" data-testid="note-delete" title="Delete this note" on:click=move |_| confirming.set(true)>"✕"</button>
            </Show>
        </li>
    }
}

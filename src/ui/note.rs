//! The open note: its name, the note's actions (run all, stop all, export, share), and its
//! paragraphs.

use leptos::prelude::*;

use super::files;
use super::notebook::{NoteState, Notebook};
use super::paragraph::{Paragraph, ParagraphActions, Status};
use super::share::SharePanel;
use crate::views::host::protocol::{SessionReply, SessionRequest};
use crate::views::note::seed;

#[component]
pub fn NoteView(notebook: Notebook, note: NoteState, tick: RwSignal<u64>) -> impl IntoView {
    // An exercise's check reads the query above it from its note.
    provide_context(note);
    let actions = ParagraphActions {
        remove: Callback::new(move |key| note.remove_paragraph(key)),
        move_by: Callback::new(move |(key, by)| note.move_paragraph(key, by)),
        file_stem: Callback::new(move |key| {
            let n = note.paragraphs.with_untracked(|ps| ps.iter().position(|p| p.id == key)).map_or(0, |i| i + 1);
            format!("{}-paragraph-{n}", files::file_stem(&note.name.get_untracked()))
        }),
    };
    let run_all = move |_| {
        note.run_all(move |failed| {
            if let Some(failed) = failed {
                notebook.warn(format!("Run all stopped at paragraph {failed}, which failed; the paragraphs after it did not run."));
            }
        });
    };
    let any_running = move || note.paragraphs.with(|ps| ps.iter().any(|p| p.status.get() == Status::Running));
    let export = move |zpln: bool| {
        let doc = note.to_doc();
        let stem = files::file_stem(&doc.name);
        // Credentials never leave in a download: both exports redact them (the same function as
        // `sluice export`), or refuse the note with why.
        if zpln {
            let result = crate::export::zpln(&doc)
                .map_err(|e| format!("{} cannot be exported: {e}", doc.name))
                .and_then(|zpln| files::download(&format!("{stem}.zpln"), "application/json", &zpln));
            if let Err(e) = result {
                notebook.warn(e);
            }
            return;
        }
        // For Flink: what it would refuse is rewritten (the narrowing CAST); the studio's
        // queries stay, so the script reads back as the same note. The session's side writes it
        // (it parses and plans the SQL, which the page module does not hold).
        let paragraphs = doc.paragraphs.iter().map(|p| p.text.clone()).collect();
        let name = doc.name.clone();
        super::host::ask(SessionRequest::ExportScript { note_name: doc.name, paragraphs }, move |reply| {
            let SessionReply::Exported(script) = reply else { return };
            let result = script
                .map_err(|e| format!("{name} cannot be exported for Flink: {e}"))
                .and_then(|script| files::download(&format!("{stem}.sql"), "application/sql", &script));
            if let Err(e) = result {
                notebook.warn(e);
            }
        });
    };
    let sharing = RwSignal::new(false);
    let rename = move |ev: leptos::ev::Event| {
        let name = event_target_value(&ev);
        let name = name.trim();
        note.name.set(if name.is_empty() { "Untitled note".into() } else { name.to_string() });
    };

    view! {
        <div class="note-head">
            <input class="note-name" data-testid="note-name" aria-label="Note name" spellcheck="false"
                prop:value=move || note.name.get() on:change=rename
                on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                    if ev.key() == "Enter" {
                        // Leaving the field commits the name (its `change` event).
                        let input: web_sys::HtmlInputElement = event_target(&ev);
                        let _ = input.blur();
                    }
                } />
            <span class="spacer"></span>
            <button class="primary" data-testid="run-all" title="Run every paragraph, top to bottom" on:click=run_all>"▶ Run all"</button>
            <Show when=any_running>
                <button data-testid="stop-all" title="Cancel every running job of this note" on:click=move |_| note.stop_all()>"■ Stop all"</button>
            </Show>
            <button data-testid="export-zpln" title="Download as a Zeppelin note" on:click=move |_| export(true)>"⤓ .zpln"</button>
            <button data-testid="export-sql" title="Download as a Flink SQL script (the CASTs Flink needs written out)" on:click=move |_| export(false)>"⤓ .sql"</button>
            <button data-testid="share" title="A link to this note, or to embed one of its paragraphs" class:active=move || sharing.get()
                on:click=move |_| sharing.update(|s| *s = !*s)>"↗ Share"</button>
        </div>
        <Show when=move || sharing.get()>
            <SharePanel note=note />
        </Show>
        <For each=move || note.paragraphs.get() key=|p| p.id let:p>
            <Paragraph state=p tick=tick actions=actions />
        </For>
        <button class="add-paragraph" data-testid="add-paragraph" on:click=move |_| note.add_paragraph(seed::NEW_PARAGRAPH)>
            "+ Add paragraph"
        </button>
    }
}

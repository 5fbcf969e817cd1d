//! Sharing in the page: the note's share and embed links (the encoding is plain Rust,
//! [`crate::views::note::share`]), and a shared note opened read-only with "Make a copy".
//! Links carry the note in the fragment, so they work from any static file host.

use leptos::prelude::*;

use super::notebook::{new_paragraph_id, NoteState, Notebook};
use crate::views::markdown;
use crate::views::note::share::{self, Shared};
use crate::views::note::{body, is_markdown, NoteDoc};

/// The page's address without its query and fragment (what a link's note is appended to).
pub fn page_base() -> String {
    let Some(location) = web_sys::window().map(|w| w.location()) else { return String::new() };
    format!("{}{}", location.origin().unwrap_or_default(), location.pathname().unwrap_or_default())
}

/// Drops the fragment from the address without reloading (after a shared note was copied,
/// a reload should open the notebook, not the link again).
pub fn forget_fragment() {
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&page_base()));
    }
}

/// The open note's links: share (read-only + copy) and embed (one paragraph, run).
#[component]
pub fn SharePanel(note: NoteState) -> impl IntoView {
    let embedded = RwSignal::new(None::<usize>);
    let encoded = move |show: Option<usize>| share::encode(&note.to_doc(), show);
    // A note whose credentials cannot be told apart gets no links, and says why.
    let refused = move || encoded(None).err().map(|e| format!("No link for this note: {e}."));
    let share_link = move || encoded(None).map(|e| format!("{}#share={}", page_base(), e.fragment_value)).unwrap_or_default();
    let embed_link = move || {
        let n = note.paragraphs.with(Vec::len);
        let show = embedded.get().unwrap_or(n.saturating_sub(1));
        encoded(Some(show)).map(|e| format!("{}#embed={}", page_base(), e.fragment_value)).unwrap_or_default()
    };
    let embed_code = move || format!("<iframe src=\"{}\" width=\"100%\" height=\"420\" style=\"border:0\"></iframe>", embed_link());
    let redacted = move || {
        let n = encoded(None).map_or(0, |e| e.redacted);
        (n > 0)
            .then(|| format!("{n} credential value{} left out of the link (shown as '<redacted>').", if n == 1 { " is" } else { "s are" }))
    };
    let select_all = |ev: leptos::ev::FocusEvent| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        input.select();
    };
    let paragraph_options = move || {
        let n = note.paragraphs.with(Vec::len);
        let chosen = embedded.get().unwrap_or(n.saturating_sub(1));
        note.paragraphs.with(|ps| {
            ps.iter()
                .enumerate()
                .map(|(i, p)| {
                    let first = p.text.with(|t| {
                        body(t).lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or("(empty)").chars().take(50).collect::<String>()
                    });
                    view! { <option value=i.to_string() selected=i == chosen>{format!("{}. {first}", i + 1)}</option> }
                })
                .collect_view()
        })
    };
    view! {
        <div class="share-panel" data-testid="share-panel">
            <label>"Link to this note (opens read-only, with “Make a copy”)"
                <input readonly data-testid="share-link" prop:value=share_link on:focus=select_all />
            </label>
            <Show when=move || refused().is_some()>
                <div class="message error" data-testid="share-refused">{move || refused().unwrap_or_default()}</div>
            </Show>
            <Show when=move || redacted().is_some()>
                <div class="message warning" data-testid="share-redacted">{move || redacted().unwrap_or_default()}</div>
            </Show>
            <label>"Embed paragraph "
                <select data-testid="embed-paragraph" on:change=move |ev| embedded.set(event_target_value(&ev).parse().ok())>{paragraph_options}</select>
            </label>
            <label>"Embed link (the paragraphs above it run first, unseen)"
                <input readonly data-testid="embed-link" prop:value=embed_link on:focus=select_all />
            </label>
            <label>"HTML for a course page"
                <input readonly data-testid="embed-code" prop:value=embed_code on:focus=select_all />
            </label>
        </div>
    }
}

/// A note from a link, read-only: its text as written, markdown rendered. "Make a copy" puts
/// it in the notebook, where it runs and edits like any note.
#[component]
pub fn SharedNoteView(shared: Shared, notebook: Notebook, closed: RwSignal<bool>) -> impl IntoView {
    let doc = StoredValue::new(shared.note);
    let copy = move |_| {
        let mut copy: NoteDoc = doc.get_value();
        for p in &mut copy.paragraphs {
            p.id = new_paragraph_id();
        }
        let name = copy.name.clone();
        notebook.add(copy);
        forget_fragment();
        closed.set(true);
        notebook.tell(format!("“{name}” is now a note of yours: it saves itself in this browser."));
    };
    let paragraphs = doc
        .get_value()
        .paragraphs
        .into_iter()
        .map(|p| {
            if is_markdown(&p.text) {
                view! { <section class="paragraph shared-paragraph" data-testid="shared-paragraph"><div class="markdown" inner_html=markdown::to_html(body(&p.text))></div></section> }.into_any()
            } else {
                view! { <section class="paragraph shared-paragraph" data-testid="shared-paragraph"><pre class="shared-text">{p.text.clone()}</pre></section> }.into_any()
            }
        })
        .collect_view();
    view! {
        <div class="notice shared-banner" data-testid="shared-banner">
            <span>"A shared note, read-only. Make a copy to run and change it; the copy saves itself in this browser."</span>
            <button class="primary" data-testid="make-copy" on:click=copy>"Make a copy"</button>
            <button class="ghost" data-testid="close-shared" title="Back to your notes" on:click=move |_| {
                forget_fragment();
                closed.set(true);
            }>"Close"</button>
        </div>
        <div class="note-head"><h1 class="note-name shared-name" data-testid="shared-name">{doc.get_value().name}</h1></div>
        {paragraphs}
    }
}

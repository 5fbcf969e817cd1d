//! The paragraph editor: a plain textarea laid over a `<pre>` that shows the same text
//! highlighted ([`crate::views::highlight`]), with the error's token underlined, and a small
//! completion popup at the caret ([`crate::views::completion`]).
//!
//! The textarea keeps everything a person expects of a text field (selection, undo, IME,
//! spell-check off, accessibility); its own text is transparent so the colours beneath show
//! through. Both layers share font, padding, border, wrapping and scrollbar gutter, and the
//! `<pre>` follows the textarea's scroll, so they stay aligned. Highlighting runs when the text
//! changes, never on the engine's ticks.

use leptos::ev::KeyboardEvent;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::{host, with_mirror};
use crate::sql::Location;
use crate::views::completion::{self, Completion};
use crate::views::highlight;
use crate::views::host::protocol::{SessionReply, SessionRequest};

/// Asks the session for the functions completion offers, unless the mirror's list is fresh;
/// `on_new` runs when a new list has arrived.
fn refresh_functions(on_new: impl FnOnce() + 'static) {
    let ask = with_mirror(|m| {
        let stale = !m.functions_fresh();
        m.asked_functions();
        stale
    });
    if !ask {
        return;
    }
    host::ask(SessionRequest::Functions, move |reply| {
        if let SessionReply::Functions(list) = reply {
            with_mirror(|m| m.set_functions(list));
            on_new();
        }
    });
}

#[component]
pub fn Editor(
    text: RwSignal<String>,
    /// Where the last run's error is, underlined until the text changes.
    error_at: RwSignal<Option<Location>>,
    /// Shift+Enter (or Ctrl/Cmd+Enter).
    on_run: Callback<()>,
) -> impl IntoView {
    let textarea = NodeRef::<leptos::html::Textarea>::new();
    let highlight = NodeRef::<leptos::html::Pre>::new();
    let popup = RwSignal::new(None::<Completion>);
    let selected = RwSignal::new(0usize);
    // Where the popup sits (CSS px in the editor box), measured from a mark at the caret.
    let popup_at = RwSignal::new((0.0_f64, 0.0_f64));
    // Bumped when the session's list of functions arrives.
    let functions_arrived = RwSignal::new(0u64);

    // The highlighted copy: redrawn when the text, the error or the popup changes. Set by hand
    // rather than through `inner_html` so the caret mark can be measured right after.
    Effect::new(move |_| {
        let caret = popup.with(|c| c.as_ref().map(|c| c.start));
        let html = text.with(|t| highlight::to_html(t, error_at.get(), caret));
        let Some(pre) = highlight.get() else { return };
        pre.set_inner_html(&html);
        if caret.is_some() {
            if let Some(mark) = pre.query_selector(".caret-mark").ok().flatten().and_then(|m| m.dyn_into::<web_sys::HtmlElement>().ok()) {
                let line_height = mark.offset_height().max(16) as f64;
                popup_at.set((
                    (mark.offset_top() - pre.scroll_top()) as f64 + line_height + 2.0,
                    (mark.offset_left() - pre.scroll_left()) as f64,
                ));
            }
        }
    });

    // Also called on blur, which fires when a focused editor leaves the page, after its
    // signals are gone: hence `try_`.
    let close = move || {
        if popup.try_with_untracked(Option::is_some) == Some(true) {
            popup.try_set(None);
        }
    };
    // Offers completions for the word at the caret (closes the popup when there are none).
    let suggest = move || {
        let Some(ta) = textarea.get_untracked() else { return };
        let value = ta.value();
        let caret = completion::byte_offset(&value, ta.selection_start().ok().flatten().unwrap_or(0) as usize);
        let found = with_mirror(|m| completion::complete(&value, caret, m.tables(), m.functions()));
        selected.set(0);
        popup.set(found);
        // The functions as of the last paragraph run; a new list re-offers (below).
        refresh_functions(move || {
            functions_arrived.try_update(|n| *n += 1);
        });
    };
    // A new list of functions while a word is typed here: what it completes to is offered again.
    Effect::new(move |previous: Option<()>| {
        functions_arrived.track();
        let typing_here = textarea.get_untracked().is_some_and(|ta| {
            let ta: &web_sys::Element = ta.as_ref();
            document().active_element().is_some_and(|e| &e == ta)
        });
        if previous.is_some() && typing_here {
            suggest();
        }
    });
    let accept = move |index: usize| {
        let (Some(ta), Some(c)) = (textarea.get_untracked(), popup.get_untracked()) else { return };
        let Some(choice) = c.candidates.get(index) else { return };
        let value = ta.value();
        if c.end > value.len() || !value.is_char_boundary(c.start) || !value.is_char_boundary(c.end) {
            return close();
        }
        let new = format!("{}{}{}", &value[..c.start], choice.text, &value[c.end..]);
        let caret = completion::utf16_offset(&new, c.start + choice.text.len()) as u32;
        // The textarea first, so its caret lands after the inserted word; the signal then
        // carries the same value and leaves the caret alone.
        ta.set_value(&new);
        let _ = ta.set_selection_range(caret, caret);
        text.set(new);
        error_at.set(None);
        popup.set(None);
    };
    let on_keydown = move |ev: KeyboardEvent| {
        let key = ev.key();
        if key == "Enter" && (ev.shift_key() || ev.ctrl_key() || ev.meta_key()) {
            ev.prevent_default();
            close();
            on_run.run(());
            return;
        }
        if key == " " && ev.ctrl_key() {
            ev.prevent_default();
            suggest();
            return;
        }
        let Some(count) = popup.with_untracked(|c| c.as_ref().map(|c| c.candidates.len())) else { return };
        match key.as_str() {
            "ArrowDown" => selected.update(|s| *s = (*s + 1) % count),
            "ArrowUp" => selected.update(|s| *s = (*s + count - 1) % count),
            "Tab" | "Enter" => accept(selected.get_untracked()),
            "Escape" => popup.set(None),
            _ => return,
        }
        ev.prevent_default();
    };
    let sync_scroll = move || {
        if let (Some(ta), Some(pre)) = (textarea.get_untracked(), highlight.get_untracked()) {
            pre.set_scroll_top(ta.scroll_top());
            pre.set_scroll_left(ta.scroll_left());
        }
    };
    let rows = move || text.with(|t| t.lines().count().max(3) + 1);

    view! {
        <div class="editor-box">
            <pre class="editor editor-highlight" data-testid="editor-highlight" aria-hidden="true" node_ref=highlight></pre>
            <textarea
                class="editor editor-input"
                data-testid="editor"
                spellcheck="false"
                autocomplete="off"
                rows=rows
                placeholder="%flink.ssql\n\nSELECT * FROM sensor_data;"
                aria-autocomplete="list"
                aria-expanded=move || popup.with(Option::is_some).to_string()
                node_ref=textarea
                prop:value=move || text.get()
                on:input=move |ev| {
                    text.set(event_target_value(&ev));
                    if error_at.with_untracked(Option::is_some) {
                        error_at.set(None);
                    }
                    suggest();
                }
                on:keydown=on_keydown
                on:scroll=move |_| sync_scroll()
                on:blur=move |_| close()
                // The functions are likely wanted soon: asked now, when the list is stale.
                on:focus=move |_| refresh_functions(|| {})
                on:click=move |_| close()
            ></textarea>
            <Show when=move || popup.with(Option::is_some)>
                <ul class="completion" data-testid="completion" role="listbox"
                    style=move || { let (top, left) = popup_at.get(); format!("top: {top}px; left: {left}px") }>
                    {move || popup.get().map(|c| c.candidates.into_iter().enumerate().map(|(i, cand)| view! {
                        <li class="completion-item" data-testid="completion-item" data-kind=cand.kind.name() role="option"
                            class:selected=move || selected.get() == i
                            aria-selected=move || (selected.get() == i).to_string()
                            // mousedown, not click: the textarea must keep focus (its blur closes the popup).
                            on:mousedown=move |ev| { ev.prevent_default(); accept(i); }>
                            <span class="completion-text">{cand.text.clone()}</span>
                            <span class="completion-detail">{cand.detail.clone()}</span>
                        </li>
                    }).collect_view())}
                </ul>
            </Show>
        </div>
    }
}

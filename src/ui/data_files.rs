//! Files for `filesystem` tables in the page: a file picked or dropped here is handed to the
//! session under its name, so a table with `'path' = 'readings.jsonl'` reads it as a bounded
//! table, as a path on disk does natively. The file is read once, into memory; it is not saved
//! with the notes, so after a reload it must be picked again.

use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::host;
use super::sample::{SampleOf, TableFromSample};
use crate::views::host::protocol::SessionReply;
use crate::views::plan_graph::thousands;

/// The page holds a file whole in its memory: beyond this, use `sluice run` on it.
const MAX_FILE_BYTES: f64 = 256.0 * 1024.0 * 1024.0;

#[component]
pub fn DataFiles() -> impl IntoView {
    let files = RwSignal::new(Vec::<(String, usize)>::new());
    let error = RwSignal::new(None::<String>);
    let add = move |list: web_sys::FileList| {
        for file in (0..list.length()).filter_map(|i| list.get(i)) {
            if let Err(e) = check_size(&file) {
                error.set(Some(e));
                continue;
            }
            // Read by the session's side (the worker), not on the page's thread.
            host::add_file(file, move |reply| match reply {
                SessionReply::FileAdded(Ok((name, size))) => {
                    files.update(|f| {
                        f.retain(|(n, _)| n != &name);
                        f.push((name, size));
                    });
                    error.set(None);
                }
                SessionReply::FileAdded(Err(e)) => error.set(Some(e)),
                _ => {}
            });
        }
    };
    let on_pick = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        if let Some(list) = input.files() {
            add(list);
        }
        // Picking the same file again (changed on disk) reads it again.
        input.set_value("");
    };
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        if let Some(list) = ev.data_transfer().and_then(|d| d.files()) {
            add(list);
        }
    };

    view! {
        <section class="panel" data-testid="data-files">
            <h2>"Files"</h2>
            <div class="data-file-drop" data-testid="data-file-drop" on:dragover=|ev: leptos::ev::DragEvent| ev.prevent_default() on:drop=on_drop>
                <label class="small">
                    "Pick or drop JSON lines / CSV files "
                    <input type="file" multiple=true data-testid="data-file-input" on:change=on_pick />
                </label>
                <p class="hint">"A table reads one with 'connector' = 'filesystem', 'path' = its name."</p>
            </div>
            <Show when=move || error.with(Option::is_some)>
                <p class="error small" data-testid="data-file-error">{move || error.get().unwrap_or_default()}</p>
            </Show>
            <ul class="data-file-list">
                <For each=move || files.get() key=|(name, size)| format!("{name}:{size}") let:file>
                    <li data-testid="data-file" data-name=file.0.clone()>
                        <span class="stream-name">{file.0.clone()}</span>
                        <span class="stream-meta">{format!("{} bytes", thousands(file.1 as u64))}</span>
                        <TableFromSample of=SampleOf::File(file.0.clone()) />
                    </li>
                </For>
            </ul>
        </section>
    }
}

/// A file over the page's bound is refused before it is handed over.
fn check_size(file: &web_sys::File) -> Result<(), String> {
    if file.size() > MAX_FILE_BYTES {
        return Err(format!(
            "{} is {:.0} MB: the page reads files up to {:.0} MB (sluice run reads any size)",
            file.name(),
            file.size() / 1_048_576.0,
            MAX_FILE_BYTES / 1_048_576.0
        ));
    }
    Ok(())
}

/// The file's bytes, or an error saying which file and why (in the session's worker, or on the
/// page's thread when the session runs there).
pub(super) async fn read_file(file: &web_sys::File) -> Result<Vec<u8>, String> {
    let name = file.name();
    check_size(file)?;
    // A file deleted or changed since it was picked, or a dropped folder, ends here.
    let buffer = JsFuture::from(file.array_buffer()).await.map_err(|e| format!("{name} could not be read: {}", describe(&e)))?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

fn describe(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.dyn_ref::<web_sys::DomException>().map(|e| e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "the browser refused".into())
}

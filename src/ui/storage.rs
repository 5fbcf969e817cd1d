//! The notebook and the theme choice in the browser's `localStorage`. Storage can be missing
//! (some privacy modes), full, or hold text this page cannot read; each case comes back as a
//! message for the person, never a panic. Another tab's save arrives as the window's `storage`
//! event ([`on_other_tab_save`]); the notebook merges it ([`crate::views::note::merge`]).

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use crate::views::note::storage::{SavedNotebook, KEY};

/// Where unreadable saved notes are moved, so autosave never destroys them.
pub const UNREADABLE_KEY: &str = "sluice.notebook.unreadable";
const THEME_KEY: &str = "sluice.theme";

fn local_storage() -> Result<web_sys::Storage, String> {
    let window = web_sys::window().ok_or("there is no window")?;
    match window.local_storage() {
        Ok(Some(storage)) => Ok(storage),
        _ => Err("this browser gives the page no localStorage (a private window?)".into()),
    }
}

/// What a load found.
pub enum Loaded {
    /// Nothing saved yet: a first visit.
    Nothing,
    Notebook(SavedNotebook),
    /// Saved notes that could not be read, with why; they were moved to [`UNREADABLE_KEY`].
    Unreadable(String),
}

pub fn load() -> Loaded {
    let storage = match local_storage() {
        Ok(s) => s,
        Err(e) => return Loaded::Unreadable(format!("{e}; notes will not be saved")),
    };
    let text = match storage.get_item(KEY) {
        Ok(Some(text)) => text,
        Ok(None) => return Loaded::Nothing,
        Err(_) => return Loaded::Unreadable("localStorage refused to be read".into()),
    };
    match SavedNotebook::from_json(&text) {
        Ok(saved) => Loaded::Notebook(saved),
        Err(why) => {
            let kept = storage.set_item(UNREADABLE_KEY, &text).is_ok();
            let _ = storage.remove_item(KEY);
            Loaded::Unreadable(if kept {
                format!("your saved notes could not be read: {why}. Sluice started afresh; the old text is kept in localStorage under `{UNREADABLE_KEY}`.")
            } else {
                format!("your saved notes could not be read: {why}. Sluice started afresh.")
            })
        }
    }
}

/// Writes the notebook, redacted ([`SavedNotebook::for_storage`]); returns what was written
/// and a sentence for each paragraph whose text had to be cut.
pub fn save(saved: &SavedNotebook) -> Result<(SavedNotebook, Vec<String>), String> {
    let (written, cut) = saved.for_storage();
    local_storage()?.set_item(KEY, &written.to_json()).map_err(|_| {
        "your notes could not be saved: localStorage is full or refused the write. Export notes you want to keep.".to_string()
    })?;
    Ok((written, cut))
}

/// Calls `saved` with the notebook in storage each time another tab of this page saves (the
/// browser tells every other tab of the origin; never the tab that wrote). Text this page cannot
/// read comes as the reason.
///
/// It reads what storage holds now, not the event's `newValue`: when two tabs save at once, an
/// event can arrive after a newer save, and merging the newest keeps both tabs converging.
pub fn on_other_tab_save(saved: impl Fn(Result<SavedNotebook, String>) + 'static) {
    let Some(window) = web_sys::window() else { return };
    let listener = Closure::<dyn Fn(web_sys::Event)>::new(move |event: web_sys::Event| {
        let key = js_sys::Reflect::get(&event, &"key".into()).ok().and_then(|v| v.as_string());
        if key.as_deref() != Some(KEY) {
            return;
        }
        // A removed notebook (cleared storage) is not a change to merge.
        if let Some(text) = local_storage().ok().and_then(|s| s.get_item(KEY).ok().flatten()) {
            saved(SavedNotebook::from_json(&text));
        }
    });
    let _ = window.add_event_listener_with_callback("storage", listener.as_ref().unchecked_ref());
    // The listener lives as long as the page.
    listener.forget();
}

/// The theme the person chose (`light` or `dark`), if any.
pub fn theme() -> Option<String> {
    let theme = local_storage().ok()?.get_item(THEME_KEY).ok()??;
    matches!(theme.as_str(), "light" | "dark").then_some(theme)
}

pub fn set_theme(theme: &str) {
    if let Ok(storage) = local_storage() {
        let _ = storage.set_item(THEME_KEY, theme);
    }
}

const EXERCISES_KEY: &str = "sluice.exercises.solved";

/// The ids of the exercises solved in this browser.
pub fn exercises_solved() -> Vec<String> {
    let Some(text) = local_storage().ok().and_then(|s| s.get_item(EXERCISES_KEY).ok().flatten()) else { return Vec::new() };
    serde_json::from_str::<Vec<String>>(&text).unwrap_or_default()
}

/// Remembers that exercise `id` was solved (kept when storage refuses: progress is a nicety).
pub fn mark_exercise_solved(id: &str) {
    let mut solved = exercises_solved();
    if !solved.iter().any(|s| s == id) {
        solved.push(id.to_string());
        if let (Ok(storage), Ok(text)) = (local_storage(), serde_json::to_string(&solved)) {
            let _ = storage.set_item(EXERCISES_KEY, &text);
        }
    }
}

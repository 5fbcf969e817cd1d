//! The notebook and the theme choice in the browser's `localStorage`. Storage can be missing
//! (some privacy modes), full, or hold text this page cannot read; each case comes back as a
//! message for the person, never a panic.

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

pub fn save(saved: &SavedNotebook) -> Result<(), String> {
    local_storage()?
        .set_item(KEY, &saved.to_json())
        .map_err(|_| "your notes could not be saved: localStorage is full or refused the write. Export notes you want to keep.".to_string())
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

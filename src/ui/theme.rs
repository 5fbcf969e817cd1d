//! Light and dark: the system's `prefers-color-scheme` until the person picks one with the
//! toggle, which is remembered. CSS does the page; the chart asks [`Theme::is_dark`] for its
//! colours, since a canvas has no stylesheet.

use leptos::prelude::*;

use super::storage;

#[derive(Clone, Copy)]
pub struct Theme(RwSignal<bool>);

impl Theme {
    /// Reads the saved choice (else the system's), applies it to the page, and shares it.
    pub fn provide() -> Theme {
        let dark = match storage::theme().as_deref() {
            Some("dark") => true,
            Some(_) => false,
            None => system_prefers_dark(),
        };
        let theme = Theme(RwSignal::new(dark));
        if storage::theme().is_some() {
            apply(dark);
        }
        provide_context(theme);
        theme
    }

    /// Whether the page is dark, for views below the one that provided the theme.
    pub fn dark_in_context() -> bool {
        use_context::<Theme>().is_some_and(Theme::is_dark)
    }

    pub fn is_dark(self) -> bool {
        self.0.get()
    }

    pub fn toggle(self) {
        let dark = !self.0.get_untracked();
        self.0.set(dark);
        apply(dark);
        storage::set_theme(if dark { "dark" } else { "light" });
    }
}

fn system_prefers_dark() -> bool {
    web_sys::window().and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten()).is_some_and(|m| m.matches())
}

fn apply(dark: bool) {
    if let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
        let _ = root.set_attribute("data-theme", if dark { "dark" } else { "light" });
    }
}

#[component]
pub fn ThemeToggle(theme: Theme) -> impl IntoView {
    view! {
        <button class="ghost theme-toggle" data-testid="theme-toggle" title="Switch between light and dark"
            on:click=move |_| theme.toggle()>
            {move || if theme.is_dark() { "☀ Light" } else { "☾ Dark" }}
        </button>
    }
}

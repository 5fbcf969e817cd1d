//! The studio in the page (Leptos).

pub fn mount() {}

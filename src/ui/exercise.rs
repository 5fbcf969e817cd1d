//! An `%exercise` paragraph in the page: its title, a "Check my answer" button that runs
//! [`crate::views::exercise::check`] on the nearest SQL paragraph above it, the verdict with its
//! hint, and whether this browser has seen it solved ([`super::storage`]). The exercise's files
//! are given to the page's session when it shows, so the note's own paragraphs run too.

use leptos::prelude::*;

use super::notebook::NoteState;
use super::paragraph::ParagraphState;
use super::{storage, with_session};
use crate::views::exercise::{self, Verdict};

#[component]
pub fn ExerciseCheck(p: ParagraphState) -> impl IntoView {
    let parsed = Memo::new(move |_| p.text.with(|t| exercise::parse(t)));
    // The files its tables read, for the page's session (added again if the text changes them).
    Effect::new(move |_| {
        if let Ok(ex) = parsed.get() {
            with_session(|s| ex.files.iter().for_each(|(name, content)| s.add_file(name, content.as_bytes().to_vec())));
        }
    });
    let verdict = RwSignal::new(None::<Verdict>);
    let solved = RwSignal::new(false);
    Effect::new(move |_| {
        if let Ok(ex) = parsed.get() {
            solved.set(storage::exercises_solved().contains(&ex.id));
        }
    });
    let note = use_context::<NoteState>();
    let run_check = move |_| {
        let Ok(ex) = parsed.get_untracked() else { return };
        let Some(note) = note else { return };
        let texts: Vec<String> = note.paragraphs.with_untracked(|ps| ps.iter().map(|q| q.text.get_untracked()).collect());
        let index = note.paragraphs.with_untracked(|ps| ps.iter().position(|q| q.id == p.id)).unwrap_or(0);
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let result = match exercise::learner_query(&refs, index) {
            Some(query) => exercise::check(&ex, query),
            None => Verdict { passed: false, hint: "there is no query above this check to check".into(), rows: 0, late: 0 },
        };
        if result.passed {
            storage::mark_exercise_solved(&ex.id);
            solved.set(true);
        }
        verdict.set(Some(result));
    };
    view! {
        <div class="exercise" data-testid="exercise">
            {move || match parsed.get() {
                Err(e) => view! { <pre class="error" data-testid="exercise-error">{format!("This exercise cannot be read: {e}")}</pre> }.into_any(),
                Ok(ex) => view! {
                    <div class="exercise-head">
                        <span class="exercise-title">{if ex.title.is_empty() { ex.id.clone() } else { ex.title.clone() }}</span>
                        <Show when=move || solved.get()>
                            <span class="badge exercise-solved" data-testid="exercise-solved" title="Solved before in this browser">"solved"</span>
                        </Show>
                        <span class="spacer"></span>
                        <button class="primary" data-testid="exercise-check" title="Run the query above over this exercise's records and compare"
                            on:click=run_check>"Check my answer"</button>
                    </div>
                }.into_any(),
            }}
            {move || verdict.get().map(|v| {
                let class = if v.passed { "exercise-verdict passed" } else { "exercise-verdict failed" };
                let head = if v.passed { "✓ Passed: " } else { "✗ Not yet: " };
                view! {
                    <div class=class data-testid="exercise-verdict" data-passed=v.passed.to_string()>{head}{v.hint}</div>
                }
            })}
        </div>
    }
}

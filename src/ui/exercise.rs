//! An `%exercise` paragraph in the page: its title, a "Check my answer" button that runs
//! [`crate::views::exercise::check`] on the nearest SQL paragraph above it, the verdict with its
//! hint, and whether this browser has seen it solved ([`super::storage`]). The exercise's files
//! are given to the page's session when it shows, so the note's own paragraphs run too.

use leptos::prelude::*;

use super::host::{ask, send};
use super::notebook::NoteState;
use super::paragraph::ParagraphState;
use super::storage;
use crate::views::exercise::{self, Verdict};
use crate::views::host::protocol::{SessionReply, SessionRequest};

#[component]
pub fn ExerciseCheck(p: ParagraphState) -> impl IntoView {
    let parsed = Memo::new(move |_| p.text.with(|t| exercise::parse(t)));
    // The files its tables read, for the page's session (added again if the text changes them).
    Effect::new(move |_| {
        if parsed.with(Result::is_ok) {
            send(SessionRequest::AddExerciseFiles { exercise: Some(p.text.get_untracked()) });
        }
    });
    let verdict = RwSignal::new(None::<Verdict>);
    let solved = RwSignal::new(false);
    let checking = RwSignal::new(false);
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
        let Some(query) = exercise::learner_query(&refs, index) else {
            let hint = "there is no query above this check to check".into();
            return verdict.set(Some(Verdict { passed: false, hint, rows: 0, late: 0 }));
        };
        // Checked by the session's side (its own session, off the page's thread).
        checking.set(true);
        let request = SessionRequest::CheckExercise { exercise: p.text.get_untracked(), query: query.to_string() };
        ask(request, move |reply| {
            let SessionReply::ExerciseChecked(result) = reply else { return };
            if result.passed {
                storage::mark_exercise_solved(&ex.id);
                solved.try_set(true);
            }
            checking.try_set(false);
            verdict.try_set(Some(result));
        });
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
                            prop:disabled=move || checking.get() on:click=run_check>"Check my answer"</button>
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

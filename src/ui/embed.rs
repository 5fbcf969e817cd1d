//! Embed mode (`#embed=…`): one paragraph of a shared note with minimal chrome, for a course
//! page's iframe. The paragraphs before it (its tables) run first, unseen; then it runs and
//! shows its result live on the session's clock. Nothing is saved in the browser.

use leptos::prelude::*;

use super::notebook::NoteState;
use super::output::with_output;
use super::paragraph::Status;
use super::result::ResultView;
use super::share::page_base;
use super::with_mirror;
use crate::views::markdown;
use crate::views::note::share::{self, Shared};
use crate::views::note::{body, is_markdown};

/// Engine and view ticks, as the studio's (see `app.rs`).
const ENGINE_TICK_MS: u32 = 40;
const VIEW_TICK_MS: u32 = 250;

#[component]
pub fn EmbedPage(shared: Shared) -> impl IntoView {
    // The note came from a link, so it was redacted when shared; a note that cannot be shared
    // again gets no "open" link.
    let open_link = share::encode(&shared.note, None).map(|e| format!("{}#share={}", page_base(), e.fragment_value)).unwrap_or_default();
    let show = shared.show.unwrap_or(shared.note.paragraphs.len().saturating_sub(1));
    let name = shared.note.name.clone();
    let note = NoteState::from_doc(shared.note);
    let paragraphs = note.paragraphs.get_untracked();
    let Some(p) = paragraphs.get(show).copied() else {
        return view! { <div class="embed" data-testid="embed"><div class="notice notice-error">"The embedded note has no paragraph to show."</div></div> }.into_any();
    };
    let tick = RwSignal::new(0u64);
    provide_context(super::RedrawTick(tick));
    gloo_timers::callback::Interval::new(ENGINE_TICK_MS, move || {
        note.pull_changes();
    })
    .forget();
    gloo_timers::callback::Interval::new(VIEW_TICK_MS, move || {
        note.refresh_views();
        tick.update(|t| *t += 1);
    })
    .forget();
    // The setup paragraphs, then the shown one, once the page has drawn.
    let setup_failed = RwSignal::new(None::<String>);
    request_animation_frame(move || run_from(paragraphs, 0, show, setup_failed));

    let text = p.text.get_untracked();
    let shown = if is_markdown(&text) {
        view! { <div class="markdown" inner_html=markdown::to_html(body(&text))></div> }.into_any()
    } else {
        view! { <pre class="shared-text" data-testid="embed-sql">{body(&text).trim().to_string()}</pre> }.into_any()
    };
    let has_output = move || {
        p.version.get();
        with_output(p.id, |o| o.is_some())
    };
    let job_line = move || {
        tick.get();
        let info = with_mirror(|m| p.job.get().and_then(|job| m.job(job)))?;
        Some(format!("{} in · {} out · {} late dropped", info.records_in, info.records_out, info.late_records_dropped))
    };
    view! {
        <div class="embed" data-testid="embed" data-status=move || format!("{:?}", p.status.get()).to_lowercase()>
            <div class="embed-head">
                <span class="logo">"Sluice"</span>
                <span class="embed-name">{name}</span>
                <span class="spacer"></span>
                <span class="job-line">{job_line}</span>
                <a data-testid="embed-open" href=open_link target="_blank" rel="noopener">"Open the note ↗"</a>
            </div>
            {shown}
            <Show when=move || setup_failed.with(Option::is_some)>
                <pre class="error" data-testid="error">{move || setup_failed.get().unwrap_or_default()}</pre>
            </Show>
            <Show when=move || p.error.with(Option::is_some)>
                <pre class="error" data-testid="error">{move || p.error.get().unwrap_or_default()}</pre>
            </Show>
            <Show when=move || p.text_output.with(Option::is_some)>
                <pre class="text-output">{move || p.text_output.get().unwrap_or_default()}</pre>
            </Show>
            <Show when=has_output>
                <ResultView p=p file_stem=Signal::derive(|| "sluice-embed".to_string()) />
            </Show>
        </div>
    }
    .into_any()
}

/// Runs paragraph `i` and, once the session has answered, the next, up to `show`; a setup
/// paragraph that fails stops the rest.
fn run_from(paragraphs: Vec<super::paragraph::ParagraphState>, i: usize, show: usize, setup_failed: RwSignal<Option<String>>) {
    let Some(q) = paragraphs.get(i).copied() else { return };
    if i > show {
        return;
    }
    q.run_then(move || {
        if q.status.get_untracked() == Status::Failed && i < show {
            setup_failed.set(Some(format!(
                "Paragraph {} of the note, which this one needs, failed: {}",
                i + 1,
                q.error.get_untracked().unwrap_or_default()
            )));
            return;
        }
        run_from(paragraphs, i + 1, show, setup_failed);
    });
}

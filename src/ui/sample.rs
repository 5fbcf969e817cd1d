//! The "CREATE TABLE from a sample" button on a stream (Streams panel) or a file (Files panel):
//! asks [`crate::views::sample`] for a proposal and appends it as a paragraph of the open note.

use leptos::prelude::*;

use super::notebook::Notebook;
use super::with_session;
use crate::views::sample;

/// What the button samples.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SampleOf {
    Stream(String),
    File(String),
}

#[component]
pub fn TableFromSample(of: SampleOf) -> impl IntoView {
    let on_click = move |_| {
        let Some(notebook) = use_context::<Notebook>() else { return };
        let proposal = with_session(|s| {
            let proposal = match &of {
                SampleOf::Stream(name) => sample::from_stream(s, name),
                SampleOf::File(path) => sample::from_file(s, path),
            }?;
            if let Some((path, data)) = &proposal.rows_file {
                s.add_file(path, data.clone());
            }
            Ok::<_, String>(proposal)
        });
        match proposal {
            Ok(p) => match notebook.note(notebook.current.get_untracked()) {
                Some(note) => {
                    note.add_paragraph(&format!("%flink.ssql\n\n{}", p.ddl));
                    notebook.tell(format!(
                        "Proposed CREATE TABLE {} from {} sampled record{}: it is the last paragraph of this note; check it, then run it.",
                        p.table,
                        p.records,
                        if p.records == 1 { "" } else { "s" }
                    ));
                }
                None => notebook.warn("no note is open to write the CREATE TABLE into"),
            },
            Err(e) => notebook.warn(format!("No table proposed: {e}")),
        }
    };
    view! {
        <button class="ghost small" data-testid="table-from-sample"
            title="Infer a CREATE TABLE (columns, types, event time, watermark) from a sample of the records, into a new paragraph"
            on:click=on_click>"CREATE TABLE from sample"</button>
    }
}

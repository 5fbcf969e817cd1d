//! The "CREATE TABLE from a sample" button on a stream (Streams panel) or a file (Files panel):
//! asks the session ([`crate::views::sample`] on its side) for a proposal and appends it as a paragraph of the open note.

use leptos::prelude::*;

use super::host::ask;
use super::notebook::Notebook;
pub use crate::views::host::protocol::SampleOf;
use crate::views::host::protocol::{SessionReply, SessionRequest};

#[component]
pub fn TableFromSample(of: SampleOf) -> impl IntoView {
    let on_click = move |_| {
        let Some(notebook) = use_context::<Notebook>() else { return };
        ask(SessionRequest::TableFromSample(of.clone()), move |reply| {
            let SessionReply::Proposed(proposal) = reply else { return };
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
        });
    };
    view! {
        <button class="ghost small" data-testid="table-from-sample"
            title="Infer a CREATE TABLE (columns, types, event time, watermark) from a sample of the records, into a new paragraph"
            on:click=on_click>"CREATE TABLE from sample"</button>
    }
}

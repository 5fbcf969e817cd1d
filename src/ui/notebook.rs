//! The notebook in the page: its notes, the open one, and the notice line. Notes are made from
//! and turned back into [`NoteDoc`]s, which is what autosave writes and export sends; results
//! and jobs stay in the page and the session.

use std::cell::{Cell, RefCell};

use leptos::prelude::*;

use super::paragraph::{ParagraphState, Status};
use super::{now_ms, storage};
use crate::views::note::merge::{self, Merged};
use crate::views::note::storage::{SavedNotebook, VERSION};
use crate::views::note::{redact, seed, NoteDoc, ParagraphDoc};

thread_local! {
    static NEXT_KEY: Cell<u32> = const { Cell::new(1) };
    /// The reactive owner of every note's and paragraph's signals: the notebook's (the app's).
    /// Signals made in an event handler would otherwise belong to whatever view was current,
    /// and die with it while the note lives on.
    static OWNER: RefCell<Option<Owner>> = const { RefCell::new(None) };
}

/// Runs `f` under the notebook's owner, so the signals it makes live as long as the page.
fn owned<R>(f: impl FnOnce() -> R) -> R {
    match OWNER.with(|o| o.borrow().clone()) {
        Some(owner) => owner.with(f),
        None => f(),
    }
}

/// A key unique in this page, for notes and paragraphs.
pub fn next_key() -> u32 {
    NEXT_KEY.with(|k| {
        let key = k.get();
        k.set(key + 1);
        key
    })
}

/// A new Zeppelin-style paragraph id: `paragraph_<ms>_<n>`.
pub fn new_paragraph_id() -> String {
    format!("paragraph_{}_{}", now_ms(), next_key())
}

#[derive(Clone, Copy)]
pub struct NoteState {
    pub key: u32,
    pub name: RwSignal<String>,
    pub paragraphs: RwSignal<Vec<ParagraphState>>,
}

impl NoteState {
    pub fn from_doc(doc: NoteDoc) -> Self {
        owned(|| NoteState {
            key: next_key(),
            name: RwSignal::new(doc.name),
            paragraphs: RwSignal::new(doc.paragraphs.into_iter().map(|p| ParagraphState::from_doc(next_key(), p)).collect()),
        })
    }

    /// Tracked, so autosave follows every change.
    pub fn to_doc(self) -> NoteDoc {
        NoteDoc { name: self.name.get(), paragraphs: self.paragraphs.get().iter().map(|p| p.to_doc()).collect() }
    }

    fn to_doc_untracked(self) -> NoteDoc {
        untrack(|| self.to_doc())
    }

    /// Becomes `doc` (another tab's version) in place: paragraphs are matched by id, so the
    /// views, outputs and jobs of those that stay are kept.
    fn take_doc(&self, doc: NoteDoc) {
        if self.name.get_untracked() != doc.name {
            self.name.set(doc.name);
        }
        let old = self.paragraphs.get_untracked();
        let next: Vec<ParagraphState> = doc
            .paragraphs
            .into_iter()
            .map(|d| match old.iter().find(|p| p.doc_id.get_value() == d.id) {
                Some(p) => {
                    p.take_doc(d);
                    *p
                }
                None => owned(|| ParagraphState::from_doc(next_key(), d)),
            })
            .collect();
        let removed: Vec<ParagraphState> = old.iter().filter(|p| !next.iter().any(|q| q.id == p.id)).copied().collect();
        self.paragraphs.set(next);
        removed.iter().for_each(ParagraphState::discard);
    }

    pub fn add_paragraph(&self, text: &str) {
        let p = owned(|| ParagraphState::from_doc(next_key(), ParagraphDoc::new(new_paragraph_id(), text)));
        self.paragraphs.update(|ps| ps.push(p));
    }

    pub fn remove_paragraph(&self, key: u32) {
        self.paragraphs.update(|ps| {
            if let Some(i) = ps.iter().position(|p| p.id == key) {
                ps.remove(i).discard();
            }
        });
    }

    /// Moves a paragraph `by` places (−1 up, +1 down), staying inside the note.
    pub fn move_paragraph(&self, key: u32, by: isize) {
        self.paragraphs.update(|ps| {
            let Some(from) = ps.iter().position(|p| p.id == key) else { return };
            let to = (from as isize + by).clamp(0, ps.len() as isize - 1) as usize;
            if to != from {
                let p = ps.remove(from);
                ps.insert(to, p);
            }
        });
    }

    /// Runs every paragraph top to bottom, each once the session has answered the one before,
    /// stopping at the first that fails; then `done` with the failed paragraph's position (from 1).
    pub fn run_all(&self, done: impl FnOnce(Option<usize>) + 'static) {
        run_from(self.paragraphs.get_untracked(), 0, Box::new(done));
    }

    pub fn stop_all(&self) {
        for p in self.paragraphs.get_untracked() {
            p.stop();
        }
    }

    pub fn pull_changes(&self) {
        for p in self.paragraphs.get_untracked() {
            p.pull_changes();
        }
    }

    pub fn refresh_views(&self) {
        for p in self.paragraphs.get_untracked() {
            p.refresh_view();
        }
    }

    fn discard(&self) {
        for p in self.paragraphs.get_untracked() {
            p.discard();
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    pub text: String,
    pub error: bool,
}

#[derive(Clone, Copy)]
pub struct Notebook {
    pub notes: RwSignal<Vec<NoteState>>,
    pub current: RwSignal<u32>,
    pub notice: RwSignal<Option<Notice>>,
    /// The versions of the notes this tab last wrote or read in storage: what a save from
    /// another tab is merged against.
    pub seen: StoredValue<merge::Seen>,
}

impl Notebook {
    /// The saved notebook, or on a first visit the walkthrough note "Sensors".
    /// Call inside the app's component: the notebook's signals belong to it.
    pub fn load() -> Notebook {
        OWNER.with(|o| *o.borrow_mut() = Owner::current());
        let (docs, current, notice) = match storage::load() {
            storage::Loaded::Notebook(saved) => (saved.notes, saved.current, None),
            storage::Loaded::Nothing => (vec![seed::sensors(new_paragraph_id)], 0, None),
            storage::Loaded::Unreadable(why) => {
                (vec![seed::sensors(new_paragraph_id)], 0, Some(Notice { text: capitalized(&why), error: true }))
            }
        };
        let seen = StoredValue::new(merge::Seen::new(docs.clone()));
        let notes: Vec<NoteState> = docs.into_iter().map(NoteState::from_doc).collect();
        let current = notes.get(current).or(notes.first()).map_or(0, |n| n.key);
        let notebook = Notebook { notes: RwSignal::new(notes), current: RwSignal::new(current), notice: RwSignal::new(notice), seen };
        storage::on_other_tab_save(move |saved| match saved {
            Ok(saved) => notebook.merge_from_other_tab(saved),
            Err(why) => {
                notebook.warn(format!("another tab saved notes this tab cannot read ({why}); this tab's notes are kept as they are"))
            }
        });
        notebook
    }

    /// Merges what another tab saved into this tab's notes ([`merge::merge`]), and says what
    /// came from it.
    pub fn merge_from_other_tab(&self, theirs: SavedNotebook) {
        let old = self.notes.get_untracked();
        let mine: Vec<NoteDoc> = old.iter().map(|n| redact::for_storage(&n.to_doc_untracked()).0).collect();
        let base = self.seen.with_value(|s| s.base_for(theirs.based_on));
        let merged = merge::merge(&base, &mine, &theirs.notes, new_paragraph_id);
        self.seen.update_value(|s| {
            s.record(theirs.notes);
        });
        if merged.is_unchanged(old.len()) {
            return;
        }
        let current = self.current.get_untracked();
        let mut kept = vec![false; old.len()];
        let mut notes = Vec::with_capacity(merged.notes.len());
        for m in merged.notes {
            match m {
                Merged::Mine(i) => {
                    kept[i] = true;
                    notes.push(old[i]);
                }
                // Updated in place: an open note keeps its views (and a focused editor).
                Merged::Theirs(doc, Some(i)) => {
                    kept[i] = true;
                    old[i].take_doc(doc);
                    notes.push(old[i]);
                }
                Merged::Theirs(doc, None) => notes.push(NoteState::from_doc(doc)),
            }
        }
        if notes.is_empty() {
            notes.push(NoteState::from_doc(seed::blank("Untitled note", new_paragraph_id)));
        }
        let next_current = notes.iter().find(|n| n.key == current).unwrap_or(&notes[0]).key;
        self.notes.set(notes);
        if next_current != current {
            self.current.set(next_current);
        }
        for (i, note) in old.iter().enumerate() {
            if !kept[i] {
                note.discard();
            }
        }
        if let Some(notice) = merged.notice {
            self.tell(notice);
        }
    }

    /// What autosave writes (tracked).
    pub fn to_saved(self) -> SavedNotebook {
        let current = self.current.get();
        self.notes.with(|notes| SavedNotebook {
            version: VERSION,
            current: notes.iter().position(|n| n.key == current).unwrap_or(0),
            notes: notes.iter().map(|n| n.to_doc()).collect(),
            based_on: self.seen.with_value(merge::Seen::latest),
        })
    }

    pub fn note(&self, key: u32) -> Option<NoteState> {
        self.notes.with_untracked(|notes| notes.iter().find(|n| n.key == key).copied())
    }

    /// Adds a note after the open one and opens it.
    pub fn add(&self, doc: NoteDoc) -> NoteState {
        let note = NoteState::from_doc(doc);
        let current = self.current.get_untracked();
        self.notes.update(|notes| {
            let at = notes.iter().position(|n| n.key == current).map_or(notes.len(), |i| i + 1);
            notes.insert(at, note);
        });
        self.current.set(note.key);
        note
    }

    /// A copy of a note (text and settings; no results), opened.
    pub fn duplicate(&self, key: u32) {
        let Some(note) = self.note(key) else { return };
        let mut doc = note.to_doc();
        doc.name = format!("{} (copy)", doc.name);
        for p in &mut doc.paragraphs {
            p.id = new_paragraph_id();
        }
        self.current.set(key);
        self.add(doc);
    }

    /// Deletes a note, stopping its jobs. The notebook always keeps one note.
    pub fn delete(&self, key: u32) {
        let Some(note) = self.note(key) else { return };
        note.discard();
        let mut next = None;
        self.notes.update(|notes| {
            if let Some(i) = notes.iter().position(|n| n.key == key) {
                notes.remove(i);
                next = notes.get(i).or(notes.get(i.wrapping_sub(1))).map(|n| n.key);
            }
        });
        match next {
            Some(next) => {
                if self.current.get_untracked() == key {
                    self.current.set(next);
                }
            }
            None => {
                self.add(seed::blank("Untitled note", new_paragraph_id));
            }
        }
    }

    pub fn pull_changes(&self) {
        for note in self.notes.get_untracked() {
            note.pull_changes();
        }
    }

    pub fn refresh_views(&self) {
        for note in self.notes.get_untracked() {
            note.refresh_views();
        }
    }

    pub fn tell(&self, text: impl Into<String>) {
        self.notice.set(Some(Notice { text: text.into(), error: false }));
    }

    pub fn warn(&self, text: impl Into<String>) {
        self.notice.set(Some(Notice { text: capitalized(&text.into()), error: true }));
    }
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Runs paragraph `i`, then (once answered) the rest; the chain goes through the session's
/// replies, so it never nests however many paragraphs a note has.
fn run_from(paragraphs: Vec<ParagraphState>, i: usize, done: Box<dyn FnOnce(Option<usize>)>) {
    let Some(p) = paragraphs.get(i).copied() else { return done(None) };
    p.run_then(move || {
        if p.status.get_untracked() == Status::Failed {
            return done(Some(i + 1));
        }
        run_from(paragraphs, i + 1, done);
    });
}

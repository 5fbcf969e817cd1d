//! Each paragraph's live output — the result table and the changelog — kept outside signals:
//! it changes many times a second, and views re-read it when the paragraph's `version` moves.

use std::cell::RefCell;
use std::collections::HashMap;

use crate::session::{Change, ColumnInfo};
use crate::views::{Changelog, ResultMode, ResultTable};

/// Rows a result keeps (the newest); older ones are dropped and counted.
pub const RESULT_ROWS: usize = 500;
/// Changes the changelog keeps (the newest).
pub const CHANGELOG_ENTRIES: usize = 500;

#[derive(Clone)]
pub struct Output {
    pub table: ResultTable,
    pub changelog: Changelog,
}

impl Output {
    pub fn new(columns: Vec<ColumnInfo>, mode: ResultMode, cap: usize) -> Self {
        Output { table: ResultTable::new(columns, mode, cap), changelog: Changelog::new(CHANGELOG_ENTRIES) }
    }

    pub fn apply(&mut self, changes: &[Change]) {
        self.table.apply(changes);
        self.changelog.apply(changes);
    }

    /// The same columns and mode, no rows.
    pub fn emptied(&self) -> Output {
        Output::new(self.table.columns.clone(), self.table.mode(), self.table.cap())
    }
}

thread_local! {
    /// By paragraph key. The page is single-threaded; every borrow is short and never spans a
    /// call back into Leptos.
    static OUTPUTS: RefCell<HashMap<u32, Output>> = RefCell::new(HashMap::new());
    /// A paused paragraph's output as it was when paused: what its views show and its downloads
    /// hold, while the live output keeps taking changes (nothing is lost).
    static FROZEN: RefCell<HashMap<u32, Output>> = RefCell::new(HashMap::new());
}

/// The output the views show: the frozen one while paused, else the live one.
pub fn with_output<R>(key: u32, f: impl FnOnce(Option<&Output>) -> R) -> R {
    FROZEN.with(|frozen| match frozen.borrow().get(&key) {
        Some(o) => f(Some(o)),
        None => OUTPUTS.with(|o| f(o.borrow().get(&key))),
    })
}

/// Pauses (`true`: keeps a copy of the output as it is now) or resumes the views of `key`.
pub fn freeze(key: u32, paused: bool) {
    let copy = paused.then(|| OUTPUTS.with(|o| o.borrow().get(&key).cloned())).flatten();
    FROZEN.with(|f| match copy {
        Some(o) => {
            f.borrow_mut().insert(key, o);
        }
        None => {
            f.borrow_mut().remove(&key);
        }
    });
}

pub fn with_output_mut<R>(key: u32, f: impl FnOnce(Option<&mut Output>) -> R) -> R {
    OUTPUTS.with(|o| f(o.borrow_mut().get_mut(&key)))
}

pub fn set_output(key: u32, output: Output) {
    FROZEN.with(|f| f.borrow_mut().remove(&key));
    OUTPUTS.with(|o| o.borrow_mut().insert(key, output));
}

pub fn remove_output(key: u32) {
    FROZEN.with(|f| f.borrow_mut().remove(&key));
    OUTPUTS.with(|o| o.borrow_mut().remove(&key));
}

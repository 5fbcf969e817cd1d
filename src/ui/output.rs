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
}

pub fn with_output<R>(key: u32, f: impl FnOnce(Option<&Output>) -> R) -> R {
    OUTPUTS.with(|o| f(o.borrow().get(&key)))
}

pub fn with_output_mut<R>(key: u32, f: impl FnOnce(Option<&mut Output>) -> R) -> R {
    OUTPUTS.with(|o| f(o.borrow_mut().get_mut(&key)))
}

pub fn set_output(key: u32, output: Output) {
    OUTPUTS.with(|o| o.borrow_mut().insert(key, output));
}

pub fn remove_output(key: u32) {
    OUTPUTS.with(|o| o.borrow_mut().remove(&key));
}

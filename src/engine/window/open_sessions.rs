//! The open sessions of a SESSION window, per key: a record opens [ts, ts + gap) and merges with
//! every open session of its key it touches; a session closes when the watermark reaches its
//! end − 1. A record is late only if it found no open session to join and its own has ended
//! under the watermark. The session window aggregate and the SESSION table function share this;
//! what a session holds (an accumulator, or rows) each keeps by the id it gives the session.

use std::collections::BTreeSet;

use crate::engine::group_table::GroupTable;
use crate::types::{Batch, DataType, Value};

#[derive(Clone, Copy, Debug)]
pub struct Session {
    pub start: i64,
    pub end: i64,
    /// The operator's id for what the session holds.
    pub state: u32,
}

/// Where a record goes.
pub enum Join {
    /// Late: the record's own session, `[ts, ts + gap)`, closed already.
    Late { window: (i64, i64) },
    /// Into `[start, end)` of `key`, made of the record's own window and the open sessions in
    /// `merged` (taken out: their states are the caller's to fold into one, then to
    /// [`OpenSessions::open`] again); `merged` is empty when the record opens a new session.
    Open { key: u32, start: i64, end: i64, merged: Vec<Session> },
}

pub struct OpenSessions {
    gap: i64,
    keys: GroupTable,
    sessions: Vec<Vec<Session>>,
    /// (end, key, start) of every open session, to close in end order.
    timers: BTreeSet<(i64, u32, i64)>,
}

impl OpenSessions {
    pub fn new(gap: i64, key_types: &[DataType]) -> Self {
        OpenSessions { gap, keys: GroupTable::new(key_types), sessions: Vec::new(), timers: BTreeSet::new() }
    }

    /// Where row `row` of `batch` (event time `ts`, its key in `key_columns`) goes, the
    /// watermark being `watermark`.
    pub fn join(&mut self, batch: &Batch, key_columns: &[usize], row: usize, ts: i64, watermark: i64) -> Join {
        let (key, new) = self.keys.find_or_insert(batch, key_columns, row);
        if new {
            self.sessions.push(Vec::new());
        }
        let own = (ts, ts.saturating_add(self.gap));
        let (mut start, mut end) = own;
        let mut merged: Vec<Session> = Vec::new();
        self.sessions[key as usize].retain(|s| {
            let touches = s.start <= end && s.end >= start;
            if touches {
                merged.push(*s);
            }
            !touches
        });
        for s in &merged {
            start = start.min(s.start);
            end = end.max(s.end);
        }
        if merged.is_empty() && end - 1 <= watermark {
            return Join::Late { window: own };
        }
        for s in &merged {
            self.timers.remove(&(s.end, key, s.start));
        }
        Join::Open { key, start, end, merged }
    }

    /// Opens `[start, end)` of `key`, holding `state`.
    pub fn open(&mut self, key: u32, start: i64, end: i64, state: u32) {
        self.sessions[key as usize].push(Session { start, end, state });
        self.timers.insert((end, key, start));
    }

    /// The next session (and its key) the watermark closes, taken out; `None` when none is due.
    pub fn close_due(&mut self, watermark: i64) -> Option<(u32, Session)> {
        while let Some(&(end, key, start)) = self.timers.first() {
            if end - 1 > watermark {
                return None;
            }
            self.timers.pop_first();
            let list = &mut self.sessions[key as usize];
            if let Some(pos) = list.iter().position(|s| s.start == start && s.end == end) {
                return Some((key, list.swap_remove(pos)));
            }
        }
        None
    }

    /// The values of `key`, appended to `out`.
    pub fn key(&self, key: u32, out: &mut Vec<Value>) {
        self.keys.key(key, out);
    }

    /// Open sessions.
    pub fn len(&self) -> usize {
        self.timers.len()
    }

    /// The bounds of the first `limit` sessions to close, one entry per distinct bounds (many
    /// keys share a window).
    pub fn pending_windows(&self, limit: usize) -> Vec<(i64, i64)> {
        let mut out: Vec<(i64, i64)> = Vec::with_capacity(limit.min(self.timers.len()));
        for &(end, _, start) in &self.timers {
            if out.len() == limit {
                break;
            }
            if out.last() != Some(&(start, end)) {
                out.push((start, end));
            }
        }
        out
    }

    /// The watermark at which the next session closes.
    pub fn next_timer(&self) -> Option<i64> {
        self.timers.first().map(|(end, _, _)| end - 1)
    }
}

//! The page's copy of what the session last published ([`super::protocol::Published`]): the
//! views read it as they read the session itself — jobs, streams, the catalog, the clock — and
//! take each query job's changes from it, while the session runs elsewhere (a Web Worker).

use std::collections::BTreeMap;

use super::protocol::{Published, SessionRequest};
use crate::session::clock::Speed;
use crate::session::{Change, JobId, JobInfo, StreamInfo, TableInfo, MAX_PENDING_CHANGES};
use crate::views::completion::FunctionHint;

#[derive(Clone, Debug)]
pub struct SessionMirror {
    now_ms: i64,
    paused: bool,
    speed: Speed,
    jobs: Vec<JobInfo>,
    streams: Vec<StreamInfo>,
    tables: Vec<TableInfo>,
    changes: BTreeMap<JobId, Vec<Change>>,
    printed: Vec<String>,
    remote_messages: Vec<String>,
    /// Publications applied so far (views that poll can tell whether anything arrived).
    publications: u64,
    /// The functions completion offers, as the session last answered
    /// ([`SessionRequest::Functions`]).
    functions: Vec<FunctionHint>,
    /// Whether `functions` was asked after the last request that could change it.
    functions_fresh: bool,
}

impl SessionMirror {
    /// Before the first publication: the clock at `now_ms`, nothing else.
    pub fn new(now_ms: i64) -> SessionMirror {
        SessionMirror {
            now_ms,
            paused: false,
            speed: Speed::Times(1.0),
            jobs: Vec::new(),
            streams: Vec::new(),
            tables: Vec::new(),
            changes: BTreeMap::new(),
            printed: Vec::new(),
            remote_messages: Vec::new(),
            publications: 0,
            functions: Vec::new(),
            functions_fresh: false,
        }
    }

    pub fn apply(&mut self, p: Published) {
        self.now_ms = p.now_ms;
        self.paused = p.paused;
        self.speed = p.speed;
        self.jobs = p.jobs;
        self.streams = p.streams;
        if let Some(tables) = p.tables {
            self.tables = tables;
        }
        for (job, new) in p.changes {
            let held = self.changes.entry(job).or_default();
            held.extend(new);
            // Changes no view takes (a job no paragraph shows) stay bounded, as in the session.
            let excess = held.len().saturating_sub(MAX_PENDING_CHANGES);
            held.drain(..excess);
        }
        let jobs = &self.jobs;
        self.changes.retain(|id, _| jobs.iter().any(|j| j.id == *id));
        self.printed.extend(p.printed);
        self.remote_messages.extend(p.remote_messages);
        self.publications += 1;
    }

    pub fn now_ms(&self) -> i64 {
        self.now_ms
    }

    pub fn is_paused(&self) -> bool {
        self.paused
    }

    pub fn speed(&self) -> Speed {
        self.speed
    }

    pub fn publications(&self) -> u64 {
        self.publications
    }

    pub fn jobs(&self) -> &[JobInfo] {
        &self.jobs
    }

    pub fn job(&self, id: JobId) -> Option<JobInfo> {
        self.jobs.iter().find(|j| j.id == id).cloned()
    }

    pub fn streams(&self) -> &[StreamInfo] {
        &self.streams
    }

    pub fn stream(&self, name: &str) -> Option<StreamInfo> {
        self.streams.iter().find(|s| s.name == name).cloned()
    }

    pub fn tables(&self) -> &[TableInfo] {
        &self.tables
    }

    /// The job's changes published since the last take, oldest first.
    pub fn take_changes(&mut self, job: JobId) -> Vec<Change> {
        self.changes.remove(&job).unwrap_or_default()
    }

    /// The functions completion offers (empty until first answered).
    pub fn functions(&self) -> &[FunctionHint] {
        &self.functions
    }

    /// Whether the list of functions needs no asking: it was asked after the last request that
    /// could create or drop a function (the session answers requests in order).
    pub fn functions_fresh(&self) -> bool {
        self.functions_fresh
    }

    /// The list of functions has just been asked for.
    pub fn asked_functions(&mut self) {
        self.functions_fresh = true;
    }

    pub fn set_functions(&mut self, functions: Vec<FunctionHint>) {
        self.functions = functions;
    }

    /// A request is on its way to the session: one that can change the functions makes the list
    /// stale.
    pub fn sent(&mut self, request: &SessionRequest) {
        if request.may_change_functions() {
            self.functions_fresh = false;
        }
    }

    pub fn take_printed(&mut self) -> Vec<String> {
        std::mem::take(&mut self.printed)
    }

    pub fn take_remote_messages(&mut self) -> Vec<String> {
        std::mem::take(&mut self.remote_messages)
    }
}

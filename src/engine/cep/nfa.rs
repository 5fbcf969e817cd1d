//! The pattern's automaton and one partition's run of it, as flink-cep's `NFACompiler` builds
//! it and its `NFA` steps it (`doProcess`, `computeNextStates`, `createDecisionGraph`,
//! `advanceTime`, `processMatchesAccordingToSkipStrategy`), for the patterns Flink SQL
//! produces: strict contiguity everywhere (`next()`, `consecutive()`), so a state has only
//! TAKE and PROCEED edges, never IGNORE.
//!
//! States are built backwards from the final state, as `NFACompiler` builds them: a variable
//! `A` is one state taking a row into the next; `A?` adds a PROCEED past it; `A{n,m}` is `m`
//! states, the last `m - n` each able to proceed; `A+` is a first state and a looping one
//! (TAKE to itself, PROCEED on). A greedy quantifier proceeds only on a row its variable does
//! not take; a reluctant one always may.
//!
//! A partial match (Flink's `ComputationState`) keeps its rows as a path shared with the
//! matches it branched from (what Flink's `SharedBuffer` and Dewey numbers give), so its
//! memory is one node per row it took. Partial and completed matches sit in Java-ordered
//! heaps (`queue`), keyed by the row they started at; a completed match is emitted only once
//! no partial match started before it, and the skip strategy then discards the matches it
//! rules out.

use std::rc::Rc;

use super::queue::{HeapKey, JavaPriorityQueue};
use crate::plan::match_recognize::{AfterMatch, MatchSpec, PatternTerm, TermKind};
use crate::types::Value;

/// A row of the partition as the NFA sees it: a sequence number that orders rows as Flink's
/// `EventId` does (processing order, which is time order), its time and its values.
pub struct Event {
    pub seq: u64,
    pub time: i64,
    pub row: Vec<Value>,
}

/// One row taken by a variable, and the rows taken before it.
pub struct PathNode {
    pub variable: usize,
    pub event: Rc<Event>,
    pub prev: Option<Rc<PathNode>>,
}

impl Drop for PathNode {
    /// Without recursion: a long loop's path would overflow the stack if dropped node by node.
    fn drop(&mut self) {
        let mut next = self.prev.take();
        while let Some(node) = next {
            match Rc::try_unwrap(node) {
                Ok(mut n) => next = n.prev.take(),
                Err(_) => break,
            }
        }
    }
}

/// The rows of a path, oldest first.
pub fn path_rows(path: Option<&Rc<PathNode>>) -> Vec<(usize, &Event)> {
    let mut out = Vec::new();
    let mut at = path;
    while let Some(node) = at {
        out.push((node.variable, node.event.as_ref()));
        at = node.prev.as_ref();
    }
    out.reverse();
    out
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Condition {
    True,
    /// The variable's DEFINE holds for the row.
    Takes(usize),
    /// It does not (a greedy quantifier's PROCEED).
    NotTakes(usize),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Action {
    Take,
    Proceed,
}

#[derive(Clone, Debug)]
struct Transition {
    action: Action,
    target: usize,
    condition: Condition,
}

#[derive(Clone, Debug)]
struct State {
    /// The variable whose rows this state takes; none for the final state.
    variable: Option<usize>,
    transitions: Vec<Transition>,
}

/// The compiled pattern.
#[derive(Clone, Debug)]
pub struct Nfa {
    states: Vec<State>,
    start: usize,
    /// `WITHIN`, in milliseconds (0: none).
    window: i64,
}

const FINAL: usize = 0;

impl Nfa {
    /// `NFACompiler.compileFactory` over the pattern `CommonExecMatch` translates.
    pub fn compile(spec: &MatchSpec) -> Nfa {
        let mut nfa =
            Nfa { states: vec![State { variable: None, transitions: Vec::new() }], start: FINAL, window: spec.within.unwrap_or(0) };
        let mut sink = FINAL;
        for term in spec.pattern.iter().rev() {
            sink = nfa.convert(term, sink);
        }
        nfa.start = sink;
        nfa
    }

    fn add(&mut self, variable: usize) -> usize {
        self.states.push(State { variable: Some(variable), transitions: Vec::new() });
        self.states.len() - 1
    }

    fn edge(&mut self, from: usize, action: Action, target: usize, condition: Condition) {
        self.states[from].transitions.push(Transition { action, target, condition });
    }

    fn proceed_condition(term: &PatternTerm) -> Condition {
        // `getGreedyCondition` with no IGNORE edge reduces to "the variable does not take it".
        if term.greedy {
            Condition::NotTakes(term.variable)
        } else {
            Condition::True
        }
    }

    /// `convertPattern`.
    fn convert(&mut self, term: &PatternTerm, sink: usize) -> usize {
        match term.kind {
            TermKind::Looping { from } => {
                // `createLooping`: PROCEED on, TAKE into itself.
                let looping = self.add(term.variable);
                self.edge(looping, Action::Proceed, sink, Self::proceed_condition(term));
                self.edge(looping, Action::Take, looping, Condition::Takes(term.variable));
                self.times(term, looping, sink, from, from)
            }
            TermKind::Times { from, to } => self.times(term, sink, sink, from, to),
            TermKind::Single => self.singleton(term, sink, sink, term.optional),
        }
    }

    /// `createTimesState`.
    fn times(&mut self, term: &PatternTerm, sink: usize, proceed: usize, from: u32, to: u32) -> usize {
        let mut last = sink;
        for _ in from..to {
            last = self.singleton(term, last, proceed, true);
        }
        for _ in 1..from {
            last = self.singleton(term, last, proceed, false);
        }
        self.singleton(term, last, proceed, term.optional)
    }

    /// `createSingletonState`: TAKE into `sink`, and when optional PROCEED to `proceed`.
    fn singleton(&mut self, term: &PatternTerm, sink: usize, proceed: usize, optional: bool) -> usize {
        let state = self.add(term.variable);
        self.edge(state, Action::Take, sink, Condition::Takes(term.variable));
        if optional {
            self.edge(state, Action::Proceed, proceed, Self::proceed_condition(term));
        }
        state
    }

    pub fn states(&self) -> usize {
        self.states.len()
    }
}

/// Evaluates DEFINE conditions: whether `variable` takes `event` after the rows of `path`.
pub trait Conditions {
    type Error;
    fn takes(&mut self, variable: usize, path: Option<&Rc<PathNode>>, event: &Event) -> Result<bool, Self::Error>;
}

/// Flink's `ComputationState`: where a partial match is and what it took.
#[derive(Clone)]
struct Computation {
    state: usize,
    path: Option<Rc<PathNode>>,
    /// The sequence number and time of the row it started at (none: the start state's).
    start: Option<(u64, i64)>,
}

impl HeapKey for Computation {
    fn key(&self) -> u64 {
        self.start.map_or(u64::MAX, |s| s.0)
    }
}

/// A completed match: its rows, oldest first.
pub type Match = Rc<PathNode>;

/// One partition's `NFAState`.
pub struct NfaState {
    partial: JavaPriorityQueue<Computation>,
    completed: JavaPriorityQueue<Computation>,
}

/// Why a match could not be handled (`AFTER MATCH SKIP TO FIRST/LAST v` without a row of v).
pub enum NfaError<E> {
    Condition(E),
    /// The variable the skip strategy names has no row in the match.
    Skip(usize),
    /// The skip strategy would start the next match at this match's first row, so again and
    /// again (Flink's `SkipToElementStrategy` refuses it).
    SkipToFirstRow,
}

impl NfaState {
    pub fn new(nfa: &Nfa) -> Self {
        let mut partial = JavaPriorityQueue::default();
        partial.offer(Computation { state: nfa.start, path: None, start: None });
        NfaState { partial, completed: JavaPriorityQueue::default() }
    }

    /// Whether anything but the start state is held (Flink keeps a timer for the key then).
    pub fn is_active(&self) -> bool {
        self.partial.len() > 1 || !self.completed.is_empty()
    }

    /// Partial and completed matches held.
    pub fn held(&self) -> usize {
        self.partial.len() - 1 + self.completed.len()
    }

    /// `NFA.process`: feeds one row, returning the matches it completes and releases.
    pub fn process<C: Conditions>(
        &mut self,
        nfa: &Nfa,
        skip: &AfterMatch,
        conditions: &mut C,
        event: &Rc<Event>,
    ) -> Result<Vec<Match>, NfaError<C::Error>> {
        let mut new_partial = JavaPriorityQueue::default();
        let mut potential = JavaPriorityQueue::default();
        for c in self.partial.iter() {
            for next in compute_next_states(nfa, c, event, conditions).map_err(NfaError::Condition)? {
                if next.state == FINAL {
                    potential.offer(next);
                } else {
                    new_partial.offer(next);
                }
            }
        }
        let mut matches = Vec::new();
        for m in potential.iter() {
            self.completed.offer(m.clone());
        }
        self.release_matches(skip, &mut new_partial, &mut matches)?;
        self.partial = new_partial;
        Ok(matches)
    }

    /// `NFA.advanceTime`: discards partial matches older than WITHIN at `time`, and releases
    /// completed matches no longer waiting for an earlier partial one.
    pub fn advance_time<E>(&mut self, nfa: &Nfa, skip: &AfterMatch, time: i64) -> Result<Vec<Match>, NfaError<E>> {
        let mut new_partial = JavaPriorityQueue::default();
        for c in self.partial.iter() {
            let timed_out = nfa.window > 0 && c.start.is_some_and(|(_, start)| time.saturating_sub(start) >= nfa.window);
            if !timed_out {
                new_partial.offer(c.clone());
            }
        }
        let mut matches = Vec::new();
        self.release_matches(skip, &mut new_partial, &mut matches)?;
        self.partial = new_partial;
        Ok(matches)
    }

    /// `processMatchesAccordingToSkipStrategy` (SQL's strategies all skip).
    fn release_matches<E>(
        &mut self,
        skip: &AfterMatch,
        partial: &mut JavaPriorityQueue<Computation>,
        out: &mut Vec<Match>,
    ) -> Result<(), NfaError<E>> {
        while let Some(earliest) = self.completed.peek() {
            if partial.peek().is_some_and(|p| earliest.key() > p.key()) {
                break;
            }
            let Some(Computation { path: Some(path), .. }) = self.completed.poll() else { break };
            let rows = path_rows(Some(&path));
            let seqs = rows.iter().map(|(_, e)| e.seq);
            let of = |v: usize| rows.iter().filter(move |(var, _)| *var == v).map(|(_, e)| e.seq);
            // Which started matches the strategy rules out: those starting at or before
            // (`<=`) or before (`<`) a row of this match.
            let (pruning, inclusive) = match skip {
                AfterMatch::PastLastRow => (seqs.max(), true),
                AfterMatch::ToNextRow => (seqs.min(), true),
                AfterMatch::ToFirst(v) => (of(*v).min(), false),
                AfterMatch::ToLast(v) => (of(*v).max(), false),
            };
            let Some(pruning) = pruning else {
                let v = match skip {
                    AfterMatch::ToFirst(v) | AfterMatch::ToLast(v) => *v,
                    _ => 0,
                };
                return Err(NfaError::Skip(v));
            };
            if matches!(skip, AfterMatch::ToFirst(_) | AfterMatch::ToLast(_)) && rows.iter().map(|(_, e)| e.seq).min() == Some(pruning) {
                return Err(NfaError::SkipToFirstRow);
            }
            let prune = |c: &Computation| c.start.is_some_and(|(s, _)| if inclusive { s <= pruning } else { s < pruning });
            partial.remove_where(prune);
            self.completed.remove_where(prune);
            out.push(path);
        }
        Ok(())
    }
}

/// `computeNextStates` for one partial match and one row.
fn compute_next_states<C: Conditions>(
    nfa: &Nfa,
    c: &Computation,
    event: &Rc<Event>,
    conditions: &mut C,
) -> Result<Vec<Computation>, C::Error> {
    let holds = |conditions: &mut C, condition: Condition| -> Result<bool, C::Error> {
        Ok(match condition {
            Condition::True => true,
            Condition::Takes(v) => conditions.takes(v, c.path.as_ref(), event)?,
            Condition::NotTakes(v) => !conditions.takes(v, c.path.as_ref(), event)?,
        })
    };
    // `createDecisionGraph`: follow PROCEED edges (a stack, as Flink's), collect TAKE edges.
    let mut edges = Vec::new();
    let mut stack = vec![c.state];
    while let Some(s) = stack.pop() {
        for t in &nfa.states[s].transitions {
            if holds(conditions, t.condition)? {
                match t.action {
                    Action::Proceed => stack.push(t.target),
                    Action::Take => edges.push((s, t.target)),
                }
            }
        }
    }
    let is_start = c.path.is_none() && c.state == nfa.start;
    let mut out = Vec::new();
    for (source, target) in edges {
        let Some(variable) = nfa.states[source].variable else { continue };
        let path = Rc::new(PathNode { variable, event: event.clone(), prev: c.path.clone() });
        let start = if is_start { Some((event.seq, event.time)) } else { c.start };
        out.push(Computation { state: target, path: Some(path.clone()), start });
        // `findFinalStateAfterProceed`: the new state may complete the match at once.
        let mut stack = vec![target];
        let mut reached = false;
        while let Some(s) = stack.pop() {
            for t in &nfa.states[s].transitions {
                if t.action == Action::Proceed && holds(conditions, t.condition)? {
                    if t.target == FINAL {
                        reached = true;
                        break;
                    }
                    stack.push(t.target);
                }
            }
            if reached {
                break;
            }
        }
        if reached {
            out.push(Computation { state: FINAL, path: Some(path), start });
        }
    }
    if is_start {
        out.push(Computation { state: nfa.start, path: None, start: None });
    }
    Ok(out)
}

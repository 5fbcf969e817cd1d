//! The backtracking machine that runs a [`Program`]: Java's leftmost-first search order, on an
//! explicit stack in the heap (no recursion per character or per backtrack; only a lookaround
//! inside a lookaround nests a call, as deep as the pattern nests them).
//!
//! Without back-references, whether the rest of a match succeeds depends only on where it is in
//! the program and in the text, so the machine remembers each (branch point, position) it has
//! explored — RE2's "BitState" — and never explores one twice: time is O(program × text).
//! Every run also has a budget of steps ([`budget`]); spending it is an error, so even a
//! back-reference pattern cannot freeze the page.

use super::class::{chars_equal, is_boundary_word, is_nonspacing_mark, Fold};
use super::compile::{Inst, LookKind, One, Program};
use super::parse::{Assertion, Dot};
use super::RegexError;

/// Steps a search may take: a fixed allowance plus an amount per character of text.
pub const BUDGET_BASE: u64 = 1_000_000;
pub const BUDGET_PER_CHAR: u64 = 1_000;
/// The most (branch point × position) entries remembered; above, the budget alone bounds time.
pub const MEMO_LIMIT: usize = 4 << 20;

pub fn budget(text_len: usize) -> u64 {
    BUDGET_BASE + BUDGET_PER_CHAR * text_len as u64
}

const NONE: usize = usize::MAX;

enum Frame {
    /// Resume at `pc`, `pos`.
    Try { pc: u32, pos: usize },
    /// Undo a capture slot.
    Slot { slot: u32, old: usize },
    /// Undo a loop mark.
    Mark { mark: u32, old: usize },
}

pub struct Vm<'a> {
    prog: &'a Program,
    text: &'a [char],
    pub slots: Vec<usize>,
    marks: Vec<usize>,
    stack: Vec<Frame>,
    steps: u64,
    budget: u64,
    /// Per (memo slot, position): the stamp of the run that explored it.
    memo: Vec<u32>,
    memo_allowed: bool,
    stamp: u32,
    next_stamp: u32,
    /// Per (look, position): 0 unknown, 1 failed, 2 + end matched.
    looks: Vec<usize>,
}

impl<'a> Vm<'a> {
    pub fn new(prog: &'a Program, text: &'a [char]) -> Vm<'a> {
        let cells = (prog.memos as usize).saturating_mul(text.len() + 1);
        Vm {
            prog,
            text,
            slots: vec![NONE; prog.slots as usize],
            marks: vec![NONE; prog.marks as usize],
            stack: Vec::new(),
            steps: 0,
            budget: budget(text.len()),
            memo: Vec::new(),
            memo_allowed: !prog.has_backrefs && cells <= MEMO_LIMIT,
            stamp: 1,
            next_stamp: 2,
            looks: Vec::new(),
        }
    }

    /// The leftmost match starting at or after `from` (Java's `find`); with `whole`, only a
    /// match of the whole text (`matches`). Leaves the captures in `slots`.
    pub fn search(&mut self, from: usize, whole: bool) -> Result<bool, RegexError> {
        self.stamp = self.next_stamp;
        self.next_stamp += 1;
        let last = if whole || self.prog.anchored { from } else { self.text.len() };
        for start in from..=last {
            if self.prog.first.is_some_and(|one| !self.one(one, start)) {
                continue;
            }
            self.slots.iter_mut().for_each(|s| *s = NONE);
            let end = if whole { Some(self.text.len()) } else { None };
            if self.run(0, start, end)?.is_some() {
                return Ok(true);
            }
        }
        Ok(false)
    }

    fn step(&mut self, n: u64) -> Result<(), RegexError> {
        self.steps += n;
        if self.steps > self.budget {
            return Err(RegexError::TooComplex { steps: self.budget });
        }
        Ok(())
    }

    /// Whether (memo, pos) was explored in this run already; marks it if not. Remembering
    /// starts once a run has taken more steps than a plain scan would.
    fn seen(&mut self, memo: u32, pos: usize) -> bool {
        if !self.memo_allowed || self.steps < 4 * self.text.len() as u64 + 1_000 {
            return false;
        }
        if self.memo.is_empty() {
            self.memo = vec![0; self.prog.memos as usize * (self.text.len() + 1)];
        }
        let cell = &mut self.memo[memo as usize * (self.text.len() + 1) + pos];
        if *cell == self.stamp {
            return true;
        }
        *cell = self.stamp;
        false
    }

    fn one(&self, one: One, pos: usize) -> bool {
        let Some(&c) = self.text.get(pos) else { return false };
        match one {
            One::Char(x) => c == x,
            One::Fold(x, fold) => chars_equal(x, c, fold),
            One::Any(Dot::All) => true,
            One::Any(Dot::NotNewline) => c != '\n',
            One::Any(Dot::NotLineTerminator) => !is_line_terminator(c),
            One::Class(i) => self.prog.classes[i as usize].matches(c),
        }
    }

    /// Runs the program from `pc` at `pos` until `Match`/`SubMatch` (at `end`, when given):
    /// the position it ended at, or None.
    fn run(&mut self, pc: u32, pos: usize, end: Option<usize>) -> Result<Option<usize>, RegexError> {
        let base = self.stack.len();
        let (mut pc, mut pos) = (pc, pos);
        let text_len = self.text.len();
        loop {
            self.step(1)?;
            let ok = match self.prog.insts[pc as usize] {
                Inst::One(one) => {
                    let hit = self.one(one, pos);
                    pc += 1;
                    pos += 1;
                    hit
                }
                Inst::Assert(a) => {
                    pc += 1;
                    self.assertion(a, pos)
                }
                Inst::Split { first, second, memo } => {
                    if self.seen(memo, pos) {
                        false
                    } else {
                        self.stack.push(Frame::Try { pc: second, pos });
                        pc = first;
                        true
                    }
                }
                Inst::Jmp(to) => {
                    pc = to;
                    true
                }
                Inst::Save(slot) => {
                    self.stack.push(Frame::Slot { slot, old: self.slots[slot as usize] });
                    self.slots[slot as usize] = pos;
                    pc += 1;
                    true
                }
                Inst::Mark(mark) => {
                    self.stack.push(Frame::Mark { mark, old: self.marks[mark as usize] });
                    self.marks[mark as usize] = pos;
                    pc += 1;
                    true
                }
                Inst::LoopEnd { mark, head } => {
                    pc = if self.marks[mark as usize] == pos { pc + 1 } else { head };
                    true
                }
                Inst::BackRef(group, fold) => {
                    let g = group as usize;
                    let (s, e) = match (self.slots.get(2 * g), self.slots.get(2 * g + 1)) {
                        (Some(&s), Some(&e)) if group != u32::MAX => (s, e),
                        _ => (NONE, NONE),
                    };
                    pc += 1;
                    if s == NONE || e == NONE || e < s {
                        // Java: a reference to a group that did not take part fails.
                        false
                    } else {
                        let len = e - s;
                        self.step(len as u64)?;
                        let same = pos + len <= text_len
                            && (0..len).all(|k| {
                                let (a, b) = (self.text[s + k], self.text[pos + k]);
                                if fold == Fold::None {
                                    a == b
                                } else {
                                    chars_equal(a, b, fold)
                                }
                            });
                        pos += len;
                        same
                    }
                }
                Inst::Look { kind, negated, next, slots, cache } => {
                    let found = self.look(pc + 1, pos, kind, slots, cache)?;
                    pc = next;
                    match (found, negated) {
                        (Some(e), false) => {
                            if kind == LookKind::Atomic {
                                pos = e;
                            }
                            true
                        }
                        (None, true) => true,
                        _ => false,
                    }
                }
                Inst::SubMatch | Inst::Match => {
                    if end.is_none_or(|e| e == pos) {
                        self.stack.truncate(base);
                        return Ok(Some(pos));
                    }
                    false
                }
            };
            if ok {
                continue;
            }
            // Backtrack to the newest choice left, undoing captures on the way.
            loop {
                if self.stack.len() <= base {
                    return Ok(None);
                }
                match self.stack.pop() {
                    Some(Frame::Try { pc: p, pos: q }) => {
                        pc = p;
                        pos = q;
                        break;
                    }
                    Some(Frame::Slot { slot, old }) => self.slots[slot as usize] = old,
                    Some(Frame::Mark { mark, old }) => self.marks[mark as usize] = old,
                    None => return Ok(None),
                }
            }
        }
    }

    /// Runs a lookaround or atomic body at `pos`: where it ended, or None. Captures it sets are
    /// kept (and undone when the outer match backtracks past it).
    fn look(&mut self, body: u32, pos: usize, kind: LookKind, slots: (u32, u32), cache: Option<u32>) -> Result<Option<usize>, RegexError> {
        let cell = cache.map(|c| c as usize * (self.text.len() + 1) + pos);
        if let Some(cell) = cell {
            if self.looks.is_empty() && (self.prog.looks as usize).saturating_mul(self.text.len() + 1) <= MEMO_LIMIT {
                self.looks = vec![0; self.prog.looks as usize * (self.text.len() + 1)];
            }
            match self.looks.get(cell) {
                Some(1) => return Ok(None),
                Some(&v) if v >= 2 => return Ok(Some(v - 2)),
                _ => {}
            }
        }
        for slot in slots.0..slots.1 {
            self.stack.push(Frame::Slot { slot, old: self.slots[slot as usize] });
        }
        let saved = self.stamp;
        self.stamp = self.next_stamp;
        self.next_stamp += 1;
        let result = match kind {
            LookKind::Ahead | LookKind::Atomic => self.run(body, pos, None),
            LookKind::Behind { min, max } => {
                let nearest = pos.checked_sub(min as usize);
                let farthest = pos.saturating_sub(max as usize);
                let mut found = Ok(None);
                if let Some(nearest) = nearest {
                    for start in (farthest..=nearest).rev() {
                        found = self.run(body, start, Some(pos));
                        if !matches!(found, Ok(None)) {
                            break;
                        }
                    }
                }
                found
            }
        };
        self.stamp = saved;
        let result = result?;
        if let Some(v) = cell.and_then(|c| self.looks.get_mut(c)) {
            *v = result.map_or(1, |e| e + 2);
        }
        Ok(result)
    }

    fn assertion(&self, a: Assertion, pos: usize) -> bool {
        let text = self.text;
        let n = text.len();
        let terminator = |c: char, unix: bool| if unix { c == '\n' } else { is_line_terminator(c) };
        match a {
            Assertion::TextStart => pos == 0,
            Assertion::TextEnd => pos == n,
            Assertion::LineStart { unix } => {
                if pos == 0 {
                    return true;
                }
                // Java: never at the very end, even after a line terminator; never inside \r\n.
                if pos == n {
                    return false;
                }
                let before = text[pos - 1];
                terminator(before, unix) && !(!unix && before == '\r' && text[pos] == '\n')
            }
            Assertion::EndOrLastLine { unix } | Assertion::LineEnd { unix } => {
                let multiline = matches!(a, Assertion::LineEnd { .. });
                if pos == n {
                    return true;
                }
                if !multiline {
                    if unix {
                        return pos + 1 == n && text[pos] == '\n';
                    }
                    if pos + 2 == n && text[pos] == '\r' && text[pos + 1] == '\n' {
                        return true;
                    }
                    if pos + 1 != n {
                        return false;
                    }
                }
                let c = text[pos];
                if unix {
                    return c == '\n';
                }
                if c == '\n' && pos > 0 && text[pos - 1] == '\r' {
                    return false;
                }
                is_line_terminator(c)
            }
            Assertion::WordBoundary(expected) => {
                // Java 17: a letter or digit, or a non-spacing mark after one (`Bound.check`).
                let word = |i: usize| {
                    is_boundary_word(text[i])
                        || (is_nonspacing_mark(text[i])
                            && text[..=i]
                                .iter()
                                .rev()
                                .find(|c| !is_nonspacing_mark(**c))
                                .is_some_and(|c| is_boundary_word(*c) && *c != '_'))
                };
                let before = pos > 0 && word(pos - 1);
                let after = pos < n && word(pos);
                (before != after) == expected
            }
        }
    }
}

pub fn is_line_terminator(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

//! Turns a syntax tree into a small program for the backtracking machine in [`super::vm`].
//!
//! Alternatives and repetitions become `Split`s (first branch first: Java's priority), counted
//! repetitions are expanded (up to [`MAX_INSTS`] instructions), and lookarounds and atomic groups
//! are a `Look` whose body follows it and ends in `SubMatch`. Every `Split` gets a memo slot: the
//! machine remembers which (split, position) pairs it has already explored. (Repetitions of one
//! character stay loops of `Split`s too: a counting instruction would be faster on one pass but
//! would re-scan the run from every entry point, O(text²) under an enclosing loop.)

use super::class::{chars_equal, Class, Fold};
use super::parse::{Assertion, Dot, Node, RepeatKind};
use super::RegexError;

/// The largest program a pattern may compile to.
pub const MAX_INSTS: usize = 100_000;

/// A one-character test.
#[derive(Clone, Copy, Debug)]
pub enum One {
    Char(char),
    Fold(char, Fold),
    Any(Dot),
    Class(u32),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LookKind {
    Ahead,
    /// Lookbehind: the body is between `min` and `max` characters long.
    Behind {
        min: u32,
        max: u32,
    },
    /// `(?>…)`: matches like a lookahead, then goes on from where the body ended.
    Atomic,
}

#[derive(Clone, Copy, Debug)]
pub enum Inst {
    One(One),
    Assert(Assertion),
    /// Try `first`, and on failure `second`.
    Split {
        first: u32,
        second: u32,
        memo: u32,
    },
    Jmp(u32),
    /// Records the position in a capture slot.
    Save(u32),
    /// Records where an iteration of an unbounded loop starts.
    Mark(u32),
    /// The end of an iteration: loop to `head`, unless the iteration matched nothing (Java then
    /// leaves the loop).
    LoopEnd {
        mark: u32,
        head: u32,
    },
    BackRef(u32, Fold),
    /// A lookaround or atomic group: the body starts at the next instruction; the match goes
    /// on at `next`. `slots` are the capture slots the body may set; `cache` is set when the
    /// body's result depends on the position only.
    Look {
        kind: LookKind,
        negated: bool,
        next: u32,
        slots: (u32, u32),
        cache: Option<u32>,
    },
    /// The end of a `Look` body.
    SubMatch,
    Match,
}

pub struct Program {
    pub insts: Vec<Inst>,
    pub classes: Vec<Class>,
    pub memos: u32,
    pub marks: u32,
    pub looks: u32,
    /// Two per group, group 0 included.
    pub slots: u32,
    pub has_backrefs: bool,
    /// The pattern can only match at the start of the text (`^…`, `\A…`).
    pub anchored: bool,
    /// The test every match's first character passes, when the pattern has one: the search
    /// skips start positions that fail it.
    pub first: Option<One>,
}

pub fn compile(root: &Node, groups: usize) -> Result<Program, RegexError> {
    let mut c = Compiler {
        p: Program {
            insts: Vec::new(),
            classes: Vec::new(),
            memos: 0,
            marks: 0,
            looks: 0,
            slots: 2 * (groups as u32 + 1),
            has_backrefs: has_backrefs(root),
            anchored: starts_anchored(root),
            first: None,
        },
        groups,
    };
    c.p.first = first_one(root).and_then(|n| c.one(n));
    c.emit(Inst::Save(0))?;
    c.node(root)?;
    c.emit(Inst::Save(1))?;
    c.emit(Inst::Match)?;
    Ok(c.p)
}

struct Compiler {
    p: Program,
    groups: usize,
}

impl Compiler {
    fn pc(&self) -> u32 {
        self.p.insts.len() as u32
    }

    fn emit(&mut self, inst: Inst) -> Result<u32, RegexError> {
        if self.p.insts.len() >= MAX_INSTS {
            return Err(RegexError::Unsupported(format!(
                "a pattern this large (more than {MAX_INSTS} steps once counted repetitions are written out)"
            )));
        }
        self.p.insts.push(inst);
        Ok(self.pc() - 1)
    }

    fn memo(&mut self) -> u32 {
        self.p.memos += 1;
        self.p.memos - 1
    }

    fn split(&mut self) -> Result<u32, RegexError> {
        let memo = self.memo();
        self.emit(Inst::Split { first: 0, second: 0, memo })
    }

    fn patch_split(&mut self, at: u32, first: u32, second: u32) {
        if let Some(Inst::Split { first: f, second: s, .. }) = self.p.insts.get_mut(at as usize) {
            *f = first;
            *s = second;
        }
    }

    fn one(&mut self, node: &Node) -> Option<One> {
        Some(match node {
            Node::Char(c, fold) => {
                // A character without case variants compares exactly, whatever the flags.
                if !has_case(*c, *fold) {
                    One::Char(*c)
                } else {
                    One::Fold(*c, *fold)
                }
            }
            Node::Any(d) => One::Any(*d),
            Node::Class(class) => {
                self.p.classes.push((**class).clone());
                One::Class(self.p.classes.len() as u32 - 1)
            }
            _ => return None,
        })
    }

    /// Emits `node`. Recursion follows the tree, whose depth the parser bounds.
    fn node(&mut self, node: &Node) -> Result<(), RegexError> {
        match node {
            Node::Empty => {}
            Node::Char(..) | Node::Any(_) | Node::Class(_) => {
                if let Some(one) = self.one(node) {
                    self.emit(Inst::One(one))?;
                }
            }
            Node::Assert(a) => {
                self.emit(Inst::Assert(*a))?;
            }
            Node::Group(inner, index) => match index {
                Some(i) => {
                    self.emit(Inst::Save(2 * *i as u32))?;
                    self.node(inner)?;
                    self.emit(Inst::Save(2 * *i as u32 + 1))?;
                }
                None => self.node(inner)?,
            },
            Node::Concat(nodes) => {
                for n in nodes {
                    self.node(n)?;
                }
            }
            Node::Alt(options) => {
                let mut ends = Vec::new();
                for (k, o) in options.iter().enumerate() {
                    if k + 1 < options.len() {
                        let split = self.split()?;
                        self.node(o)?;
                        ends.push(self.emit(Inst::Jmp(0))?);
                        let next = self.pc();
                        self.patch_split(split, split + 1, next);
                    } else {
                        self.node(o)?;
                    }
                }
                let end = self.pc();
                for j in ends {
                    self.p.insts[j as usize] = Inst::Jmp(end);
                }
            }
            Node::Repeat { node: inner, min, max, kind } => self.repeat(inner, *min, *max, *kind == RepeatKind::Greedy)?,
            Node::BackRef(i, fold) => {
                // A reference to a group the pattern does not have never matches.
                let i = if *i <= self.groups { *i as u32 } else { u32::MAX };
                self.emit(Inst::BackRef(i, *fold))?;
            }
            Node::Atomic(inner) => self.look(inner, LookKind::Atomic, false)?,
            Node::Look { node: inner, behind, negated } => {
                let kind = if *behind {
                    // Java rejects a back-reference or an unbounded repetition of a group inside
                    // a lookbehind; `a*`, `\w+` look back as far as the text goes.
                    if has_backrefs(inner) || has_unbounded_group_repeat(inner) {
                        return Err(RegexError::Invalid("Look-behind group does not have an obvious maximum length".into()));
                    }
                    let (min, max) = width(inner);
                    let max = max.unwrap_or(u64::MAX);
                    LookKind::Behind { min: min.min(u32::MAX as u64) as u32, max: max.min(u32::MAX as u64) as u32 }
                } else {
                    LookKind::Ahead
                };
                self.look(inner, kind, *negated)?;
            }
        }
        Ok(())
    }

    fn look(&mut self, inner: &Node, kind: LookKind, negated: bool) -> Result<(), RegexError> {
        let slots = match group_range(inner) {
            Some((lo, hi)) => (2 * lo as u32, 2 * hi as u32 + 2),
            None => (0, 0),
        };
        let cache = (slots.0 == slots.1 && !self.p.has_backrefs).then(|| {
            self.p.looks += 1;
            self.p.looks - 1
        });
        let at = self.emit(Inst::Look { kind, negated, next: 0, slots, cache })?;
        self.node(inner)?;
        self.emit(Inst::SubMatch)?;
        let next = self.pc();
        if let Some(Inst::Look { next: n, .. }) = self.p.insts.get_mut(at as usize) {
            *n = next;
        }
        Ok(())
    }

    fn repeat(&mut self, inner: &Node, min: u32, max: Option<u32>, greedy: bool) -> Result<(), RegexError> {
        for _ in 0..min {
            self.node(inner)?;
        }
        match max {
            None => {
                let head = self.split()?;
                if width(inner).0 > 0 {
                    // A body that always consumes needs no empty-iteration check.
                    self.node(inner)?;
                    self.emit(Inst::Jmp(head))?;
                } else {
                    let mark = self.p.marks;
                    self.p.marks += 1;
                    self.emit(Inst::Mark(mark))?;
                    self.node(inner)?;
                    self.emit(Inst::LoopEnd { mark, head })?;
                }
                let exit = self.pc();
                if greedy {
                    self.patch_split(head, head + 1, exit);
                } else {
                    self.patch_split(head, exit, head + 1);
                }
            }
            Some(max) => {
                let mut splits = Vec::new();
                for _ in min..max {
                    splits.push(self.split()?);
                    self.node(inner)?;
                }
                let exit = self.pc();
                for s in splits {
                    if greedy {
                        self.patch_split(s, s + 1, exit);
                    } else {
                        self.patch_split(s, exit, s + 1);
                    }
                }
            }
        }
        Ok(())
    }
}

fn has_case(c: char, fold: Fold) -> bool {
    let other = if c.is_ascii_uppercase() { c.to_ascii_lowercase() } else { c.to_ascii_uppercase() };
    match fold {
        Fold::None => false,
        Fold::Ascii => other != c && chars_equal(c, other, fold),
        Fold::Unicode => super::class::simple_lower(c) != c || super::class::simple_upper(c) != c || !c.is_ascii(),
    }
}

/// The shortest and longest text `node` can match, in characters (None: no bound).
fn width(node: &Node) -> (u64, Option<u64>) {
    match node {
        Node::Empty | Node::Assert(_) | Node::Look { .. } => (0, Some(0)),
        Node::Char(..) | Node::Any(_) | Node::Class(_) => (1, Some(1)),
        Node::Group(inner, _) | Node::Atomic(inner) => width(inner),
        Node::Concat(nodes) => {
            nodes.iter().map(width).fold((0, Some(0)), |(a, b), (c, d)| (a.saturating_add(c), b.zip(d).map(|(b, d)| b.saturating_add(d))))
        }
        Node::Alt(options) => {
            let widths: Vec<_> = options.iter().map(width).collect();
            let min = widths.iter().map(|w| w.0).min().unwrap_or(0);
            let max = widths.iter().try_fold(0u64, |m, w| w.1.map(|x| m.max(x)));
            (min, max)
        }
        Node::Repeat { node, min, max, .. } => {
            let (a, b) = width(node);
            (
                a.saturating_mul(*min as u64),
                b.zip(*max).map(|(b, m)| b.saturating_mul(m as u64)).or(if b == Some(0) { Some(0) } else { None }),
            )
        }
        Node::BackRef(..) => (0, None),
    }
}

/// The smallest and largest capture group index inside `node`.
fn group_range(node: &Node) -> Option<(usize, usize)> {
    let merge = |a: Option<(usize, usize)>, b: Option<(usize, usize)>| match (a, b) {
        (Some((a0, a1)), Some((b0, b1))) => Some((a0.min(b0), a1.max(b1))),
        (x, None) | (None, x) => x,
    };
    match node {
        Node::Group(inner, index) => merge(index.map(|i| (i, i)), group_range(inner)),
        Node::Look { node: inner, .. } | Node::Atomic(inner) | Node::Repeat { node: inner, .. } => group_range(inner),
        Node::Concat(nodes) | Node::Alt(nodes) => nodes.iter().map(group_range).fold(None, merge),
        _ => None,
    }
}

fn has_unbounded_group_repeat(node: &Node) -> bool {
    match node {
        Node::Repeat { node: inner, max: None, .. } if !matches!(**inner, Node::Char(..) | Node::Any(_) | Node::Class(_)) => true,
        Node::Group(inner, _) | Node::Look { node: inner, .. } | Node::Atomic(inner) | Node::Repeat { node: inner, .. } => {
            has_unbounded_group_repeat(inner)
        }
        Node::Concat(nodes) | Node::Alt(nodes) => nodes.iter().any(has_unbounded_group_repeat),
        _ => false,
    }
}

fn has_backrefs(node: &Node) -> bool {
    match node {
        Node::BackRef(..) => true,
        Node::Group(inner, _) | Node::Look { node: inner, .. } | Node::Atomic(inner) | Node::Repeat { node: inner, .. } => {
            has_backrefs(inner)
        }
        Node::Concat(nodes) | Node::Alt(nodes) => nodes.iter().any(has_backrefs),
        _ => false,
    }
}

/// The one-character node every match starts with, if there is one (zero-width assertions and
/// lookarounds before it do not move the position).
fn first_one(node: &Node) -> Option<&Node> {
    match node {
        Node::Char(..) | Node::Any(_) | Node::Class(_) => Some(node),
        Node::Group(inner, _) | Node::Atomic(inner) => first_one(inner),
        Node::Repeat { node: inner, min, .. } if *min >= 1 => first_one(inner),
        Node::Concat(nodes) => {
            let first = nodes.iter().find(|n| !matches!(n, Node::Assert(_) | Node::Look { .. } | Node::Empty))?;
            first_one(first)
        }
        _ => None,
    }
}

fn starts_anchored(node: &Node) -> bool {
    match node {
        Node::Assert(Assertion::TextStart) => true,
        Node::Group(inner, _) | Node::Atomic(inner) => starts_anchored(inner),
        Node::Concat(nodes) => nodes.first().is_some_and(starts_anchored),
        Node::Alt(options) => options.iter().all(starts_anchored),
        _ => false,
    }
}

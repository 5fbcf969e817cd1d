//! Two tabs, one notebook: when another tab saves, this tab merges what it saved into its own
//! notes instead of overwriting it at its next save. Per note, three versions are compared as
//! they are saved (credentials redacted): the one both tabs last agreed on (`base`, what this
//! tab last wrote or read), this tab's, and the other tab's.
//!
//! - changed only in the other tab: taken;
//! - changed only here: kept;
//! - changed in both: this tab's kept, and the other's added as a copy "… (from another tab)";
//! - new in the other tab: added; deleted there: deleted here, unless changed here (then kept).
//!
//! Nothing is lost without a word: [`Merge::notice`] says what happened. A note is known by its
//! paragraphs' ids (stable across saves, new for a copy); a note without paragraphs by its name.
//!
//! Two tabs can save at the same moment, each over the version it last saw, and storage keeps
//! the later. So each save names the version it was based on (its [`fingerprint`]), and each tab
//! remembers the last few versions it wrote or read ([`Seen`]): the base of a merge is the
//! version the other tab's save was based on, and a save that overwrote this tab's edits still
//! merges them as "changed in both".

use std::collections::VecDeque;

use super::NoteDoc;

/// How many versions of the notebook a tab remembers.
const SEEN_VERSIONS: usize = 8;

/// A fingerprint of the notes as saved (FNV-1a over their JSON).
pub fn fingerprint(notes: &[NoteDoc]) -> u64 {
    let json = serde_json::to_vec(notes).unwrap_or_default();
    json.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// The versions of the notebook this tab last wrote or read, newest last.
#[derive(Clone, Debug, Default)]
pub struct Seen {
    versions: VecDeque<(u64, Vec<NoteDoc>)>,
}

impl Seen {
    pub fn new(notes: Vec<NoteDoc>) -> Seen {
        let mut seen = Seen::default();
        seen.record(notes);
        seen
    }

    /// Remembers a version written or read; returns its fingerprint.
    pub fn record(&mut self, notes: Vec<NoteDoc>) -> u64 {
        let print = fingerprint(&notes);
        self.versions.retain(|(p, _)| *p != print);
        self.versions.push_back((print, notes));
        while self.versions.len() > SEEN_VERSIONS {
            self.versions.pop_front();
        }
        print
    }

    /// The newest version's fingerprint (what this tab's next save is based on).
    pub fn latest(&self) -> Option<u64> {
        self.versions.back().map(|(p, _)| *p)
    }

    /// The base to merge a save based on `based_on` against: that version if this tab saw it,
    /// else the newest this tab saw.
    pub fn base_for(&self, based_on: Option<u64>) -> Vec<NoteDoc> {
        let found = based_on.and_then(|b| self.versions.iter().find(|(p, _)| *p == b));
        found.or(self.versions.back()).map(|(_, n)| n.clone()).unwrap_or_default()
    }
}

/// What the merged notebook holds, in order.
#[derive(Clone, Debug, PartialEq)]
pub enum Merged {
    /// This tab's note at this index, as it is.
    Mine(usize),
    /// The other tab's note (replacing this tab's note at the index, if any).
    Theirs(NoteDoc, Option<usize>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Merge {
    pub notes: Vec<Merged>,
    /// For the person, when anything came from the other tab.
    pub notice: Option<String>,
}

impl Merge {
    /// Whether the merge leaves this tab's notes as they are.
    pub fn is_unchanged(&self, mine: usize) -> bool {
        self.notes.len() == mine && self.notes.iter().enumerate().all(|(i, m)| *m == Merged::Mine(i))
    }
}

/// Whether two notes are the same note (not necessarily the same text).
fn same_note(a: &NoteDoc, b: &NoteDoc) -> bool {
    if a.paragraphs.is_empty() || b.paragraphs.is_empty() {
        return a.paragraphs.is_empty() && b.paragraphs.is_empty() && a.name == b.name;
    }
    a.paragraphs.iter().any(|p| b.paragraphs.iter().any(|q| q.id == p.id))
}

fn find(notes: &[NoteDoc], note: &NoteDoc, taken: &[bool]) -> Option<usize> {
    notes.iter().enumerate().position(|(i, n)| !taken[i] && same_note(n, note))
}

/// Merges `theirs` (what the other tab saved) into `mine` (this tab's notes, as they would be
/// saved), given `base`; `new_id` names the paragraphs of a copy.
pub fn merge(base: &[NoteDoc], mine: &[NoteDoc], theirs: &[NoteDoc], mut new_id: impl FnMut() -> String) -> Merge {
    let mut out: Vec<Merged> = Vec::new();
    let mut taken_base = vec![false; base.len()];
    let mut took = Vec::new();
    let mut copies = Vec::new();
    let mut deleted = Vec::new();
    let mut kept = Vec::new();
    // This tab's notes in order, each with what the other tab did to it.
    let mut their_match: Vec<Option<usize>> = vec![None; mine.len()];
    let mut theirs_taken = vec![false; theirs.len()];
    for (i, m) in mine.iter().enumerate() {
        if let Some(t) = find(theirs, m, &theirs_taken) {
            theirs_taken[t] = true;
            their_match[i] = Some(t);
        }
    }
    for (i, m) in mine.iter().enumerate() {
        let b = find(base, m, &taken_base).inspect(|&b| taken_base[b] = true).map(|b| &base[b]);
        match (their_match[i].map(|t| &theirs[t]), b) {
            (Some(t), _) if t == m => out.push(Merged::Mine(i)),
            (Some(t), Some(b)) if m == b => {
                took.push(t.name.clone());
                out.push(Merged::Theirs(t.clone(), Some(i)));
            }
            (Some(t), Some(b)) if t == b => out.push(Merged::Mine(i)),
            (Some(t), _) => {
                // Changed in both (or new in both with different text): keep both.
                out.push(Merged::Mine(i));
                let mut copy = t.clone();
                copy.name = format!("{} (from another tab)", t.name);
                copy.paragraphs.iter_mut().for_each(|p| p.id = new_id());
                copies.push(copy.name.clone());
                out.push(Merged::Theirs(copy, None));
            }
            // Gone from the other tab's notebook: deleted there, unless it is new or changed here.
            (None, Some(b)) if m == b => deleted.push(m.name.clone()),
            (None, Some(_)) => {
                kept.push(m.name.clone());
                out.push(Merged::Mine(i));
            }
            (None, None) => out.push(Merged::Mine(i)),
        }
    }
    // Notes new in the other tab (neither here nor in the base).
    for (t, note) in theirs.iter().enumerate() {
        if theirs_taken[t] {
            continue;
        }
        if find(base, note, &taken_base).is_some() {
            // Deleted here, since the base: stays deleted.
            continue;
        }
        took.push(note.name.clone());
        out.push(Merged::Theirs(note.clone(), None));
    }
    let quoted = |names: &[String]| names.iter().map(|n| format!("“{n}”")).collect::<Vec<_>>().join(", ");
    let mut parts = Vec::new();
    if !took.is_empty() {
        parts.push(format!("took {} from it", quoted(&took)));
    }
    if !copies.is_empty() {
        parts.push(format!("notes changed in both tabs keep this tab's text, and the other tab's is kept as {}", quoted(&copies)));
    }
    if !deleted.is_empty() {
        parts.push(format!("deleted {}, as it did", quoted(&deleted)));
    }
    if !kept.is_empty() {
        parts.push(format!("kept {}, which it deleted, because it changed here", quoted(&kept)));
    }
    let notice = (!parts.is_empty()).then(|| format!("Another tab saved changes to your notes: {}.", parts.join("; ")));
    Merge { notes: out, notice }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::views::note::ParagraphDoc;

    fn note(name: &str, paragraphs: &[(&str, &str)]) -> NoteDoc {
        NoteDoc { name: name.into(), paragraphs: paragraphs.iter().map(|(id, text)| ParagraphDoc::new(id.to_string(), *text)).collect() }
    }

    fn ids() -> impl FnMut() -> String {
        let mut n = 0;
        move || {
            n += 1;
            format!("copy_{n}")
        }
    }

    #[test]
    fn a_note_changed_only_in_the_other_tab_is_taken() {
        let a = note("A", &[("p1", "SELECT 1")]);
        let b = note("B", &[("p2", "SELECT 2")]);
        let b2 = note("B", &[("p2", "SELECT 22")]);
        let merge = merge(&[a.clone(), b.clone()], &[a.clone(), b.clone()], &[a.clone(), b2.clone()], ids());
        assert_eq!(merge.notes, vec![Merged::Mine(0), Merged::Theirs(b2, Some(1))]);
        assert_eq!(merge.notice.unwrap(), "Another tab saved changes to your notes: took “B” from it.");
    }

    #[test]
    fn a_note_changed_only_here_is_kept_and_nothing_is_said() {
        let a = note("A", &[("p1", "SELECT 1")]);
        let a2 = note("A", &[("p1", "SELECT 11")]);
        let merge = merge(std::slice::from_ref(&a), &[a2], std::slice::from_ref(&a), ids());
        assert!(merge.is_unchanged(1));
        assert_eq!(merge.notice, None);
    }

    #[test]
    fn a_note_changed_in_both_keeps_both() {
        let a = note("A", &[("p1", "SELECT 1"), ("p2", "SELECT 2")]);
        let mine = note("A", &[("p1", "SELECT 1 -- here")]);
        let theirs = note("A", &[("p1", "SELECT 1"), ("p2", "SELECT 2 -- there")]);
        let merge = merge(&[a], &[mine], &[theirs], ids());
        let copy = note("A (from another tab)", &[("copy_1", "SELECT 1"), ("copy_2", "SELECT 2 -- there")]);
        assert_eq!(merge.notes, vec![Merged::Mine(0), Merged::Theirs(copy, None)]);
        assert_eq!(
            merge.notice.unwrap(),
            "Another tab saved changes to your notes: notes changed in both tabs keep this tab's text, and the other tab's is kept as “A (from another tab)”."
        );
    }

    #[test]
    fn new_and_deleted_notes_follow_the_other_tab_unless_changed_here() {
        let a = note("A", &[("p1", "x")]);
        let b = note("B", &[("p2", "y")]);
        let c = note("C", &[("p3", "z")]);
        let new = note("New", &[("p9", "n")]);
        let c_here = note("C", &[("p3", "z changed")]);
        // The other tab deleted B and C and added New; C was changed here.
        let merge = merge(&[a.clone(), b.clone(), c.clone()], &[a.clone(), b, c_here], &[a, new.clone()], ids());
        assert_eq!(merge.notes, vec![Merged::Mine(0), Merged::Mine(2), Merged::Theirs(new, None)]);
        assert_eq!(
            merge.notice.unwrap(),
            "Another tab saved changes to your notes: took “New” from it; deleted “B”, as it did; kept “C”, which it deleted, because it changed here."
        );
    }

    #[test]
    fn crossing_saves_merge_against_the_version_each_was_based_on() {
        // Both tabs start from s0; A saves s1 (edits p1), B saves s2 (edits p2) over s0, and
        // storage keeps s2. A, having written s1, gets s2: its base must be s0, not s1.
        let s0 = note("N", &[("p1", "a"), ("p2", "b")]);
        let s1 = note("N", &[("p1", "a edited in A"), ("p2", "b")]);
        let s2 = note("N", &[("p1", "a"), ("p2", "b edited in B")]);
        let mut seen_a = Seen::new(vec![s0.clone()]);
        let s0_print = seen_a.latest();
        seen_a.record(vec![s1.clone()]);
        let merged = merge(&seen_a.base_for(s0_print), std::slice::from_ref(&s1), std::slice::from_ref(&s2), ids());
        assert_eq!(merged.notes[0], Merged::Mine(0), "A keeps its edit");
        assert!(matches!(&merged.notes[1], Merged::Theirs(copy, None) if copy.paragraphs[1].text == "b edited in B"), "and B's as a copy");
        // Against its own last write (s1), A would have taken s2 and lost its edit.
        let naive = merge(&seen_a.base_for(None), std::slice::from_ref(&s1), std::slice::from_ref(&s2), ids());
        assert_eq!(naive.notes, vec![Merged::Theirs(s2, Some(0))]);
    }

    #[test]
    fn a_note_deleted_here_stays_deleted_and_new_notes_here_stay() {
        let a = note("A", &[("p1", "x")]);
        let b = note("B", &[("p2", "y")]);
        let mine_new = note("Mine", &[("p5", "m")]);
        let merge = merge(&[a.clone(), b.clone()], &[a.clone(), mine_new], &[a, b], ids());
        assert!(merge.is_unchanged(2));
        assert_eq!(merge.notice, None);
    }
}

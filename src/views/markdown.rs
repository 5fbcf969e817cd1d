//! `%md` paragraphs rendered to HTML: the part of Markdown notes use — headings, paragraphs,
//! lists, block quotes, rules, fenced code, inline code, bold, italic and links. Everything the
//! author wrote is escaped, so a note can never inject markup or script into the page; links
//! only go to http(s), mailto, or relative addresses.
//!
//! A shared link renders its markdown as it opens, so the text may be hostile. Rendering is
//! linear in the text's length and its depth is bounded: block quotes nest at most
//! [`MAX_QUOTE_DEPTH`] deep and emphasis and links at most [`MAX_INLINE_DEPTH`] deep (list items
//! do not nest); a deeper marker is shown as the text it is. Inline markup is read with tables
//! of "the next closer at or after here", built once per block, so no marker rescans the text.

/// Block quotes inside block quotes: deeper `>` lines are shown as text.
pub const MAX_QUOTE_DEPTH: usize = 8;
/// Emphasis and links inside each other: deeper markers are shown as text.
pub const MAX_INLINE_DEPTH: usize = 8;

/// The Markdown `text` as HTML.
pub fn to_html(text: &str) -> String {
    let mut out = String::new();
    blocks(text, 0, &mut out);
    out
}

/// The blocks of `text`, inside `depth` block quotes. Recursion is bounded by
/// [`MAX_QUOTE_DEPTH`].
fn blocks(text: &str, depth: usize, out: &mut String) {
    let lines: Vec<&str> = text.lines().collect();
    let mut i = 0;
    let mut paragraph: Vec<&str> = Vec::new();
    let flush = |paragraph: &mut Vec<&str>, out: &mut String| {
        if !paragraph.is_empty() {
            out.push_str("<p>");
            out.push_str(&inline(&paragraph.iter().map(|l| l.trim()).collect::<Vec<_>>().join("\n")));
            out.push_str("</p>\n");
            paragraph.clear();
        }
    };
    while i < lines.len() {
        let line = lines[i];
        let trimmed = line.trim_start();
        if trimmed.is_empty() {
            flush(&mut paragraph, out);
            i += 1;
        } else if let Some(fence) = trimmed.strip_prefix("```").or_else(|| trimmed.strip_prefix("~~~")) {
            flush(&mut paragraph, out);
            let marker = &trimmed[..3];
            let language = fence.trim();
            i += 1;
            let mut code = String::new();
            while i < lines.len() && !lines[i].trim_start().starts_with(marker) {
                code.push_str(&escape(lines[i]));
                code.push('\n');
                i += 1;
            }
            i += 1; // the closing fence (or the end)
            if language.is_empty() {
                out.push_str("<pre><code>");
            } else {
                out.push_str(&format!("<pre><code class=\"language-{}\">", escape(language)));
            }
            out.push_str(&code);
            out.push_str("</code></pre>\n");
        } else if let Some((level, title)) = heading(trimmed) {
            flush(&mut paragraph, out);
            out.push_str(&format!("<h{level}>{}</h{level}>\n", inline(title)));
            i += 1;
        } else if is_rule(trimmed) {
            flush(&mut paragraph, out);
            out.push_str("<hr>\n");
            i += 1;
        } else if trimmed.starts_with('>') && depth < MAX_QUOTE_DEPTH {
            flush(&mut paragraph, out);
            let mut quoted = Vec::new();
            while i < lines.len() && lines[i].trim_start().starts_with('>') {
                let l = lines[i].trim_start()[1..].strip_prefix(' ').unwrap_or(&lines[i].trim_start()[1..]);
                quoted.push(l);
                i += 1;
            }
            out.push_str("<blockquote>\n");
            blocks(&quoted.join("\n"), depth + 1, out);
            out.push_str("</blockquote>\n");
        } else if let Some(ordered) = list_item(trimmed).map(|(o, _)| o) {
            flush(&mut paragraph, out);
            out.push_str(if ordered { "<ol>\n" } else { "<ul>\n" });
            while i < lines.len() {
                let l = lines[i].trim_start();
                match list_item(l) {
                    Some((o, item)) if o == ordered => {
                        let mut item = item.to_string();
                        i += 1;
                        // Lazy continuation lines belong to the item.
                        while i < lines.len()
                            && !lines[i].trim().is_empty()
                            && list_item(lines[i].trim_start()).is_none()
                            && lines[i].starts_with([' ', '\t'])
                        {
                            item.push('\n');
                            item.push_str(lines[i].trim());
                            i += 1;
                        }
                        out.push_str(&format!("<li>{}</li>\n", inline(&item)));
                    }
                    _ => break,
                }
            }
            out.push_str(if ordered { "</ol>\n" } else { "</ul>\n" });
        } else {
            paragraph.push(line);
            i += 1;
        }
    }
    flush(&mut paragraph, out);
}

fn heading(line: &str) -> Option<(usize, &str)> {
    let level = line.bytes().take_while(|&b| b == b'#').count();
    if !(1..=6).contains(&level) {
        return None;
    }
    let rest = &line[level..];
    if !rest.is_empty() && !rest.starts_with([' ', '\t']) {
        return None;
    }
    Some((level, rest.trim().trim_end_matches('#').trim_end()))
}

fn is_rule(line: &str) -> bool {
    let compact: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    compact.len() >= 3 && (compact.chars().all(|c| c == '-') || compact.chars().all(|c| c == '*') || compact.chars().all(|c| c == '_'))
}

/// `- item`, `* item`, `+ item` (unordered) or `1. item`, `1) item` (ordered).
fn list_item(line: &str) -> Option<(bool, &str)> {
    for bullet in ["- ", "* ", "+ "] {
        if let Some(rest) = line.strip_prefix(bullet) {
            return Some((false, rest.trim()));
        }
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=9).contains(&digits) {
        let rest = &line[digits..];
        if let Some(item) = rest.strip_prefix(". ").or_else(|| rest.strip_prefix(") ")) {
            return Some((true, item.trim()));
        }
    }
    None
}

/// "None found" in a [`Scan`] table.
const NONE: u32 = u32::MAX;

/// One block's text as characters, with tables of where the next closer of each kind is, so
/// that finding a marker's closer costs one lookup instead of a scan.
struct Scan {
    chars: Vec<char>,
    /// For each index k, the first index at or after k holding `` ` ``, `]`, `)`, whitespace.
    next_tick: Vec<u32>,
    next_bracket: Vec<u32>,
    next_paren: Vec<u32>,
    next_space: Vec<u32>,
    /// For `*`, `**`, `_`, `__` (see [`Scan::kind`]): the first index at or after k where that
    /// marker closes emphasis, judged on the whole text (see [`Scan::closer`] for a closer at
    /// the end of a nested span).
    next_closer: [Vec<u32>; 4],
}

/// An emphasis or link being rendered: its text ends at `limit`, then the reading goes on at
/// `resume`, after writing `close`.
struct Span {
    limit: usize,
    resume: usize,
    close: &'static str,
}

fn word(c: Option<&char>) -> bool {
    c.is_some_and(|ch| ch.is_alphanumeric())
}

impl Scan {
    fn new(text: &str) -> Scan {
        let chars: Vec<char> = text.chars().collect();
        let next = |chars: &[char], at: &dyn Fn(usize) -> bool| {
            let mut table = vec![NONE; chars.len() + 1];
            for k in (0..chars.len()).rev() {
                // Text past 4 G characters is not a block a page holds; its tail reads as "none".
                table[k] = if at(k) { u32::try_from(k).unwrap_or(NONE) } else { table[k + 1] };
            }
            table
        };
        let next_tick = next(&chars, &|k| chars[k] == '`');
        let next_bracket = next(&chars, &|k| chars[k] == ']');
        let next_paren = next(&chars, &|k| chars[k] == ')');
        let next_space = next(&chars, &|k| chars[k].is_whitespace());
        let closer = |c: char, len: usize| next(&chars, &|k| Scan::closes(&chars, c, len, k, true));
        let next_closer = [closer('*', 1), closer('*', 2), closer('_', 1), closer('_', 2)];
        Scan { chars, next_tick, next_bracket, next_paren, next_space, next_closer }
    }

    fn kind(c: char, len: usize) -> usize {
        usize::from(c == '_') * 2 + (len - 1)
    }

    /// Whether `len` of `c` at `end` close emphasis: the marker touches the text before it,
    /// and (when `whole`, i.e. text follows inside the span) is not followed by another `c`,
    /// nor, for `_`, by a letter.
    fn closes(chars: &[char], c: char, len: usize, end: usize, whole: bool) -> bool {
        end >= 1
            && end + len <= chars.len()
            && chars[end..end + len].iter().all(|&m| m == c)
            && !chars[end - 1].is_whitespace()
            && (!whole || (chars.get(end + len) != Some(&c) && !(c == '_' && word(chars.get(end + len)))))
    }

    /// The first index in `from..limit` of `table`'s character.
    fn first(table: &[u32], from: usize, limit: usize) -> Option<usize> {
        let at = *table.get(from)?;
        (at != NONE && (at as usize) < limit).then_some(at as usize)
    }

    /// The first closer of `len` × `c` at or after `from` inside a span ending at `limit`. Inside
    /// the span a closer is judged as on the whole text, except one ending exactly at `limit`,
    /// where nothing follows it.
    fn closer(&self, c: char, len: usize, from: usize, limit: usize) -> Option<usize> {
        if from + len > limit {
            return None;
        }
        if let Some(end) = Scan::first(&self.next_closer[Scan::kind(c, len)], from, limit).filter(|e| e + len <= limit) {
            return Some(end);
        }
        let last = limit - len;
        (last >= from && Scan::closes(&self.chars, c, len, last, false)).then_some(last)
    }

    /// `**strong**` / `__strong__` / `*em*` / `_em_` at `i`: (strong, index of the closer, marker
    /// length). Openers must touch their text, and `_` only counts at word edges, so `sensor_data`
    /// and `COUNT(*)` stay as written.
    fn emphasis(&self, i: usize, limit: usize) -> Option<(bool, usize, usize)> {
        let chars = &self.chars;
        let c = chars[i];
        if c == '_' && word(i.checked_sub(1).and_then(|k| chars.get(k))) {
            return None;
        }
        for len in [2, 1] {
            if i + len > limit || chars[i..i + len].iter().any(|&m| m != c) {
                continue;
            }
            if i + len >= limit {
                return None;
            }
            let first = chars[i + len];
            if first.is_whitespace() || first == c {
                continue;
            }
            if let Some(end) = self.closer(c, len, i + len + 1, limit) {
                return Some((len == 2, end, len));
            }
        }
        None
    }

    /// `[label](url)` at `i`, inside a span ending at `limit`: (index of `]`, index of `)`).
    fn link(&self, i: usize, limit: usize) -> Option<(usize, usize)> {
        let close = Scan::first(&self.next_bracket, i + 1, limit)?;
        if close + 1 >= limit || self.chars[close + 1] != '(' {
            return None;
        }
        let end = Scan::first(&self.next_paren, close + 2, limit)?;
        if Scan::first(&self.next_space, close + 2, end).is_some() {
            return None;
        }
        Some((close, end))
    }
}

/// Inline markup of one block's text. Spans nest on an explicit stack, at most
/// [`MAX_INLINE_DEPTH`] deep.
fn inline(text: &str) -> String {
    let scan = Scan::new(text);
    let chars = &scan.chars;
    let mut out = String::with_capacity(text.len());
    let mut spans: Vec<Span> = Vec::new();
    let mut i = 0;
    loop {
        let limit = spans.last().map_or(chars.len(), |s| s.limit);
        if i >= limit {
            match spans.pop() {
                Some(span) => {
                    out.push_str(span.close);
                    i = span.resume;
                    continue;
                }
                None => break,
            }
        }
        let nested = spans.len() < MAX_INLINE_DEPTH;
        let c = chars[i];
        match c {
            '\\' if i + 1 < limit && chars[i + 1].is_ascii_punctuation() => {
                escape_char(&mut out, chars[i + 1]);
                i += 2;
            }
            '`' => match Scan::first(&scan.next_tick, i + 1, limit) {
                Some(end) => {
                    out.push_str("<code>");
                    chars[i + 1..end].iter().for_each(|&c| escape_char(&mut out, c));
                    out.push_str("</code>");
                    i = end + 1;
                }
                None => {
                    out.push('`');
                    i += 1;
                }
            },
            '*' | '_' if nested => match scan.emphasis(i, limit) {
                Some((strong, end, len)) => {
                    let (open, close) = if strong { ("<strong>", "</strong>") } else { ("<em>", "</em>") };
                    out.push_str(open);
                    spans.push(Span { limit: end, resume: end + len, close });
                    i += len;
                }
                None => {
                    out.push(c);
                    i += 1;
                }
            },
            '[' if nested => match scan.link(i, limit) {
                Some((close, end)) => {
                    let url: String = chars[close + 2..end].iter().collect();
                    let close_tag = if safe_url(&url) {
                        out.push_str("<a href=\"");
                        escape_into(&mut out, &url);
                        out.push_str("\" target=\"_blank\" rel=\"noopener noreferrer\">");
                        "</a>"
                    } else {
                        ""
                    };
                    spans.push(Span { limit: close, resume: end + 1, close: close_tag });
                    i += 1;
                }
                None => {
                    out.push('[');
                    i += 1;
                }
            },
            c => {
                escape_char(&mut out, c);
                i += 1;
            }
        }
    }
    out
}

fn safe_url(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    match lower.split_once(':') {
        Some((scheme, _)) if !scheme.contains(['/', '?', '#']) => matches!(scheme, "http" | "https" | "mailto"),
        _ => true,
    }
}

/// Text made safe for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(&mut out, text);
    out
}

/// [`escape`], appending to `out`.
pub fn escape_into(out: &mut String, text: &str) {
    text.chars().for_each(|c| escape_char(out, c));
}

fn escape_char(out: &mut String, c: char) {
    match c {
        '&' => out.push_str("&amp;"),
        '<' => out.push_str("&lt;"),
        '>' => out.push_str("&gt;"),
        '"' => out.push_str("&quot;"),
        '\'' => out.push_str("&#39;"),
        c => out.push(c),
    }
}

#[cfg(test)]
mod tests {
    use super::{to_html, MAX_QUOTE_DEPTH};

    #[test]
    fn headings_paragraphs_and_lists() {
        let md =
            "# Sensors\n\nReadings from **my-input-stream**,\nevery *second*.\n\n- one\n- two `x`\n\n1. first\n2. second\n\n### Done ###";
        assert_eq!(
            to_html(md),
            "<h1>Sensors</h1>\n<p>Readings from <strong>my-input-stream</strong>,\nevery <em>second</em>.</p>\n\
             <ul>\n<li>one</li>\n<li>two <code>x</code></li>\n</ul>\n<ol>\n<li>first</li>\n<li>second</li>\n</ol>\n<h3>Done</h3>\n"
        );
    }

    #[test]
    fn code_blocks_keep_their_text() {
        assert_eq!(
            to_html("```sql\nSELECT * FROM t WHERE a < 1;\n```\nafter"),
            "<pre><code class=\"language-sql\">SELECT * FROM t WHERE a &lt; 1;\n</code></pre>\n<p>after</p>\n"
        );
        // An unclosed fence runs to the end.
        assert_eq!(to_html("```\n**x**"), "<pre><code>**x**\n</code></pre>\n");
    }

    #[test]
    fn identifiers_and_stars_stay_as_written() {
        assert_eq!(to_html("sensor_data and COUNT(*) and 2 * 3"), "<p>sensor_data and COUNT(*) and 2 * 3</p>\n");
        assert_eq!(to_html("_one_ and __two__ and \\*three\\*"), "<p><em>one</em> and <strong>two</strong> and *three*</p>\n");
    }

    #[test]
    fn html_is_escaped_and_links_are_safe() {
        assert_eq!(to_html("<script>alert(1)</script> & \"q\""), "<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot;</p>\n");
        assert_eq!(
            to_html("[Flink](https://flink.apache.org/?a=1&b=\"2\")"),
            "<p><a href=\"https://flink.apache.org/?a=1&amp;b=&quot;2&quot;\" target=\"_blank\" rel=\"noopener noreferrer\">Flink</a></p>\n"
        );
        assert_eq!(to_html("[x](javascript:alert(1))"), "<p>x)</p>\n");
        assert_eq!(to_html("[x](JavaScript:alert)"), "<p>x</p>\n");
        assert_eq!(to_html("[doc](#top) [rel](a/b.md)").matches("<a href").count(), 2);
        assert_eq!(to_html("# <b>"), "<h1>&lt;b&gt;</h1>\n");
        assert_eq!(to_html("```<img src=x onerror=1>\n```"), "<pre><code class=\"language-&lt;img src=x onerror=1&gt;\"></code></pre>\n");
    }

    #[test]
    fn quotes_and_rules() {
        assert_eq!(to_html("> quoted *text*\n\n---"), "<blockquote>\n<p>quoted <em>text</em></p>\n</blockquote>\n<hr>\n");
    }

    #[test]
    fn quotes_nest_to_the_limit_and_deeper_markers_are_text() {
        // 3,000 `>` overflowed the page's stack: one level of recursion each.
        let html = to_html(&format!("{} deep", ">".repeat(3000)));
        assert_eq!(html.matches("<blockquote>").count(), MAX_QUOTE_DEPTH);
        assert!(html.contains(&format!("<p>{} deep</p>", "&gt;".repeat(3000 - MAX_QUOTE_DEPTH))), "the rest is text");
        assert_eq!(to_html(">> two\n> one"), "<blockquote>\n<blockquote>\n<p>two</p>\n</blockquote>\n<p>one</p>\n</blockquote>\n");
    }

    #[test]
    fn emphasis_and_links_nest() {
        // A marker closes at the first closer of its kind, so spans of one kind hardly nest and
        // depth stays small; MAX_INLINE_DEPTH is a guard, not a shape notes reach.
        assert_eq!(
            to_html("[**a __b *c _d_ c* b__ a**](x)"),
            "<p><a href=\"x\" target=\"_blank\" rel=\"noopener noreferrer\"><strong>a <strong>b <em>c <em>d</em> c</em> b</strong> a</strong></a></p>\n"
        );
        assert_eq!(to_html("**a *b***"), "<p><strong>a <em>b</em></strong></p>\n");
        let deep = format!("{}x{}", "[".repeat(3000), "](a)".repeat(3000));
        assert_eq!(to_html(&deep).matches("<a href").count(), 1);
    }

    #[test]
    fn unclosed_markers_are_text() {
        let text = "*a ".repeat(2000);
        assert_eq!(to_html(&text), format!("<p>{}</p>\n", text.trim()));
        let text = "[a](".repeat(2000) + "`";
        assert_eq!(to_html(&text), format!("<p>{text}</p>\n"));
    }

    #[test]
    fn never_panics_on_odd_input() {
        for text in ["", "#", "*", "**", "_", "[", "[]", "[](", "`", "1.", "- ", ">", "\\", "ä*ö*ü", "[é](ü)", "*\u{1F600}*", "#######"]
        {
            let _ = to_html(text);
        }
    }
}

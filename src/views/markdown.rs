//! `%md` paragraphs rendered to HTML: the part of Markdown notes use — headings, paragraphs,
//! lists, block quotes, rules, fenced code, inline code, bold, italic and links. Everything the
//! author wrote is escaped, so a note can never inject markup or script into the page; links
//! only go to http(s), mailto, or relative addresses.

/// The Markdown `text` as HTML.
pub fn to_html(text: &str) -> String {
    let mut out = String::new();
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
            flush(&mut paragraph, &mut out);
            i += 1;
        } else if let Some(fence) = trimmed.strip_prefix("```").or_else(|| trimmed.strip_prefix("~~~")) {
            flush(&mut paragraph, &mut out);
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
            flush(&mut paragraph, &mut out);
            out.push_str(&format!("<h{level}>{}</h{level}>\n", inline(title)));
            i += 1;
        } else if is_rule(trimmed) {
            flush(&mut paragraph, &mut out);
            out.push_str("<hr>\n");
            i += 1;
        } else if trimmed.starts_with('>') {
            flush(&mut paragraph, &mut out);
            let mut quoted = Vec::new();
            while i < lines.len() && lines[i].trim_start().starts_with('>') {
                let l = lines[i].trim_start()[1..].strip_prefix(' ').unwrap_or(&lines[i].trim_start()[1..]);
                quoted.push(l);
                i += 1;
            }
            out.push_str("<blockquote>\n");
            out.push_str(&to_html(&quoted.join("\n")));
            out.push_str("</blockquote>\n");
        } else if let Some(ordered) = list_item(trimmed).map(|(o, _)| o) {
            flush(&mut paragraph, &mut out);
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
    flush(&mut paragraph, &mut out);
    out
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

/// Inline markup of one block's text.
fn inline(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' if chars.get(i + 1).is_some_and(|n| n.is_ascii_punctuation()) => {
                out.push_str(&escape(&chars[i + 1].to_string()));
                i += 2;
            }
            '`' => match find(&chars, i + 1, &['`']) {
                Some(end) => {
                    let code: String = chars[i + 1..end].iter().collect();
                    out.push_str(&format!("<code>{}</code>", escape(&code)));
                    i = end + 1;
                }
                None => {
                    out.push('`');
                    i += 1;
                }
            },
            '*' | '_' => match emphasis(&chars, i) {
                Some((strong, end, len)) => {
                    let inner: String = chars[i + len..end].iter().collect();
                    let tag = if strong { "strong" } else { "em" };
                    out.push_str(&format!("<{tag}>{}</{tag}>", inline(&inner)));
                    i = end + len;
                }
                None => {
                    out.push(c);
                    i += 1;
                }
            },
            '[' => match link(&chars, i) {
                Some((label, url, end)) => {
                    if safe_url(&url) {
                        out.push_str(&format!(
                            "<a href=\"{}\" target=\"_blank\" rel=\"noopener noreferrer\">{}</a>",
                            escape(&url),
                            inline(&label)
                        ));
                    } else {
                        out.push_str(&inline(&label));
                    }
                    i = end + 1;
                }
                None => {
                    out.push('[');
                    i += 1;
                }
            },
            '\n' => {
                out.push('\n');
                i += 1;
            }
            c => {
                out.push_str(&escape(&c.to_string()));
                i += 1;
            }
        }
    }
    out
}

/// The first index at or after `from` holding `pattern`.
fn find(chars: &[char], from: usize, pattern: &[char]) -> Option<usize> {
    (from..chars.len().saturating_sub(pattern.len() - 1)).find(|&k| chars[k..k + pattern.len()] == *pattern)
}

/// `**strong**` / `__strong__` / `*em*` / `_em_` at `i`: (strong, index of the closer, marker
/// length). Openers must touch their text, and `_` only counts at word edges, so `sensor_data`
/// and `COUNT(*)` stay as written.
fn emphasis(chars: &[char], i: usize) -> Option<(bool, usize, usize)> {
    let c = chars[i];
    let word = |k: Option<&char>| k.is_some_and(|ch| ch.is_alphanumeric());
    if c == '_' && word(i.checked_sub(1).and_then(|k| chars.get(k))) {
        return None;
    }
    for len in [2, 1] {
        let marker = vec![c; len];
        if chars.get(i..i + len) != Some(&marker[..]) {
            continue;
        }
        let first = chars.get(i + len)?;
        if first.is_whitespace() || *first == c {
            continue;
        }
        let mut from = i + len + 1;
        while let Some(end) = find(chars, from, &marker) {
            let closes = !chars[end - 1].is_whitespace() && chars.get(end + len) != Some(&c) && !(c == '_' && word(chars.get(end + len)));
            if closes {
                return Some((len == 2, end, len));
            }
            from = end + 1;
        }
    }
    None
}

/// `[label](url)` at `i`: (label, url, index of the closing parenthesis).
fn link(chars: &[char], i: usize) -> Option<(String, String, usize)> {
    let close = find(chars, i + 1, &[']'])?;
    if chars.get(close + 1) != Some(&'(') {
        return None;
    }
    let end = find(chars, close + 2, &[')'])?;
    let label: String = chars[i + 1..close].iter().collect();
    let url: String = chars[close + 2..end].iter().collect();
    if url.contains(char::is_whitespace) {
        return None;
    }
    Some((label, url, end))
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
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::to_html;

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
    fn never_panics_on_odd_input() {
        for text in ["", "#", "*", "**", "_", "[", "[]", "[](", "`", "1.", "- ", ">", "\\", "ä*ö*ü", "[é](ü)", "*\u{1F600}*", "#######"]
        {
            let _ = to_html(text);
        }
    }
}

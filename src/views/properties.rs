//! A paragraph's Zeppelin properties, from its interpreter line:
//! `%flink.ssql(type=single, template=<h1>{0}</h1>, refreshInterval=1000, parallelism=2)`.
//!
//! `type` picks how the result is kept ([`ResultMode`]); `refreshInterval` how often (ms) its
//! view redraws; `template` how `type=single` shows its row; `parallelism` is accepted, shown,
//! and exported as `SET 'parallelism.default'` (the page runs one task per operator). A value
//! may be double-quoted (`template="{0}, {1}"`); unquoted, it runs to the comma before the next
//! `key=`, so `template=<b>{0}, {1}</b>` needs no quotes.

use super::markdown::escape_into;
use super::table::ResultMode;
use crate::types::Value;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ParagraphProperties {
    pub mode: ResultMode,
    pub refresh_interval_ms: Option<u32>,
    pub template: Option<String>,
    pub parallelism: Option<u32>,
}

/// The fastest redraw `refreshInterval` asks for that the page honours: one engine step.
pub const MIN_REFRESH_INTERVAL_MS: u32 = 40;

impl ParagraphProperties {
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut props = ParagraphProperties::default();
        for (key, value) in pairs(text)? {
            let number = |what: &str| value.trim().parse::<u32>().map_err(|_| format!("{key}={value} is not a {what}"));
            match key.as_str() {
                "type" => props.mode = ResultMode::from_property(Some(&value))?,
                "refreshInterval" => props.refresh_interval_ms = Some(number("number of milliseconds")?.max(MIN_REFRESH_INTERVAL_MS)),
                "template" => props.template = Some(value),
                "parallelism" => match number("whole number")? {
                    0 => return Err("parallelism=0: a job needs at least one task".into()),
                    n => props.parallelism = Some(n),
                },
                // Zeppelin's other properties (maxParallelism, savepointDir, …) mean nothing
                // in the page; they are kept in the text and ignored here.
                _ => {}
            }
        }
        Ok(props)
    }
}

/// The `key=value` pairs of the interpreter line, in order.
pub(crate) fn pairs(text: &str) -> Result<Vec<(String, String)>, String> {
    let Some(header) = text.trim_start().strip_prefix('%') else { return Ok(Vec::new()) };
    let header = header.lines().next().unwrap_or("");
    let Some(open) = header.find('(') else { return Ok(Vec::new()) };
    let inner = header[open + 1..].trim_end();
    let inner = inner.strip_suffix(')').ok_or("the interpreter line's properties have no closing `)`")?;
    let mut pairs = Vec::new();
    let mut rest = inner;
    while !rest.trim().is_empty() {
        let (key, after) = rest.split_once('=').ok_or_else(|| format!("`{}` is not key=value", rest.trim()))?;
        let after = after.trim_start();
        let (value, next) = if let Some(quoted) = after.strip_prefix('"') {
            let end = quoted.find('"').ok_or_else(|| format!("the value of {} has no closing quote", key.trim()))?;
            let next = quoted[end + 1..].trim_start();
            (quoted[..end].to_string(), next.strip_prefix(',').unwrap_or(next))
        } else {
            let end = value_end(after);
            (after[..end].trim().to_string(), after[end..].strip_prefix(',').unwrap_or(&after[end..]))
        };
        pairs.push((key.trim().to_string(), value));
        rest = next;
    }
    Ok(pairs)
}

/// Where an unquoted value ends: at the first comma that starts the next `key=`, so a
/// template's own commas (`<b>{0}, {1}</b>`) stay in it.
fn value_end(s: &str) -> usize {
    for (i, _) in s.match_indices(',') {
        let next = s[i + 1..].trim_start();
        let key_len = next.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.')).unwrap_or(next.len());
        if key_len > 0 && next[key_len..].trim_start().starts_with('=') {
            return i;
        }
    }
    s.len()
}

/// Tags a `type=single` template may use; anything else in it shows as text. Attributes are
/// dropped, so an imported note's template cannot run script or load anything.
const TEMPLATE_TAGS: &[&str] =
    &["b", "big", "br", "code", "div", "em", "h1", "h2", "h3", "h4", "h5", "h6", "i", "p", "small", "span", "strong", "sub", "sup", "u"];

/// Zeppelin's single mode: `{0}`, `{1}`, … in the template become the row's values, escaped.
pub fn render_template(template: &str, row: &[Value]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(c) = rest.chars().next() {
        if c == '{' {
            if let Some(close) = rest.find('}') {
                if let Ok(i) = rest[1..close].trim().parse::<usize>() {
                    let value = row.get(i).map(|v| if v.is_null() { "NULL".to_string() } else { v.to_string() }).unwrap_or_default();
                    escape_into(&mut out, &value);
                    rest = &rest[close + 1..];
                    continue;
                }
            }
        }
        if c == '<' {
            if let Some(tag) = allowed_tag(rest) {
                out.push_str(&tag.html);
                rest = &rest[tag.len..];
                continue;
            }
        }
        escape_into(&mut out, &rest[..c.len_utf8()]);
        rest = &rest[c.len_utf8()..];
    }
    out
}

struct Tag {
    html: String,
    len: usize,
}

/// `<h1 class="x">` → `<h1>`, `</h1>` → `</h1>`, `<br/>` → `<br>`; `None` for other tags.
fn allowed_tag(s: &str) -> Option<Tag> {
    let close = s.find('>')?;
    let inner = &s[1..close];
    let (slash, inner) = match inner.strip_prefix('/') {
        Some(i) => ("/", i),
        None => ("", inner),
    };
    let name: String = inner.chars().take_while(char::is_ascii_alphanumeric).collect::<String>().to_ascii_lowercase();
    TEMPLATE_TAGS.contains(&name.as_str()).then(|| Tag { html: format!("<{slash}{name}>"), len: close + 1 })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn properties_come_from_the_interpreter_line() {
        let p = ParagraphProperties::parse(
            "%flink.ssql(type=single, template=<h1>{0}, {1}</h1>, refreshInterval=1000, parallelism=2)\nSELECT 1",
        )
        .unwrap();
        assert_eq!(p.mode, ResultMode::Single);
        assert_eq!(p.template.as_deref(), Some("<h1>{0}, {1}</h1>"));
        assert_eq!(p.refresh_interval_ms, Some(1000));
        assert_eq!(p.parallelism, Some(2));
        let quoted = ParagraphProperties::parse("%flink.ssql(template=\"a, (b\", type=append)").unwrap();
        assert_eq!((quoted.template.as_deref(), quoted.mode), (Some("a, (b"), ResultMode::Append));
        assert_eq!(ParagraphProperties::parse("SELECT 1").unwrap(), ParagraphProperties::default());
        assert_eq!(ParagraphProperties::parse("%flink.ssql\nSELECT 1").unwrap(), ParagraphProperties::default());
        // Faster than the engine steps is as fast as it steps.
        assert_eq!(ParagraphProperties::parse("%flink.ssql(refreshInterval=5)").unwrap().refresh_interval_ms, Some(40));
    }

    #[test]
    fn bad_properties_say_what_is_wrong() {
        let err = |t: &str| ParagraphProperties::parse(t).unwrap_err();
        assert_eq!(err("%flink.ssql(refreshInterval=soon)"), "refreshInterval=soon is not a number of milliseconds");
        assert_eq!(err("%flink.ssql(parallelism=0)"), "parallelism=0: a job needs at least one task");
        assert_eq!(err("%flink.ssql(type=chart)"), "type=chart is not one of update, append, single");
        assert_eq!(err("%flink.ssql(type=update"), "the interpreter line's properties have no closing `)`");
        assert_eq!(err("%flink.ssql(update)"), "`update` is not key=value");
    }

    #[test]
    fn templates_escape_values_and_keep_only_plain_tags() {
        let row = [Value::Str("<b>&".into()), Value::Int(42), Value::Null];
        assert_eq!(render_template("<h1 class=big>{0}</h1> n={1} {2} {7}", &row), "<h1>&lt;b&gt;&amp;</h1> n=42 NULL ");
        assert_eq!(
            render_template("<img src=x onerror=alert(1)><script>x</script>{x}", &row),
            "&lt;img src=x onerror=alert(1)&gt;&lt;script&gt;x&lt;/script&gt;{x}"
        );
        assert_eq!(render_template("a<br/>b", &row), "a<br>b");
    }
}

//! What a notebook paragraph's Zeppelin interpreter line asks for: `%flink.ssql` (streaming
//! SQL, also a paragraph without a `%` line), `%flink.bsql` (batch SQL), `%flink.pyflink` and
//! `%flink.ipyflink` (Python, as Kinesis Data Analytics Studio names them), `%flink` (Scala),
//! `%md` (markdown). The session runs SQL paragraphs; Python ones run in the page, where
//! Pyodide is (their SQL comes back through [`super::Session::execute`]), and Scala ones
//! nowhere: Sluice has no JVM.

/// The kind of paragraph its interpreter line names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ParagraphKind {
    /// `%flink.ssql`, or no interpreter line.
    StreamingSql,
    /// `%flink.bsql`.
    BatchSql,
    /// `%flink.pyflink`, `%flink.ipyflink` (with or without `(…)` properties).
    Python,
    /// `%flink`: Scala, which Sluice cannot run.
    Scala,
    /// `%md`, `%flink.md`.
    Markdown,
    /// Any other interpreter (`%sh`, `%exercise`, …): the page decides; the session reads SQL.
    Other,
}

/// The interpreter a paragraph's first line names: `%flink.ssql(type=update)` → `flink.ssql`.
/// `None` when the text has no `%` line.
pub fn interpreter(text: &str) -> Option<&str> {
    let line = text.trim_start().lines().next()?.trim();
    let name = line.strip_prefix('%')?;
    let end = name.find(|c: char| c == '(' || c.is_whitespace()).unwrap_or(name.len());
    Some(&name[..end])
}

/// The kind of the paragraph `text`.
pub fn paragraph_kind(text: &str) -> ParagraphKind {
    match interpreter(text) {
        None | Some("flink.ssql") => ParagraphKind::StreamingSql,
        Some("flink.bsql") => ParagraphKind::BatchSql,
        Some("flink.pyflink" | "flink.ipyflink") => ParagraphKind::Python,
        Some("flink") => ParagraphKind::Scala,
        Some("md" | "flink.md") => ParagraphKind::Markdown,
        Some(_) => ParagraphKind::Other,
    }
}

/// Why the session does not run a paragraph of this kind itself, if it does not.
pub(super) fn refusal(text: &str) -> Option<crate::sql::SqlError> {
    let at = crate::sql::Location { line: 1, column: 1 };
    let name = interpreter(text).unwrap_or_default();
    match paragraph_kind(text) {
        ParagraphKind::Python => Some(
            crate::sql::SqlError::new(format!(
                "Python paragraphs run in the page (Pyodide); `sluice run` cannot run this %{name} paragraph"
            ))
            .at(at)
            .hint("open the note in Sluice's page to run it, or `sluice export` it as a PyFlink program for Flink"),
        ),
        ParagraphKind::Scala => Some(
            crate::sql::SqlError::new("Scala paragraphs are not supported")
                .at(at)
                .hint("Sluice runs SQL (%flink.ssql, %flink.bsql) and Python (%flink.pyflink) paragraphs: write the logic in one of those"),
        ),
        _ => None,
    }
}

/// The statements of paragraph `sql`, positioned as the user sees them (a leading interpreter
/// line blanked, not removed); a paragraph the session does not run ([`refusal`]) or one without
/// a statement is an error.
pub fn statements(sql: &str) -> Result<Vec<crate::sql::Located>, crate::sql::SqlError> {
    if let Some(refusal) = refusal(sql) {
        return Err(refusal);
    }
    let statements = crate::sql::parse_script(&blank_interpreter_line(sql))?;
    if statements.is_empty() {
        return Err(crate::sql::SqlError::new("there is no statement to run").hint("type a SQL statement, e.g. SELECT * FROM sensor_data"));
    }
    Ok(statements)
}

/// Replaces a leading `%interpreter(…)` line with spaces, so positions stay where the user
/// sees them.
pub fn blank_interpreter_line(text: &str) -> String {
    let trimmed = text.trim_start();
    if !trimmed.starts_with('%') {
        return text.to_string();
    }
    let lead = text.len() - trimmed.len();
    let end = trimmed.find('\n').map_or(text.len(), |i| lead + i);
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..lead]);
    out.extend(text[lead..end].chars().map(|_| ' '));
    out.push_str(&text[end..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_follow_studios_interpreter_names() {
        assert_eq!(paragraph_kind("SELECT 1"), ParagraphKind::StreamingSql);
        assert_eq!(paragraph_kind("%flink.ssql(type=update)\nSELECT 1"), ParagraphKind::StreamingSql);
        assert_eq!(paragraph_kind("  %flink.bsql\nSELECT 1"), ParagraphKind::BatchSql);
        assert_eq!(paragraph_kind("%flink.pyflink\nst_env.execute_sql('SELECT 1')"), ParagraphKind::Python);
        assert_eq!(paragraph_kind("%flink.ipyflink\nz.show(t)"), ParagraphKind::Python);
        assert_eq!(paragraph_kind("%flink.pyflink(parallelism=2)\nx = 1"), ParagraphKind::Python);
        assert_eq!(paragraph_kind("%flink\nval t = stenv.from(\"x\")"), ParagraphKind::Scala);
        assert_eq!(paragraph_kind("%flink(parallelism=1)\nval x = 1"), ParagraphKind::Scala);
        assert_eq!(paragraph_kind("%md\n# Title"), ParagraphKind::Markdown);
        assert_eq!(paragraph_kind("%sh\nls"), ParagraphKind::Other);
    }
}

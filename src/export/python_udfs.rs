//! The Python functions a note's Python paragraphs define and register, read from their text
//! for the export: its scratch session types the queries that call them (an `INSERT` must be
//! planned to find the `CAST`s Flink needs), and the PyFlink program registers them with
//! `create_temporary_function` where the note says `CREATE FUNCTION … LANGUAGE PYTHON`.
//!
//! Only what PyFlink's decorators say is read, line by line and without running anything:
//!
//! ```text
//! @udf(result_type=DataTypes.DOUBLE())            c_to_f: scalar, DOUBLE
//! def c_to_f(c): …
//! @udtf(result_types=[DataTypes.STRING(), DataTypes.INT()])
//! def split(s): …                                 split: table, ROW<f0 STRING, f1 INT>
//! to_f = udf(lambda c: …, result_type='DOUBLE')   to_f: scalar, DOUBLE
//! st_env.create_temporary_function("c_to_f", c_to_f)
//! ```
//!
//! A type it cannot read leaves the function out (the export then keeps the statements that
//! call it as written).

use crate::plan::functions::user::{UserFunction, UserFunctionError, UserFunctionHost, UserFunctionKind, UserSignature};
use crate::types::{DataType, Field, SqlType, Value};

/// A decorator or `udf(…)` call longer than this is not read (outside input stays bounded).
const MAX_DECLARATION: usize = 4096;

/// What a note's Python says about its functions.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NotePython {
    /// Python name → signature.
    pub functions: Vec<(String, UserSignature)>,
}

/// A registration in Python: `create_temporary_function("sql_name", python_name)`.
#[derive(Clone, Debug, PartialEq)]
pub struct Registration {
    pub sql_name: String,
    pub python_name: String,
    pub system: bool,
}

impl NotePython {
    /// Reads the functions the paragraphs' code defines.
    pub fn read<'a>(codes: impl IntoIterator<Item = &'a str>) -> NotePython {
        let mut note = NotePython::default();
        for code in codes {
            note.read_code(code);
        }
        note
    }

    fn read_code(&mut self, code: &str) {
        let lines: Vec<&str> = code.lines().collect();
        let mut i = 0;
        while i < lines.len() {
            let line = lines[i].trim_start();
            // `@udf(…)` / `@udtf(…)` (possibly over several lines), then `def name(`.
            if let Some(kind) = decorator_kind(line) {
                let (declaration, next) = gather(&lines, i);
                let name =
                    lines.iter().skip(next).map(|l| l.trim_start()).find(|l| !l.starts_with('@') && !l.is_empty()).and_then(def_name);
                if let (Some(name), Some(signature)) = (name, signature(kind, &declaration)) {
                    self.add(name, signature);
                }
                i = next;
                continue;
            }
            // `name = udf(…)` / `name = udtf(…)`.
            if let Some((name, rest)) = line.split_once('=') {
                let rest = rest.trim_start();
                let kind = if rest.starts_with("udf(") {
                    Some(UserFunctionKind::Scalar)
                } else if rest.starts_with("udtf(") {
                    Some(UserFunctionKind::Table)
                } else {
                    None
                };
                let name = name.trim();
                if let Some(kind) = kind.filter(|_| is_identifier(name)) {
                    let (declaration, next) = gather(&lines, i);
                    if let Some(signature) = signature(kind, &declaration) {
                        self.add(name, signature);
                    }
                    i = next;
                    continue;
                }
            }
            i += 1;
        }
    }

    fn add(&mut self, name: &str, signature: UserSignature) {
        self.functions.retain(|(n, _)| n != name);
        self.functions.push((name.to_string(), signature));
    }

    /// The signature of the Python function `name` (or `module.name`: the last part).
    pub fn signature(&self, target: &str) -> Option<&UserSignature> {
        let name = target.rsplit('.').next().unwrap_or(target);
        self.functions.iter().find(|(n, _)| n == name).map(|(_, s)| s)
    }

    /// Whether the note's Python defines `name` (or `module.name`).
    pub fn defines(&self, target: &str) -> bool {
        self.signature(target).is_some()
    }
}

/// The registrations in a paragraph's code: `….create_temporary_function("name", func)` and
/// `….create_temporary_system_function(…)`.
pub fn registrations(code: &str) -> Vec<Registration> {
    let mut out = Vec::new();
    for line in code.lines() {
        for (marker, system) in [(".create_temporary_system_function(", true), (".create_temporary_function(", false)] {
            let Some(at) = line.find(marker) else { continue };
            let args = &line[at + marker.len()..];
            let Some((name, rest)) = args.split_once(',') else { continue };
            let sql_name = name.trim().trim_matches(|c| c == '"' || c == '\'');
            let python_name = rest.trim().trim_end_matches(|c: char| c == ')' || c.is_whitespace());
            if is_identifier(sql_name) && is_identifier(python_name) {
                out.push(Registration { sql_name: sql_name.to_string(), python_name: python_name.to_string(), system });
            }
            break;
        }
    }
    out
}

fn decorator_kind(line: &str) -> Option<UserFunctionKind> {
    if line.starts_with("@udf(") || line.starts_with("@udf ") || line == "@udf" {
        Some(UserFunctionKind::Scalar)
    } else if line.starts_with("@udtf(") || line == "@udtf" {
        Some(UserFunctionKind::Table)
    } else {
        None
    }
}

/// The text from line `start` until its parentheses balance (at most [`MAX_DECLARATION`]
/// bytes), and the line after it.
fn gather(lines: &[&str], start: usize) -> (String, usize) {
    let mut text = String::new();
    let mut depth = 0i32;
    let mut i = start;
    while i < lines.len() && text.len() < MAX_DECLARATION {
        text.push_str(lines[i]);
        text.push('\n');
        depth += lines[i].matches('(').count() as i32 + lines[i].matches('[').count() as i32;
        depth -= lines[i].matches(')').count() as i32 + lines[i].matches(']').count() as i32;
        i += 1;
        if depth <= 0 {
            break;
        }
    }
    (text, i)
}

fn def_name(line: &str) -> Option<&str> {
    let rest = line.strip_prefix("def ")?;
    let name = rest[..rest.find('(')?].trim();
    is_identifier(name).then_some(name)
}

fn is_identifier(s: &str) -> bool {
    !s.is_empty() && !s.starts_with(|c: char| c.is_ascii_digit()) && s.chars().all(|c| c.is_alphanumeric() || c == '_')
}

/// The signature a decorator or `udf(…)` call declares.
fn signature(kind: UserFunctionKind, declaration: &str) -> Option<UserSignature> {
    let key = if kind == UserFunctionKind::Table { "result_types" } else { "result_type" };
    let result_text = argument(declaration, key).or_else(|| argument(declaration, "result_type"))?;
    let result = match kind {
        UserFunctionKind::Scalar => data_type(&result_text)?,
        UserFunctionKind::Table => {
            let types = list(&result_text).iter().map(|t| data_type(t)).collect::<Option<Vec<_>>>()?;
            DataType::Row(types.into_iter().enumerate().map(|(i, ty)| Field { name: format!("f{i}"), ty: SqlType::nullable(ty) }).collect())
        }
    };
    let params = match argument(declaration, "input_types") {
        Some(text) => Some(list(&text).iter().map(|t| data_type(t)).collect::<Option<Vec<_>>>()?),
        None => None,
    };
    let deterministic = argument(declaration, "deterministic").is_none_or(|d| d.trim() != "False");
    Some(UserSignature { kind, params, result, deterministic })
}

/// The text of keyword argument `key=` up to the comma or parenthesis that ends it.
fn argument(declaration: &str, key: &str) -> Option<String> {
    let mut search = declaration;
    let start = loop {
        let at = search.find(key)?;
        let before = search[..at].chars().next_back();
        let after = search[at + key.len()..].trim_start();
        if !before.is_some_and(|c| c.is_alphanumeric() || c == '_') && after.starts_with('=') && !after.starts_with("==") {
            let offset = declaration.len() - search.len() + at + key.len();
            break offset + (declaration[offset..].len() - declaration[offset..].trim_start().len()) + 1;
        }
        search = &search[at + key.len()..];
    };
    let rest = &declaration[start..];
    let mut depth = 0i32;
    for (i, c) in rest.char_indices() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' if depth == 0 => return Some(rest[..i].trim().to_string()),
            ')' | ']' => depth -= 1,
            ',' if depth == 0 => return Some(rest[..i].trim().to_string()),
            _ => {}
        }
    }
    Some(rest.trim().to_string())
}

/// `[a, b]` → `["a", "b"]`; a single item is a list of one.
fn list(text: &str) -> Vec<String> {
    let inner = text.trim().strip_prefix('[').and_then(|t| t.strip_suffix(']')).unwrap_or(text);
    let mut items = Vec::new();
    let (mut depth, mut start) = (0i32, 0);
    for (i, c) in inner.char_indices() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth -= 1,
            ',' if depth == 0 => {
                items.push(inner[start..i].trim().to_string());
                start = i + 1;
            }
            _ => {}
        }
    }
    let last = inner[start..].trim();
    if !last.is_empty() {
        items.push(last.to_string());
    }
    items
}

/// `DataTypes.DOUBLE()`, `DataTypes.DECIMAL(10, 2)`, `'STRING'` → the SQL type.
fn data_type(text: &str) -> Option<DataType> {
    let text = text.trim();
    let sql = if let Some(quoted) = text.strip_prefix(['\'', '"']).and_then(|t| t.strip_suffix(['\'', '"'])) {
        quoted.to_string()
    } else {
        let rest = text.strip_prefix("DataTypes.")?;
        let open = rest.find('(')?;
        let (name, args) = (&rest[..open], rest[open + 1..].strip_suffix(')')?.trim());
        if args.contains(['(', '=']) {
            return None;
        }
        if args.is_empty() {
            name.to_string()
        } else {
            format!("{name}({args})")
        }
    };
    crate::sql::parse_type_text(&sql).ok().map(|t| t.data_type)
}

impl UserFunctionHost for NotePython {
    fn describe(&self, target: &str) -> Result<UserSignature, String> {
        self.signature(target).cloned().ok_or_else(|| format!("the note's Python does not define `{target}` with @udf or @udtf"))
    }

    fn call_scalar(&self, f: &UserFunction, _: &[Vec<Value>], _: usize) -> Result<Vec<Value>, UserFunctionError> {
        Err(UserFunctionError::new(format!("the export does not run {}", f.name)))
    }

    fn call_table(&self, f: &UserFunction, _: &[Vec<Value>], _: usize) -> Result<Vec<Vec<Vec<Value>>>, UserFunctionError> {
        Err(UserFunctionError::new(format!("the export does not run {}", f.name)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]
        /// Any text built from the pieces the reader looks for: functions or none, never a panic.
        #[test]
        fn any_python_reads_without_panic(
            pieces in proptest::collection::vec(
                prop_oneof![
                    Just("@udf("), Just("@udtf("), Just("@udf"), Just("def f("), Just("g = udf("), Just("result_type="),
                    Just("result_types="), Just("input_types="), Just("DataTypes.DOUBLE()"), Just("DataTypes.DECIMAL(1, 2)"),
                    Just("'STRING'"), Just("("), Just(")"), Just("["), Just("]"), Just(","), Just("="), Just("\n"), Just(" "),
                    Just("é"), Just(".create_temporary_function("), Just("\"x\""), Just("deterministic=False"),
                ],
                0..60,
            )
        ) {
            let code: String = pieces.concat();
            let _ = NotePython::read([code.as_str()]);
            let _ = registrations(&code);
        }
    }

    #[test]
    fn decorators_and_udf_calls_give_signatures() {
        let code = "from pyflink.table.udf import udf\n\
                    @udf(result_type=DataTypes.DOUBLE())\n\
                    def c_to_f(c):\n    return c * 9 / 5 + 32\n\n\
                    @udtf(result_types=[DataTypes.STRING(),\n                    DataTypes.INT()], input_types=[DataTypes.STRING()])\n\
                    def split(s):\n    yield s, 1\n\
                    price = udf(lambda p: p * 1.1, result_type='DECIMAL(10, 2)', deterministic=False)\n\
                    @udf(result_type=DataTypes.ROW([DataTypes.FIELD('a', DataTypes.INT())]))\n\
                    def unreadable(x):\n    pass\n";
        let note = NotePython::read([code]);
        let f = note.signature("c_to_f").unwrap();
        assert_eq!((f.kind, &f.result, &f.params), (UserFunctionKind::Scalar, &DataType::Double, &None));
        let s = note.signature("udfs.split").unwrap();
        assert_eq!(s.kind, UserFunctionKind::Table);
        assert_eq!(s.result.to_string(), "ROW<`f0` STRING, `f1` INT>");
        assert_eq!(s.params, Some(vec![DataType::Varchar(crate::types::STRING_LENGTH)]));
        let p = note.signature("price").unwrap();
        assert_eq!((&p.result, p.deterministic), (&DataType::Decimal { precision: 10, scale: 2 }, false));
        assert!(!note.defines("unreadable"));
    }

    #[test]
    fn registrations_are_read_from_calls() {
        let code = "st_env.create_temporary_function(\"c_to_f\", c_to_f)\nt_env.create_temporary_system_function('f2', to_f)\n";
        assert_eq!(
            registrations(code),
            [
                Registration { sql_name: "c_to_f".into(), python_name: "c_to_f".into(), system: false },
                Registration { sql_name: "f2".into(), python_name: "to_f".into(), system: true }
            ]
        );
    }
}

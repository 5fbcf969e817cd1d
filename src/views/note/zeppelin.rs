//! Notes as Apache Zeppelin writes them (`.zpln`, Zeppelin 0.9+; older `note.json` has the same
//! shape): `{"name", "id", "paragraphs": [{"id", "text", "config", "settings", "status"}],
//! "config", "info", …}`. A paragraph's `text` keeps its interpreter line
//! (`%flink.ssql(type=update)`), so a note goes to Zeppelin and back unchanged. View settings
//! map onto Zeppelin's own paragraph config where it has one (`results.0.graph.mode`,
//! `keys`/`values`, `editorHide`/`tableHide`); the changelog view, which Zeppelin lacks, is kept
//! under `config.sluice`, which Zeppelin carries along untouched.

use serde_json::{json, Map, Value};

use super::{is_markdown, paragraph_kind, ChartColumns, NoteDoc, ParagraphDoc, ParagraphKind, ViewKind, ViewSettings};
use crate::views::Aggregate;

/// The note as a `.zpln` file.
pub fn to_zpln(note: &NoteDoc) -> String {
    let paragraphs: Vec<Value> = note.paragraphs.iter().map(paragraph_json).collect();
    let zpln = json!({
        "paragraphs": paragraphs,
        "name": note.name,
        "id": note_id(note),
        "defaultInterpreterGroup": "flink",
        "version": "0.10.1",
        "noteParams": {},
        "noteForms": {},
        "angularObjects": {},
        "config": { "isZeppelinNotebookCronEnable": false },
        "info": {}
    });
    // A `json!` value always serializes.
    serde_json::to_string_pretty(&zpln).unwrap_or_default()
}

fn paragraph_json(p: &ParagraphDoc) -> Value {
    let md = is_markdown(&p.text);
    // The editor Zeppelin opens the paragraph in.
    let language = match paragraph_kind(&p.text) {
        ParagraphKind::Python => "python",
        ParagraphKind::Scala => "scala",
        _ if md => "markdown",
        _ => "sql",
    };
    let s = &p.settings;
    let mut graph = Map::new();
    graph.insert("mode".into(), json!(zeppelin_mode(s.view)));
    graph.insert("height".into(), json!(300.0));
    graph.insert("optionOpen".into(), json!(false));
    if let Some(chart) = &s.chart {
        graph.insert("keys".into(), json!([{ "name": chart.keys, "aggr": "sum" }]));
        graph.insert("values".into(), json!([{ "name": chart.values, "aggr": chart.aggregate.name() }]));
        graph.insert("groups".into(), json!(chart.groups.iter().map(|g| json!({ "name": g, "aggr": "sum" })).collect::<Vec<_>>()));
    }
    let mut config = json!({
        "colWidth": 12.0,
        "fontSize": 9.0,
        "enabled": true,
        "results": { "0": { "graph": Value::Object(graph) } },
        "editorSetting": {
            "language": language,
            "editOnDblClick": md,
            "completionKey": "TAB",
            "completionSupport": !md
        },
        "editorMode": format!("ace/mode/{language}"),
        "editorHide": s.collapsed,
        "tableHide": s.collapsed && !md
    });
    // Zeppelin has no such views: Sluice keeps them under its own key.
    match s.view {
        ViewKind::Changelog => config["sluice"] = json!({ "view": "changelog" }),
        ViewKind::Plan => config["sluice"] = json!({ "view": "plan" }),
        ViewKind::Timeline => config["sluice"] = json!({ "view": "timeline" }),
        _ => {}
    }
    json!({
        "text": p.text,
        "config": config,
        "settings": { "params": {}, "forms": {} },
        "apps": [],
        "runtimeInfos": {},
        "progressUpdateIntervalMs": 500,
        "jobName": p.id,
        "id": p.id,
        "status": "READY"
    })
}

/// A Zeppelin-style note id (nine characters of 0-9A-Z), derived from the note so that an
/// export of the same note is the same file.
fn note_id(note: &NoteDoc) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in note.name.bytes().chain(note.paragraphs.iter().flat_map(|p| p.id.bytes())) {
        hash = (hash ^ byte as u64).wrapping_mul(0x100_0000_01b3);
    }
    const DIGITS: &[u8; 36] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    (0..9)
        .map(|_| {
            let d = DIGITS[(hash % 36) as usize] as char;
            hash /= 36;
            d
        })
        .collect()
}

/// Reads a Zeppelin note. `file_name` names the note when the file has no `name`; `new_id`
/// gives ids to paragraphs that have none.
pub fn from_zpln(text: &str, file_name: &str, mut new_id: impl FnMut() -> String) -> Result<NoteDoc, String> {
    super::limits::check_import_size(file_name, text.len())?;
    let value: Value = serde_json::from_str(text).map_err(|e| format!("{file_name} is not JSON: {e}"))?;
    let Value::Object(note) = value else {
        return Err(format!("{file_name} is not a Zeppelin note: it holds a JSON {}, not an object", kind(&value)));
    };
    let paragraphs = match note.get("paragraphs") {
        Some(Value::Array(ps)) => ps,
        Some(other) => return Err(format!("{file_name} is not a Zeppelin note: its \"paragraphs\" is a {}, not a list", kind(other))),
        None => return Err(format!("{file_name} is not a Zeppelin note: it has no \"paragraphs\" list")),
    };
    let name = match note.get("name") {
        Some(Value::String(n)) if !n.trim().is_empty() => n.clone(),
        _ => file_stem(file_name),
    };
    super::limits::check_paragraph_count(file_name, paragraphs.len())?;
    let mut out = Vec::with_capacity(paragraphs.len());
    for (i, p) in paragraphs.iter().enumerate() {
        let Value::Object(p) = p else {
            return Err(format!("{file_name}: paragraph {} is a {}, not an object", i + 1, kind(p)));
        };
        let text = match p.get("text") {
            Some(Value::String(t)) => t.clone(),
            None | Some(Value::Null) => String::new(),
            Some(other) => return Err(format!("{file_name}: paragraph {}'s \"text\" is a {}, not a string", i + 1, kind(other))),
        };
        let id = match p.get("id") {
            Some(Value::String(id)) if !id.is_empty() => id.clone(),
            _ => new_id(),
        };
        let settings = p.get("config").map(|c| settings_of(c, &text)).unwrap_or_default();
        out.push(ParagraphDoc { id, text, settings });
    }
    let note = NoteDoc { name, paragraphs: out };
    super::limits::check_note(file_name, &note)?;
    Ok(note)
}

/// View settings from a paragraph's Zeppelin config; what does not fit is ignored.
fn settings_of(config: &Value, text: &str) -> ViewSettings {
    let graph = &config["results"]["0"]["graph"];
    let mut view = [ViewKind::Bar, ViewKind::Line, ViewKind::Area, ViewKind::Pie, ViewKind::Scatter]
        .into_iter()
        .find(|v| graph["mode"].as_str() == Some(zeppelin_mode(*v)))
        .unwrap_or(ViewKind::Table);
    match config["sluice"]["view"].as_str() {
        Some("changelog") => view = ViewKind::Changelog,
        Some("plan") => view = ViewKind::Plan,
        Some("timeline") => view = ViewKind::Timeline,
        _ => {}
    }
    let first_name = |list: &Value| list.get(0).and_then(|k| k["name"].as_str()).map(str::to_string);
    let chart = match (first_name(&graph["keys"]), first_name(&graph["values"])) {
        (Some(keys), Some(values)) => {
            let aggregate = graph["values"][0]["aggr"].as_str().and_then(Aggregate::from_name).unwrap_or(Aggregate::Avg);
            Some(ChartColumns { keys, values, aggregate, groups: first_name(&graph["groups"]) })
        }
        _ => None,
    };
    let editor_hidden = config["editorHide"].as_bool().unwrap_or(false);
    let table_hidden = config["tableHide"].as_bool().unwrap_or(false);
    let collapsed = if is_markdown(text) { editor_hidden } else { editor_hidden && table_hidden };
    ViewSettings { view, chart, collapsed }
}

/// Zeppelin's name for a view's chart (`graph.mode`); the changelog is a table to Zeppelin.
fn zeppelin_mode(view: ViewKind) -> &'static str {
    match view {
        ViewKind::Bar => "multiBarChart",
        ViewKind::Line => "lineChart",
        ViewKind::Area => "stackedAreaChart",
        ViewKind::Pie => "pieChart",
        ViewKind::Scatter => "scatterChart",
        ViewKind::Table | ViewKind::Changelog | ViewKind::Plan | ViewKind::Timeline => "table",
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "list",
        Value::Object(_) => "object",
    }
}

/// `Sensors_2EYD56B9B.zpln` → `Sensors`; Zeppelin names its files `<name>_<id>.zpln`.
fn file_stem(file_name: &str) -> String {
    let stem = file_name.rsplit_once('.').map_or(file_name, |(s, _)| s);
    let stem = match stem.rsplit_once('_') {
        Some((name, id)) if id.len() == 9 && id.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()) => name,
        _ => stem,
    };
    if stem.trim().is_empty() {
        "Imported note".into()
    } else {
        stem.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::views::note::seed;

    use crate::views::note::test_ids as ids;

    #[test]
    fn a_note_goes_to_zeppelin_and_back_unchanged() {
        let mut note = seed::sensors(ids());
        note.paragraphs.insert(0, ParagraphDoc::new("paragraph_md".into(), "%md\n# Sensors"));
        note.paragraphs[0].settings.collapsed = true;
        note.paragraphs[2].settings.view = ViewKind::Bar;
        note.paragraphs[2].settings.chart =
            Some(ChartColumns { keys: "status".into(), values: "current_temperature".into(), aggregate: Aggregate::Max, groups: None });
        note.paragraphs[3].settings.view = ViewKind::Changelog;
        note.paragraphs[4].settings.view = ViewKind::Plan;
        note.paragraphs[1].settings.view = ViewKind::Timeline;
        note.paragraphs[4].settings.collapsed = true;
        note.paragraphs[5].settings.view = ViewKind::Scatter;
        note.paragraphs[5].settings.chart =
            Some(ChartColumns { keys: "status".into(), values: "num".into(), aggregate: Aggregate::Sum, groups: Some("hop_time".into()) });
        let zpln = to_zpln(&note);
        assert_eq!(from_zpln(&zpln, "x.zpln", ids()).unwrap(), note);
        // The file has Zeppelin's structure, interpreter lines kept.
        let v: Value = serde_json::from_str(&zpln).unwrap();
        assert_eq!(v["name"], "Sensors");
        assert_eq!(v["paragraphs"][2]["text"], seed::walkthrough()[1]);
        assert!(v["paragraphs"][2]["text"].as_str().unwrap().starts_with("%flink.ssql(type=update)\n"));
        assert_eq!(v["paragraphs"][2]["config"]["results"]["0"]["graph"]["mode"], "multiBarChart");
        assert_eq!(v["paragraphs"][5]["config"]["results"]["0"]["graph"]["mode"], "scatterChart");
        assert_eq!(v["paragraphs"][5]["config"]["results"]["0"]["graph"]["groups"][0]["name"], "hop_time");
        assert!(v["config"].is_object() && v["info"].is_object());
        assert_eq!(v["id"].as_str().unwrap().len(), 9);
    }

    /// Studio's Python paragraphs keep their text (interpreter line and properties included)
    /// and open in Zeppelin's Python editor; a Scala paragraph in its Scala editor.
    #[test]
    fn python_paragraphs_go_to_zeppelin_and_back() {
        let texts = [
            "%flink.pyflink\n@udf(result_type=DataTypes.DOUBLE())\ndef c_to_f(c):\n    return c * 9 / 5 + 32\n\nst_env.create_temporary_function('c_to_f', c_to_f)",
            "%flink.ipyflink\nz.show(st_env.from_path('sensor_data'), stream_type='update')",
            "%flink.pyflink(parallelism=1)\nprint('hi')",
            "%flink\nval t = stenv.from(\"sensor_data\")",
        ];
        let note = NoteDoc {
            name: "Python".into(),
            paragraphs: texts.iter().enumerate().map(|(i, t)| ParagraphDoc::new(format!("paragraph_{i}"), *t)).collect(),
        };
        let zpln = to_zpln(&note);
        assert_eq!(from_zpln(&zpln, "x.zpln", ids()).unwrap(), note);
        let v: Value = serde_json::from_str(&zpln).unwrap();
        for i in 0..3 {
            assert_eq!(v["paragraphs"][i]["config"]["editorSetting"]["language"], "python");
            assert_eq!(v["paragraphs"][i]["config"]["editorMode"], "ace/mode/python");
        }
        assert_eq!(v["paragraphs"][3]["config"]["editorMode"], "ace/mode/scala");
        assert!(texts.iter().take(3).all(|t| crate::views::note::is_python(t)));
    }

    #[test]
    fn zeppelins_own_notes_import() {
        let text = r#"{"paragraphs":[{"title":"x","text":"%flink.ssql(type=update)\n\nselect 1","config":{"results":{"0":{"graph":{"mode":"multiBarChart","keys":[{"name":"status","index":0.0,"aggr":"sum"}],"values":[{"name":"num","index":1.0,"aggr":"count"}]}}}},"id":"paragraph_1"},{"config":{},"status":"READY"}],"name":"4. Streaming ETL","id":"2EYD56B9B","config":{},"info":{}}"#;
        let note = from_zpln(text, "a.zpln", ids()).unwrap();
        assert_eq!(note.name, "4. Streaming ETL");
        assert_eq!(note.paragraphs[0].settings.view, ViewKind::Bar);
        assert_eq!(
            note.paragraphs[0].settings.chart,
            Some(ChartColumns { keys: "status".into(), values: "num".into(), aggregate: Aggregate::Count, groups: None })
        );
        assert_eq!(note.paragraphs[1], ParagraphDoc::new("paragraph_1".into(), ""));
    }

    #[test]
    fn bad_files_say_what_is_wrong() {
        let err = |text: &str| from_zpln(text, "n.zpln", ids()).unwrap_err();
        assert!(err("{oops").starts_with("n.zpln is not JSON: "));
        assert_eq!(err("[1]"), "n.zpln is not a Zeppelin note: it holds a JSON list, not an object");
        assert_eq!(err("{}"), "n.zpln is not a Zeppelin note: it has no \"paragraphs\" list");
        assert_eq!(err(r#"{"paragraphs": 3}"#), "n.zpln is not a Zeppelin note: its \"paragraphs\" is a number, not a list");
        assert_eq!(err(r#"{"paragraphs": [{"text": 3}]}"#), "n.zpln: paragraph 1's \"text\" is a number, not a string");
        assert_eq!(err(r#"{"paragraphs": ["x"]}"#), "n.zpln: paragraph 1 is a string, not an object");
    }

    #[test]
    fn hostile_files_are_refused_by_their_limit() {
        let err = |text: &str| from_zpln(text, "n.zpln", ids()).unwrap_err();
        assert!(err(&"[".repeat(100_000)).contains("recursion limit exceeded"), "serde_json's depth limit is on");
        let many = format!(r#"{{"paragraphs": [{}{{}}]}}"#, "{},".repeat(1000));
        assert_eq!(err(&many), "n.zpln has 1001 paragraphs; a note has at most 1000");
        let long = format!(r#"{{"paragraphs": [{{"text": "{}"}}]}}"#, "x".repeat(300 << 10));
        assert_eq!(err(&long), "n.zpln: paragraph 1 holds 300 KB of text; a paragraph holds at most 256 KB");
        assert_eq!(err(&" ".repeat(6 << 20)), "n.zpln is 6.0 MB; a note file is at most 5 MB");
        let script = |text: &str| super::super::script::from_sql(text, "s.sql", ids()).unwrap_err();
        assert_eq!(script(&"SELECT 1;".repeat(1001)), "s.sql has 1001 paragraphs; a note has at most 1000");
        assert_eq!(
            script(&format!("SELECT '{}'", "x".repeat(300 << 10))),
            "s.sql: paragraph 1 holds 300 KB of text; a paragraph holds at most 256 KB"
        );
    }

    #[test]
    fn a_nameless_note_is_named_after_its_file() {
        assert_eq!(from_zpln(r#"{"paragraphs":[]}"#, "Sensors_2EYD56B9B.zpln", ids()).unwrap().name, "Sensors");
        assert_eq!(from_zpln(r#"{"paragraphs":[]}"#, "my_note.json", ids()).unwrap().name, "my_note");
        assert_eq!(from_zpln(r#"{"paragraphs":[]}"#, ".zpln", ids()).unwrap().name, "Imported note");
    }
}

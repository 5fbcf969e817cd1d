//! A running job's plan as the page draws it: one box per stage, source to sink, each with
//! the counts that went through it — records in and out, late records dropped, rows held in
//! state, the watermark and how far it is behind the clock — and the kinds of change it emits,
//! in Flink's words (`[I]` inserts only, `[I,UB,UA]` updates with their old rows, …). The page
//! only lays the boxes out.

use crate::session::topology::{Stage, StageKind};

/// One box of the graph.
#[derive(Clone, Debug, PartialEq)]
pub struct StageBox {
    /// `source`, `watermark`, `operator` or `sink`: the box's look and its `data-kind`.
    pub kind: &'static str,
    pub title: String,
    /// A second line saying what the stage does (the watermark expression).
    pub detail: Option<String>,
    /// Short count lines: `1,204 in`, `1,100 out`, `3 late dropped`, …
    pub counts: Vec<String>,
    /// Records in, for tests and `data-records-in`.
    pub records_in: u64,
    /// The stage dropped records as late (drawn in the warning colour).
    pub dropped_late: bool,
    /// `changelogMode=[I,UB,UA]`: what kinds of change the stage emits.
    pub changelog: Option<String>,
}

/// The boxes for `stages`; `now_ms` is the session's clock (for the watermark's lag).
pub fn boxes(stages: &[Stage], now_ms: i64) -> Vec<StageBox> {
    stages
        .iter()
        .map(|s| {
            let m = &s.metrics;
            let mut counts = Vec::new();
            match s.kind {
                StageKind::Source => counts.push(format!("{} read", thousands(m.records_out))),
                StageKind::Sink => counts.push(format!("{} written", thousands(m.records_in))),
                StageKind::WatermarkAssigner => {
                    match s.watermark {
                        Some(w) => {
                            counts.push(format!("watermark {}", crate::types::format_timestamp(w).replace('T', " ")));
                            counts.push(format!("{} behind the clock", lag(now_ms - w)));
                        }
                        None => counts.push("no watermark yet".into()),
                    }
                    if s.idle {
                        counts.push("idle: holds nothing back".into());
                    }
                }
                StageKind::Operator => {
                    counts.push(format!("{} in → {} out", thousands(m.records_in), thousands(m.records_out)));
                    if m.late_records_dropped > 0 {
                        counts.push(format!("{} late dropped", thousands(m.late_records_dropped)));
                    }
                    if m.state_rows > 0 {
                        counts.push(format!("{} rows in state", thousands(m.state_rows)));
                    }
                }
            }
            StageBox {
                kind: match s.kind {
                    StageKind::Source => "source",
                    StageKind::WatermarkAssigner => "watermark",
                    StageKind::Operator => "operator",
                    StageKind::Sink => "sink",
                },
                title: s.name.clone(),
                detail: s.detail.clone(),
                counts,
                records_in: m.records_in,
                dropped_late: m.late_records_dropped > 0,
                changelog: s.changelog.as_ref().map(|c| format!("changelogMode={c}")),
            }
        })
        .collect()
}

/// `12345` → `12,345`: how the plan graph, the side panels and the result counters write counts.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A duration as the panels say it: `850 ms`, `5.2 s`, `3 min 4 s`.
fn lag(ms: i64) -> String {
    let ms = ms.max(0);
    if ms < 1_000 {
        format!("{ms} ms")
    } else if ms < 60_000 {
        format!("{:.1} s", ms as f64 / 1000.0)
    } else {
        format!("{} min {} s", ms / 60_000, ms / 1000 % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::operator::OperatorMetrics;

    fn stage(kind: StageKind, name: &str, records_in: u64, records_out: u64) -> Stage {
        Stage {
            kind,
            name: name.into(),
            detail: None,
            metrics: OperatorMetrics { records_in, records_out, ..Default::default() },
            watermark: None,
            idle: false,
            changelog: None,
        }
    }

    #[test]
    fn each_stage_says_what_went_through_it() {
        let mut window = stage(StageKind::Operator, "WindowAggregate", 12_345, 30);
        window.changelog = Some("[I]".into());
        window.metrics.late_records_dropped = 7;
        window.metrics.state_rows = 18;
        let mut assigner = stage(StageKind::WatermarkAssigner, "WatermarkAssigner", 12_345, 12_345);
        assigner.detail = Some("event_time: event_time - INTERVAL '5' SECOND".into());
        assigner.watermark = Some(1_621_423_200_000);
        let stages = [
            stage(StageKind::Source, "TableSourceScan(sensor_data)", 12_345, 12_345),
            assigner,
            window,
            stage(StageKind::Sink, "Collect(result)", 30, 30),
        ];
        let b = boxes(&stages, 1_621_423_205_250);
        assert_eq!(b.iter().map(|b| b.kind).collect::<Vec<_>>(), ["source", "watermark", "operator", "sink"]);
        assert_eq!(b[0].counts, ["12,345 read"]);
        assert_eq!(b[1].counts, ["watermark 2021-05-19 11:20:00.000", "5.2 s behind the clock"]);
        assert_eq!(b[1].detail.as_deref(), Some("event_time: event_time - INTERVAL '5' SECOND"));
        assert_eq!(b[2].counts, ["12,345 in → 30 out", "7 late dropped", "18 rows in state"]);
        assert!(b[2].dropped_late && !b[0].dropped_late);
        assert_eq!(b[2].changelog.as_deref(), Some("changelogMode=[I]"));
        assert_eq!(b[3].counts, ["30 written"]);
        assert_eq!(boxes(&[stage(StageKind::WatermarkAssigner, "WatermarkAssigner", 0, 0)], 0)[0].counts, ["no watermark yet"]);
        let idle = Stage { idle: true, ..stage(StageKind::WatermarkAssigner, "WatermarkAssigner", 0, 0) };
        assert_eq!(boxes(&[idle], 0)[0].counts, ["no watermark yet", "idle: holds nothing back"]);
    }
}

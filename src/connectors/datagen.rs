//! Flink's `datagen` connector: rows made up from the table's own column types and its
//! `fields.<column>.*` options, paced by the session clock (`rows-per-second`) and bounded by
//! `number-of-rows` or by the end of a sequence.
//!
//! Two halves that meet through the ordinary source → decoder path: [`DatagenSource`] decides
//! *when* a row is due and hands on a 16-byte ticket (the row's number and the clock), and
//! [`DatagenDecoder`] makes the row from that ticket. A row is a pure function of (seed, row
//! number, clock), so a seeded run repeats exactly — unlike Flink, whose datagen is random.

use crate::plan::catalog::TableDef;
use crate::types::{Batch, Column, DataType, Field, Value};

use super::generator::Rng;
use super::source::SourceStatus;

/// How one column's values are made.
#[derive(Clone, Debug, PartialEq)]
enum Kind {
    Random { min: Option<f64>, max: Option<f64>, length: usize, var_len: bool, max_past_ms: i64 },
    Sequence { start: i64, end: i64 },
}

#[derive(Clone, Debug, PartialEq)]
struct FieldGen {
    kind: Kind,
    null_rate: f64,
}

/// A datagen table's options, checked.
#[derive(Clone, Debug, PartialEq)]
pub struct DatagenOptions {
    pub rows_per_second: f64,
    /// Rows until the source ends: `number-of-rows`, or fewer if a sequence runs out first.
    pub bound: Option<u64>,
    fields: Vec<FieldGen>,
}

/// Flink's datagen string length when `fields.#.length` is not set.
const DEFAULT_STRING_LENGTH: usize = 100;
/// Flink's `rows-per-second` default.
const DEFAULT_ROWS_PER_SECOND: f64 = 10_000.0;

const FIELD_OPTIONS: &[&str] = &["kind", "min", "max", "max-past", "length", "var-len", "start", "end", "null-rate"];

impl DatagenOptions {
    /// Reads and checks a table's options as Flink's `DataGenTableSourceFactory` does: an
    /// option Flink would not know is an error naming it and listing the ones that exist.
    pub fn from_table(table: &TableDef) -> Result<Self, String> {
        let columns: Vec<(&str, &DataType)> = table.physical_columns().map(|(_, c)| (c.name.as_str(), &c.ty.data_type)).collect();
        let mut supported: Vec<String> =
            vec!["connector".into(), "number-of-rows".into(), "rows-per-second".into(), "scan.parallelism".into()];
        for (name, ty) in &columns {
            let sequence = table.option(&format!("fields.{name}.kind")).is_some_and(|k| k.eq_ignore_ascii_case("sequence"));
            for o in FIELD_OPTIONS.iter().filter(|o| option_applies(o, ty, sequence)) {
                supported.push(format!("fields.{name}.{o}"));
            }
        }
        let unsupported: Vec<&str> = table.options.iter().map(|(k, _)| k.as_str()).filter(|k| !supported.iter().any(|s| s == k)).collect();
        if !unsupported.is_empty() {
            supported.sort();
            return Err(format!(
                "Unsupported options found for 'datagen'.\n\nUnsupported options:\n\n{}\n\nSupported options:\n\n{}",
                unsupported.join("\n"),
                supported.join("\n")
            ));
        }
        let rows_per_second = match table.option("rows-per-second") {
            None => DEFAULT_ROWS_PER_SECOND,
            Some(v) => match v.trim().parse::<f64>() {
                Ok(r) if r > 0.0 && r.is_finite() => r,
                _ => return Err(format!("'rows-per-second' = '{v}' is not a positive number of rows")),
            },
        };
        let mut bound = match table.option("number-of-rows") {
            None => None,
            Some(v) => Some(v.trim().parse::<u64>().map_err(|_| format!("'number-of-rows' = '{v}' is not a number of rows"))?),
        };
        let mut fields = Vec::with_capacity(columns.len());
        for (name, ty) in &columns {
            let get = |o: &str| table.option(&format!("fields.{name}.{o}"));
            let number = |o: &str| -> Result<Option<f64>, String> {
                get(o).map(|v| v.trim().parse::<f64>().map_err(|_| format!("'fields.{name}.{o}' = '{v}' is not a number"))).transpose()
            };
            let null_rate = number("null-rate")?.unwrap_or(0.0);
            if !(0.0..=1.0).contains(&null_rate) {
                return Err(format!("'fields.{name}.null-rate' must be between 0 and 1"));
            }
            let kind = match get("kind").map(str::to_ascii_lowercase).as_deref() {
                None | Some("random") => {
                    if matches!(ty, DataType::Row(_)) {
                        return Err(format!("datagen cannot make column `{name}` of type ROW yet"));
                    }
                    let (min, max) = (number("min")?, number("max")?);
                    if let (Some(lo), Some(hi)) = (min, max) {
                        if lo > hi {
                            return Err(format!("'fields.{name}.min' ({lo}) is above 'fields.{name}.max' ({hi})"));
                        }
                    }
                    let length = match get("length") {
                        None => DEFAULT_STRING_LENGTH,
                        Some(v) => v.trim().parse().map_err(|_| format!("'fields.{name}.length' = '{v}' is not a length"))?,
                    };
                    let length = match ty {
                        DataType::Varchar(n) if get("length").is_some() && length > *n as usize => {
                            return Err(format!(
                                "Custom length '{length}' for variable-length type (VARCHAR/STRING/VARBINARY/BYTES) field '{name}' should be shorter than '{n}' defined in the schema."
                            ))
                        }
                        DataType::Char(n) | DataType::Varchar(n) => length.min(*n as usize),
                        _ => length,
                    };
                    let var_len = get("var-len").is_some_and(|v| v.eq_ignore_ascii_case("true"));
                    let max_past_ms = match get("max-past") {
                        None => 0,
                        Some(v) => crate::types::parse_duration(v)
                            .ok_or_else(|| format!("'fields.{name}.max-past' = '{v}' is not a duration (e.g. '5 s', '1 min')"))?,
                    };
                    Kind::Random { min, max, length, var_len, max_past_ms }
                }
                Some("sequence") => {
                    if !(ty_is_integer(ty)
                        || matches!(
                            ty,
                            DataType::Char(_) | DataType::Varchar(_) | DataType::Float | DataType::Double | DataType::Decimal { .. }
                        ))
                    {
                        return Err(format!("column `{name}` of type {ty} cannot be a sequence; only numbers and strings can"));
                    }
                    let int = |o: &str| -> Result<i64, String> {
                        let v = get(o)
                            .ok_or_else(|| format!("Could not find required property 'fields.{name}.{o}' for sequence generator."))?;
                        v.trim().parse::<i64>().map_err(|_| format!("'fields.{name}.{o}' = '{v}' is not a whole number"))
                    };
                    let (start, end) = (int("start")?, int("end")?);
                    if start > end {
                        return Err(format!("'fields.{name}.start' ({start}) is after 'fields.{name}.end' ({end})"));
                    }
                    // A sequence ends the source when it runs out, as in Flink.
                    let len = u64::try_from(end as i128 - start as i128 + 1).unwrap_or(u64::MAX);
                    bound = Some(bound.map_or(len, |b| b.min(len)));
                    Kind::Sequence { start, end }
                }
                Some(_) => return Err(format!("Unsupported generator kind: {} (use random or sequence)", get("kind").unwrap_or_default())),
            };
            fields.push(FieldGen { kind, null_rate });
        }
        Ok(DatagenOptions { rows_per_second, bound, fields })
    }
}

fn ty_is_integer(ty: &DataType) -> bool {
    matches!(ty, DataType::TinyInt | DataType::SmallInt | DataType::Int | DataType::BigInt)
}

/// Whether Flink's datagen takes option `o` for a column of type `ty` made by a random or a
/// sequence generator.
fn option_applies(o: &str, ty: &DataType, sequence: bool) -> bool {
    let numeric = ty_is_integer(ty) || matches!(ty, DataType::Float | DataType::Double | DataType::Decimal { .. });
    let string = matches!(ty, DataType::Char(_) | DataType::Varchar(_));
    match o {
        "kind" | "null-rate" => true,
        "start" | "end" => sequence,
        "min" | "max" => !sequence && numeric,
        "length" | "var-len" => !sequence && string,
        "max-past" => !sequence && matches!(ty, DataType::Timestamp(_) | DataType::TimestampLtz(_)),
        _ => false,
    }
}

/// How far behind its schedule a paced source may fall before it skips ahead (as the sensor
/// generator does).
const MAX_CATCH_UP_MS: i64 = 5_000;

/// Decides when rows are due; each due row becomes a 16-byte ticket: its number and the clock.
pub struct DatagenSource {
    rows_per_second: f64,
    bound: Option<u64>,
    emitted: u64,
    started_ms: Option<i64>,
    /// False once the runner drains a bounded table at once (`sluice run`, batch mode).
    paced: bool,
    ticket: [u8; 16],
}

impl DatagenSource {
    pub fn new(options: &DatagenOptions) -> Self {
        DatagenSource {
            rows_per_second: options.rows_per_second,
            bound: options.bound,
            emitted: 0,
            started_ms: None,
            paced: true,
            ticket: [0; 16],
        }
    }

    pub fn is_bounded(&self) -> bool {
        self.bound.is_some()
    }

    /// Makes every remaining row due now (a bounded table read to its end without waiting).
    pub fn stop_pacing(&mut self) {
        self.paced = false;
    }

    pub fn poll(&mut self, now_ms: i64, max: usize, out: &mut dyn FnMut(&[u8])) -> SourceStatus {
        let mut started = *self.started_ms.get_or_insert(now_ms);
        if self.paced {
            // A tab that slept does not come back to a flood: beyond a few seconds behind, the
            // schedule moves on (the rows keep their numbers, so sequences have no gap).
            let behind_ms = now_ms.saturating_sub(started) as f64 - self.emitted as f64 * 1000.0 / self.rows_per_second;
            if behind_ms > MAX_CATCH_UP_MS as f64 {
                started += (behind_ms - MAX_CATCH_UP_MS as f64) as i64;
                self.started_ms = Some(started);
            }
        }
        let mut due = if self.paced {
            // The first row is due at once, then one every 1/rate seconds.
            (now_ms.saturating_sub(started).max(0) as f64 * self.rows_per_second / 1000.0) as u64 + 1
        } else {
            u64::MAX
        };
        if let Some(b) = self.bound {
            due = due.min(b);
        }
        let n = due.saturating_sub(self.emitted).min(max as u64);
        for _ in 0..n {
            self.ticket[..8].copy_from_slice(&self.emitted.to_le_bytes());
            self.ticket[8..].copy_from_slice(&now_ms.to_le_bytes());
            out(&self.ticket);
            self.emitted += 1;
        }
        if self.bound.is_some_and(|b| self.emitted >= b) {
            SourceStatus::Ended
        } else if n == 0 {
            SourceStatus::Idle
        } else {
            SourceStatus::Progress
        }
    }
}

/// Makes the row a ticket names.
pub struct DatagenDecoder {
    fields: Vec<Field>,
    gens: Vec<FieldGen>,
    seed: u64,
    columns: Vec<Column>,
    len: usize,
    text: String,
}

impl DatagenDecoder {
    pub fn new(fields: &[Field], options: &DatagenOptions, seed: u64) -> Self {
        let columns = fields.iter().map(|f| Column::empty(&f.ty.data_type, 1024)).collect();
        DatagenDecoder { fields: fields.to_vec(), gens: options.fields.clone(), seed, columns, len: 0, text: String::new() }
    }

    pub fn decode(&mut self, ticket: &[u8]) -> Result<(), String> {
        let (Some(row), Some(now)) = (ticket.get(..8), ticket.get(8..16)) else {
            return Err("not a datagen ticket".into());
        };
        // Both slices are 8 bytes long (checked just above).
        let row = u64::from_le_bytes(row.try_into().unwrap());
        let now_ms = i64::from_le_bytes(now.try_into().unwrap());
        for (i, (field, gen)) in self.fields.iter().zip(&self.gens).enumerate() {
            // One SplitMix64 per value, seeded from the row number and column: rows need no state.
            let mut rng = Rng(self.seed ^ row.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ (i as u64).wrapping_mul(0xC2B2_AE3D_27D4_EB4F));
            rng.next_u64();
            let value = if gen.null_rate > 0.0 && rng.unit() < gen.null_rate {
                Value::Null
            } else {
                make_value(&field.ty.data_type, gen, row, now_ms, &mut rng, &mut self.text)
            };
            self.columns[i].push(&value);
        }
        self.len += 1;
        Ok(())
    }

    pub fn finish(&mut self) -> Batch {
        let columns = self.fields.iter().map(|f| Column::empty(&f.ty.data_type, self.len.max(1024))).collect();
        let columns = std::mem::replace(&mut self.columns, columns);
        Batch::new(columns, std::mem::take(&mut self.len))
    }
}

fn make_value(ty: &DataType, gen: &FieldGen, row: u64, now_ms: i64, rng: &mut Rng, text: &mut String) -> Value {
    match &gen.kind {
        Kind::Sequence { start, end } => {
            let v = start.saturating_add(row as i64).min(*end);
            match ty {
                DataType::Char(_) | DataType::Varchar(_) => Value::Str(v.to_string().into()),
                DataType::Float | DataType::Double => Value::Double(v as f64),
                DataType::Decimal { scale, .. } => Value::Decimal(v as i128 * 10i128.pow(*scale as u32), *scale),
                _ => Value::Int(v),
            }
        }
        Kind::Random { min, max, length, var_len, max_past_ms } => match ty {
            DataType::Boolean => Value::Bool(rng.next_u64() & 1 == 1),
            DataType::TinyInt | DataType::SmallInt | DataType::Int | DataType::BigInt => {
                let (lo, hi) = match ty {
                    DataType::TinyInt => (i8::MIN as i64, i8::MAX as i64),
                    DataType::SmallInt => (i16::MIN as i64, i16::MAX as i64),
                    DataType::Int => (i32::MIN as i64, i32::MAX as i64),
                    _ => (i64::MIN, i64::MAX),
                };
                let lo = min.map_or(lo, |m| (m as i64).clamp(lo, hi));
                // Never below `lo`, so the span below is at least one.
                let hi = max.map_or(hi, |m| (m as i64).clamp(lo, hi));
                let span = (hi as i128 - lo as i128 + 1) as u128;
                Value::Int((lo as i128 + (rng.next_u64() as u128 % span) as i128) as i64)
            }
            DataType::Float | DataType::Double => {
                // Flink's defaults: from the smallest positive value to the largest.
                let lo = min.unwrap_or(if matches!(ty, DataType::Float) { f32::MIN_POSITIVE as f64 } else { f64::MIN_POSITIVE });
                let hi = max.unwrap_or(if matches!(ty, DataType::Float) { f32::MAX as f64 } else { f64::MAX });
                let v = lo + rng.unit() * (hi - lo);
                Value::Double(if matches!(ty, DataType::Float) { v as f32 as f64 } else { v })
            }
            DataType::Decimal { precision, scale } => {
                let limit = 10f64.powi(*precision as i32 - *scale as i32);
                // As Flink: from (nearly) zero up to the largest value the precision holds.
                let lo = min.unwrap_or(0.0);
                let hi = max.unwrap_or(limit - 10f64.powi(-(*scale as i32)));
                let v = lo + rng.unit() * (hi - lo);
                Value::Decimal((v * 10f64.powi(*scale as i32)).round() as i128, *scale)
            }
            DataType::Char(_) | DataType::Varchar(_) => {
                let len = if *var_len && *length > 0 { 1 + (rng.next_u64() % *length as u64) as usize } else { *length };
                text.clear();
                const HEX: &[u8; 16] = b"0123456789abcdef";
                for _ in 0..len {
                    text.push(HEX[(rng.next_u64() & 15) as usize] as char);
                }
                Value::Str(text.as_str().into())
            }
            DataType::Timestamp(_) | DataType::TimestampLtz(_) => {
                let past = if *max_past_ms > 0 { (rng.next_u64() % (*max_past_ms as u64 + 1)) as i64 } else { 0 };
                Value::Timestamp(now_ms - past)
            }
            DataType::Date => Value::Date(now_ms.div_euclid(86_400_000) as i32),
            DataType::Time(_) => Value::Time(now_ms.rem_euclid(86_400_000) as i32),
            _ => Value::Null,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::SqlType;

    fn rows_of(ty: DataType, options: &[(&str, &str)]) -> Vec<Value> {
        let gens = vec![FieldGen {
            kind: Kind::Random {
                min: options.iter().find(|o| o.0 == "min").map(|o| o.1.parse().unwrap()),
                max: options.iter().find(|o| o.0 == "max").map(|o| o.1.parse().unwrap()),
                length: 4,
                var_len: false,
                max_past_ms: 0,
            },
            null_rate: 0.0,
        }];
        let options = DatagenOptions { rows_per_second: 1.0, bound: Some(20), fields: gens };
        let fields = [Field { name: "x".into(), ty: SqlType::nullable(ty.clone()) }];
        let mut source = DatagenSource::new(&options);
        source.stop_pacing();
        let mut decoder = DatagenDecoder::new(&fields, &options, 1);
        source.poll(0, 100, &mut |t| decoder.decode(t).unwrap());
        let b = decoder.finish();
        (0..b.len()).map(|i| b.row(i, std::slice::from_ref(&ty))[0].clone()).collect()
    }

    #[test]
    fn a_paced_source_that_fell_far_behind_skips_ahead_without_gaps() {
        let options = DatagenOptions { rows_per_second: 10.0, bound: None, fields: Vec::new() };
        let mut source = DatagenSource::new(&options);
        let mut numbers = Vec::new();
        let poll = |s: &mut DatagenSource, now, numbers: &mut Vec<u64>| {
            s.poll(now, 1_000_000, &mut |t| numbers.push(u64::from_le_bytes(t[..8].try_into().unwrap())));
        };
        poll(&mut source, 0, &mut numbers);
        poll(&mut source, 1_000, &mut numbers);
        // An hour asleep: five seconds' worth, not 36,000 rows.
        poll(&mut source, 3_601_000, &mut numbers);
        assert_eq!(numbers.len(), 11 + 51, "{}", numbers.len());
        assert!(numbers.windows(2).all(|w| w[1] == w[0] + 1), "row numbers run on without a gap");
        poll(&mut source, 3_602_000, &mut numbers);
        assert_eq!(numbers.len(), 72, "back on the schedule");
    }

    #[test]
    fn bounds_outside_the_type_are_clamped_not_a_panic() {
        let values = rows_of(DataType::Int, &[("min", "2147483648"), ("max", "2147483648")]);
        assert_eq!(values.len(), 20);
        assert!(values.iter().all(|v| *v == Value::Int(i32::MAX as i64)), "{values:?}");
        let values = rows_of(DataType::BigInt, &[]);
        assert_eq!(values.len(), 20, "the full BIGINT range works too");
    }
}

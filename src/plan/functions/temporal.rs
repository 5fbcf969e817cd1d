//! Temporal functions (Flink's reference, "temporal"): the clock, EXTRACT and its shorthands,
//! formatting and parsing with Java's `SimpleDateFormat` letters, epoch conversions and
//! calendar arithmetic. TIMESTAMP and TIMESTAMP_LTZ values share one representation:
//! milliseconds since the epoch (a wall clock read as UTC, or an instant). Where Flink reads
//! the session time zone (`table.local-time-zone`), the binder passes it as a constant argument
//! ([`in_session_zone`]), so evaluation stays pure.

use super::typing::{check, int, returns, returns_nullable, str_value, string, text, Arg};

use super::{Eval, Family, FunctionDef, Kernel};
use crate::plan::bind::cast;
use crate::plan::expr::Expr;
use crate::types::calendar::{self, Unit};
use crate::types::{DataType, SqlType, Value};

const T: Family = Family::Temporal;
const MS_PER_DAY: i64 = 86_400_000;

/// `yyyy-MM-dd HH:mm:ss` read as Java's lenient `SimpleDateFormat` reads it: fields of any
/// number of digits after optional white space, out-of-range values rolling over (month 13 is January of the next
/// year), text after the seconds ignored. Milliseconds since the epoch, as if in UTC.
fn lenient_date_time(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    let mut i = 0;
    let mut fields = [0i64; 6];
    for (k, field) in fields.iter_mut().enumerate() {
        if k > 0 {
            let sep = [b'-', b'-', b' ', b':', b':'][k - 1];
            if b.get(i) != Some(&sep) {
                return None;
            }
            i += 1;
        }
        while b.get(i).is_some_and(|c| c.is_ascii_whitespace()) {
            i += 1;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() && i - start < 18 {
            i += 1;
        }
        if i == start {
            return None;
        }
        *field = s[start..i].parse().ok()?;
    }
    let [y, mo, d, h, mi, sec] = fields;
    let months = y.checked_mul(12)?.checked_add(mo - 1)?;
    let (year, month) = (months.div_euclid(12), months.rem_euclid(12) + 1);
    if !(-1_000_000..=1_000_000).contains(&year) {
        return None;
    }
    let days = crate::types::days_from_civil(year, month as u32, 1) + d - 1;
    let seconds = h.checked_mul(3600)?.checked_add(mi.checked_mul(60)?)?.checked_add(sec)?;
    days.checked_mul(MS_PER_DAY)?.checked_add(seconds.checked_mul(1000)?)
}

/// A timestamp or date argument as milliseconds since the epoch.
fn ms(v: &Value) -> Option<i64> {
    match v {
        Value::Timestamp(t) => Some(*t),
        Value::Date(d) => Some(*d as i64 * MS_PER_DAY),
        Value::Time(t) => Some(i64::from(*t)),
        _ => None,
    }
}

fn unit(name: &str) -> Result<Unit, String> {
    Unit::parse(name).ok_or_else(|| format!("unknown time unit {name}"))
}

/// A DATE argument becomes a TIMESTAMP(3) for the calendar functions that read fields.
fn date_to_timestamp(e: &mut Expr) -> Result<(), String> {
    if e.ty.data_type == DataType::Date {
        let nullable = e.ty.nullable;
        *e = cast(e.clone(), SqlType::nullable(DataType::Timestamp(3)).with_nullable(nullable), false)?;
    }
    Ok(())
}

/// `YEAR(t)`, `HOUR(t)`, …: one field of a timestamp or date, a BIGINT.
fn field_typing(d: &FunctionDef, a: &mut [Expr]) -> Result<SqlType, String> {
    if matches!(a[0].ty.data_type, DataType::Time(_)) && matches!(d.name, "HOUR" | "MINUTE" | "SECOND") {
        // A time of day: the field of its milliseconds since midnight.
        return Ok(SqlType::nullable(DataType::BigInt).with_nullable(a[0].ty.nullable));
    }
    check(d, a, &[Arg::Time])?;
    if a[0].ty.data_type == DataType::Date && matches!(d.name, "HOUR" | "MINUTE" | "SECOND") {
        return Err(format!("cannot extract {} from a DATE", d.name));
    }
    date_to_timestamp(&mut a[0])?;
    Ok(SqlType::nullable(DataType::BigInt).with_nullable(a[0].ty.nullable))
}

macro_rules! field {
    ($name:literal, $unit:expr, $desc:literal, $example:literal) => {
        FunctionDef {
            name: $name,
            aliases: &[],
            family: T,
            syntax: concat!($name, "(timepoint)"),
            returns: "BIGINT",
            description: $desc,
            example: $example,
            arity: (1, 1),
            deterministic: true,
            listed: true,
            typing: field_typing,
            eval: Eval::Strict(|a| Ok(ms(&a[0]).map_or(Value::Null, |t| Value::Int(calendar::extract($unit, t))))),
        }
    };
}

pub static FUNCTIONS: &[FunctionDef] = &[
    FunctionDef {
        name: "CURRENT_TIMESTAMP",
        aliases: &["NOW", "CURRENT_ROW_TIMESTAMP"],
        family: T,
        syntax: "CURRENT_TIMESTAMP | NOW() | CURRENT_ROW_TIMESTAMP()",
        returns: "TIMESTAMP_LTZ(3) NOT NULL",
        description: "The processing-time clock as an instant.",
        example: "CURRENT_TIMESTAMP = 2021-05-19 11:20:00.000",
        arity: (0, 0),
        deterministic: false,
        listed: true,
        typing: |_, _| Ok(SqlType::not_null(DataType::TimestampLtz(3))),
        eval: Eval::Kernel(Kernel::Now),
    },
    FunctionDef {
        name: "LOCALTIMESTAMP",
        aliases: &[],
        family: T,
        syntax: "LOCALTIMESTAMP",
        returns: "TIMESTAMP(3) NOT NULL",
        description: "The processing-time clock on the session time zone's wall clock.",
        example: "LOCALTIMESTAMP = 2021-05-19 11:20:00.000",
        arity: (0, 0),
        deterministic: false,
        listed: true,
        typing: |_, _| Ok(SqlType::not_null(DataType::Timestamp(3))),
        eval: Eval::Kernel(Kernel::Now),
    },
    FunctionDef {
        name: "PROCTIME",
        aliases: &[],
        family: T,
        syntax: "PROCTIME()",
        returns: "TIMESTAMP_LTZ(3) NOT NULL *PROCTIME*",
        description: "The processing-time attribute of a table (in a computed column).",
        example: "ts AS PROCTIME()",
        arity: (0, 0),
        deterministic: false,
        listed: true,
        typing: |_, _| {
            let mut t = SqlType::not_null(DataType::TimestampLtz(3));
            t.proctime = true;
            Ok(t)
        },
        eval: Eval::Kernel(Kernel::Now),
    },
    FunctionDef {
        name: "CURRENT_DATE",
        aliases: &[],
        family: T,
        syntax: "CURRENT_DATE",
        returns: "DATE NOT NULL",
        description: "Today's date by the processing-time clock in the session time zone.",
        example: "CURRENT_DATE = 2021-05-19",
        arity: (0, 0),
        deterministic: false,
        listed: true,
        typing: |_, _| Ok(SqlType::not_null(DataType::Date)),
        eval: Eval::Kernel(Kernel::CurrentDate),
    },
    FunctionDef {
        name: "CURRENT_TIME",
        aliases: &["LOCALTIME"],
        family: T,
        syntax: "CURRENT_TIME | LOCALTIME",
        returns: "TIME(0) NOT NULL",
        description: "The time of day by the processing-time clock in the session time zone.",
        example: "CURRENT_TIME = 11:20:00",
        arity: (0, 0),
        deterministic: false,
        listed: true,
        typing: |_, _| Ok(SqlType::not_null(DataType::Time(0))),
        eval: Eval::Kernel(Kernel::CurrentTime),
    },
    FunctionDef {
        name: "CURRENT_WATERMARK",
        aliases: &[],
        family: T,
        syntax: "CURRENT_WATERMARK(rowtime)",
        returns: "the rowtime's type with precision 3, nullable",
        description: "The watermark in force when the row arrived; NULL before the first watermark.",
        example: "WHERE CURRENT_WATERMARK(ts) IS NULL OR ts > CURRENT_WATERMARK(ts)",
        arity: (1, 1),
        deterministic: false,
        listed: true,
        typing: |d, a| {
            if !a[0].ty.rowtime {
                return Err(format!("CURRENT_WATERMARK needs a rowtime attribute (a column with a WATERMARK), not {}: {}", a[0].ty, d.syntax));
            }
            Ok(SqlType::nullable(match a[0].ty.data_type {
                DataType::TimestampLtz(_) => DataType::TimestampLtz(3),
                _ => DataType::Timestamp(3),
            }))
        },
        eval: Eval::Kernel(Kernel::CurrentWatermark),
    },
    FunctionDef {
        name: "UNIX_TIMESTAMP",
        aliases: &[],
        family: T,
        syntax: "UNIX_TIMESTAMP() | UNIX_TIMESTAMP(string[, format])",
        returns: "BIGINT",
        description: "Seconds since the epoch: now, or of string read with format ('yyyy-MM-dd HH:mm:ss' by default) in the session time zone; -9223372036854775808 if it does not fit.",
        example: "UNIX_TIMESTAMP('1970-01-01 00:01:00') = 60",
        arity: (0, 2),
        deterministic: true,
        listed: true,
        typing: |d, a| {
            if a.is_empty() {
                return Ok(SqlType::not_null(DataType::BigInt));
            }
            returns(d, a, &[Arg::Str], DataType::BigInt)
        },
        eval: Eval::Kernel(Kernel::UnixTimestamp),
    },
    FunctionDef {
        name: "FROM_UNIXTIME",
        aliases: &[],
        family: T,
        syntax: "FROM_UNIXTIME(seconds[, format])",
        returns: "STRING",
        description: "seconds since the epoch as text in format ('yyyy-MM-dd HH:mm:ss' by default), in the session time zone.",
        example: "FROM_UNIXTIME(44) = '1970-01-01 00:00:44'",
        arity: (1, 2),
        deterministic: true,
        listed: true,
        typing: |d, a| returns_nullable(d, a, &[Arg::Int, Arg::Str], DataType::Varchar(crate::types::STRING_LENGTH)),
        eval: Eval::Strict(|a| {
            let pattern = if a.len() > 1 { text(a, 1) } else { "yyyy-MM-dd HH:mm:ss" };
            let t = int(a, 0).checked_mul(1000).ok_or("the time is out of range")?;
            Ok(str_value(calendar::format(t, pattern)?))
        }),
    },
    FunctionDef {
        name: "TO_TIMESTAMP_LTZ",
        aliases: &[],
        family: T,
        syntax: "TO_TIMESTAMP_LTZ(epoch[, precision]) | TO_TIMESTAMP_LTZ(string[, format[, zone]])",
        returns: "TIMESTAMP_LTZ(3), or TIMESTAMP_LTZ(precision) above 3",
        description: "An instant from an epoch count in units of 10^-precision seconds (0 seconds, 3 milliseconds: the default), or from string read with format ('yyyy-MM-dd HH:mm:ss.SSS' by default) in zone (UTC by default, whatever the session's); NULL if it does not fit.",
        example: "TO_TIMESTAMP_LTZ(1621423200, 0) = 2021-05-19 11:20:00",
        arity: (1, 3),
        deterministic: true,
        listed: true,
        typing: |d, a| {
            if a[0].ty.data_type.is_string() {
                check(d, a, &[Arg::Str, Arg::Str, Arg::Str])?;
                return Ok(SqlType::nullable(DataType::TimestampLtz(3)));
            }
            if a.len() > 2 {
                return Err(format!("TO_TIMESTAMP_LTZ takes 3 arguments only with a string: {}", d.syntax));
            }
            check(d, a, &[Arg::Num, Arg::Int])?;
            let precision = match a.get(1).map(|p| &p.kind) {
                None => 3,
                Some(crate::plan::expr::ExprKind::Literal(Value::Int(p @ 0..=9))) => *p as u8,
                Some(_) => return Err(format!("the precision of TO_TIMESTAMP_LTZ must be a literal from 0 to 9, not {}", a[1])),
            };
            Ok(SqlType::nullable(DataType::TimestampLtz(precision.max(3))))
        },
        eval: Eval::Strict(|a| {
            if let Value::Str(s) = &a[0] {
                let pattern = if a.len() > 1 { text(a, 1) } else { "yyyy-MM-dd HH:mm:ss.SSS" };
                let zone = crate::types::java_time_zone(if a.len() > 2 { text(a, 2) } else { "UTC" });
                let Ok(Some(local)) = calendar::parse(s, pattern) else { return Ok(Value::Null) };
                return Ok(Value::Timestamp(crate::types::instant_of_local_java_time(&zone, local)));
            }
            // epoch × 10^-precision seconds, kept in milliseconds (finer digits are cut).
            let precision = if a.len() > 1 { int(a, 1) } else { 3 };
            let ms_per_unit = 10f64.powi(3 - precision as i32);
            let t = match &a[0] {
                Value::Int(x) if precision <= 3 => x.checked_mul(10i64.pow((3 - precision) as u32)).ok_or("the time is out of range")?,
                v => (v.as_f64().unwrap_or(0.0) * ms_per_unit).floor() as i64,
            };
            Ok(Value::Timestamp(t))
        }),
    },
    FunctionDef {
        name: "EXTRACT",
        aliases: &[],
        family: T,
        syntax: "EXTRACT(unit FROM timepoint)",
        returns: "BIGINT",
        description: "One field of a timestamp or date: YEAR, QUARTER, MONTH, WEEK, DAY, DOW, DOY, HOUR, MINUTE, SECOND, MILLISECOND.",
        example: "EXTRACT(DAY FROM DATE '2006-06-05') = 5",
        arity: (2, 2),
        deterministic: true,
        listed: true,
        typing: |_, a| Ok(SqlType::nullable(DataType::BigInt).with_nullable(a.iter().any(|x| x.ty.nullable))),
        eval: Eval::Strict(|a| Ok(ms(&a[1]).map_or(Value::Null, |t| Value::Int(calendar::extract(unit(text(a, 0)).unwrap_or(Unit::Day), t))))),
    },
    field!("YEAR", Unit::Year, "The year of a date or timestamp.", "YEAR(DATE '1994-09-27') = 1994"),
    field!("QUARTER", Unit::Quarter, "The quarter (1 to 4) of a date or timestamp.", "QUARTER(DATE '1994-09-27') = 3"),
    field!("MONTH", Unit::Month, "The month (1 to 12) of a date or timestamp.", "MONTH(DATE '1994-09-27') = 9"),
    field!("WEEK", Unit::Week, "The ISO week (1 to 53) of a date or timestamp.", "WEEK(DATE '1994-09-27') = 39"),
    field!("DAYOFYEAR", Unit::DayOfYear, "The day of the year (1 to 366).", "DAYOFYEAR(DATE '1994-09-27') = 270"),
    field!("DAYOFMONTH", Unit::Day, "The day of the month (1 to 31).", "DAYOFMONTH(DATE '1994-09-27') = 27"),
    field!("DAYOFWEEK", Unit::DayOfWeek, "The day of the week (1 = Sunday to 7).", "DAYOFWEEK(DATE '1994-09-27') = 3"),
    field!("HOUR", Unit::Hour, "The hour (0 to 23) of a timestamp.", "HOUR(TIMESTAMP '1994-09-27 13:14:15') = 13"),
    field!("MINUTE", Unit::Minute, "The minute (0 to 59) of a timestamp.", "MINUTE(TIMESTAMP '1994-09-27 13:14:15') = 14"),
    field!("SECOND", Unit::Second, "The second (0 to 59) of a timestamp.", "SECOND(TIMESTAMP '1994-09-27 13:14:15') = 15"),
    FunctionDef {
        name: "DATE_FORMAT",
        aliases: &[],
        family: T,
        syntax: "DATE_FORMAT(timestamp, format)",
        returns: "STRING",
        description: "timestamp as text in a Java SimpleDateFormat pattern; a string argument is read as 'yyyy-MM-dd HH:mm:ss'.",
        example: "DATE_FORMAT(TIMESTAMP '2021-05-19 11:20:00', 'yyyy-MM-dd') = '2021-05-19'",
        arity: (2, 2),
        deterministic: true,
        listed: true,
        typing: |d, a| {
            if a[0].ty.data_type.is_string() {
                // Flink reads a string argument as a 'yyyy-MM-dd HH:mm:ss' timestamp.
                let nullable = a[0].ty.nullable;
                a[0] = cast(a[0].clone(), SqlType::nullable(DataType::Timestamp(3)).with_nullable(nullable), true)?;
            }
            check(d, a, &[Arg::Time, Arg::Str])?;
            date_to_timestamp(&mut a[0])?;
            if let (DataType::TimestampLtz(p), Some(_)) = (&a[0].ty.data_type, session_zone()) {
                // An instant is formatted as the session zone's clocks show it.
                let ty = SqlType::nullable(DataType::Timestamp(*p)).with_nullable(a[0].ty.nullable);
                a[0] = cast(a[0].clone(), ty, false)?;
            }
            Ok(string(true))
        },
        eval: Eval::Strict(|a| ms(&a[0]).map_or(Ok(Value::Null), |t| calendar::format(t, text(a, 1)).map(str_value))),
    },
    FunctionDef {
        name: "TO_TIMESTAMP",
        aliases: &[],
        family: T,
        syntax: "TO_TIMESTAMP(string[, format])",
        returns: "TIMESTAMP(3)",
        description: "string read with format ('yyyy-MM-dd HH:mm:ss' by default); NULL if it does not fit.",
        example: "TO_TIMESTAMP('2021-05-19 11:20:00') = 2021-05-19 11:20:00.000",
        arity: (1, 2),
        deterministic: true,
        listed: true,
        typing: |d, a| {
            check(d, a, &[Arg::Str])?;
            Ok(SqlType::nullable(DataType::Timestamp(3)))
        },
        eval: Eval::Strict(|a| {
            let pattern = if a.len() > 1 { text(a, 1) } else { "yyyy-MM-dd HH:mm:ss" };
            Ok(calendar::parse(text(a, 0), pattern)?.map_or(Value::Null, Value::Timestamp))
        }),
    },
    FunctionDef {
        name: "TO_DATE",
        aliases: &[],
        family: T,
        syntax: "TO_DATE(string[, format])",
        returns: "DATE",
        description: "string read as a date with format ('yyyy-MM-dd' by default); NULL if it does not fit.",
        example: "TO_DATE('2021-05-19') = 2021-05-19",
        arity: (1, 2),
        deterministic: true,
        listed: true,
        typing: |d, a| {
            check(d, a, &[Arg::Str])?;
            Ok(SqlType::nullable(DataType::Date))
        },
        eval: Eval::Strict(|a| {
            let pattern = if a.len() > 1 { text(a, 1) } else { "yyyy-MM-dd" };
            Ok(calendar::parse(text(a, 0), pattern)?.map_or(Value::Null, |t| Value::Date(t.div_euclid(MS_PER_DAY) as i32)))
        }),
    },
    FunctionDef {
        name: "TIMESTAMPADD",
        aliases: &[],
        family: T,
        syntax: "TIMESTAMPADD(unit, count, timepoint)",
        returns: "the timepoint's type",
        description: "timepoint plus count units (SECOND, MINUTE, HOUR, DAY, WEEK, MONTH, QUARTER, YEAR).",
        example: "TIMESTAMPADD(MINUTE, 5, TIMESTAMP '2021-05-19 11:20:00') = 2021-05-19 11:25:00.000",
        arity: (3, 3),
        deterministic: true,
        listed: true,
        typing: |d, a| {
            check(d, a, &[Arg::Str, Arg::Int, Arg::Time])?;
            let nullable = a.iter().any(|x| x.ty.nullable);
            Ok(a[2].ty.plain().with_nullable(nullable))
        },
        eval: Eval::Strict(|a| {
            let u = unit(text(a, 0))?;
            Ok(match &a[2] {
                Value::Timestamp(t) => calendar::add(u, int(a, 1), *t).map_or(Value::Null, Value::Timestamp),
                Value::Date(d) => calendar::add(u, int(a, 1), *d as i64 * MS_PER_DAY)
                    .map_or(Value::Null, |t| Value::Date(t.div_euclid(MS_PER_DAY) as i32)),
                _ => Value::Null,
            })
        }),
    },
    FunctionDef {
        name: "TIMESTAMPDIFF",
        aliases: &[],
        family: T,
        syntax: "TIMESTAMPDIFF(unit, timepoint1, timepoint2)",
        returns: "INT",
        description: "The (signed) number of whole units from timepoint1 to timepoint2.",
        example: "TIMESTAMPDIFF(DAY, DATE '2021-05-01', DATE '2021-05-19') = 18",
        arity: (3, 3),
        deterministic: true,
        listed: true,
        typing: |d, a| returns(d, a, &[Arg::Str, Arg::Time, Arg::Time], DataType::Int),
        eval: Eval::Strict(|a| {
            let u = unit(text(a, 0))?;
            Ok(match (ms(&a[1]), ms(&a[2])) {
                (Some(x), Some(y)) => calendar::diff(u, x, y).map_or(Value::Null, |d| Value::Int(d as i32 as i64)),
                _ => Value::Null,
            })
        }),
    },
    FunctionDef {
        name: "CONVERT_TZ",
        aliases: &[],
        family: T,
        syntax: "CONVERT_TZ(string, from_zone, to_zone)",
        returns: "STRING",
        description: "The date-time text string ('yyyy-MM-dd HH:mm:ss') read in from_zone and written in to_zone; zones are IANA names ('America/Los_Angeles'), Java's short IDs ('PST') or offsets ('GMT-08:00'), an unknown one is GMT; NULL when string is not a date-time.",
        example: "CONVERT_TZ('1970-01-01 00:00:00', 'UTC', 'America/Los_Angeles') = '1969-12-31 16:00:00'",
        arity: (3, 3),
        deterministic: true,
        listed: true,
        typing: |d, a| returns_nullable(d, a, &[Arg::Str, Arg::Str, Arg::Str], DataType::Varchar(crate::types::STRING_LENGTH)),
        eval: Eval::Strict(|a| {
            let Some(local) = lenient_date_time(text(a, 0)) else { return Ok(Value::Null) };
            let utc = crate::types::instant_of_local(&crate::types::java_time_zone(text(a, 1)), local);
            let shown = utc + crate::types::offset_at(&crate::types::java_time_zone(text(a, 2)), utc);
            Ok(str_value(calendar::format(shown, "yyyy-MM-dd HH:mm:ss")?))
        }),
    },
];

/// `FLOOR(ts TO unit)`: the binder passes the unit as milliseconds.
pub static FLOOR_TIME: FunctionDef = FunctionDef {
    name: "FLOOR",
    aliases: &[],
    family: T,
    syntax: "FLOOR(timepoint TO unit)",
    returns: "the timepoint's type",
    description: "timepoint rounded down to the unit.",
    example: "FLOOR(TIMESTAMP '2021-05-19 11:20:31' TO MINUTE) = 2021-05-19 11:20:00.000",
    arity: (2, 2),
    deterministic: true,
    listed: false,
    typing: |_, a| Ok(a[0].ty.plain()),
    eval: Eval::Strict(|a| Ok(floor_ceil_time(a, false))),
};

/// `CEIL(ts TO unit)`.
pub static CEIL_TIME: FunctionDef = FunctionDef {
    name: "CEIL",
    aliases: &[],
    family: T,
    syntax: "CEIL(timepoint TO unit)",
    returns: "the timepoint's type",
    description: "timepoint rounded up to the unit.",
    example: "CEIL(TIMESTAMP '2021-05-19 11:20:31' TO MINUTE) = 2021-05-19 11:21:00.000",
    arity: (2, 2),
    deterministic: true,
    listed: false,
    typing: |_, a| Ok(a[0].ty.plain()),
    eval: Eval::Strict(|a| Ok(floor_ceil_time(a, true))),
};

/// A timestamp plus a number of milliseconds (the planner's window arithmetic).
pub static TIMESTAMP_ADD_MS: FunctionDef = FunctionDef {
    name: "TIMESTAMP_ADD_MS",
    aliases: &[],
    family: T,
    syntax: "TIMESTAMP_ADD_MS(timestamp, milliseconds)",
    returns: "the timestamp's type",
    description: "timestamp plus milliseconds.",
    example: "TIMESTAMP_ADD_MS(ts, 1000)",
    arity: (2, 2),
    deterministic: true,
    listed: false,
    typing: |_, a| Ok(a[0].ty.plain()),
    eval: Eval::Strict(|a| {
        Ok(match (&a[0], &a[1]) {
            (Value::Timestamp(t), Value::Int(ms)) => Value::Timestamp(t.saturating_add(*ms)),
            _ => Value::Null,
        })
    }),
};

/// A TIMESTAMP_LTZ as the wall-clock TIMESTAMP it shows in a zone: the binder's form of
/// `CAST(ltz AS TIMESTAMP)` (and of LTZ to STRING, DATE, TIME) when the session zone is not UTC.
pub static LTZ_TO_TIMESTAMP: FunctionDef = FunctionDef {
    name: "LTZ_TO_TIMESTAMP",
    aliases: &[],
    family: T,
    syntax: "LTZ_TO_TIMESTAMP(ltz, zone)",
    returns: "TIMESTAMP of ltz's precision",
    description: "The wall-clock time of the instant ltz in zone.",
    example: "LTZ_TO_TIMESTAMP(TO_TIMESTAMP_LTZ(0, 3), 'America/Los_Angeles') = 1969-12-31 16:00:00.000",
    arity: (2, 2),
    deterministic: true,
    listed: false,
    typing: |_, a| {
        let p = if let DataType::TimestampLtz(p) = a[0].ty.data_type { p } else { 3 };
        Ok(SqlType::nullable(DataType::Timestamp(p)).with_nullable(a[0].ty.nullable))
    },
    eval: Eval::Strict(|a| {
        let Value::Timestamp(t) = a[0] else { return Ok(Value::Null) };
        Ok(Value::Timestamp(t.saturating_add(crate::types::offset_at(&crate::types::java_time_zone(text(a, 1)), t))))
    }),
};

/// A wall-clock TIMESTAMP read in a zone as a TIMESTAMP_LTZ, as `java.time` resolves gaps and
/// folds: the binder's form of `CAST(ts AS TIMESTAMP_LTZ)` when the session zone is not UTC.
pub static TIMESTAMP_TO_LTZ: FunctionDef = FunctionDef {
    name: "TIMESTAMP_TO_LTZ",
    aliases: &[],
    family: T,
    syntax: "TIMESTAMP_TO_LTZ(timestamp, zone)",
    returns: "TIMESTAMP_LTZ of timestamp's precision",
    description: "The instant at which zone's clocks show timestamp.",
    example: "TIMESTAMP_TO_LTZ(TIMESTAMP '1970-01-01 00:00:00', 'Asia/Kolkata') = 1969-12-31 18:30:00.000 UTC",
    arity: (2, 2),
    deterministic: true,
    listed: false,
    typing: |_, a| {
        let p = if let DataType::Timestamp(p) = a[0].ty.data_type { p } else { 3 };
        Ok(SqlType::nullable(DataType::TimestampLtz(p)).with_nullable(a[0].ty.nullable))
    },
    eval: Eval::Strict(|a| {
        let Value::Timestamp(t) = a[0] else { return Ok(Value::Null) };
        Ok(Value::Timestamp(crate::types::instant_of_local_java_time(&crate::types::java_time_zone(text(a, 1)), t)))
    }),
};

/// `UNIX_TIMESTAMP(string, format)` outside UTC: the binder's form, with the session zone the
/// text's wall clock is read in.
static UNIX_TIMESTAMP_IN_ZONE: FunctionDef = FunctionDef {
    name: "UNIX_TIMESTAMP",
    aliases: &[],
    family: T,
    syntax: "UNIX_TIMESTAMP(string, format, zone)",
    returns: "BIGINT",
    description: "Seconds since the epoch of string read with format on zone's clocks; -9223372036854775808 if it does not fit.",
    example: "UNIX_TIMESTAMP('1970-01-01 05:30:00', 'yyyy-MM-dd HH:mm:ss', 'Asia/Kolkata') = 0",
    arity: (3, 3),
    deterministic: true,
    listed: false,
    typing: |d, a| returns(d, a, &[Arg::Str], DataType::BigInt),
    eval: Eval::Strict(|a| {
        let local = calendar::parse(text(a, 0), text(a, 1)).map_err(|m| format!("UNIX_TIMESTAMP: {m}"))?;
        let zone = crate::types::java_time_zone(text(a, 2));
        // Flink's value for text that does not fit: Long.MIN_VALUE.
        Ok(Value::Int(local.map_or(i64::MIN, |t| crate::types::instant_of_local(&zone, t).div_euclid(1000))))
    }),
};

/// `FROM_UNIXTIME(seconds, format)` outside UTC: the binder's form, with the session zone
/// whose clocks the text shows.
static FROM_UNIXTIME_IN_ZONE: FunctionDef = FunctionDef {
    name: "FROM_UNIXTIME",
    aliases: &[],
    family: T,
    syntax: "FROM_UNIXTIME(seconds, format, zone)",
    returns: "STRING",
    description: "seconds since the epoch as text in format, on zone's clocks.",
    example: "FROM_UNIXTIME(0, 'yyyy-MM-dd HH:mm:ss', 'Asia/Kolkata') = '1970-01-01 05:30:00'",
    arity: (3, 3),
    deterministic: true,
    listed: false,
    typing: |d, a| returns_nullable(d, a, &[Arg::Int, Arg::Str, Arg::Str], DataType::Varchar(crate::types::STRING_LENGTH)),
    eval: Eval::Strict(|a| {
        let t = int(a, 0).checked_mul(1000).ok_or("the time is out of range")?;
        let shown = t.saturating_add(crate::types::offset_at(&crate::types::java_time_zone(text(a, 2)), t));
        Ok(str_value(calendar::format(shown, text(a, 1))?))
    }),
};

/// The session time zone as a constant argument, or `None` in UTC (where every function here
/// already computes as Flink does).
fn session_zone() -> Option<Expr> {
    let zone = crate::plan::local_time_zone::current();
    (zone != crate::plan::local_time_zone::DEFAULT)
        .then(|| Expr::literal(Value::Str(zone.as_str().into()), SqlType::not_null(DataType::Varchar(crate::types::STRING_LENGTH))))
}

fn entry(name: &str) -> &'static FunctionDef {
    &FUNCTIONS[index_of(name)]
}

/// A bound call as Flink computes it in the session time zone: the clock's local forms read
/// the zone's wall clock, and the functions between epoch numbers and text take the zone as a
/// constant argument. Calls of other functions, and every call in UTC, are left as they are.
pub(super) fn in_session_zone(call: Expr) -> Result<Expr, String> {
    use crate::plan::expr::ExprKind;
    let Some(zone) = session_zone() else { return Ok(call) };
    let ExprKind::Call { func, args } = &call.kind else { return Ok(call) };
    let def = func.def();
    // By name: the binder's own forms (listed: false) share some names and are left alone.
    let is = |name: &str| def.listed && def.name == name;
    let string_literal = |s: &str| Expr::literal(str_value(s), SqlType::not_null(DataType::Varchar(crate::types::STRING_LENGTH)));
    let make = |def: &'static FunctionDef, args: Vec<Expr>| Expr {
        kind: ExprKind::Call { func: super::Function::of(def), args },
        ty: call.ty.clone(),
    };
    if is("LOCALTIMESTAMP") || is("CURRENT_DATE") || is("CURRENT_TIME") {
        // The clock's instant, as the session zone's clocks show it.
        let now = Expr {
            kind: ExprKind::Call { func: super::Function::of(entry("CURRENT_TIMESTAMP")), args: Vec::new() },
            ty: SqlType::not_null(DataType::TimestampLtz(3)),
        };
        return cast(now, call.ty.clone(), false);
    }
    if is("UNIX_TIMESTAMP") && !args.is_empty() {
        let mut args = args.clone();
        if args.len() == 1 {
            args.push(string_literal("yyyy-MM-dd HH:mm:ss"));
        }
        args.push(zone);
        return Ok(make(&UNIX_TIMESTAMP_IN_ZONE, args));
    }
    if is("FROM_UNIXTIME") {
        let mut args = args.clone();
        if args.len() == 1 {
            args.push(string_literal("yyyy-MM-dd HH:mm:ss"));
        }
        args.push(zone);
        return Ok(make(&FROM_UNIXTIME_IN_ZONE, args));
    }
    Ok(call)
}

/// EXTRACT as the binder builds it (the same entry as the listed one), found by name when
/// compiling, so adding an entry anywhere in the table cannot make it point at another.
pub static EXTRACT: &FunctionDef = &FUNCTIONS[index_of("EXTRACT")];

/// The index of the entry named `name`; a name that is not there fails the build.
const fn index_of(name: &str) -> usize {
    let mut i = 0;
    while i < FUNCTIONS.len() {
        let (a, b) = (FUNCTIONS[i].name.as_bytes(), name.as_bytes());
        if a.len() == b.len() {
            let mut j = 0;
            while j < a.len() && a[j] == b[j] {
                j += 1;
            }
            if j == a.len() {
                return i;
            }
        }
        i += 1;
    }
    panic!("no such entry in the temporal function table")
}

fn floor_ceil_time(a: &[Value], ceil: bool) -> Value {
    let (Value::Timestamp(t), Value::Int(unit)) = (&a[0], &a[1]) else { return Value::Null };
    if *unit <= 0 {
        return Value::Null;
    }
    let floor = t.div_euclid(*unit) * unit;
    Value::Timestamp(if ceil && floor != *t { floor + unit } else { floor })
}

#[cfg(test)]
mod tests {
    #[test]
    fn extract_is_the_entry_the_binder_uses() {
        assert_eq!(super::EXTRACT.name, "EXTRACT");
    }
}

//! Arithmetic functions (Flink's reference, "arithmetic"): rounding, logarithms, trigonometry,
//! signs, random numbers and number formatting. Doubles round and truncate through their
//! shortest decimal form, as Flink's `BigDecimal.valueOf(double)` does.

use super::typing::{check, double, int, returns, str_value, Arg};
use super::{Eval, Family, FunctionDef, Kernel};
use crate::plan::expr::{BinaryOp, Expr};
use crate::types::{DataType, SqlType, Value};

const A: Family = Family::Arithmetic;

/// A function of one DOUBLE giving a DOUBLE.
macro_rules! unary_double {
    ($name:literal, $desc:literal, $example:literal, $f:expr) => {
        FunctionDef {
            name: $name,
            aliases: &[],
            family: A,
            syntax: concat!($name, "(numeric)"),
            returns: "DOUBLE",
            description: $desc,
            example: $example,
            arity: (1, 1),
            deterministic: true,
            listed: true,
            typing: |d, a| returns(d, a, &[Arg::Double], DataType::Double),
            eval: Eval::Strict(|a| Ok(Value::Double(($f)(double(a, 0))))),
        }
    };
}

/// ROUND and TRUNCATE: the argument's type, a DECIMAL's scale cut to the digits kept (Flink's
/// `LogicalTypeMerging.findRoundDecimalType`; one more digit before the point for ROUND's carry).
fn rounded_type(d: &FunctionDef, a: &mut [Expr]) -> Result<SqlType, String> {
    let mut ty = same_type(d, a)?;
    if let DataType::Decimal { precision, scale } = ty.data_type {
        let digits = match a.get(1).map(|e| &e.kind) {
            None => 0,
            Some(crate::plan::expr::ExprKind::Literal(Value::Int(n))) => *n,
            Some(_) => return Err(format!("{} of a DECIMAL needs a literal number of digits", d.name)),
        };
        let carry = u8::from(d.name == "ROUND");
        ty.data_type = if digits >= scale as i64 {
            DataType::Decimal { precision, scale }
        } else if digits < 0 {
            DataType::Decimal { precision: (carry + precision - scale).clamp(1, 38), scale: 0 }
        } else if d.name == "ROUND" {
            DataType::Decimal { precision: (1 + precision - scale + digits as u8).min(38), scale: digits as u8 }
        } else {
            DataType::Decimal { precision, scale: digits as u8 }
        };
    }
    Ok(ty)
}

/// FLOOR and CEIL: the argument's type, a DECIMAL's scale 0.
fn whole_type(d: &FunctionDef, a: &mut [Expr]) -> Result<SqlType, String> {
    let mut ty = same_type(d, a)?;
    if let DataType::Decimal { precision, .. } = ty.data_type {
        ty.data_type = DataType::Decimal { precision, scale: 0 };
    }
    Ok(ty)
}

/// The argument's own type: ABS, SIGN.
fn same_type(d: &FunctionDef, a: &mut [Expr]) -> Result<SqlType, String> {
    check(d, a, &[Arg::Num, Arg::Int])?;
    let nullable = a.iter().any(|x| x.ty.nullable);
    Ok(a[0].ty.plain().with_nullable(nullable))
}

pub static FUNCTIONS: &[FunctionDef] = &[
    FunctionDef {
        name: "ABS",
        aliases: &[],
        family: A,
        syntax: "ABS(numeric)",
        returns: "the argument's type",
        description: "The absolute value of numeric.",
        example: "ABS(-2.5) = 2.5",
        arity: (1, 1),
        deterministic: true,
        listed: true,
        typing: same_type,
        eval: Eval::Strict(|a| {
            Ok(match &a[0] {
                Value::Int(x) => Value::Int(x.wrapping_abs()),
                Value::Double(x) => Value::Double(x.abs()),
                Value::Decimal(x, s) => Value::Decimal(x.abs(), *s),
                v => v.clone(),
            })
        }),
    },
    FunctionDef {
        name: "MOD",
        aliases: &[],
        family: A,
        syntax: "MOD(numeric1, numeric2)",
        returns: "the common type of the arguments",
        description: "The remainder of numeric1 divided by numeric2, negative only if numeric1 is (numeric1 % numeric2).",
        example: "MOD(-7, 3) = -1",
        arity: (2, 2),
        deterministic: true,
        listed: true,
        typing: |d, a| returns(d, a, &[Arg::Num], DataType::Null),
        eval: Eval::Rewrite(|mut a| {
            let (b, x) = (a.pop(), a.pop());
            match (x, b) {
                (Some(x), Some(b)) => crate::plan::bind::binary(BinaryOp::Modulo, x, b),
                _ => Err("MOD takes two arguments".into()),
            }
        }),
    },
    FunctionDef {
        name: "POWER",
        aliases: &[],
        family: A,
        syntax: "POWER(numeric1, numeric2)",
        returns: "DOUBLE",
        description: "numeric1 raised to the power of numeric2.",
        example: "POWER(2, 10) = 1024.0",
        arity: (2, 2),
        deterministic: true,
        listed: true,
        typing: |d, a| returns(d, a, &[Arg::Double], DataType::Double),
        eval: Eval::Strict(|a| Ok(Value::Double(double(a, 0).powf(double(a, 1))))),
    },
    unary_double!("SQRT", "The square root of numeric.", "SQRT(16) = 4.0", f64::sqrt),
    unary_double!("LN", "The natural logarithm (base e) of numeric.", "LN(E()) = 1.0", f64::ln),
    unary_double!("LOG10", "The base 10 logarithm of numeric.", "LOG10(1000) = 3.0", f64::log10),
    unary_double!("LOG2", "The base 2 logarithm of numeric.", "LOG2(8) = 3.0", f64::log2),
    FunctionDef {
        name: "LOG",
        aliases: &[],
        family: A,
        syntax: "LOG(numeric) | LOG(base, numeric)",
        returns: "DOUBLE",
        description: "With one argument the natural logarithm; with two, the logarithm of numeric to the base.",
        example: "LOG(2, 8) = 3.0",
        arity: (1, 2),
        deterministic: true,
        listed: true,
        typing: |d, a| returns(d, a, &[Arg::Double], DataType::Double),
        eval: Eval::Strict(|a| Ok(Value::Double(if a.len() == 1 { double(a, 0).ln() } else { double(a, 1).ln() / double(a, 0).ln() }))),
    },
    unary_double!("EXP", "e raised to the power of numeric.", "EXP(0) = 1.0", f64::exp),
    unary_double!("SIN", "The sine of numeric (radians).", "SIN(0) = 0.0", f64::sin),
    unary_double!("COS", "The cosine of numeric (radians).", "COS(0) = 1.0", f64::cos),
    unary_double!("TAN", "The tangent of numeric (radians).", "TAN(0) = 0.0", f64::tan),
    unary_double!("COT", "The cotangent of numeric (radians).", "COT(1) = 0.6420926159343306", |x: f64| 1.0 / x.tan()),
    unary_double!("ASIN", "The arc sine of numeric.", "ASIN(1) = 1.5707963267948966", f64::asin),
    unary_double!("ACOS", "The arc cosine of numeric.", "ACOS(1) = 0.0", f64::acos),
    unary_double!("ATAN", "The arc tangent of numeric.", "ATAN(1) = 0.7853981633974483", f64::atan),
    unary_double!("SINH", "The hyperbolic sine of numeric.", "SINH(0) = 0.0", f64::sinh),
    unary_double!("COSH", "The hyperbolic cosine of numeric.", "COSH(0) = 1.0", f64::cosh),
    unary_double!("TANH", "The hyperbolic tangent of numeric.", "TANH(0) = 0.0", f64::tanh),
    unary_double!("DEGREES", "Degrees from radians.", "DEGREES(PI()) = 180.0", f64::to_degrees),
    unary_double!("RADIANS", "Radians from degrees.", "RADIANS(180) = 3.141592653589793", f64::to_radians),
    FunctionDef {
        name: "ATAN2",
        aliases: &[],
        family: A,
        syntax: "ATAN2(numeric1, numeric2)",
        returns: "DOUBLE",
        description: "The arc tangent of the coordinate (numeric1, numeric2).",
        example: "ATAN2(1, 1) = 0.7853981633974483",
        arity: (2, 2),
        deterministic: true,
        listed: true,
        typing: |d, a| returns(d, a, &[Arg::Double], DataType::Double),
        eval: Eval::Strict(|a| Ok(Value::Double(double(a, 0).atan2(double(a, 1))))),
    },
    FunctionDef {
        name: "SIGN",
        aliases: &[],
        family: A,
        syntax: "SIGN(numeric)",
        returns: "the argument's type",
        description: "The signum of numeric: -1, 0 or 1.",
        example: "SIGN(-8) = -1",
        arity: (1, 1),
        deterministic: true,
        listed: true,
        typing: same_type,
        eval: Eval::Strict(|a| {
            Ok(match &a[0] {
                Value::Int(x) => Value::Int(x.signum()),
                Value::Double(x) => Value::Double(if *x == 0.0 || x.is_nan() { *x } else { x.signum() }),
                Value::Decimal(x, s) => Value::Decimal(x.signum() * 10i128.pow(*s as u32), *s),
                v => v.clone(),
            })
        }),
    },
    FunctionDef {
        name: "ROUND",
        aliases: &[],
        family: A,
        syntax: "ROUND(numeric[, digits])",
        returns: "the argument's type",
        description: "numeric rounded half away from zero to digits decimal places (0 by default; negative rounds left of the point).",
        example: "ROUND(3.14159, 2) = 3.14",
        arity: (1, 2),
        deterministic: true,
        listed: true,
        typing: rounded_type,
        eval: Eval::Strict(|a| Ok(round_value(&a[0], if a.len() > 1 { int(a, 1) } else { 0 }, Rounding::HalfUp))),
    },
    FunctionDef {
        name: "TRUNCATE",
        aliases: &[],
        family: A,
        syntax: "TRUNCATE(numeric[, digits])",
        returns: "the argument's type",
        description: "numeric cut toward zero to digits decimal places (0 by default; negative zeroes digits left of the point).",
        example: "TRUNCATE(42.324, 2) = 42.32",
        arity: (1, 2),
        deterministic: true,
        listed: true,
        typing: rounded_type,
        eval: Eval::Strict(|a| Ok(round_value(&a[0], if a.len() > 1 { int(a, 1) } else { 0 }, Rounding::Down))),
    },
    FunctionDef {
        name: "FLOOR",
        aliases: &[],
        family: A,
        syntax: "FLOOR(numeric) | FLOOR(timepoint TO unit)",
        returns: "the argument's type",
        description: "The largest whole number not greater than numeric; with TO, the time point rounded down to the unit.",
        example: "FLOOR(-1.5) = -2",
        arity: (1, 1),
        deterministic: true,
        listed: true,
        typing: whole_type,
        eval: Eval::Strict(|a| Ok(floor_ceil(&a[0], true))),
    },
    FunctionDef {
        name: "CEIL",
        aliases: &["CEILING"],
        family: A,
        syntax: "CEIL(numeric) | CEIL(timepoint TO unit)",
        returns: "the argument's type",
        description: "The smallest whole number not less than numeric; with TO, the time point rounded up to the unit.",
        example: "CEIL(1.2) = 2",
        arity: (1, 1),
        deterministic: true,
        listed: true,
        typing: whole_type,
        eval: Eval::Strict(|a| Ok(floor_ceil(&a[0], false))),
    },
    FunctionDef {
        name: "PI",
        aliases: &[],
        family: A,
        syntax: "PI()",
        returns: "DOUBLE NOT NULL",
        description: "The value closest to pi.",
        example: "PI() = 3.141592653589793",
        arity: (0, 0),
        deterministic: true,
        listed: true,
        typing: |_, _| Ok(SqlType::not_null(DataType::Double)),
        eval: Eval::Strict(|_| Ok(Value::Double(std::f64::consts::PI))),
    },
    FunctionDef {
        name: "E",
        aliases: &[],
        family: A,
        syntax: "E()",
        returns: "DOUBLE NOT NULL",
        description: "The value closest to e.",
        example: "E() = 2.718281828459045",
        arity: (0, 0),
        deterministic: true,
        listed: true,
        typing: |_, _| Ok(SqlType::not_null(DataType::Double)),
        eval: Eval::Strict(|_| Ok(Value::Double(std::f64::consts::E))),
    },
    FunctionDef {
        name: "RAND",
        aliases: &[],
        family: A,
        syntax: "RAND([seed])",
        returns: "DOUBLE NOT NULL",
        description: "A pseudorandom double in [0, 1); with a seed, the same sequence every run.",
        example: "RAND() = 0.7293",
        arity: (0, 1),
        deterministic: false,
        listed: true,
        typing: |d, a| {
            check(d, a, &[Arg::Int])?;
            Ok(SqlType::not_null(DataType::Double))
        },
        eval: Eval::Kernel(Kernel::Rand),
    },
    FunctionDef {
        name: "RAND_INTEGER",
        aliases: &[],
        family: A,
        syntax: "RAND_INTEGER([seed, ] bound)",
        returns: "INT NOT NULL",
        description: "A pseudorandom integer in [0, bound); with a seed, the same sequence every run.",
        example: "RAND_INTEGER(10) = 7",
        arity: (1, 2),
        deterministic: false,
        listed: true,
        typing: |d, a| {
            check(d, a, &[Arg::Int])?;
            Ok(SqlType::not_null(DataType::Int))
        },
        eval: Eval::Kernel(Kernel::RandInteger),
    },
    FunctionDef {
        name: "UUID",
        aliases: &[],
        family: A,
        syntax: "UUID()",
        returns: "CHAR(36) NOT NULL",
        description: "A random (version 4) UUID string.",
        example: "UUID() = '3d3c68f7-f608-473f-b60c-b0c44ad4cc4e'",
        arity: (0, 0),
        deterministic: false,
        listed: true,
        typing: |_, _| Ok(SqlType::not_null(DataType::Char(36))),
        eval: Eval::Kernel(Kernel::Uuid),
    },
    FunctionDef {
        name: "BIN",
        aliases: &[],
        family: A,
        syntax: "BIN(integer)",
        returns: "STRING",
        description: "integer in binary (64-bit two's complement when negative).",
        example: "BIN(12) = '1100'",
        arity: (1, 1),
        deterministic: true,
        listed: true,
        typing: |d, a| returns(d, a, &[Arg::Int], DataType::Varchar(crate::types::STRING_LENGTH)),
        eval: Eval::Strict(|a| Ok(str_value(format!("{:b}", int(a, 0))))),
    },
    FunctionDef {
        name: "HEX",
        aliases: &[],
        family: A,
        syntax: "HEX(integer) | HEX(string)",
        returns: "STRING",
        description: "An integer in hexadecimal, or a string's UTF-8 bytes in hexadecimal (upper case).",
        example: "HEX(100) = '64'",
        arity: (1, 1),
        deterministic: true,
        listed: true,
        typing: |d, a| {
            let t = &a[0].ty.data_type;
            if !(t.is_integer() || t.is_string() || *t == DataType::Null) {
                return Err(format!("HEX needs an integer or a string, not {}: {}", a[0].ty, d.syntax));
            }
            Ok(super::typing::string(a[0].ty.nullable))
        },
        eval: Eval::Strict(|a| {
            Ok(str_value(match &a[0] {
                Value::Str(s) => s.bytes().map(|b| format!("{b:02X}")).collect::<String>(),
                _ => format!("{:X}", int(a, 0)),
            }))
        }),
    },
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Rounding {
    HalfUp,
    Down,
}

/// ROUND/TRUNCATE of any number to `digits` places, keeping the value's type.
fn round_value(v: &Value, digits: i64, mode: Rounding) -> Value {
    match v {
        Value::Int(x) if digits < 0 => Value::Int(round_i128(*x as i128, (-digits).min(38) as u32, mode) as i64),
        Value::Decimal(x, s) => {
            // The result keeps only the digits asked for (see `rounded_type`).
            let drop = (*s as i64 - digits).clamp(0, 38) as u32;
            let scale = if digits >= *s as i64 { *s } else { digits.max(0) as u8 };
            let rounded = round_i128(*x, drop, mode);
            Value::Decimal(rounded / 10i128.pow((*s - scale) as u32), scale)
        }
        Value::Double(x) if x.is_finite() => Value::Double(round_double(*x, digits, mode)),
        v => v.clone(),
    }
}

/// `x` with its last `drop` decimal digits rounded away (kept as zeros).
fn round_i128(x: i128, drop: u32, mode: Rounding) -> i128 {
    let Some(p) = 10i128.checked_pow(drop) else { return 0 };
    let q = x / p;
    let r = (x % p).abs();
    let up = mode == Rounding::HalfUp && r * 2 >= p;
    (q + if up { x.signum() } else { 0 }).saturating_mul(p)
}

/// A double rounded through its shortest decimal digits, as `BigDecimal.valueOf(x).setScale`.
fn round_double(x: f64, digits: i64, mode: Rounding) -> f64 {
    let text = format!("{:e}", x.abs());
    let Some((mantissa, exp)) = text.split_once('e') else { return x };
    let exp: i64 = exp.parse().unwrap_or(0);
    let ds: Vec<u8> = mantissa.bytes().filter(u8::is_ascii_digit).map(|b| b - b'0').collect();
    // The value is 0.d1d2d3… × 10^(exp + 1); keep the digits before position exp + 1 + digits.
    let keep = exp + 1 + digits;
    if keep < 0 {
        return 0.0f64.copysign(x);
    }
    let keep = keep as usize;
    let mut kept: Vec<u8> = ds.iter().take(keep).copied().collect();
    kept.resize(keep, 0);
    let mut n: i128 = 0;
    for d in &kept {
        n = n.saturating_mul(10).saturating_add(*d as i128);
    }
    if mode == Rounding::HalfUp && ds.get(keep).is_some_and(|d| *d >= 5) {
        n += 1;
    }
    let value = n as f64 * 10f64.powi(-(digits as i32));
    // Through text again, so 3.14 comes back as the double nearest 3.14.
    format!("{}e{}", n, -digits).parse::<f64>().unwrap_or(value).copysign(x)
}

fn floor_ceil(v: &Value, floor: bool) -> Value {
    match v {
        Value::Double(x) => Value::Double(if floor { x.floor() } else { x.ceil() }),
        Value::Decimal(x, s) => {
            let p = 10i128.pow(*s as u32);
            let q = if floor { x.div_euclid(p) } else { -(-x).div_euclid(p) };
            Value::Decimal(q, 0)
        }
        v => v.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_round_through_their_decimal_digits() {
        assert_eq!(round_double(2.675, 2, Rounding::HalfUp), 2.68);
        assert_eq!(round_double(42.324, 2, Rounding::Down), 42.32);
        assert_eq!(round_double(-42.325, 2, Rounding::Down), -42.32);
        assert_eq!(round_double(1234.5, -2, Rounding::HalfUp), 1200.0);
        assert_eq!(round_double(0.004, 2, Rounding::HalfUp), 0.0);
    }
}

//! DECIMAL arithmetic as Flink 2.3 computes it: its result types (`LogicalTypeMerging`'s
//! `find…DecimalType`, capped at 38 digits by `adjustPrecisionScale`) and its values
//! (`DecimalDataUtils`, over `java.math.BigDecimal`): the exact result rounded HALF_UP to the
//! result's scale, or SQL NULL when it needs more digits than the result's precision, as
//! `DecimalData.fromBigDecimal` gives.
//!
//! A value is its unscaled `i128` and its scale (38 digits fit an i128). An exact intermediate
//! (two operands brought to one scale, a product, a dividend shifted left) may need up to 77
//! digits: when the i128 fast path overflows, the work is done on 256-bit magnitudes.

use std::cmp::Ordering;

use super::DataType;

/// The most digits a DECIMAL holds (Flink's `DecimalType.MAX_PRECISION`).
pub const MAX_PRECISION: u8 = 38;
/// The fraction digits a result capped at 38 digits keeps at least (Flink's
/// `LogicalTypeMerging.MINIMUM_ADJUSTED_SCALE`).
const MIN_ADJUSTED_SCALE: i32 = 6;

/// The arithmetic operators over DECIMALs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DecimalOp {
    Add,
    Subtract,
    Multiply,
    Divide,
    Modulo,
}

/// Why a DECIMAL operation failed the query (Flink's `ArithmeticException`).
pub const DIVISION_BY_ZERO: &str = "Division by zero";

/// The DECIMAL an exact numeric operand is taken as in arithmetic with a DECIMAL (Calcite's
/// precision of each integer type, scale 0); `None` for other types.
pub fn as_decimal(ty: &DataType) -> Option<(u8, u8)> {
    match ty {
        DataType::Decimal { precision, scale } => Some((*precision, *scale)),
        DataType::TinyInt => Some((3, 0)),
        DataType::SmallInt => Some((5, 0)),
        DataType::Int => Some((10, 0)),
        DataType::BigInt => Some((19, 0)),
        _ => None,
    }
}

/// The result type of `DECIMAL(p1, s1) op DECIMAL(p2, s2)`, as Flink's `LogicalTypeMerging`
/// finds it.
pub fn result_type(op: DecimalOp, (p1, s1): (u8, u8), (p2, s2): (u8, u8)) -> (u8, u8) {
    let (p1, s1, p2, s2) = (i32::from(p1), i32::from(s1), i32::from(p2), i32::from(s2));
    let (precision, scale) = match op {
        DecimalOp::Add | DecimalOp::Subtract => {
            let scale = s1.max(s2);
            ((p1 - s1).max(p2 - s2) + scale + 1, scale)
        }
        DecimalOp::Multiply => (p1 + p2 + 1, s1 + s2),
        DecimalOp::Divide => {
            let scale = MIN_ADJUSTED_SCALE.max(s1 + p2 + 1);
            (p1 - s1 + s2 + scale, scale)
        }
        DecimalOp::Modulo => {
            let scale = s1.max(s2);
            ((p1 - s1).min(p2 - s2) + scale, scale)
        }
    };
    adjust(precision, scale)
}

/// Flink's `adjustPrecisionScale`: a result wider than 38 digits keeps its integer digits and
/// gives up fraction digits, down to 6 (or its own scale, if smaller).
fn adjust(precision: i32, scale: i32) -> (u8, u8) {
    let max = i32::from(MAX_PRECISION);
    if precision <= max {
        return (precision.max(1) as u8, scale as u8);
    }
    let integer = precision - scale;
    let scale = (max - integer).max(scale.min(MIN_ADJUSTED_SCALE));
    (MAX_PRECISION, scale as u8)
}

/// `x op y` for `x` of scale `sx` and `y` of scale `sy`, as a DECIMAL(`precision`, `scale`):
/// `Ok(None)` when the result does not fit (Flink's NULL), `Err` when Flink's job fails.
pub fn apply(op: DecimalOp, (x, sx): (i128, u8), (y, sy): (i128, u8), (precision, scale): (u8, u8)) -> Result<Option<i128>, &'static str> {
    if matches!(op, DecimalOp::Divide | DecimalOp::Modulo) && y == 0 {
        return Err(DIVISION_BY_ZERO);
    }
    Ok(match fast(op, (x, sx), (y, sy), scale) {
        Some(v) => fit(v, precision),
        None => wide(op, (x, sx), (y, sy), (precision, scale)),
    })
}

/// The 256-bit path; `y` is not zero for a division or remainder.
fn wide(op: DecimalOp, (x, sx): (i128, u8), (y, sy): (i128, u8), (precision, scale): (u8, u8)) -> Option<i128> {
    let (a, b) = (Wide::of(x), Wide::of(y));
    let exact = match op {
        DecimalOp::Add | DecimalOp::Subtract => {
            let common = sx.max(sy);
            let a = a.shifted(i32::from(common - sx))?;
            let b = b.shifted(i32::from(common - sy))?;
            let b = if op == DecimalOp::Subtract { b.negated() } else { b };
            a.add(b).map(|v| (v, i32::from(common)))
        }
        DecimalOp::Multiply => a.mag.checked_mul(b.mag).map(|mag| (Wide { neg: a.neg != b.neg, mag }, i32::from(sx) + i32::from(sy))),
        DecimalOp::Divide => {
            // The quotient rounded HALF_UP at `scale`: x·10^(scale + sy - sx) / y, the shift
            // moved to the divisor when it is negative.
            let shift = i32::from(scale) + i32::from(sy) - i32::from(sx);
            let (n, d) = if shift >= 0 { (a.shifted(shift), Some(b)) } else { (Some(a), b.shifted(-shift)) };
            let q = n.zip(d).and_then(|(n, d)| {
                let (q, r) = n.mag.div_rem(d.mag);
                let up = r.cmp(&d.mag.sub(r)) != Ordering::Less;
                let q = if up { q.checked_add(U256::ONE)? } else { q };
                Some(Wide { neg: a.neg != b.neg, mag: q })
            });
            return q.and_then(|q| q.normalized().to_i128(precision));
        }
        DecimalOp::Modulo => {
            // BigDecimal.remainder: exact, with the dividend's sign.
            let common = sx.max(sy);
            a.shifted(i32::from(common - sx))
                .zip(b.shifted(i32::from(common - sy)))
                .map(|(a, b)| (Wide { neg: a.neg, mag: a.mag.div_rem(b.mag).1 }, i32::from(common)))
        }
    };
    exact.and_then(|(v, from)| v.rescaled(i32::from(scale) - from)).and_then(|v| v.to_i128(precision))
}

/// The i128 path: every step checked; `None` sends the operation to the 256-bit path.
fn fast(op: DecimalOp, (x, sx): (i128, u8), (y, sy): (i128, u8), scale: u8) -> Option<i128> {
    let (exact, from) = match op {
        DecimalOp::Add | DecimalOp::Subtract | DecimalOp::Modulo => {
            let common = sx.max(sy);
            let a = mul(x, pow10_i128(common - sx)?)?;
            let b = mul(y, pow10_i128(common - sy)?)?;
            let v = match op {
                DecimalOp::Add => a.checked_add(b)?,
                DecimalOp::Subtract => a.checked_sub(b)?,
                _ => a.checked_rem(b)?,
            };
            (v, common)
        }
        DecimalOp::Multiply => (mul(x, y)?, sx.checked_add(sy)?),
        DecimalOp::Divide => {
            let shift = i32::from(scale) + i32::from(sy) - i32::from(sx);
            let (n, d) = if shift >= 0 {
                (mul(x, pow10_i128(u8::try_from(shift).ok()?)?)?, y)
            } else {
                (x, mul(y, pow10_i128(u8::try_from(-shift).ok()?)?)?)
            };
            return round_div_i128(n, d);
        }
    };
    rescale_i128(exact, from, scale)
}

/// `v` of scale `from` at scale `to`, rounded HALF_UP; `None` when it overflows an i128.
fn rescale_i128(v: i128, from: u8, to: u8) -> Option<i128> {
    if to == from {
        Some(v)
    } else if to > from {
        mul(v, pow10_i128(to - from)?)
    } else {
        match pow10_i128(from - to) {
            Some(d) => round_div_i128(v, d),
            // More than 38 digits dropped: an i128 rounds to 0.
            None => Some(0),
        }
    }
}

/// `a * b`, `None` past an i128. Two factors that fit an i64 multiply without the overflow
/// check (their product is below 2^126), which for an i128 is a call per value.
fn mul(a: i128, b: i128) -> Option<i128> {
    match (i64::try_from(a), i64::try_from(b)) {
        (Ok(a), Ok(b)) => Some(i128::from(a) * i128::from(b)),
        _ => a.checked_mul(b),
    }
}

/// `n / d` rounded HALF_UP (ties away from zero); `None` for a zero `d` or an overflow.
fn round_div_i128(n: i128, d: i128) -> Option<i128> {
    // Within an i64 the division is one instruction rather than a call.
    if let (Ok(n), Ok(d)) = (i64::try_from(n), i64::try_from(d)) {
        if let (Some(q), Some(r)) = (n.checked_div(d), n.checked_rem(d)) {
            let (r, d_abs) = (r.unsigned_abs(), d.unsigned_abs());
            let up = r >= d_abs - r;
            return Some(
                i128::from(q)
                    + if !up {
                        0
                    } else if (n < 0) != (d < 0) {
                        -1
                    } else {
                        1
                    },
            );
        }
    }
    let (q, r) = (n.checked_div(d)?, n.checked_rem(d)?);
    let (r, d_abs) = (r.unsigned_abs(), d.unsigned_abs());
    if r >= d_abs - r {
        q.checked_add(if (n < 0) != (d < 0) { -1 } else { 1 })
    } else {
        Some(q)
    }
}

/// 10^0 ..= 10^38, the powers of ten an i128 holds (looked up: the fast path runs per value).
const POW10_I128: [i128; 39] = {
    let mut table = [1i128; 39];
    let mut i = 1;
    while i < 39 {
        table[i] = table[i - 1] * 10;
        i += 1;
    }
    table
};

fn pow10_i128(k: u8) -> Option<i128> {
    POW10_I128.get(usize::from(k)).copied()
}

/// A value that does not fit `precision` digits is Flink's NULL.
fn fit(v: i128, precision: u8) -> Option<i128> {
    (v.unsigned_abs() < POW10_I128[usize::from(precision.min(MAX_PRECISION))].unsigned_abs()).then_some(v)
}

/// `x` of scale `sx` against `y` of scale `sy`, exactly.
pub fn compare((x, sx): (i128, u8), (y, sy): (i128, u8)) -> Ordering {
    let common = sx.max(sy);
    let a = Wide::of(x).shifted(i32::from(common - sx));
    let b = Wide::of(y).shifted(i32::from(common - sy));
    match (a, b) {
        (Some(a), Some(b)) => a.cmp(&b),
        // Unreachable for 38-digit values (77 digits fit); kept total.
        _ => x.cmp(&y),
    }
}

/// A signed 256-bit value: a sign and a magnitude.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Wide {
    neg: bool,
    mag: U256,
}

impl Wide {
    fn of(v: i128) -> Wide {
        Wide { neg: v < 0, mag: U256::from_u128(v.unsigned_abs()) }
    }

    fn negated(self) -> Wide {
        Wide { neg: !self.neg && !self.mag.is_zero(), mag: self.mag }
    }

    /// The value times 10^k (k ≥ 0); `None` past 256 bits.
    fn shifted(self, k: i32) -> Option<Wide> {
        let p = POW10.get(usize::try_from(k).ok()?)?;
        Some(Wide { neg: self.neg, mag: self.mag.checked_mul(*p)? })
    }

    fn add(self, o: Wide) -> Option<Wide> {
        if self.neg == o.neg {
            return Some(Wide { neg: self.neg, mag: self.mag.checked_add(o.mag)? });
        }
        Some(match self.mag.cmp(&o.mag) {
            Ordering::Less => Wide { neg: o.neg, mag: o.mag.sub(self.mag) },
            _ => Wide { neg: self.neg, mag: self.mag.sub(o.mag) }.normalized(),
        })
    }

    fn normalized(self) -> Wide {
        Wide { neg: self.neg && !self.mag.is_zero(), mag: self.mag }
    }

    /// The value times 10^k, rounded HALF_UP when k < 0; `None` when it overflows.
    fn rescaled(self, k: i32) -> Option<Wide> {
        if k >= 0 {
            return self.shifted(k);
        }
        let Some(d) = usize::try_from(-k).ok().and_then(|k| POW10.get(k)) else {
            // More than 77 digits dropped from a value below 10^77: rounds to 0.
            return Some(Wide { neg: false, mag: U256::ZERO });
        };
        let (q, r) = self.mag.div_rem(*d);
        let q = if r.cmp(&d.sub(r)) != Ordering::Less { q.checked_add(U256::ONE)? } else { q };
        Some(Wide { neg: self.neg, mag: q }.normalized())
    }

    fn to_i128(self, precision: u8) -> Option<i128> {
        let limit = POW10[usize::from(precision.min(MAX_PRECISION))];
        if self.mag.cmp(&limit) != Ordering::Less {
            return None;
        }
        // Below 10^38 < 2^127.
        let m = self.mag.low_u128() as i128;
        Some(if self.neg { -m } else { m })
    }
}

impl PartialOrd for Wide {
    fn partial_cmp(&self, o: &Wide) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}

impl Ord for Wide {
    fn cmp(&self, o: &Wide) -> Ordering {
        let (a, b) = (self.normalized(), o.normalized());
        match (a.neg, b.neg) {
            (false, true) => Ordering::Greater,
            (true, false) => Ordering::Less,
            (false, false) => a.mag.cmp(&b.mag),
            (true, true) => b.mag.cmp(&a.mag),
        }
    }
}

/// An unsigned 256-bit integer, four 64-bit limbs, least significant first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct U256([u64; 4]);

/// 10^0 ..= 10^77, every power of ten below 2^256.
const POW10: [U256; 78] = {
    let mut table = [U256([0; 4]); 78];
    let mut limbs = [1u64, 0, 0, 0];
    let mut i = 0;
    while i < 78 {
        table[i] = U256(limbs);
        let mut carry = 0u128;
        let mut j = 0;
        while j < 4 {
            let v = limbs[j] as u128 * 10 + carry;
            limbs[j] = v as u64;
            carry = v >> 64;
            j += 1;
        }
        i += 1;
    }
    table
};

impl U256 {
    const ZERO: U256 = U256([0; 4]);
    const ONE: U256 = U256([1, 0, 0, 0]);

    fn from_u128(v: u128) -> U256 {
        U256([v as u64, (v >> 64) as u64, 0, 0])
    }

    fn low_u128(self) -> u128 {
        u128::from(self.0[0]) | u128::from(self.0[1]) << 64
    }

    fn is_zero(self) -> bool {
        self.0 == [0; 4]
    }

    fn cmp(&self, o: &U256) -> Ordering {
        self.0.iter().rev().cmp(o.0.iter().rev())
    }

    fn checked_add(self, o: U256) -> Option<U256> {
        let mut out = [0u64; 4];
        let mut carry = false;
        for (i, slot) in out.iter_mut().enumerate() {
            let (v, c1) = self.0[i].overflowing_add(o.0[i]);
            let (v, c2) = v.overflowing_add(u64::from(carry));
            *slot = v;
            carry = c1 || c2;
        }
        (!carry).then_some(U256(out))
    }

    /// `self - o` modulo 2^256 (exact for `self ≥ o`).
    fn sub(self, o: U256) -> U256 {
        let mut out = [0u64; 4];
        let mut borrow = false;
        for (i, slot) in out.iter_mut().enumerate() {
            let (v, b1) = self.0[i].overflowing_sub(o.0[i]);
            let (v, b2) = v.overflowing_sub(u64::from(borrow));
            *slot = v;
            borrow = b1 || b2;
        }
        U256(out)
    }

    fn checked_mul(self, o: U256) -> Option<U256> {
        let mut out = [0u64; 8];
        for i in 0..4 {
            let mut carry = 0u128;
            for j in 0..4 {
                let v = u128::from(self.0[i]) * u128::from(o.0[j]) + u128::from(out[i + j]) + carry;
                out[i + j] = v as u64;
                carry = v >> 64;
            }
            out[i + 4] = carry as u64;
        }
        (out[4..] == [0; 4]).then(|| U256([out[0], out[1], out[2], out[3]]))
    }

    /// Quotient and remainder; `d` is not zero. A divisor of one limb divides limb by limb;
    /// a wider one bit by bit.
    fn div_rem(self, d: U256) -> (U256, U256) {
        if d.0[1..] == [0; 3] {
            let d = u128::from(d.0[0]);
            let mut q = [0u64; 4];
            let mut r = 0u128;
            for i in (0..4).rev() {
                let v = r << 64 | u128::from(self.0[i]);
                q[i] = (v / d) as u64;
                r = v % d;
            }
            return (U256(q), U256::from_u128(r));
        }
        let mut q = U256::ZERO;
        let mut r = U256::ZERO;
        for bit in (0..256).rev() {
            // r < d; a bit shifted out of r makes it larger than any d, and the subtraction
            // wraps back below 2^256.
            let carry = r.0[3] >> 63 == 1;
            r = r.shl1();
            r.0[0] |= (self.0[bit / 64] >> (bit % 64)) & 1;
            if carry || r.cmp(&d) != Ordering::Less {
                r = r.sub(d);
                q.0[bit / 64] |= 1 << (bit % 64);
            }
        }
        (q, r)
    }

    fn shl1(self) -> U256 {
        let l = self.0;
        U256([l[0] << 1, l[1] << 1 | l[0] >> 63, l[2] << 1 | l[1] >> 63, l[3] << 1 | l[2] >> 63])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn result_types_are_flinks() {
        // Each as PyFlink 2.3 typed it (tests/functions/arithmetic.jsonl holds them).
        assert_eq!(result_type(DecimalOp::Multiply, (2, 1), (3, 2)), (6, 3));
        assert_eq!(result_type(DecimalOp::Divide, (2, 1), (10, 0)), (13, 12));
        assert_eq!(result_type(DecimalOp::Add, (2, 1), (10, 0)), (12, 1));
        assert_eq!(result_type(DecimalOp::Multiply, (38, 10), (38, 10)), (38, 6));
        assert_eq!(result_type(DecimalOp::Add, (38, 37), (38, 0)), (38, 6));
        assert_eq!(result_type(DecimalOp::Divide, (37, 17), (1, 0)), (38, 18));
        assert_eq!(result_type(DecimalOp::Modulo, (5, 2), (3, 1)), (4, 2));
    }

    #[test]
    fn values_round_half_up_and_overflow_to_null() {
        let op = |op, x, y, ty| apply(op, x, y, ty).unwrap();
        assert_eq!(op(DecimalOp::Multiply, (15, 1), (225, 2), (6, 3)), Some(3375));
        assert_eq!(op(DecimalOp::Divide, (20, 1), (3, 0), (13, 12)), Some(666_666_666_667));
        assert_eq!(op(DecimalOp::Divide, (-20, 1), (3, 0), (13, 12)), Some(-666_666_666_667));
        let nines = 10i128.pow(38) - 1;
        assert_eq!(op(DecimalOp::Add, (nines, 0), (1, 0), (38, 0)), None);
        assert_eq!(op(DecimalOp::Multiply, (nines, 0), (nines, 0), (38, 0)), None);
        // 0.0000005 + 1 at scale 6, through 256 bits (the aligned 1 has 38 digits).
        assert_eq!(op(DecimalOp::Add, (5 * 10i128.pow(30), 37), (1, 0), (38, 6)), Some(1_000_001));
        assert_eq!(op(DecimalOp::Add, (-5 * 10i128.pow(30), 37), (1, 0), (38, 6)), Some(1_000_000));
        assert_eq!(op(DecimalOp::Modulo, (-725, 2), (20, 1), (4, 2)), Some(-125));
        assert_eq!(apply(DecimalOp::Divide, (1, 0), (0, 0), (13, 12)), Err(DIVISION_BY_ZERO));
    }

    #[test]
    fn the_wide_path_agrees_with_the_fast_one() {
        let cases =
            [(1i128, 0u8), (-7, 0), (123_456_789, 4), (-5, 1), (99, 2), (10i128.pow(20) + 7, 3), (-(10i128.pow(18)) - 1, 18), (0, 2)];
        for &x in &cases {
            for &y in &cases {
                for op in [DecimalOp::Add, DecimalOp::Subtract, DecimalOp::Multiply, DecimalOp::Divide, DecimalOp::Modulo] {
                    if y.0 == 0 && matches!(op, DecimalOp::Divide | DecimalOp::Modulo) {
                        continue;
                    }
                    let ty = result_type(op, (38, x.1), (38, y.1));
                    let Some(fast) = fast(op, x, y, ty.1) else { continue };
                    assert_eq!(wide(op, x, y, ty), fit(fast, ty.0), "{op:?} {x:?} {y:?}");
                }
            }
        }
        // Long division by divisors of more than one limb, one above 2^255 (a bit shifts out).
        let n = POW10[77].checked_add(POW10[76]).unwrap();
        for d in [POW10[76].checked_add(U256::ONE).unwrap(), POW10[77].checked_add(U256::ONE).unwrap(), POW10[40]] {
            let (q, r) = n.div_rem(d);
            assert_eq!(q.checked_mul(d).and_then(|p| p.checked_add(r)), Some(n));
            assert_eq!(r.cmp(&d), Ordering::Less);
        }
        assert_eq!(compare((15, 1), (150, 2)), Ordering::Equal);
        assert_eq!(compare((-1, 0), (5, 37)), Ordering::Less);
        assert_eq!(compare((-2, 0), (-15, 1)), Ordering::Less);
    }
}

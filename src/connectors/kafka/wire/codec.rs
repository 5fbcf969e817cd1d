//! Kafka's primitive types on the wire (the protocol guide's INT8…INT64, STRING, NULLABLE_STRING,
//! BYTES, ARRAY, and the record format's zig-zag VARINT/VARLONG), written into a `Vec<u8>` and read
//! from a slice.
//!
//! Reading is for replies from a broker, which is outside input: every read checks the bytes are
//! there, every length is checked against what is left before anything is allocated, and an
//! array's element count is bounded by the bytes left (each element takes at least one byte), so a
//! hostile reply costs at most its own size and never panics.

use std::fmt;

/// A reply that does not parse: what was being read, and at which byte of the reply.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodeError {
    pub at: usize,
    pub what: String,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "malformed reply at byte {}: {}", self.at, self.what)
    }
}

/// Builds a request body.
#[derive(Default)]
pub struct Encoder {
    pub buf: Vec<u8>,
}

impl Encoder {
    pub fn new() -> Self {
        Encoder { buf: Vec::with_capacity(128) }
    }
    pub fn i8(&mut self, v: i8) -> &mut Self {
        self.buf.push(v as u8);
        self
    }
    pub fn i16(&mut self, v: i16) -> &mut Self {
        self.buf.extend_from_slice(&v.to_be_bytes());
        self
    }
    pub fn i32(&mut self, v: i32) -> &mut Self {
        self.buf.extend_from_slice(&v.to_be_bytes());
        self
    }
    pub fn i64(&mut self, v: i64) -> &mut Self {
        self.buf.extend_from_slice(&v.to_be_bytes());
        self
    }
    /// A STRING (INT16 length; Kafka's names are far shorter than 32 KiB, longer ones are cut).
    pub fn string(&mut self, s: &str) -> &mut Self {
        let bytes = &s.as_bytes()[..s.len().min(i16::MAX as usize)];
        self.i16(bytes.len() as i16);
        self.buf.extend_from_slice(bytes);
        self
    }
    pub fn nullable_string(&mut self, s: Option<&str>) -> &mut Self {
        match s {
            Some(s) => self.string(s),
            None => self.i16(-1),
        }
    }
    /// BYTES or NULLABLE_BYTES (INT32 length, -1 for null).
    pub fn bytes(&mut self, b: Option<&[u8]>) -> &mut Self {
        match b {
            Some(b) => {
                self.i32(b.len() as i32);
                self.buf.extend_from_slice(b);
            }
            None => {
                self.i32(-1);
            }
        }
        self
    }
    /// An ARRAY's element count.
    pub fn array_len(&mut self, n: usize) -> &mut Self {
        self.i32(n as i32)
    }
    /// Zig-zag VARINT (the record format's lengths and deltas).
    pub fn varint(&mut self, v: i32) -> &mut Self {
        self.uvarint(((v << 1) ^ (v >> 31)) as u32 as u64)
    }
    pub fn varlong(&mut self, v: i64) -> &mut Self {
        self.uvarint(((v << 1) ^ (v >> 63)) as u64)
    }
    fn uvarint(&mut self, mut v: u64) -> &mut Self {
        while v >= 0x80 {
            self.buf.push((v as u8) | 0x80);
            v >>= 7;
        }
        self.buf.push(v as u8);
        self
    }
    /// A varint-length-prefixed byte string (-1 for null), as records write keys and values.
    pub fn varbytes(&mut self, b: Option<&[u8]>) -> &mut Self {
        match b {
            Some(b) => {
                self.varint(b.len() as i32);
                self.buf.extend_from_slice(b);
            }
            None => {
                self.varint(-1);
            }
        }
        self
    }
}

/// Reads a reply, or a part of one, front to back.
pub struct Decoder<'a> {
    buf: &'a [u8],
    pos: usize,
    /// Added to positions in errors, when this decoder reads a slice of a larger reply.
    base: usize,
}

impl<'a> Decoder<'a> {
    pub fn new(buf: &'a [u8]) -> Self {
        Decoder { buf, pos: 0, base: 0 }
    }
    /// A decoder over the next `len` bytes (which this one skips).
    pub fn sub(&mut self, len: usize, what: &str) -> Result<Decoder<'a>, DecodeError> {
        let at = self.base + self.pos;
        let bytes = self.take(len, what)?;
        Ok(Decoder { buf: bytes, pos: 0, base: at })
    }
    pub fn error(&self, what: impl Into<String>) -> DecodeError {
        DecodeError { at: self.base + self.pos, what: what.into() }
    }
    pub fn position(&self) -> usize {
        self.pos
    }
    pub fn remaining(&self) -> usize {
        self.buf.len() - self.pos
    }
    pub fn rest(&self) -> &'a [u8] {
        &self.buf[self.pos..]
    }
    pub fn take(&mut self, n: usize, what: &str) -> Result<&'a [u8], DecodeError> {
        if n > self.remaining() {
            return Err(self.error(format!("{what}: {n} bytes expected, {} left", self.remaining())));
        }
        let s = &self.buf[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }
    fn fixed<const N: usize>(&mut self, what: &str) -> Result<[u8; N], DecodeError> {
        let s = self.take(N, what)?;
        let mut a = [0u8; N];
        a.copy_from_slice(s);
        Ok(a)
    }
    pub fn i8(&mut self, what: &str) -> Result<i8, DecodeError> {
        Ok(i8::from_be_bytes(self.fixed(what)?))
    }
    pub fn bool(&mut self, what: &str) -> Result<bool, DecodeError> {
        Ok(self.i8(what)? != 0)
    }
    pub fn i16(&mut self, what: &str) -> Result<i16, DecodeError> {
        Ok(i16::from_be_bytes(self.fixed(what)?))
    }
    pub fn i32(&mut self, what: &str) -> Result<i32, DecodeError> {
        Ok(i32::from_be_bytes(self.fixed(what)?))
    }
    pub fn u32(&mut self, what: &str) -> Result<u32, DecodeError> {
        Ok(u32::from_be_bytes(self.fixed(what)?))
    }
    pub fn i64(&mut self, what: &str) -> Result<i64, DecodeError> {
        Ok(i64::from_be_bytes(self.fixed(what)?))
    }
    pub fn string(&mut self, what: &str) -> Result<String, DecodeError> {
        self.nullable_string(what)?.ok_or_else(|| self.error(format!("{what}: null where a string is required")))
    }
    pub fn nullable_string(&mut self, what: &str) -> Result<Option<String>, DecodeError> {
        let len = self.i16(what)?;
        if len < 0 {
            return Ok(None);
        }
        let bytes = self.take(len as usize, what)?;
        Ok(Some(String::from_utf8_lossy(bytes).into_owned()))
    }
    /// NULLABLE_BYTES, borrowed from the reply.
    pub fn bytes(&mut self, what: &str) -> Result<Option<&'a [u8]>, DecodeError> {
        let len = self.i32(what)?;
        if len < 0 {
            return Ok(None);
        }
        Ok(Some(self.take(len as usize, what)?))
    }
    /// An ARRAY's element count; null reads as empty. At most one element per byte left, so a
    /// hostile count cannot make a caller reserve more than the reply's size.
    pub fn array_len(&mut self, what: &str) -> Result<usize, DecodeError> {
        let n = self.i32(what)?;
        if n < 0 {
            return Ok(0);
        }
        let n = n as usize;
        if n > self.remaining() {
            return Err(self.error(format!("{what}: {n} elements claimed, {} bytes left", self.remaining())));
        }
        Ok(n)
    }
    fn uvarint(&mut self, what: &str, max_bytes: usize) -> Result<u64, DecodeError> {
        let mut v = 0u64;
        for i in 0..max_bytes {
            let b = self.i8(what)? as u8;
            v |= u64::from(b & 0x7f) << (7 * i);
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(self.error(format!("{what}: varint longer than {max_bytes} bytes")))
    }
    pub fn varint(&mut self, what: &str) -> Result<i32, DecodeError> {
        let u = self.uvarint(what, 5)? as u32;
        Ok(((u >> 1) as i32) ^ -((u & 1) as i32))
    }
    pub fn varlong(&mut self, what: &str) -> Result<i64, DecodeError> {
        let u = self.uvarint(what, 10)?;
        Ok(((u >> 1) as i64) ^ -((u & 1) as i64))
    }
    /// A varint-length-prefixed byte string; -1 is null.
    pub fn varbytes(&mut self, what: &str) -> Result<Option<&'a [u8]>, DecodeError> {
        let len = self.varint(what)?;
        if len < 0 {
            return Ok(None);
        }
        Ok(Some(self.take(len as usize, what)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_round_trip_through_zig_zag() {
        for v in [0, 1, -1, 63, -64, 64, 300, -300, i32::MAX, i32::MIN] {
            let mut e = Encoder::new();
            e.varint(v);
            assert_eq!(Decoder::new(&e.buf).varint("v").unwrap(), v);
        }
        for v in [0i64, -1, 1 << 40, i64::MIN, i64::MAX] {
            let mut e = Encoder::new();
            e.varlong(v);
            assert_eq!(Decoder::new(&e.buf).varlong("v").unwrap(), v);
        }
        // Kafka's own example: 300 is AC 02 unsigned, zig-zag 600 → D8 04.
        let mut e = Encoder::new();
        e.varint(300);
        assert_eq!(e.buf, [0xD8, 0x04]);
    }

    #[test]
    fn lengths_beyond_the_reply_are_errors_not_allocations() {
        let mut d = Decoder::new(&[0x7f, 0xff, 0xff, 0xff]);
        let e = d.array_len("topics").unwrap_err();
        assert!(e.what.contains("topics: 2147483647 elements claimed"), "{e}");
        let mut d = Decoder::new(&[0x00, 0x10, b'a']);
        assert!(d.string("host").unwrap_err().what.contains("16 bytes expected"));
        let mut d = Decoder::new(&[0xff; 12]);
        assert!(d.varlong("delta").unwrap_err().what.contains("longer than 10"));
    }
}

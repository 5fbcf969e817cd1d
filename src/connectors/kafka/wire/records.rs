//! Record batches, Kafka's message format v2 (`DefaultRecordBatch` / `DefaultRecord` in Kafka's
//! clients): what Fetch returns and Produce sends.
//!
//! ```text
//! baseOffset INT64, batchLength INT32, partitionLeaderEpoch INT32, magic INT8 (= 2),
//! crc UINT32 (CRC-32C of everything after it), attributes INT16, lastOffsetDelta INT32,
//! baseTimestamp INT64, maxTimestamp INT64, producerId INT64, producerEpoch INT16,
//! baseSequence INT32, records [length VARINT, attributes INT8, timestampDelta VARLONG,
//!   offsetDelta VARINT, key VARBYTES, value VARBYTES, headers [key VARSTRING, value VARBYTES]]
//! ```
//!
//! Decoding checks the CRC, skips control batches (transaction markers) and records before the
//! offset asked for, and stops quietly at a partial batch at the end of a fetch (brokers cut the
//! last batch at the size limit; the next fetch starts at it). Compression: none, and gzip (via
//! `miniz_oxide`, already in the build); snappy, lz4 and zstd batches are refused with an error
//! naming the codec. The old message formats (magic 0 and 1, before Kafka 0.11) are refused.

use super::codec::{DecodeError, Decoder, Encoder};
use crate::connectors::kafka::{KafkaRecord, TimestampType};

/// The largest batch inflated from gzip: a bound on what a small hostile reply can expand to.
const MAX_INFLATED: usize = 64 << 20;

/// Decodes the record batches of one partition's fetch reply into `out`, keeping records at or
/// after `from_offset`. Returns the offset after the last batch read completely (the next fetch
/// position even when every record of it was skipped, as control batches are).
pub fn decode_batches(bytes: &[u8], partition: i32, from_offset: i64, out: &mut Vec<KafkaRecord>) -> Result<Option<i64>, DecodeError> {
    let mut d = Decoder::new(bytes);
    let mut next = None;
    while d.remaining() >= 12 {
        let at = d.position();
        let base_offset = d.i64("baseOffset")?;
        let batch_length = d.i32("batchLength")?;
        if batch_length < 0 {
            return Err(d.error(format!("batch at offset {base_offset}: negative length {batch_length}")));
        }
        if batch_length as usize > d.remaining() {
            // A partial batch at the end: the broker cut it at the size limit.
            if at == 0 {
                return Ok(None);
            }
            break;
        }
        let mut b = d.sub(batch_length as usize, "batch")?;
        let leader_epoch = b.i32("partitionLeaderEpoch")?;
        let magic = b.i8("magic")?;
        if magic != 2 {
            return Err(
                b.error(format!("batch at offset {base_offset} has message format v{magic}; only v2 (Kafka 0.11 and later) is read"))
            );
        }
        let crc = b.u32("crc")?;
        if crc32c(b.rest()) != crc {
            return Err(b.error(format!("batch at offset {base_offset}: CRC-32C mismatch")));
        }
        let attributes = b.i16("attributes")?;
        let last_offset_delta = b.i32("lastOffsetDelta")?;
        let base_timestamp = b.i64("baseTimestamp")?;
        let max_timestamp = b.i64("maxTimestamp")?;
        let _producer_id = b.i64("producerId")?;
        let _producer_epoch = b.i16("producerEpoch")?;
        let _base_sequence = b.i32("baseSequence")?;
        let count = b.i32("records count")?;
        next = Some(base_offset.saturating_add(i64::from(last_offset_delta)).saturating_add(1));
        let control = attributes & 0x20 != 0;
        if control {
            continue;
        }
        let log_append = attributes & 0x08 != 0;
        let inflated;
        let mut r = match attributes & 0x07 {
            0 => b,
            1 => {
                inflated = gunzip(b.rest()).map_err(|e| b.error(format!("batch at offset {base_offset}: gzip: {e}")))?;
                Decoder::new(&inflated)
            }
            c => {
                let name = match c {
                    2 => "snappy",
                    3 => "lz4",
                    4 => "zstd",
                    _ => "an unknown codec",
                };
                return Err(b.error(format!(
                    "batch at offset {base_offset} is compressed with {name}; Sluice reads uncompressed and gzip batches (set compression.type=none or gzip on the producer)"
                )));
            }
        };
        for _ in 0..count.max(0) {
            let len = r.varint("record length")?;
            if len < 0 {
                return Err(r.error("negative record length"));
            }
            let mut rec = r.sub(len as usize, "record")?;
            let _attrs = rec.i8("record attributes")?;
            let ts_delta = rec.varlong("timestampDelta")?;
            let offset_delta = rec.varint("offsetDelta")?;
            let key = rec.varbytes("key")?.map(<[u8]>::to_vec);
            let value = rec.varbytes("value")?.map(<[u8]>::to_vec);
            let n = rec.varint("headers count")?;
            if n < 0 || n as usize > rec.remaining() {
                return Err(rec.error(format!("headers count {n} with {} bytes left", rec.remaining())));
            }
            let mut headers = Vec::with_capacity(n as usize);
            for _ in 0..n {
                let k = rec.varbytes("header key")?.ok_or_else(|| rec.error("null header key"))?;
                let v = rec.varbytes("header value")?.map(<[u8]>::to_vec);
                headers.push((String::from_utf8_lossy(k).into_owned(), v));
            }
            let offset = base_offset.saturating_add(i64::from(offset_delta));
            if offset < from_offset {
                continue;
            }
            let (timestamp_ms, timestamp_type) = if log_append {
                (max_timestamp, TimestampType::LogAppendTime)
            } else if base_timestamp < 0 {
                (-1, TimestampType::NoTimestampType)
            } else {
                (base_timestamp.saturating_add(ts_delta), TimestampType::CreateTime)
            };
            out.push(KafkaRecord {
                partition,
                offset,
                timestamp_ms,
                timestamp_type,
                key,
                value,
                headers,
                leader_epoch: (leader_epoch >= 0).then_some(leader_epoch),
            });
        }
    }
    Ok(next)
}

/// A record to produce: the broker assigns its offset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProduceRecord {
    pub key: Option<Vec<u8>>,
    pub value: Option<Vec<u8>>,
    pub timestamp_ms: i64,
    pub headers: Vec<(String, Option<Vec<u8>>)>,
}

/// One uncompressed v2 batch of `records` (non-idempotent, non-transactional: producer id -1).
pub fn encode_batch(records: &[ProduceRecord]) -> Vec<u8> {
    let base_ts = records.iter().map(|r| r.timestamp_ms).min().unwrap_or(0);
    let max_ts = records.iter().map(|r| r.timestamp_ms).max().unwrap_or(0);
    let mut body = Encoder::new();
    body.i16(0) // attributes: no compression, CreateTime
        .i32(records.len().saturating_sub(1) as i32)
        .i64(base_ts)
        .i64(max_ts)
        .i64(-1)
        .i16(-1)
        .i32(-1)
        .i32(records.len() as i32);
    let mut rec = Encoder::new();
    for (i, r) in records.iter().enumerate() {
        rec.buf.clear();
        rec.i8(0).varlong(r.timestamp_ms - base_ts).varint(i as i32);
        rec.varbytes(r.key.as_deref()).varbytes(r.value.as_deref());
        rec.varint(r.headers.len() as i32);
        for (k, v) in &r.headers {
            rec.varbytes(Some(k.as_bytes())).varbytes(v.as_deref());
        }
        body.varint(rec.buf.len() as i32);
        body.buf.extend_from_slice(&rec.buf);
    }
    let mut out = Encoder::new();
    out.i64(0) // baseOffset: the broker assigns it
        .i32((4 + 1 + 4 + body.buf.len()) as i32)
        .i32(-1) // partitionLeaderEpoch
        .i8(2)
        .buf
        .extend_from_slice(&crc32c(&body.buf).to_be_bytes());
    out.buf.extend_from_slice(&body.buf);
    out.buf
}

/// Gzip's member format around raw deflate (RFC 1952), bounded by [`MAX_INFLATED`].
fn gunzip(data: &[u8]) -> Result<Vec<u8>, String> {
    if data.len() < 18 || data[0] != 0x1f || data[1] != 0x8b || data[2] != 8 {
        return Err("not a gzip stream".into());
    }
    let flags = data[3];
    let mut pos = 10;
    let need = |pos: usize, n: usize| if pos + n <= data.len() { Ok(()) } else { Err("truncated header".to_string()) };
    if flags & 0x04 != 0 {
        need(pos, 2)?;
        pos += 2 + usize::from(u16::from_le_bytes([data[pos], data[pos + 1]]));
    }
    for bit in [0x08, 0x10] {
        if flags & bit != 0 {
            let end = data.get(pos..).and_then(|s| s.iter().position(|&b| b == 0)).ok_or("truncated header")?;
            pos += end + 1;
        }
    }
    if flags & 0x02 != 0 {
        pos += 2;
    }
    let body = data.get(pos..).ok_or("truncated header")?;
    miniz_oxide::inflate::decompress_to_vec_with_limit(body, MAX_INFLATED).map_err(|e| format!("{:?}", e.status))
}

/// CRC-32C (Castagnoli), the checksum of v2 batches.
pub fn crc32c(data: &[u8]) -> u32 {
    const TABLE: [u32; 256] = {
        let mut t = [0u32; 256];
        let mut i = 0;
        while i < 256 {
            let mut c = i as u32;
            let mut k = 0;
            while k < 8 {
                c = if c & 1 != 0 { 0x82F6_3B78 ^ (c >> 1) } else { c >> 1 };
                k += 1;
            }
            t[i] = c;
            i += 1;
        }
        t
    };
    let mut c = !0u32;
    for &b in data {
        c = TABLE[((c ^ u32::from(b)) & 0xff) as usize] ^ (c >> 8);
    }
    !c
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(key: &str, value: &str, ts: i64) -> ProduceRecord {
        ProduceRecord {
            key: Some(key.as_bytes().to_vec()),
            value: Some(value.as_bytes().to_vec()),
            timestamp_ms: ts,
            headers: vec![("h".into(), Some(b"1".to_vec())), ("n".into(), None)],
        }
    }

    #[test]
    fn crc32c_is_castagnoli() {
        // RFC 3720's check value.
        assert_eq!(crc32c(b"123456789"), 0xE306_9283);
    }

    #[test]
    fn a_batch_round_trips_with_offsets_timestamps_and_headers() {
        let mut batch = encode_batch(&[rec("a", "x", 1000), rec("b", "y", 1500)]);
        batch[..8].copy_from_slice(&40i64.to_be_bytes()); // as the broker stores it
        let mut out = Vec::new();
        let next = decode_batches(&batch, 3, 0, &mut out).unwrap();
        assert_eq!(next, Some(42));
        assert_eq!(out.len(), 2);
        assert_eq!((out[1].partition, out[1].offset, out[1].timestamp_ms), (3, 41, 1500));
        assert_eq!(out[1].timestamp_type, TimestampType::CreateTime);
        assert_eq!(out[0].headers, vec![("h".into(), Some(b"1".to_vec())), ("n".into(), None)]);
        // A fetch from offset 41 starts inside the batch: the record before it is skipped.
        out.clear();
        decode_batches(&batch, 3, 41, &mut out).unwrap();
        assert_eq!(out.iter().map(|r| r.offset).collect::<Vec<_>>(), [41]);
    }

    #[test]
    fn a_partial_last_batch_ends_the_fetch_and_a_corrupt_one_is_an_error() {
        let one = encode_batch(&[rec("a", "x", 1)]);
        let mut two = one.clone();
        two[..8].copy_from_slice(&1i64.to_be_bytes());
        let bytes = [one.clone(), two[..two.len() - 3].to_vec()].concat();
        let mut out = Vec::new();
        assert_eq!(decode_batches(&bytes, 0, 0, &mut out).unwrap(), Some(1));
        assert_eq!(out.len(), 1);
        let mut corrupt = one;
        corrupt[40] ^= 1;
        let e = decode_batches(&corrupt, 0, 0, &mut out).unwrap_err();
        assert!(e.what.contains("CRC-32C mismatch"), "{e}");
    }

    #[test]
    fn other_codecs_and_old_formats_are_refused_by_name() {
        let mut b = encode_batch(&[rec("a", "x", 1)]);
        b[21 + 1] |= 2; // attributes' low byte: snappy
        let crc = crc32c(&b[21..]);
        b[17..21].copy_from_slice(&crc.to_be_bytes());
        let e = decode_batches(&b, 0, 0, &mut Vec::new()).unwrap_err();
        assert!(e.what.contains("snappy"), "{e}");
        let mut old = encode_batch(&[rec("a", "x", 1)]);
        old[16] = 1;
        let e = decode_batches(&old, 0, 0, &mut Vec::new()).unwrap_err();
        assert!(e.what.contains("message format v1"), "{e}");
    }
}

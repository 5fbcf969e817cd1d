//! The backend of [`super::ParallelFile`] for decoders that answer later: a pool the session's
//! edge provides ([`DecodePool`]; in the page, decode workers, `src/ui/decode_pool.rs`). The file's
//! bytes are in the session's memory (a file given by the page); chunks are cut here, with the
//! same [`read_chunk`] as on disk, and handed to the pool a window ahead of the one the job waits
//! for, so every decoder has work queued. A chunk not back yet is [`Chunk::Pending`]: the job
//! gets no rows this step and asks again on a later one.

use std::sync::Arc;

use super::{read_chunk, Chunk, ChunkDecoders, ChunkPlan, Decoded, IN_FLIGHT};
use crate::connectors::decoder::{decoder_for_format, Decoder};
use crate::plan::catalog::TableDef;
use crate::types::Field;

/// What a decoder elsewhere needs to build a table's decoder: its format, fields and options.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct DecoderSpec {
    pub format: String,
    pub fields: Vec<Field>,
    pub options: Vec<(String, String)>,
    /// Which fields the query reads (`None`: all), see [`Decoder::project`].
    pub read: Option<Vec<bool>>,
}

impl DecoderSpec {
    pub fn of(table: &TableDef, fields: &[Field], read: Option<&[bool]>) -> Self {
        let format = table.option("format").unwrap_or("json").to_string();
        DecoderSpec { format, fields: fields.to_vec(), options: table.options.clone(), read: read.map(<[bool]>::to_vec) }
    }

    pub fn decoder(&self) -> Result<Decoder, String> {
        decoder_for_format(&self.format, &self.fields, &self.options, self.read.as_deref())
    }
}

/// Decoders that take chunks and answer later (without blocking the caller). Reads share the
/// pool; each has an id from [`DecodePool::open`].
pub trait DecodePool: Send + Sync {
    /// How many chunks it decodes at once.
    fn size(&self) -> usize;
    /// A new read whose chunks are decoded by `spec`'s decoder: its id.
    fn open(&self, spec: &DecoderSpec) -> u64;
    /// Starts decoding `lines` (whole lines) as chunk `c` of read `read`.
    fn submit(&self, read: u64, c: u64, lines: &[u8]);
    /// Chunk `c` of `read`, taken out, if it is back; an error if it never will be.
    fn take(&self, read: u64, c: u64) -> Option<Result<Decoded, String>>;
    /// The read is over (ended or dropped): what is left of it can go.
    fn close(&self, read: u64);
}

/// One read of bytes in memory through a [`DecodePool`].
pub struct PoolDecoders {
    pool: Arc<dyn DecodePool>,
    read: u64,
    data: Arc<[u8]>,
    plan: ChunkPlan,
    /// Chunks before this one were handed to the pool.
    submitted: u64,
    buf: Vec<u8>,
}

impl PoolDecoders {
    pub fn new(pool: Arc<dyn DecodePool>, spec: DecoderSpec, data: Arc<[u8]>, plan: ChunkPlan) -> Self {
        let read = pool.open(&spec);
        PoolDecoders { pool, read, data, plan, submitted: 0, buf: Vec::new() }
    }
}

impl ChunkDecoders for PoolDecoders {
    fn take(&mut self, c: u64) -> Chunk {
        let window = (self.pool.size().max(1) * (IN_FLIGHT + 1)) as u64;
        while self.submitted < self.plan.chunks() && self.submitted < c.saturating_add(window) {
            match read_chunk(&*self.data, self.plan, self.submitted, &mut self.buf) {
                Ok(lines) => self.pool.submit(self.read, self.submitted, &self.buf[lines]),
                Err(e) => return Chunk::Lost(format!("reading chunk {} of the file: {e}", self.submitted)),
            }
            self.submitted += 1;
        }
        match self.pool.take(self.read, c) {
            Some(Ok(decoded)) => Chunk::Ready(decoded),
            Some(Err(why)) => Chunk::Lost(why),
            None => Chunk::Pending,
        }
    }
}

impl Drop for PoolDecoders {
    fn drop(&mut self) {
        self.pool.close(self.read);
    }
}

//! The `filesystem` connector, natively: a bounded source reading a file's lines in order
//! (streamed, never loaded whole), and a sink appending lines.

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};

use super::source::SourceStatus;

pub struct FileSource {
    path: String,
    reader: BufReader<File>,
    line: Vec<u8>,
}

impl FileSource {
    pub fn open(path: &str) -> Result<Self, String> {
        let file = File::open(path).map_err(|e| format!("cannot open '{path}': {e}"))?;
        Ok(FileSource { path: path.to_string(), reader: BufReader::with_capacity(1 << 20, file), line: Vec::with_capacity(256) })
    }

    pub fn poll(&mut self, max: usize, out: &mut dyn FnMut(&[u8])) -> Result<SourceStatus, String> {
        for _ in 0..max {
            let buffered = self.reader.fill_buf().map_err(|e| format!("reading '{}': {e}", self.path))?;
            if buffered.is_empty() {
                return Ok(SourceStatus::Ended);
            }
            // A line whole in the buffer is handed over from there, without a copy.
            if let Some(i) = memchr::memchr(b'\n', buffered) {
                emit(&buffered[..i], out);
                self.reader.consume(i + 1);
                continue;
            }
            self.line.clear();
            self.reader.read_until(b'\n', &mut self.line).map_err(|e| format!("reading '{}': {e}", self.path))?;
            emit(&self.line, out);
        }
        Ok(SourceStatus::Progress)
    }
}

/// Hands `line` to `out` without its line break (any trailing `\n`s and `\r`s), unless blank.
fn emit(line: &[u8], out: &mut dyn FnMut(&[u8])) {
    let mut record = line;
    while let [rest @ .., b'\n' | b'\r'] = record {
        record = rest;
    }
    if !record.iter().all(u8::is_ascii_whitespace) {
        out(record);
    }
}

pub struct FileSink {
    writer: BufWriter<File>,
}

impl FileSink {
    pub fn create(path: &str) -> Result<Self, String> {
        let file = std::fs::OpenOptions::new().create(true).append(true).open(path).map_err(|e| format!("cannot write '{path}': {e}"))?;
        Ok(FileSink { writer: BufWriter::new(file) })
    }

    pub fn write_line(&mut self, line: &[u8]) -> Result<(), String> {
        self.writer.write_all(line).and_then(|_| self.writer.write_all(b"\n")).map_err(|e| e.to_string())
    }

    pub fn flush(&mut self) -> Result<(), String> {
        self.writer.flush().map_err(|e| e.to_string())
    }
}

//! Writing a Kinesis stream: records queue here in the order the sink wrote them and leave in
//! `PutRecords` calls of at most [`MAX_BATCH_RECORDS`] records and [`MAX_BATCH_BYTES`].
//!
//! Only the entries a call reports as failed are sent again, and per partition key the order is
//! kept: a batch holds at most one record of each key, so a failed record goes back to the front
//! of the queue still ahead of every later record with its key. (Records of different keys may
//! overtake each other, as Kinesis allows.) Like the poller, no clock or thread: the caller says
//! when it is and calls again when asked.

use std::collections::{HashSet, VecDeque};

use super::client::{KinesisClient, KinesisError, PutOutcome, StreamRef};
use super::poller::MAX_BACKOFF_MS;
use super::transport::Transport;

pub const MAX_BATCH_RECORDS: usize = 500;
pub const MAX_BATCH_BYTES: usize = 5 << 20;
/// Kinesis's limit for one record (data and partition key).
pub const MAX_RECORD_BYTES: usize = 1 << 20;
/// How far into the queue a batch looks for records of keys it does not hold yet.
const SCAN: usize = 20_000;
const MIN_BACKOFF_MS: i64 = 100;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WriterStats {
    pub calls: u64,
    pub stored: u64,
    /// Entries sent again after a call reported them failed (or the call failed as a whole).
    pub retried: u64,
    pub throttled: u64,
}

pub struct PutBatcher {
    stream: StreamRef,
    queue: VecDeque<(String, Vec<u8>)>,
    next_call_ms: i64,
    backoff_ms: i64,
    pub stats: WriterStats,
}

impl PutBatcher {
    pub fn new(stream: StreamRef) -> Self {
        PutBatcher { stream, queue: VecDeque::new(), next_call_ms: i64::MIN, backoff_ms: 0, stats: WriterStats::default() }
    }

    pub fn push(&mut self, partition_key: String, data: Vec<u8>) {
        self.queue.push_back((partition_key, data));
    }

    /// Records not yet stored by Kinesis.
    pub fn pending(&self) -> usize {
        self.queue.len()
    }

    /// Sends one batch if one is due; returns how many records Kinesis stored and when to call
    /// again, or an error retrying will not fix.
    pub async fn poll<T: Transport>(
        &mut self,
        client: &mut KinesisClient<T>,
        now_ms: i64,
        log: &mut Vec<String>,
    ) -> Result<(usize, i64), KinesisError> {
        if self.queue.is_empty() || now_ms < self.next_call_ms {
            return Ok((0, self.next_call_ms.max(now_ms)));
        }
        let batch = self.take_batch()?;
        self.stats.calls += 1;
        let entries: Vec<(&str, &[u8])> = batch.iter().map(|(k, d)| (k.as_str(), d.as_slice())).collect();
        match client.put_records(&self.stream, &entries).await {
            Ok(outcomes) => {
                let mut failed = Vec::new();
                let mut throttled = false;
                for (record, outcome) in batch.into_iter().zip(&outcomes) {
                    match outcome {
                        PutOutcome::Stored { .. } => self.stats.stored += 1,
                        PutOutcome::Failed { .. } => {
                            throttled |= outcome.is_throttled();
                            failed.push(record);
                        }
                    }
                }
                let stored = outcomes.len() - failed.len();
                if failed.is_empty() {
                    self.backoff_ms = 0;
                    self.next_call_ms = now_ms;
                } else {
                    self.stats.retried += failed.len() as u64;
                    if throttled {
                        self.stats.throttled += 1;
                    }
                    self.back_off(now_ms);
                    self.requeue(failed);
                }
                Ok((stored, self.next_call_ms))
            }
            Err(e) if e.is_retryable() => {
                if matches!(e, KinesisError::Throttled(_)) {
                    self.stats.throttled += 1;
                }
                if self.backoff_ms == 0 {
                    log.push(format!("writing `{}`: {e}; backing off", self.stream.name));
                }
                self.stats.retried += batch.len() as u64;
                self.back_off(now_ms);
                self.requeue(batch);
                Ok((0, self.next_call_ms))
            }
            Err(e) => {
                self.requeue(batch);
                Err(e)
            }
        }
    }

    fn back_off(&mut self, now_ms: i64) {
        self.backoff_ms = (self.backoff_ms * 2).clamp(MIN_BACKOFF_MS, MAX_BACKOFF_MS);
        self.next_call_ms = now_ms + self.backoff_ms;
    }

    /// Puts records back at the front, in their order.
    fn requeue(&mut self, records: Vec<(String, Vec<u8>)>) {
        for record in records.into_iter().rev() {
            self.queue.push_front(record);
        }
    }

    /// The next batch: queue order, one record per partition key, within Kinesis's limits.
    fn take_batch(&mut self) -> Result<Vec<(String, Vec<u8>)>, KinesisError> {
        let mut batch = Vec::new();
        let mut skipped = Vec::new();
        let mut keys = HashSet::new();
        let mut bytes = 0;
        let mut scanned = 0;
        while let Some((key, data)) = self.queue.pop_front() {
            let size = key.len() + data.len();
            if size > MAX_RECORD_BYTES {
                self.queue.push_front((key, data));
                self.requeue(std::mem::take(&mut skipped));
                self.requeue(batch);
                return Err(KinesisError::Rejected {
                    kind: "RecordTooLarge".into(),
                    message: format!("a record of {size} bytes is over Kinesis's limit of {MAX_RECORD_BYTES} (data and partition key)"),
                });
            }
            scanned += 1;
            if bytes + size > MAX_BATCH_BYTES {
                self.queue.push_front((key, data));
                break;
            }
            if keys.contains(&key) {
                skipped.push((key, data));
            } else {
                keys.insert(key.clone());
                bytes += size;
                batch.push((key, data));
            }
            if batch.len() == MAX_BATCH_RECORDS || scanned == SCAN {
                break;
            }
        }
        self.requeue(skipped);
        Ok(batch)
    }
}

#[cfg(test)]
mod tests {
    use super::super::transport::{block_on, Reply};
    use super::*;
    use serde_json::{json, Value};

    /// A Kinesis that fails the entries whose data is in `fail_once` the first time it sees them.
    struct Flaky {
        fail_once: Vec<String>,
        stored: Vec<(String, String)>,
    }

    impl Transport for Flaky {
        async fn send(&mut self, _action: &str, body: &[u8]) -> Result<Reply, String> {
            use base64::Engine as _;
            let body: Value = serde_json::from_slice(body).unwrap();
            let mut answers = Vec::new();
            for r in body["Records"].as_array().unwrap() {
                let key = r["PartitionKey"].as_str().unwrap().to_string();
                let data =
                    String::from_utf8(base64::engine::general_purpose::STANDARD.decode(r["Data"].as_str().unwrap()).unwrap()).unwrap();
                if let Some(at) = self.fail_once.iter().position(|d| *d == data) {
                    self.fail_once.remove(at);
                    answers.push(json!({"ErrorCode": "ProvisionedThroughputExceededException", "ErrorMessage": "slow down"}));
                } else {
                    self.stored.push((key, data));
                    answers.push(json!({"SequenceNumber": "1", "ShardId": "s"}));
                }
            }
            Ok(Reply { status: 200, body: json!({"Records": answers}).to_string().into_bytes() })
        }
    }

    #[test]
    fn failed_entries_are_retried_alone_and_keep_their_key_order() {
        let mut client = KinesisClient::new(Flaky { fail_once: vec!["a1".into(), "c1".into()], stored: vec![] });
        let mut batcher = PutBatcher::new(StreamRef { name: "out".into(), arn: None });
        for data in ["a1", "a2", "b1", "a3", "c1", "b2"] {
            batcher.push(data[..1].to_string(), data.as_bytes().to_vec());
        }
        let mut now = 0;
        let mut log = Vec::new();
        while batcher.pending() > 0 {
            let (_, next) = block_on(batcher.poll(&mut client, now, &mut log)).unwrap();
            now = next.max(now + 1);
        }
        let stored = &client.transport().stored;
        assert_eq!(stored.len(), 6, "each record exactly once: {stored:?}");
        for key in ["a", "b", "c"] {
            let order: Vec<&str> = stored.iter().filter(|(k, _)| k == key).map(|(_, d)| d.as_str()).collect();
            let mut sorted = order.clone();
            sorted.sort();
            assert_eq!(order, sorted, "key {key}");
        }
        assert_eq!(batcher.stats.retried, 2);
        assert!(batcher.stats.throttled >= 1);
    }

    #[test]
    fn batches_respect_the_record_limit() {
        let mut batcher = PutBatcher::new(StreamRef { name: "out".into(), arn: None });
        for i in 0..1200 {
            batcher.push(i.to_string(), vec![b'x'; 10]);
        }
        assert_eq!(batcher.take_batch().unwrap().len(), 500);
        assert_eq!(batcher.pending(), 700);
    }

    #[test]
    fn batches_respect_the_byte_limit() {
        let mut batcher = PutBatcher::new(StreamRef { name: "out".into(), arn: None });
        for i in 0..8 {
            batcher.push(i.to_string(), vec![b'x'; 1_000_000]);
        }
        let batch = batcher.take_batch().unwrap();
        assert_eq!(batch.len(), 5);
        assert!(batch.iter().map(|(k, d)| k.len() + d.len()).sum::<usize>() <= MAX_BATCH_BYTES);
    }
}

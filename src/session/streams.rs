//! The local streams, the sensor generators that feed them, and the real Kinesis streams
//! mirrored into them (`switch_remote` changes how those are reached).

use super::{
    GeneratorInfo, JobId, Session, StreamInfo, GENERATOR_LATE_KEY, GENERATOR_OUT_OF_ORDER_KEY, GENERATOR_SCENARIO_KEY, LATE_BOUND_MS,
    OUT_OF_ORDER_DELAY_MS,
};
use crate::connectors::kafka::{LocalTopics, ProducerRecord, RemoteTopics};
use crate::connectors::{self, RecordWriter, SensorGenerator};
use crate::sql::SqlError;

impl Session {
    /// Feeds `stream` from a new sensor generator (created running).
    pub fn attach_generator(&mut self, stream: &str, seed: u64, records_per_second: f64) {
        self.streams.get_or_create(stream);
        let mut generator = SensorGenerator::new(seed);
        generator.set_rate(records_per_second);
        self.generators.push(AttachedGenerator {
            stream: stream.to_string(),
            topic: false,
            generator,
            running: true,
            rate: records_per_second,
            json: RecordWriter::default(),
        });
    }

    /// Feeds local Kafka topic `topic` from a new sensor generator (created running): each
    /// reading is a record keyed by its sensor id (so Kafka's partitioner spreads sensors over
    /// partitions) with the reading as its JSON value, stamped with the session's clock.
    pub fn attach_topic_generator(&mut self, topic: &str, seed: u64, records_per_second: f64) {
        self.topics.get_or_create(topic);
        let mut generator = SensorGenerator::new(seed);
        generator.set_rate(records_per_second);
        self.generators.push(AttachedGenerator {
            stream: topic.to_string(),
            topic: true,
            generator,
            running: true,
            rate: records_per_second,
            json: RecordWriter::default(),
        });
    }

    /// Sets how far the readings of the generators feeding `stream` stray from the order they
    /// are sent in (the teaching knob for watermarks and late data); `Disorder::default()` is the
    /// walkthrough's in-order stream. Returns false when no generator feeds `stream`.
    pub fn set_generator_disorder(&mut self, stream: &str, disorder: connectors::Disorder) -> bool {
        let mut found = false;
        for g in self.generators.iter_mut().filter(|g| g.stream == stream) {
            g.generator.set_disorder(disorder);
            found = true;
        }
        found
    }

    /// Starts a "break it" scenario on the generators feeding `stream` now (`None`: they behave
    /// again). Returns false when no generator feeds `stream`.
    pub fn break_stream(&mut self, stream: &str, scenario: Option<connectors::Scenario>) -> bool {
        let now = self.now_ms;
        let mut found = false;
        for g in self.generators.iter_mut().filter(|g| g.stream == stream) {
            g.generator.set_scenario(scenario, now);
            found = true;
        }
        found
    }

    /// Applies the `sluice.generator.*` settings to every generator (unset: in order). Only a
    /// SET or RESET of one of them calls this, so other settings leave the panel's knobs alone.
    pub(super) fn apply_generator_settings(&mut self) {
        let share = |key: &str| self.config.get(key).and_then(|v| percent(v)).unwrap_or(0.0) / 100.0;
        let disorder = connectors::Disorder {
            out_of_order_share: share(GENERATOR_OUT_OF_ORDER_KEY),
            max_delay_ms: OUT_OF_ORDER_DELAY_MS,
            late_share: share(GENERATOR_LATE_KEY),
            late_bound_ms: LATE_BOUND_MS,
        };
        let scenario = self.config.get(GENERATOR_SCENARIO_KEY).and_then(|v| connectors::Scenario::parse(v));
        let now = self.now_ms;
        for g in &mut self.generators {
            g.generator.set_disorder(disorder);
            if g.generator.scenario().map(|s| s.scenario) != scenario {
                g.generator.set_scenario(scenario, now);
            }
        }
    }

    /// Plugs real streams in, or replaces the way they are reached (`None`: every stream is
    /// local), and returns the jobs this stopped. From then on, a Kinesis table the remote knows
    /// reads and writes its real stream, mirrored into the local stream of the same name.
    ///
    /// A running job that reads or writes a real stream is stopped, with a message: its reader
    /// goes with the old access, and what it wrote would pile up for a writer that is gone. What
    /// it wrote before is handed to the old writers, which finish sending it. With no access
    /// left, mirrors become plain local streams holding what they mirrored.
    pub fn switch_remote(&mut self, remote: Option<Box<dyn connectors::RemoteStreams>>) -> Vec<JobId> {
        self.pump_remote();
        let remote_streams: Vec<String> =
            self.streams.names().filter(|n| self.streams.get(n).is_some_and(|s| s.is_remote())).cloned().collect();
        let mut stopped = Vec::new();
        for job in self.jobs.iter_mut().filter(|j| j.running && j.streams.iter().any(|s| remote_streams.contains(s))) {
            job.stop();
            stopped.push(job.id);
        }
        if !stopped.is_empty() {
            let ids: Vec<String> = stopped.iter().map(|id| id.to_string()).collect();
            self.remote_messages.push(format!(
                "stopped job {}: it used real Kinesis streams through the access just replaced; run it again to use the new one",
                ids.join(", ")
            ));
        }
        for name in &remote_streams {
            if let Some(stream) = self.streams.get_mut(name) {
                stream.stop_forwarding();
                if remote.is_none() {
                    stream.stop_mirroring();
                }
            }
        }
        self.remote = remote;
        stopped
    }

    /// Plugs real Kafka topics in, or replaces the way they are reached (`None`: every topic is
    /// local), and returns the jobs this stopped, as [`Session::switch_remote`] does for Kinesis.
    pub fn switch_remote_topics(&mut self, remote: Option<Box<dyn RemoteTopics>>) -> Vec<JobId> {
        self.pump_remote();
        let remote_topics: Vec<String> =
            self.topics.names().filter(|n| self.topics.get(n).is_some_and(|t| t.is_remote())).cloned().collect();
        let mut stopped = Vec::new();
        for job in self.jobs.iter_mut().filter(|j| j.running && j.streams.iter().any(|s| remote_topics.contains(s))) {
            job.stop();
            stopped.push(job.id);
        }
        if !stopped.is_empty() {
            let ids: Vec<String> = stopped.iter().map(|id| id.to_string()).collect();
            self.remote_messages.push(format!(
                "stopped job {}: it used real Kafka topics through the access just replaced; run it again to use the new one",
                ids.join(", ")
            ));
        }
        for name in &remote_topics {
            if let Some(topic) = self.topics.get_mut(name) {
                topic.stop_forwarding();
                if remote.is_none() {
                    topic.stop_mirroring();
                }
            }
        }
        self.remote_topics = remote;
        stopped
    }

    /// The local topics (Kafka tables read and write these; real topics are mirrored here).
    pub fn local_topics(&self) -> &LocalTopics {
        &self.topics
    }

    pub fn local_topics_mut(&mut self) -> &mut LocalTopics {
        &mut self.topics
    }

    /// Produces one record on a local topic, stamped with the session's clock unless it has a
    /// timestamp; returns its partition and offset.
    pub fn produce(&mut self, topic: &str, record: ProducerRecord) -> Result<(i32, i64), String> {
        let now = self.now_ms;
        let t = self.topics.get_mut(topic).ok_or_else(|| format!("local topic `{topic}` does not exist"))?;
        t.produce(record, now)
    }

    /// Moves records between the remote streams and topics and the local ones; a remote stream
    /// or topic that failed fails the jobs reading or writing it.
    pub fn pump_remote(&mut self) {
        let mut events = Vec::new();
        if let Some(remote) = &mut self.remote_topics {
            remote.pump(&mut self.topics, &mut events);
        }
        if let Some(remote) = &mut self.remote {
            remote.pump(&mut self.streams, &mut events);
        }
        for event in events {
            match event {
                connectors::RemoteEvent::Info(message) => self.remote_messages.push(message),
                connectors::RemoteEvent::Failed { stream, error } => {
                    for job in self.jobs.iter_mut().filter(|j| j.running && j.streams.contains(&stream)) {
                        job.running = false;
                        job.error = Some(SqlError::connector(error.clone()));
                    }
                    self.remote_messages.push(error);
                }
            }
        }
    }

    /// Records written to remote streams or topics that Kinesis or Kafka has not stored yet.
    pub fn remote_pending_writes(&self) -> usize {
        self.remote.as_ref().map_or(0, |r| r.pending_writes()) + self.remote_topics.as_ref().map_or(0, |r| r.pending_writes())
    }

    /// Progress and trouble the remote streams reported since the last call.
    pub fn take_remote_messages(&mut self) -> Vec<String> {
        std::mem::take(&mut self.remote_messages)
    }

    /// When a running generator's next reading is due (the virtual clock's "one record" step).
    /// A generator that has not produced yet makes its first reading at the next advance: now.
    pub fn next_record_due_ms(&self) -> Option<i64> {
        self.generators.iter().filter(|g| g.running).map(|g| g.generator.next_due_ms().unwrap_or(self.now_ms)).min()
    }

    /// The local streams, then the local Kafka topics, with what feeds them.
    pub fn streams(&self) -> Vec<StreamInfo> {
        let generator = |name: &str, topic: bool| {
            self.generators.iter().find(|g| g.stream == name && g.topic == topic).map(|g| GeneratorInfo {
                running: g.running,
                records_per_second: g.rate,
                scenario: g.generator.scenario(),
            })
        };
        let streams = self.streams.names().filter_map(|name| {
            let stream = self.streams.get(name)?;
            Some(StreamInfo {
                name: name.clone(),
                shards: stream.shard_count(),
                records: stream.record_count() as u64,
                generator: generator(name, false),
                kinesis_mirror: stream.is_mirror(),
                kafka_topic: false,
                kafka_mirror: false,
            })
        });
        let topics = self.topics.names().filter_map(|name| {
            let topic = self.topics.get(name)?;
            Some(StreamInfo {
                name: name.clone(),
                shards: topic.partition_count(),
                records: topic.record_count() as u64,
                generator: generator(name, true),
                kinesis_mirror: false,
                kafka_topic: true,
                kafka_mirror: topic.is_mirror(),
            })
        });
        streams.chain(topics).collect()
    }

    /// The data of the last `max` records of stream `name` (local or a mirror), in arrival
    /// order: a sample to infer a table from.
    pub fn stream_sample(&self, name: &str, max: usize) -> Option<Vec<Vec<u8>>> {
        let stream = self.streams.get(name)?;
        Some(stream.recent(max).into_iter().map(|r| r.data.to_vec()).collect())
    }

    /// The last `max` records of stream `name` as (arrival ms, partition key, data), in arrival
    /// order: what a replay puts on a stream of its own.
    pub fn stream_records(&self, name: &str, max: usize) -> Option<Vec<(i64, String, Vec<u8>)>> {
        let stream = self.streams.get(name)?;
        Some(stream.recent(max).into_iter().map(|r| (r.arrival_ms, r.partition_key.to_string(), r.data.to_vec())).collect())
    }

    /// Puts one record on a local stream (as Kinesis's PutRecord does); returns its shard and
    /// sequence number.
    pub fn put_record(&mut self, stream: &str, partition_key: &str, data: Vec<u8>) -> Result<(usize, u64), String> {
        let now = self.now_ms;
        let s = self.streams.get_mut(stream).ok_or_else(|| format!("local stream `{stream}` does not exist"))?;
        Ok(s.put_record(partition_key, data, now))
    }

    /// Starts or stops the generator feeding `stream` and sets its rate.
    pub fn set_generator(&mut self, stream: &str, running: bool, records_per_second: f64) {
        let rate = if records_per_second.is_finite() { records_per_second.clamp(0.0, 1_000_000.0) } else { 0.0 };
        for g in self.generators.iter_mut().filter(|g| g.stream == stream) {
            if !running {
                // Restarting later begins at that moment instead of back-filling the pause.
                g.generator.pause();
            }
            g.running = running;
            g.rate = rate;
            g.generator.set_rate(rate);
        }
    }
}

pub(super) struct AttachedGenerator {
    /// The local stream it feeds, or the local topic when `topic` is set.
    pub(super) stream: String,
    pub(super) topic: bool,
    pub(super) generator: SensorGenerator,
    pub(super) running: bool,
    pub(super) rate: f64,
    /// Writes its readings' JSON (keeping the last date's text between records).
    pub(super) json: RecordWriter,
}

/// `'30'` or `'30%'` → 30.0, when it is a percentage from 0 to 100.
pub(super) fn percent(text: &str) -> Option<f64> {
    text.trim().trim_end_matches('%').trim().parse::<f64>().ok().filter(|p| (0.0..=100.0).contains(p))
}

//! The seam between local topics and real Kafka: like [`crate::connectors::RemoteStreams`] for
//! Kinesis, a real topic is *mirrored* into the local topic of the same name (its records at
//! their own partitions and offsets, [`super::LocalTopic::mirror_record`]) and records produced on
//! a forwarded local topic leave through [`super::LocalTopic::take_outbox`]. Queries never see the
//! difference. What makes a table's topic "real" (a bootstrap server the runner or the proxy is
//! configured for) is the implementation's decision: `attach_*` answers `Ok(false)` and the
//! topic stays local.

use super::topic::LocalTopics;
use crate::connectors::RemoteEvent;
use crate::plan::catalog::TableDef;

/// Real Kafka topics plugged into a session's local topics.
pub trait RemoteTopics {
    /// Starts mirroring `table`'s topics into the local topics of the same names, if the table
    /// is remote; `Ok(false)` leaves them local.
    fn attach_source(&mut self, table: &TableDef, topics: &mut LocalTopics) -> Result<bool, String>;
    /// Starts forwarding records produced on `table`'s local topic to the real one, if remote.
    fn attach_sink(&mut self, table: &TableDef, topics: &mut LocalTopics) -> Result<bool, String>;
    /// Moves records: mirrored ones into local topics, produced ones out.
    /// [`RemoteEvent::Failed`]'s `stream` names the topic.
    fn pump(&mut self, topics: &mut LocalTopics, events: &mut Vec<RemoteEvent>);
    /// Records handed over for producing that the broker has not acknowledged yet.
    fn pending_writes(&self) -> usize;
    /// Commits `positions` (per partition, the next offset to read) of `table`'s real `topic`
    /// for the table's consumer group (`properties.group.id`); nothing for a local topic or a
    /// table without a group.
    fn commit(&mut self, _table: &TableDef, _topic: &str, _positions: &std::collections::BTreeMap<i32, i64>) -> Result<(), String> {
        Ok(())
    }
}

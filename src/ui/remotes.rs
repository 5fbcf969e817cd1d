//! The session's remote streams and topics for an access: `fetch` from whichever thread holds
//! the session (the worker module's, see `worker.rs`).

use super::page_kafka::PageTopics;
use super::page_remote::{Access, PageRemote};
use crate::connectors::kafka::RemoteTopics;
use crate::connectors::RemoteStreams;
use crate::views::host::protocol::{RemoteAccess, TopicAccess};
use crate::views::host::server::RemoteFactory;

pub struct PageRemotes;

impl RemoteFactory for PageRemotes {
    fn streams(&mut self, access: &RemoteAccess) -> Option<Box<dyn RemoteStreams>> {
        Some(Box::new(PageRemote::new(Access::from_protocol(access))))
    }

    fn topics(&mut self, access: &TopicAccess) -> Option<Box<dyn RemoteTopics>> {
        match access {
            TopicAccess::Local => None,
            TopicAccess::Proxy { url } => Some(Box::new(PageTopics::new(url))),
        }
    }
}

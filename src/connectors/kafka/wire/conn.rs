//! One TCP connection to one broker (TLS over it with `SSL` / `SASL_SSL`): size-prefixed frames, correlation ids, a timeout on every
//! read and write, a bound on a reply's size, and the SASL exchange before the first request.
//!
//! A connection that fails in any way is dropped by its owner ([`super::client::KafkaClient`])
//! and opened again on the next request: nothing here retries.

use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::{Duration, SystemTime};

use super::codec::{Decoder, Encoder};
use super::config::{ClientConfig, Sasl};
use super::messages::{self, error_name, Request};
use super::msk_iam;
use super::sasl::Scram;
use super::tls::Stream;
use super::WireError;
use crate::connectors::kinesis::credentials::{standard_region, Credentials};

pub struct Connection {
    stream: Stream,
    addr: String,
    correlation: i32,
    client_id: String,
    max_reply: usize,
}

impl Connection {
    /// Connects to `host:port` and authenticates as `config` says.
    pub fn open(host: &str, port: i32, config: &ClientConfig) -> Result<Connection, WireError> {
        let addr = format!("{host}:{port}");
        let io = |e: std::io::Error| WireError::Io(format!("{addr}: {e}"));
        let sock = (host, u16::try_from(port).map_err(|_| WireError::Io(format!("{addr}: bad port")))?)
            .to_socket_addrs()
            .map_err(io)?
            .next()
            .ok_or_else(|| WireError::Io(format!("{addr}: no address")))?;
        let stream = TcpStream::connect_timeout(&sock, config.request_timeout).map_err(io)?;
        stream.set_read_timeout(Some(config.request_timeout)).map_err(io)?;
        stream.set_write_timeout(Some(config.request_timeout)).map_err(io)?;
        let _ = stream.set_nodelay(true);
        let stream = match &config.tls {
            None => Stream::Plain(stream),
            Some(tls) => Stream::Tls(Box::new(tls.connect(host, &addr, stream)?)),
        };
        let mut conn = Connection { stream, addr, correlation: 0, client_id: config.client_id.clone(), max_reply: config.max_reply_bytes };
        if let Some(sasl) = &config.sasl {
            conn.authenticate(sasl, host)?;
        }
        Ok(conn)
    }

    pub fn addr(&self) -> &str {
        &self.addr
    }

    /// Sends `request` and returns the reply's body (after its correlation id).
    pub fn call(&mut self, request: &Request) -> Result<Vec<u8>, WireError> {
        self.correlation = self.correlation.wrapping_add(1);
        let mut head = Encoder::new();
        head.i32(0).i16(request.api.0).i16(request.api.1).i32(self.correlation).string(&self.client_id);
        let size = head.buf.len() - 4 + request.body.len();
        head.buf[..4].copy_from_slice(&(size as i32).to_be_bytes());
        let io = |addr: &str, e: std::io::Error| WireError::Io(format!("{addr}: {e}"));
        self.stream.write_all(&head.buf).map_err(|e| io(&self.addr, e))?;
        self.stream.write_all(&request.body).map_err(|e| io(&self.addr, e))?;
        self.stream.flush().map_err(|e| io(&self.addr, e))?;
        let mut len = [0u8; 4];
        self.stream.read_exact(&mut len).map_err(|e| io(&self.addr, e))?;
        let len = i32::from_be_bytes(len);
        if len < 4 || len as usize > self.max_reply {
            return Err(WireError::Protocol(format!("{}: reply of {len} bytes (at most {} are read)", self.addr, self.max_reply)));
        }
        let mut reply = vec![0u8; len as usize];
        self.stream.read_exact(&mut reply).map_err(|e| io(&self.addr, e))?;
        let correlation = i32::from_be_bytes([reply[0], reply[1], reply[2], reply[3]]);
        if correlation != self.correlation {
            return Err(WireError::Protocol(format!(
                "{}: reply to request {correlation} where {} was expected",
                self.addr, self.correlation
            )));
        }
        reply.drain(..4);
        Ok(reply)
    }

    fn authenticate(&mut self, sasl: &Sasl, host: &str) -> Result<(), WireError> {
        let mechanism = sasl.mechanism();
        let reply = self.call(&messages::sasl_handshake(mechanism))?;
        let (err, offered) = messages::sasl_handshake_reply(&mut Decoder::new(&reply)).map_err(|e| self.malformed(e))?;
        if err != 0 {
            return Err(WireError::Fatal(format!(
                "{}: SASL mechanism {mechanism} refused ({}); the broker offers {}",
                self.addr,
                error_name(err),
                offered.join(", ")
            )));
        }
        match sasl {
            Sasl::Plain { username, password } => {
                let token = format!("\0{username}\0{password}");
                self.sasl_step(token.as_bytes())?;
            }
            Sasl::Scram { sha512, username, password } => {
                let mut scram = Scram::new(*sha512, username, password);
                let server_first = self.sasl_step(&scram.client_first())?;
                let client_final = scram.client_final(&server_first).map_err(|e| self.sasl_failed(e))?;
                let server_final = self.sasl_step(&client_final)?;
                scram.verify_server_final(&server_final).map_err(|e| self.sasl_failed(e))?;
            }
            Sasl::MskIam { profile } => {
                let (credentials, _) = Credentials::from_standard_sources(profile.as_deref()).map_err(|e| self.sasl_failed(e))?;
                let region = msk_iam::region_of_host(host)
                    .or_else(|| standard_region(profile.as_deref()))
                    .ok_or_else(|| self.sasl_failed("AWS_MSK_IAM: no region (the broker's host names none; set AWS_REGION)".into()))?;
                let payload = msk_iam::payload(host, &region, &credentials, SystemTime::now()).map_err(|e| self.sasl_failed(e))?;
                if self.sasl_step(&payload)?.is_empty() {
                    return Err(self.sasl_failed("AWS_MSK_IAM: the broker's answer is empty".into()));
                }
            }
        }
        Ok(())
    }

    fn sasl_step(&mut self, bytes: &[u8]) -> Result<Vec<u8>, WireError> {
        let reply = self.call(&messages::sasl_authenticate(bytes))?;
        let (err, message, bytes) = messages::sasl_authenticate_reply(&mut Decoder::new(&reply)).map_err(|e| self.malformed(e))?;
        if err != 0 {
            return Err(self.sasl_failed(message.unwrap_or_else(|| error_name(err))));
        }
        Ok(bytes)
    }

    fn sasl_failed(&self, why: String) -> WireError {
        WireError::Fatal(format!("{}: SASL authentication failed: {why}", self.addr))
    }

    pub fn malformed(&self, e: super::codec::DecodeError) -> WireError {
        WireError::Protocol(format!("{}: {e}", self.addr))
    }
}

/// How long to wait before the `attempt`-th reconnect: Kafka's `reconnect.backoff.ms` doubling up
/// to `reconnect.backoff.max.ms`.
pub fn backoff(attempt: u32, base: Duration, max: Duration) -> Duration {
    base.saturating_mul(1u32 << attempt.min(16)).min(max)
}

//! Shared by the tests against the `kafka` tier's broker (tansu): the kafka-python helper, a
//! private broker behind a relay that can be cut (a broker restart as a client sees it), and
//! unique topic names.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub struct Broker {
    pub bootstrap: String,
    pub python: String,
}

/// The broker the `kafka` tier of scripts/test.sh starts. These tests are `#[ignore]`d in a plain
/// `cargo test` (reported as ignored, never as passed) and that tier runs them with `--ignored`;
/// without the broker they fail.
pub fn broker() -> Broker {
    match (std::env::var("SLUICE_KAFKA_BOOTSTRAP"), std::env::var("SLUICE_KAFKA_PYTHON")) {
        (Ok(bootstrap), Ok(python)) => Broker { bootstrap, python },
        _ => panic!("no Kafka test broker: run these through scripts/test.sh's `kafka` tier"),
    }
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A topic name no earlier run used (the tier's broker lives for the whole tier).
pub fn topic(prefix: &str) -> String {
    static N: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    format!("{prefix}-{}-{nanos}-{}", std::process::id(), N.fetch_add(1, Ordering::Relaxed))
}

impl Broker {
    /// The kafka-python helper (tests/kafka/kafka_tool.py) against this broker.
    pub fn tool(&self, args: &[&str]) -> String {
        let out = Command::new(&self.python)
            .arg(repo().join("tests/kafka/kafka_tool.py"))
            .args(args)
            .env("KAFKA_BOOTSTRAP", &self.bootstrap)
            .output()
            .expect("the test Python runs");
        assert!(out.status.success(), "kafka_tool.py {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        eprint!("{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    }
}

/// A tansu of the test's own (`SLUICE_TANSU` names the binary), reached only through a relay
/// whose address it advertises: cutting the relay drops every connection and refuses new ones,
/// which is what a client sees of a broker restarting — except that the records are still there
/// afterwards (tansu's `memory://` storage would lose them in a real restart).
pub struct PrivateBroker {
    pub broker: Broker,
    pub relay: Relay,
    child: Child,
}

impl Drop for PrivateBroker {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

pub fn private_broker() -> PrivateBroker {
    let tansu = std::env::var("SLUICE_TANSU").expect("SLUICE_TANSU: run these through scripts/test.sh's `kafka` tier");
    let python = broker().python;
    let port = free_port();
    let relay = Relay::start(port);
    let child = start_tansu(
        Command::new(tansu)
            .args(["broker", "--listener-url", &format!("tcp://127.0.0.1:{port}")])
            .args(["--advertised-listener-url", &format!("tcp://{}", relay.addr)])
            .args(["--storage-engine", "memory://tansu/"]),
        port,
    );
    PrivateBroker { broker: Broker { bootstrap: relay.addr.clone(), python }, relay, child }
}

/// A TCP relay from a loopback port to `127.0.0.1:target`, with a switch.
pub struct Relay {
    pub addr: String,
    cut: Arc<AtomicBool>,
    open: Arc<Mutex<Vec<TcpStream>>>,
}

impl Relay {
    pub fn start(target: u16) -> Relay {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        let cut = Arc::new(AtomicBool::new(false));
        let open: Arc<Mutex<Vec<TcpStream>>> = Arc::default();
        let (c, o) = (cut.clone(), open.clone());
        std::thread::spawn(move || {
            for client in listener.incoming() {
                let Ok(client) = client else { continue };
                if c.load(Ordering::SeqCst) {
                    let _ = client.shutdown(Shutdown::Both);
                    continue;
                }
                let Ok(server) = TcpStream::connect(("127.0.0.1", target)) else {
                    let _ = client.shutdown(Shutdown::Both);
                    continue;
                };
                let mut open = o.lock().unwrap();
                open.push(client.try_clone().unwrap());
                open.push(server.try_clone().unwrap());
                pipe(client.try_clone().unwrap(), server.try_clone().unwrap());
                pipe(server, client);
            }
        });
        Relay { addr, cut, open }
    }

    /// Drops every connection and refuses new ones for `down`, then lets them through again.
    pub fn restart_broker(&self, down: Duration) {
        self.cut.store(true, Ordering::SeqCst);
        for s in self.open.lock().unwrap().drain(..) {
            let _ = s.shutdown(Shutdown::Both);
        }
        std::thread::sleep(down);
        self.cut.store(false, Ordering::SeqCst);
    }
}

fn pipe(mut from: TcpStream, mut to: TcpStream) {
    std::thread::spawn(move || {
        let mut buf = [0u8; 16384];
        loop {
            match from.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    if to.write_all(&buf[..n]).is_err() {
                        break;
                    }
                }
            }
        }
        let _ = to.shutdown(Shutdown::Both);
    });
}

/// A tansu of the test's own whose records are kept in S3 (the `kafka` tier's moto at
/// `SLUICE_KAFKA_S3`, a bucket of its own), so it can really be stopped and started again on the
/// same port without losing a record: a broker restart as the broker itself goes through it.
pub struct DurableBroker {
    pub broker: Broker,
    port: u16,
    bucket: String,
    endpoint: String,
    child: std::cell::RefCell<Child>,
}

impl Drop for DurableBroker {
    fn drop(&mut self) {
        let child = self.child.get_mut();
        let _ = child.kill();
        let _ = child.wait();
    }
}

pub fn durable_broker() -> DurableBroker {
    let endpoint = std::env::var("SLUICE_KAFKA_S3").expect("SLUICE_KAFKA_S3: run these through scripts/test.sh's `kafka` tier");
    let python = broker().python;
    let bucket = topic("tansu").to_lowercase();
    // moto takes an unsigned CreateBucket: one plain HTTP/1.1 request.
    let host = endpoint.trim_start_matches("http://").trim_end_matches('/');
    let mut conn = TcpStream::connect(host).expect("moto listens");
    write!(conn, "PUT /{bucket} HTTP/1.1\r\nHost: {host}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").unwrap();
    let mut answer = String::new();
    let _ = conn.read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.1 200"), "creating bucket {bucket} at {endpoint}: {answer}");
    let port = free_port();
    let child = start_durable(port, &bucket, &endpoint);
    DurableBroker { broker: Broker { bootstrap: format!("127.0.0.1:{port}"), python }, port, bucket, endpoint, child: child.into() }
}

fn start_durable(port: u16, bucket: &str, endpoint: &str) -> Child {
    let tansu = std::env::var("SLUICE_TANSU").expect("SLUICE_TANSU: run these through scripts/test.sh's `kafka` tier");
    let listener = format!("tcp://127.0.0.1:{port}");
    start_tansu(
        Command::new(tansu)
            .args(["broker", "--listener-url", &listener, "--advertised-listener-url", &listener])
            .args(["--storage-engine", &format!("s3://{bucket}/")])
            .envs([("AWS_ACCESS_KEY_ID", "testing"), ("AWS_SECRET_ACCESS_KEY", "testing"), ("AWS_REGION", "us-east-1")])
            .envs([("AWS_DEFAULT_REGION", "us-east-1"), ("AWS_ENDPOINT", endpoint), ("AWS_ALLOW_HTTP", "true")]),
        port,
    )
}

/// Starts the tansu `broker` command quietly and waits (20 s at most) until it listens on `port`.
fn start_tansu(broker: &mut Command, port: u16) -> Child {
    let child = broker.stdout(Stdio::null()).stderr(Stdio::null()).spawn().expect("tansu starts");
    let deadline = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "tansu did not listen on {port}");
        std::thread::sleep(Duration::from_millis(50));
    }
    child
}

impl DurableBroker {
    /// Stops the broker's process, waits `down`, and starts a new one on the same port and
    /// storage.
    pub fn restart(&self, down: Duration) {
        let mut child = self.child.borrow_mut();
        let _ = child.kill();
        let _ = child.wait();
        std::thread::sleep(down);
        *child = start_durable(self.port, &self.bucket, &self.endpoint);
    }
}

//! A Kafka listener in TLS for the tests of `security.protocol` = `SSL`: a rustls server with a
//! self-signed certificate (rcgen) relaying to a tansu of the test's own, which advertises it.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::kafka::{broker, free_port, repo};

/// A self-signed certificate (rcgen) for `names` (host names or IP addresses) and its key.
pub struct SelfSigned {
    pub pem: String,
    der: rustls::pki_types::CertificateDer<'static>,
    key: Vec<u8>,
}

pub fn self_signed(names: &[&str]) -> SelfSigned {
    let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
    let ck = rcgen::generate_simple_self_signed(names).unwrap();
    SelfSigned { pem: ck.cert.pem(), der: ck.cert.der().clone(), key: ck.signing_key.serialize_der() }
}

/// A TLS relay (a rustls server holding `cert`) from a loopback port to `127.0.0.1:target`, as a
/// broker's `SSL` listener. Kafka is request and reply (every request our client sends has one), so
/// each connection is relayed frame by frame: a size-prefixed request in, its reply out.
pub struct TlsRelay {
    pub addr: String,
}

impl TlsRelay {
    pub fn start(target: u16, cert: &SelfSigned) -> TlsRelay {
        let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
        let key = rustls::pki_types::PrivateKeyDer::Pkcs8(cert.key.clone().into());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(vec![cert.der.clone()], key)
            .unwrap();
        let config = std::sync::Arc::new(config);
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        std::thread::spawn(move || {
            for client in listener.incoming() {
                let Ok(client) = client else { continue };
                let config = config.clone();
                std::thread::spawn(move || {
                    let Ok(server) = TcpStream::connect(("127.0.0.1", target)) else { return };
                    let Ok(conn) = rustls::ServerConnection::new(config) else { return };
                    let mut tls = rustls::StreamOwned::new(conn, client);
                    let mut server = server;
                    while relay_frame(&mut tls, &mut server).is_ok() && relay_frame(&mut server, &mut tls).is_ok() {}
                    let _ = tls.sock.shutdown(Shutdown::Both);
                });
            }
        });
        TlsRelay { addr }
    }
}

/// Copies one size-prefixed Kafka frame.
fn relay_frame(from: &mut impl Read, to: &mut impl Write) -> std::io::Result<()> {
    let mut len = [0u8; 4];
    from.read_exact(&mut len)?;
    let n = i32::from_be_bytes(len);
    if !(0..=(256 << 20)).contains(&n) {
        return Err(std::io::ErrorKind::InvalidData.into());
    }
    let mut frame = vec![0u8; n as usize];
    from.read_exact(&mut frame)?;
    to.write_all(&len)?;
    to.write_all(&frame)?;
    to.flush()
}

/// A tansu of the test's own reached only over TLS: it advertises a [`TlsRelay`] holding a
/// self-signed certificate for 127.0.0.1, whose PEM is `ca` (a file, for
/// `properties.ssl.truststore.location`). kafka-python reaches it over TLS too (`tool`).
pub struct TlsBroker {
    pub bootstrap: String,
    pub cert: SelfSigned,
    pub ca: tempfile::TempPath,
    /// The plain port of the broker itself (for a second relay in front of it).
    pub port: u16,
    python: String,
    child: Child,
}

impl Drop for TlsBroker {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn tls_broker() -> TlsBroker {
    let tansu = std::env::var("SLUICE_TANSU").expect("SLUICE_TANSU: run these through scripts/test.sh's `kafka` tier");
    let python = broker().python;
    let port = free_port();
    let cert = self_signed(&["127.0.0.1"]);
    let relay = TlsRelay::start(port, &cert);
    let ca = tempfile::Builder::new().prefix("sluice-kafka-ca-").suffix(".pem").tempfile().unwrap().into_temp_path();
    std::fs::write(&ca, &cert.pem).unwrap();
    let child = Command::new(tansu)
        .args(["broker", "--listener-url", &format!("tcp://127.0.0.1:{port}")])
        .args(["--advertised-listener-url", &format!("tcp://{}", relay.addr)])
        .args(["--storage-engine", "memory://tansu/"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("tansu starts");
    let deadline = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "tansu did not listen on {port}");
        std::thread::sleep(Duration::from_millis(50));
    }
    TlsBroker { bootstrap: relay.addr, cert, ca, port, python, child }
}

impl TlsBroker {
    /// The kafka-python helper over TLS, trusting the relay's certificate.
    pub fn tool(&self, args: &[&str]) -> String {
        let out = Command::new(&self.python)
            .arg(repo().join("tests/kafka/kafka_tool.py"))
            .args(args)
            .env("KAFKA_BOOTSTRAP", &self.bootstrap)
            .env("KAFKA_SSL_CAFILE", &*self.ca)
            .output()
            .expect("the test Python runs");
        assert!(out.status.success(), "kafka_tool.py {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        eprint!("{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    }
}

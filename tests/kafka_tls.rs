//! The Kafka client over TLS (`security.protocol` = `SSL`, Kafka's own `ssl.*` property names)
//! against a real Kafka-protocol broker: tansu behind a TLS relay (rustls, with a self-signed
//! certificate made by rcgen, tests/common/tls.rs) that it advertises, so every connection —
//! bootstrap, partition leaders, the group coordinator — is TLS. `sluice run` reads and writes
//! through it with the certificate as a PEM truststore; a certificate that is not trusted, or not
//! issued for the host, is an error naming the broker and why; the hostname check is turned off
//! with `ssl.endpoint.identification.algorithm` = '' as in Kafka.
//!
//! The broker is started by the test itself from `scripts/test.sh`'s `kafka` tier's tansu; these
//! tests are `#[ignore]`d without it.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::kafka::{repo, topic};
use common::kinesis::SENSOR_RECORDS;
use common::tls::*;
use serde_json::Value;
use sluice::connectors::kafka::wire::{ClientConfig, KafkaClient, WireError};

/// A note copying `input` to `output` (sensor_id and status), both tables with `tls` options.
fn note(input: &str, output: &str, bootstrap: &str, tls: &str) -> tempfile::TempPath {
    let table = |name: &str, topic: &str| {
        format!(
            "CREATE TABLE {name} (sensor_id INT, status STRING) WITH ('connector' = 'kafka', 'topic' = '{topic}', \
             'properties.bootstrap.servers' = '{bootstrap}', 'properties.security.protocol' = 'SSL', {tls}, \
             'scan.startup.mode' = 'earliest-offset', 'format' = 'json');"
        )
    };
    let text = format!("{}\n{}\nINSERT INTO dst SELECT sensor_id, status FROM src;\n", table("src", input), table("dst", output));
    let path = tempfile::Builder::new().prefix("sluice-kafka-tls-").suffix(".sql").tempfile().unwrap().into_temp_path();
    std::fs::write(&path, text).unwrap();
    path
}

/// `sluice run --kafka tables` of `note` until it has been idle 5 s (killed after 120 s).
fn run(note: &std::path::Path) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sluice"))
        .args(["run", "--exit-when-idle", "5", "--kafka", "tables"])
        .arg(note)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    child.wait_with_output().unwrap()
}

fn projected(line: &str) -> (i64, String) {
    let v: Value = serde_json::from_str(line).unwrap();
    (v["sensor_id"].as_i64().unwrap(), v["status"].as_str().unwrap().to_string())
}

#[test]
#[ignore = "needs the Kafka broker of scripts/test.sh's kafka tier"]
fn sluice_run_reads_and_writes_through_tls_with_a_pem_truststore() {
    let tb = tls_broker();
    let (input, output) = (topic("tls-in"), topic("tls-out"));
    tb.tool(&["create", &input, "4"]);
    tb.tool(&["create", &output, "2"]);
    let data = repo().join(SENSOR_RECORDS);
    tb.tool(&["put", &input, data.to_str().unwrap(), "--lines", "0:200"]);
    let tls = format!("'properties.ssl.truststore.type' = 'PEM', 'properties.ssl.truststore.location' = '{}'", tb.ca.display());
    let out = run(&note(&input, &output, &tb.bootstrap, &tls));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains(&format!("kafka: reading `{input}`: 4 partitions from earliest-offset")), "{stderr}");
    let mut got: Vec<_> = tb.tool(&["read", &output]).lines().map(projected).collect();
    let text = std::fs::read_to_string(&data).unwrap();
    let mut want: Vec<_> = text.lines().take(200).map(projected).collect();
    got.sort();
    want.sort();
    assert_eq!(got.len(), 200, "{stderr}");
    assert_eq!(got, want, "every record copied once, through TLS both ways");
}

#[test]
#[ignore = "needs the Kafka broker of scripts/test.sh's kafka tier"]
fn a_certificate_the_truststore_does_not_hold_is_an_error_naming_the_broker_and_why() {
    let tb = tls_broker();
    let (input, output) = (topic("tls-wrong-in"), topic("tls-wrong-out"));
    tb.tool(&["create", &input, "1"]);
    tb.tool(&["create", &output, "1"]);
    let other = self_signed(&["127.0.0.1"]);
    let tls = format!("'properties.ssl.truststore.type' = 'PEM', 'properties.ssl.truststore.certificates' = '{}'", other.pem);
    let out = run(&note(&input, &output, &tb.bootstrap, &tls));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let why = format!(
        "{}: TLS handshake failed: the broker's certificate is not signed by a CA in 'properties.ssl.truststore.certificates'",
        tb.bootstrap
    );
    assert!(stderr.contains(&why), "expected `{why}` in: {stderr}");
}

fn client(bootstrap: &str, props: &[(&str, &str)]) -> KafkaClient {
    let get = |k: &str| if k == "bootstrap.servers" { Some(bootstrap) } else { props.iter().find(|p| p.0 == k).map(|p| p.1) };
    KafkaClient::new(ClientConfig::from_properties(get).unwrap())
}

#[test]
#[ignore = "needs the Kafka broker of scripts/test.sh's kafka tier"]
fn a_certificate_for_another_host_is_refused_unless_the_hostname_check_is_off() {
    let tb = tls_broker();
    let input = topic("tls-host");
    tb.tool(&["create", &input, "3"]);
    // A second listener whose certificate names localhost only, reached as 127.0.0.1.
    let localhost = self_signed(&["localhost"]);
    let relay = TlsRelay::start(tb.port, &localhost);
    let both = format!("{}{}", tb.cert.pem, localhost.pem);
    let trust = [("security.protocol", "SSL"), ("ssl.truststore.type", "PEM"), ("ssl.truststore.certificates", both.as_str())];
    let e = client(&relay.addr, &trust).partitions(&input).unwrap_err();
    assert!(matches!(e, WireError::Fatal(_)), "not retried: {e:?}");
    let e = e.to_string();
    assert!(e.starts_with(&format!("{}: TLS handshake failed: the broker's certificate is not issued for `127.0.0.1`", relay.addr)), "{e}");
    let off = [trust.as_slice(), &[("ssl.endpoint.identification.algorithm", "")]].concat();
    assert_eq!(client(&relay.addr, &off).partitions(&input).unwrap(), vec![0, 1, 2]);
}

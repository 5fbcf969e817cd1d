//! A reshard while `sluice run` reads: the walkthrough's sender puts half the seeded sensor
//! records on a two-shard `reshard-input`, one shard is split, and the sender puts the rest
//! (which now land in the split shard's children). The reader must finish the closed parent
//! before its children and find them by itself; the walkthrough's INSERT INTO then writes
//! exactly the rows `sluice run` computes from the same records in a file.
//!
//! The server is kinesalite (npm), started by `scripts/test.sh`'s `kinesis` tier: moto moves a
//! split shard's records into its children, so only kinesalite reshards as Kinesis does.

mod common;

use std::time::Duration;

use common::kinesis::*;

#[test]
#[ignore = "needs the kinesalite server of scripts/test.sh's kinesis tier"]
fn a_reshard_while_reading_loses_no_record_and_repeats_none() {
    let server = kinesalite();
    server.tool(&server.endpoint, &["create", "reshard-input", "2"]);
    server.tool(&server.endpoint, &["create", "reshard-output", "1"]);
    let note = note("reshard-input", "reshard-output", "LATEST");
    let (child, lines) = start_sluice(&note, &server.endpoint);
    wait_for(&lines, "kinesis: reading `reshard-input`: 2 shards from LATEST", Duration::from_secs(30));
    let path = repo().join(SENSOR_RECORDS);
    let path = path.to_str().unwrap();
    server.tool(&server.endpoint, &["put", "reshard-input", path, "--batch", SENDER_BATCH, "--lines", "0:5000"]);
    server.tool(&server.endpoint, &["split", "reshard-input"]);
    server.tool(&server.endpoint, &["put", "reshard-input", path, "--batch", SENDER_BATCH, "--lines", "5000:10000", "--flush-record"]);
    let stderr = finish(child, &lines);
    assert!(stderr.iter().any(|l| l.contains("job 1: 10001 records in")), "every record read once: {stderr:#?}");
    assert_same_rows(&rows_from_stream(&server, "reshard-output"), &rows_from_file());
}

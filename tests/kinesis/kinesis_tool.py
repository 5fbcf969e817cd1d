#!/usr/bin/env python3
"""The tests' boto3 side of a Kinesis server (the endpoint comes from AWS_ENDPOINT_URL).

  kinesis_tool.py create STREAM SHARDS
  kinesis_tool.py put STREAM FILE [--batch N] [--flush-record]
      sends FILE's JSON lines with put_records, partition key = sensor_id, as the
      walkthrough's sender does; --flush-record then sends one record a day later in event
      time, so the watermark passes every window of the data
      --lines A:B sends only lines A (from 0) up to B of FILE
  kinesis_tool.py split STREAM
      splits the stream's first open shard in the middle of its hash keys (a reshard), and
      waits until the stream is active again
  kinesis_tool.py read STREAM
      prints every record of every shard (from TRIM_HORIZON), one line each
"""
import json
import sys
import time

import boto3

FLUSH_RECORD = {"sensor_id": 0, "current_temperature": 0.0, "status": "OK", "event_time": "2021-05-20T12:00:00.000000"}


def client():
    return boto3.client("kinesis", region_name="us-east-1")


def create(stream, shards):
    """A new, empty stream (one left by an earlier run is deleted first)."""
    kinesis = client()
    try:
        kinesis.create_stream(StreamName=stream, ShardCount=int(shards))
    except kinesis.exceptions.ResourceInUseException:
        kinesis.delete_stream(StreamName=stream)
        kinesis.get_waiter("stream_not_exists").wait(StreamName=stream)
        kinesis.create_stream(StreamName=stream, ShardCount=int(shards))
    kinesis.get_waiter("stream_exists").wait(StreamName=stream)


def put_all(kinesis, stream, records):
    """put_records, sending again only the entries that failed, until all are stored."""
    while records:
        answer = kinesis.put_records(StreamName=stream, Records=records)
        records = [r for r, a in zip(records, answer["Records"]) if "ErrorCode" in a]
        if records:
            time.sleep(0.1)


def put(stream, path, batch=500, flush_record=False, lines_range=None):
    kinesis = client()
    with open(path) as f:
        lines = [line.strip() for line in f if line.strip()]
    if lines_range:
        start, end = (int(x) for x in lines_range.split(":"))
        lines = lines[start:end]
    started = time.time()
    for i in range(0, len(lines), batch):
        chunk = lines[i : i + batch]
        put_all(kinesis, stream, [{"Data": line.encode(), "PartitionKey": str(json.loads(line)["sensor_id"])} for line in chunk])
    if flush_record:
        put_all(kinesis, stream, [{"Data": json.dumps(FLUSH_RECORD).encode(), "PartitionKey": "0"}])
    took = time.time() - started
    print(f"put {len(lines)} records in {took:.2f}s ({len(lines) / max(took, 1e-9):.0f}/s)", file=sys.stderr)


def split(stream):
    kinesis = client()
    shards = kinesis.list_shards(StreamName=stream)["Shards"]
    shard = next(s for s in shards if "EndingSequenceNumber" not in s["SequenceNumberRange"])
    low, high = int(shard["HashKeyRange"]["StartingHashKey"]), int(shard["HashKeyRange"]["EndingHashKey"])
    kinesis.split_shard(StreamName=stream, ShardToSplit=shard["ShardId"], NewStartingHashKey=str((low + high) // 2))
    kinesis.get_waiter("stream_exists").wait(StreamName=stream)
    # kinesalite dates a new shard's first second of records one second ahead (its children are
    # "created" then): records put at once would arrive out of order with the other shards'.
    time.sleep(1.5)
    print(f"split {shard['ShardId']} of {stream}", file=sys.stderr)


def read(stream):
    kinesis = client()
    shards = kinesis.list_shards(StreamName=stream)["Shards"]
    for shard in shards:
        iterator = kinesis.get_shard_iterator(StreamName=stream, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        while iterator:
            page = kinesis.get_records(ShardIterator=iterator, Limit=10000)
            for r in page["Records"]:
                print(r["Data"].decode())
            if not page["Records"] and page.get("MillisBehindLatest", 0) == 0:
                break
            iterator = page.get("NextShardIterator")


def main(args):
    if args[:1] == ["create"] and len(args) == 3:
        create(args[1], args[2])
    elif args[:1] == ["put"] and len(args) >= 3:
        batch = int(args[args.index("--batch") + 1]) if "--batch" in args else 500
        lines_range = args[args.index("--lines") + 1] if "--lines" in args else None
        put(args[1], args[2], batch, "--flush-record" in args, lines_range)
    elif args[:1] == ["split"] and len(args) == 2:
        split(args[1])
    elif args[:1] == ["read"] and len(args) == 2:
        read(args[1])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

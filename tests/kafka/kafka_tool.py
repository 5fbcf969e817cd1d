#!/usr/bin/env python3
"""The tests' kafka-python side of a Kafka broker (bootstrap servers from KAFKA_BOOTSTRAP;
over TLS trusting the PEM file KAFKA_SSL_CAFILE when it is set).

  kafka_tool.py create TOPIC PARTITIONS
  kafka_tool.py put TOPIC FILE [--flush-record] [--lines A:B]
      sends FILE's JSON lines as the walkthrough's sender does, with its put_record replaced by
      a produce: key = sensor_id (so Kafka's default partitioner, murmur2 of the key, picks the
      partition), value = the line; --flush-record then sends one record a day later in event
      time to every partition, so each partition's watermark (Flink's Kafka source keeps one per
      partition and emits their minimum) passes every window of the data; --lines A:B sends only lines A
      (from 0) up to B
  kafka_tool.py read TOPIC
      prints every record's value of every partition (from the earliest offset), one line each
  kafka_tool.py records TOPIC
      prints every record as JSON: partition, offset, timestamp, key, value, headers
  kafka_tool.py committed GROUP TOPIC
      prints the group's committed offset of each partition as JSON {"partition": offset}
"""
import json
import os
import sys
import time

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import NewTopic

FLUSH_RECORD = {"sensor_id": 0, "current_temperature": 0.0, "status": "OK", "event_time": "2021-05-20T12:00:00.000000"}
BOOTSTRAP = os.environ.get("KAFKA_BOOTSTRAP", "127.0.0.1:9092")
# KAFKA_SSL_CAFILE: the broker listens in TLS (SSL) with a certificate this PEM file trusts.
CONN = {"bootstrap_servers": BOOTSTRAP}
if os.environ.get("KAFKA_SSL_CAFILE"):
    CONN.update(security_protocol="SSL", ssl_cafile=os.environ["KAFKA_SSL_CAFILE"])


def create(topic, partitions):
    admin = KafkaAdminClient(**CONN)
    admin.create_topics([NewTopic(name=topic, num_partitions=int(partitions), replication_factor=1)])
    admin.close()


def put(topic, path, flush_record=False, lines_range=None):
    # batch_size=1: one record per batch. tansu 0.6 mishandles offsets inside a batch (a fetch from
    # an offset in the middle of one returns nothing; ListOffsets' latest counts batches, not
    # records), so the tests' producer writes what it would see from a producer without linger.
    producer = KafkaProducer(**CONN, acks="all", batch_size=1)
    with open(path) as f:
        lines = [line.strip() for line in f if line.strip()]
    if lines_range:
        start, end = (int(x) for x in lines_range.split(":"))
        lines = lines[start:end]
    started = time.time()
    for line in lines:
        producer.send(topic, key=str(json.loads(line)["sensor_id"]).encode(), value=line.encode())
    producer.flush()
    if flush_record:
        for p in sorted(producer.partitions_for(topic)):
            producer.send(topic, key=b"0", value=json.dumps(FLUSH_RECORD).encode(), partition=p)
        producer.flush()
    producer.close()
    took = time.time() - started
    print(f"produced {len(lines)} records in {took:.2f}s ({len(lines) / max(took, 1e-9):.0f}/s)", file=sys.stderr)


def consume_all(topic):
    consumer = KafkaConsumer(**CONN, enable_auto_commit=False)
    partitions = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or [])]
    consumer.assign(partitions)
    consumer.seek_to_beginning(*partitions)
    ends = consumer.end_offsets(partitions)
    out = []
    while any(consumer.position(tp) < ends[tp] for tp in partitions):
        for tp, records in consumer.poll(timeout_ms=1000).items():
            out.extend(records)
    consumer.close()
    return out


def read(topic):
    for r in consume_all(topic):
        print(r.value.decode())


def records(topic):
    for r in consume_all(topic):
        print(json.dumps({
            "partition": r.partition,
            "offset": r.offset,
            "timestamp": r.timestamp,
            "key": None if r.key is None else r.key.decode(),
            "value": None if r.value is None else r.value.decode(),
            "headers": [[k, None if v is None else v.decode()] for k, v in (r.headers or [])],
        }))


def committed(group, topic):
    consumer = KafkaConsumer(**CONN, group_id=group, enable_auto_commit=False)
    out = {}
    for p in sorted(consumer.partitions_for_topic(topic) or []):
        out[str(p)] = consumer.committed(TopicPartition(topic, p))
    consumer.close()
    print(json.dumps(out))


def main(args):
    if args[:1] == ["create"] and len(args) == 3:
        create(args[1], args[2])
    elif args[:1] == ["put"] and len(args) >= 3:
        lines_range = args[args.index("--lines") + 1] if "--lines" in args else None
        put(args[1], args[2], "--flush-record" in args, lines_range)
    elif args[:1] == ["read"] and len(args) == 2:
        read(args[1])
    elif args[:1] == ["records"] and len(args) == 2:
        records(args[1])
    elif args[:1] == ["committed"] and len(args) == 3:
        committed(args[1], args[2])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

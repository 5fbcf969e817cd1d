// End-to-end area `streams`: Local streams: a stream joined with a VALUES table, generators feeding any stream.
// Starts from a fresh browser profile; run alone with `node tests/e2e/run.mjs URL streams`.
import path from 'node:path';
import {
  addParagraph,
  check,
  closePage,
  freshSensorsPage,
  numberIn,
  openPage,
  page,
  paragraph,
  rowsIn,
  runInParagraph,
  shots,
  sleep,
  test,
  until,
} from '../harness.mjs';

export default async function () {
  await openPage({ navigate: true });
  await test('a stream joined with a VALUES table of rooms runs live in the page: every reading gets its room', null, async () => {
    const { pg, close } = await freshSensorsPage();
    try {
      const join = await addParagraph(pg);
      const p = paragraph(join, pg);
      const rooms = Array.from({ length: 99 }, (_, k) => `(${k + 1}, 'room-${(k + 1) % 5}')`).join(', ');
      await runInParagraph(join, `%flink.ssql(type=append)\nSELECT s.sensor_id, m.room, s.status FROM sensor_data AS s\n  JOIN (VALUES ${rooms}) AS m(id, room) ON s.sensor_id = m.id`, pg);
      const rows = await until(async () => {
        const r = await rowsIn(pg, join);
        return r.length >= 5 ? r : null;
      }, { what: 'joined rows to arrive' });
      for (const row of rows) {
        const [id, room] = row.split(' | ');
        check(room === `room-${Number(id) % 5}`, `sensor ${id} got room ${room}`);
      }
      const status = await p.locator('[data-testid=status]').innerText();
      check(/running/i.test(status), `the join keeps running on the stream: ${status}`);
      await p.screenshot({ path: path.join(shots, 'join.png') });
    } finally {
      await close();
    }
  });

  await test('any local stream can be fed by a generator of its own; two generators feed a join at once', null, async () => {
    const { pg, close } = await freshSensorsPage();
    try {
      const ddl = await addParagraph(pg);
      await runInParagraph(ddl, `%flink.ssql
  CREATE TABLE lab_data (sensor_id INTEGER, current_temperature DOUBLE, status VARCHAR(6), event_time TIMESTAMP(3),
    WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND)
  WITH ('connector' = 'kinesis', 'stream' = 'lab-stream', 'aws.region' = 'us-east-1', 'scan.stream.initpos' = 'LATEST',
    'format' = 'json', 'json.timestamp-format.standard' = 'ISO-8601')`, pg);
      await until(async () => /done/i.test(await paragraph(ddl, pg).locator('[data-testid=status]').innerText()), { what: 'CREATE TABLE lab_data' });
      const lab = pg.locator('[data-testid=streams] [data-stream=lab-stream]');
      await until(async () => (await lab.count()) === 1, { what: 'lab-stream in the Streams panel' });
      check((await lab.locator('[data-testid=stream-kind]').innerText()) === 'local', 'a new stream starts unfed');
      const labRecords = async () => numberIn(await lab.locator('[data-testid=stream-records]').innerText());
      const still = await labRecords();
      await sleep(500);
      check((await labRecords()) === still, 'nothing feeds lab-stream yet');
      await lab.locator('[data-testid=generator-attach]').click();
      await until(async () => (await lab.locator('[data-testid=stream-kind]').innerText()) === 'local · generator-fed', { what: 'the badge to say generator-fed' });
      check((await lab.locator('[data-testid=generator-attach]').count()) === 0, 'a fed stream offers no second generator');
      check((await lab.locator('[data-testid=generator-toggle]').innerText()) === 'Stop generator', 'its generator runs at once');
      await until(async () => (await labRecords()) > still + 10, { what: 'lab-stream to fill' });
      // Both generators run at once: a window join of the two streams gets pairs.
      const pairs = await addParagraph(pg);
      await runInParagraph(pairs, `%flink.ssql(type=append)
  SELECT a.window_start, COUNT(*) AS pairs
  FROM (SELECT * FROM TABLE(TUMBLE(TABLE sensor_data, DESCRIPTOR(event_time), INTERVAL '1' SECOND))) a
  JOIN (SELECT * FROM TABLE(TUMBLE(TABLE lab_data, DESCRIPTOR(event_time), INTERVAL '1' SECOND))) b
    ON a.status = b.status AND a.window_start = b.window_start AND a.window_end = b.window_end
  GROUP BY a.window_start, a.window_end`, pg);
      const rows = await until(async () => {
        const r = await rowsIn(pg, pairs);
        return r.length >= 1 ? r : null;
      }, { timeout: 20_000, what: 'window join pairs from two generated streams' });
      check(rows.every((r) => Number(r.split(' | ')[1]) > 0), `pairs counted: ${rows}`);
      await lab.screenshot({ path: path.join(shots, 'second-generator.png') });
    } finally {
      await close();
    }
  });
  await closePage();
}

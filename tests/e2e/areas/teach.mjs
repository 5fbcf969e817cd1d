// End-to-end area `teach`: event time made teachable. A windowed query that shows nothing says
// why (the same text EXPLAIN JOB gives); a break-it scenario from the Streams panel drops records
// as late, and the paragraph's late ledger lists them, with a delay slider whose replay keeps them.
// A local Kafka topic of 4 partitions, one gone quiet: the timeline draws each partition's
// watermark and EXPLAIN JOB names the partition that holds the job's back.
// Starts from fresh browser profiles at 11:20:00; run alone with `node tests/e2e/run.mjs URL teach`.
import path from 'node:path';
import {
  addParagraph,
  check,
  closePage,
  freshPage,
  numberIn,
  openPage,
  paragraph,
  rowsIn,
  runIn,
  runInParagraph,
  shots,
  sleep,
  test,
  until,
  url,
} from '../harness.mjs';

const START = '2021-05-19T11:20:00';

/** A fresh profile's page, its clock started at 11:20:00, with the Sensors note's CREATE TABLE run. */
async function freshAtStart() {
  const fresh = await freshPage(`${url}?start=${START}`);
  try {
    await runIn(fresh.pg, 0);
    await until(async () => /done/i.test(await paragraph(0, fresh.pg).locator('[data-testid=status]').innerText()), { what: 'the CREATE TABLE' });
    return fresh;
  } catch (e) {
    await fresh.close();
    throw e;
  }
}

const jobOf = async (p) => Number(((await p.locator('.job-line').innerText()).match(/job (\d+)/) ?? [])[1]);

export default async function () {
  await openPage({ navigate: true });

  await test('a one-minute window that has not fired says why, in the words EXPLAIN JOB uses', null, async () => {
    const { pg, close } = await freshAtStart();
    try {
      const q = await addParagraph(pg);
      const p = paragraph(q, pg);
      await runInParagraph(q, `%flink.ssql(type=update)
SELECT window_start, window_end, COUNT(*) AS n
FROM TABLE(TUMBLE(TABLE sensor_data, DESCRIPTOR(event_time), INTERVAL '1' MINUTE))
GROUP BY window_start, window_end`, pg);
      const why = p.locator('[data-testid=why-empty]');
      await until(async () => /window waits for the watermark/.test(await why.innerText().catch(() => '')), { what: 'the diagnosis to show a waiting window' });
      check(await why.evaluate((d) => d.open), 'the diagnosis is open while the query has shown nothing');
      const text = await p.locator('[data-testid=why-empty-text]').innerText();
      check(text.includes('[2021-05-19 11:20:00.000, 2021-05-19 11:21:00.000) fires when the watermark passes 2021-05-19 11:20:59.999'), `the pending window: ${text}`);
      check(/sensor_data: watermark 2021-05-19 11:(19|20):\d\d\.\d{3} \(event time − 5 s\)/.test(text), `the input's watermark and delay: ${text}`);
      check(text.includes('stream my-input-stream: shard 0:'), `the stream's shards: ${text}`);
      check((await rowsIn(pg, q)).length === 0, 'the window has not fired');
      await p.screenshot({ path: path.join(shots, 'why-empty.png') });

      // The engine's own answer, with the clock paused so both read the same moment.
      await pg.locator('[data-testid=clock-pause]').click();
      await sleep(600);
      const shown = await p.locator('[data-testid=why-empty-text]').innerText();
      const e = await addParagraph(pg);
      await runInParagraph(e, `EXPLAIN JOB '${await jobOf(p)}'`, pg);
      const explained = paragraph(e, pg).locator('.text-output');
      await until(async () => (await explained.count()) > 0, { what: 'EXPLAIN JOB to answer' });
      const answer = await explained.innerText();
      check(answer.trim() === shown.trim(), `the page shows\n${shown}\nEXPLAIN JOB says\n${answer}`);
    } finally {
      await close();
    }
  });

  await test('a burst of late records from the Streams panel fills the late ledger, and the delay slider replays them kept', null, async () => {
    const { pg, close } = await freshAtStart();
    try {
      const q = await addParagraph(pg);
      const p = paragraph(q, pg);
      await runInParagraph(q, `%flink.ssql(type=update)
SELECT window_start, window_end, COUNT(*) AS n, MAX(sensor_id) AS top
FROM TABLE(TUMBLE(TABLE sensor_data, DESCRIPTOR(event_time), INTERVAL '5' SECOND))
GROUP BY window_start, window_end`, pg);
      await until(async () => (await rowsIn(pg, q)).length > 0, { timeout: 20_000, what: 'a first window to fire' });
      const stream = pg.locator('[data-testid=streams] [data-stream=my-input-stream]');
      await stream.locator('[data-testid=break-late-burst]').click();
      await until(async () => /every reading is stamped 15 s in the past/.test(await stream.locator('[data-testid=break-active]').innerText()), { what: 'the scenario to show as started' });
      await stream.screenshot({ path: path.join(shots, 'break-it.png') });
      const dropped = async () => numberIn((await p.locator('.job-line').innerText()).match(/([\d,]+) late dropped/)?.[1] ?? '0');
      // The burst lasts 5 s of the clock: wait for it to be over, then hold the clock.
      await until(async () => (await dropped()) >= 60, { timeout: 20_000, what: 'the burst to be dropped as late' });
      await sleep(2_500);
      await pg.locator('[data-testid=clock-pause]').click();
      await sleep(600);
      const n = await dropped();
      const ledger = p.locator('[data-testid=late-ledger]');
      await ledger.locator('summary').click();
      check((await ledger.locator('summary').innerText()).startsWith(`${n} records dropped as late`), `the ledger counts what the job dropped (${n})`);
      const items = await ledger.locator('[data-testid=late-ledger-list] li').allInnerTexts();
      check(items.length === Math.min(20, n), `${items.length} ledger rows for ${n} dropped`);
      check(items.every((t) => / missed \[2021-05-19 11:\d\d:\d\d\.000, 2021-05-19 11:\d\d:\d\d\.000\) by /.test(t)), `each row names the window it missed: ${items[0]}`);
      const text = await ledger.locator('[data-testid=late-ledger-text]').innerText();
      const needed = text.match(/A delay of ([\d.]+) s would have kept every listed one/);
      check(needed, `the ledger names the delay that keeps them: ${text}`);

      // The timeline marks the same records the ledger lists.
      await p.locator('[data-testid=view-timeline]').click();
      const timeline = p.locator('[data-testid=timeline]');
      await until(async () => Number(await timeline.getAttribute('data-records')) > 0, { what: 'records on the timeline' });
      const marked = ((await timeline.getAttribute('data-late')) ?? '').split(',').filter(Boolean);
      check(marked.length === n, `the timeline marks ${marked.length} late records, the ledger ${n}`);

      // The slider at its far end: a delay that keeps every one of them.
      const slider = ledger.locator('[data-testid=what-if-delay]');
      const max = Number(await slider.getAttribute('max'));
      check(max > Number(needed[1]) * 1000, `the slider reaches past ${needed[1]} s: ${max}`);
      await slider.evaluate((el, v) => {
        el.value = String(v);
        el.dispatchEvent(new Event('change', { bubbles: true }));
      }, max);
      const whatIf = ledger.locator('[data-testid=what-if-text]');
      await until(async () => (await whatIf.count()) > 0, { what: 'the replay under the new delay' });
      const said = await whatIf.innerText();
      check(said.includes(`late records: ${n} → 0`), `every late record counts under the larger delay: ${said}`);
      check(said.includes(`${n} of today's late records would have counted`), said);
      check(/results come [\d.]+ s later in event time/.test(said), said);
      await p.locator('[data-testid=view-table]').click();
      await p.screenshot({ path: path.join(shots, 'late-ledger.png') });
    } finally {
      await close();
    }
  });

  await test("a topic's quiet partition: the timeline draws each partition's watermark and EXPLAIN JOB names the one holding it back", 'partitions.png', async () => {
    const { pg, close } = await freshPage(`${url}?start=${START}`);
    try {
      const q = await addParagraph(pg);
      const p = paragraph(q, pg);
      await runInParagraph(q, `%flink.ssql(type=append)
CREATE TABLE topic_readings (
  sensor_id INTEGER, current_temperature DOUBLE, status VARCHAR(6), event_time TIMESTAMP(3),
  WATERMARK FOR event_time AS event_time - INTERVAL '2' SECOND
) WITH ('connector' = 'kafka', 'topic' = 'four-partitions', 'properties.bootstrap.servers' = 'localhost:9092',
  'format' = 'json', 'json.timestamp-format.standard' = 'ISO-8601');
SELECT window_start, window_end, COUNT(*) AS n
  FROM TABLE(TUMBLE(TABLE topic_readings, DESCRIPTOR(event_time), INTERVAL '5' SECOND))
 GROUP BY window_start, window_end;`, pg);
      await until(async () => /running/i.test(await p.locator('[data-testid=status]').innerText()), { what: 'the topic query to run' });
      const topic = pg.locator('[data-testid=streams] [data-stream=four-partitions]');
      await topic.locator('[data-testid=generator-attach]').click();
      await pg.locator('[data-testid=clock-speed]').selectOption('10');
      await until(async () => (await rowsIn(pg, q)).length >= 2, { timeout: 30_000, what: 'windows over the topic to fire' });
      await topic.locator('[data-testid=break-idle-shard]').click();
      await sleep(3_000);
      await pg.locator('[data-testid=clock-pause]').click();
      await sleep(600);

      await p.locator('[data-testid=view-timeline]').click();
      const timeline = p.locator('[data-testid=timeline]');
      await until(async () => ((await timeline.getAttribute('data-partitions')) ?? '').split(',').length === 4, { what: 'four partition lines' });
      const lines = (await timeline.getAttribute('data-partitions')).split(',').map((x) => x.split(':'));
      const wm = lines.map(([, w]) => Number(w));
      check(lines.map(([n]) => n).join() === '0,1,2,3', `partitions: ${lines}`);
      check(wm.slice(1).every((w) => w >= wm[0] + 10_000), `partition 0's watermark is behind the others: ${wm}`);
      check(await timeline.locator('[data-testid=timeline-partitions]').isVisible(), 'the legend names the partition lines');
      await p.screenshot({ path: path.join(shots, 'partitions.png') });

      const e = await addParagraph(pg);
      await runInParagraph(e, `EXPLAIN JOB '${await jobOf(p)}'`, pg);
      const explained = paragraph(e, pg).locator('.text-output');
      await until(async () => (await explained.count()) > 0, { what: 'EXPLAIN JOB to answer' });
      const answer = await explained.innerText();
      check(/holds the watermark back: its partition 0 is [\d.]+ (s|min)/.test(answer), `EXPLAIN JOB names partition 0: ${answer}`);
      check(answer.includes("SET 'table.exec.source.idle-timeout' = '5 s'"), `it proposes an idle timeout: ${answer}`);
    } finally {
      await close();
    }
  });

  await closePage();
}

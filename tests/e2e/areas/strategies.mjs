// End-to-end area `strategies`: two watermark strategies side by side (issue 18, item 3). On the
// "Watermarks and late data" lesson's window query, a person opens Compare watermarks, asks for 5 s
// and 25 s, and reads both results and the chart: the short delay drops late readings, the long
// one none, and answers later. Then two idle timeouts: over a local Kafka topic fed by the
// generator whose partition 0 goes quiet (Break it: idle shard), the run without a timeout stops
// firing windows, the one with 5 s goes on.
// Starts from a fresh browser profile; run alone with `node tests/e2e/run.mjs URL strategies`.
import path from 'node:path';
import {
  addParagraph,
  check,
  closePage,
  currentNoteName,
  freshPage,
  lateDropped,
  openPage,
  page,
  paragraph,
  resultOf,
  rowsIn,
  runInParagraph,
  shots,
  sleep,
  test,
  until,
  url,
  waitForStatus,
} from '../harness.mjs';

const TOPIC_QUERY = `%flink.ssql(type=append)
CREATE TABLE topic_readings (
  sensor_id INTEGER, current_temperature DOUBLE, status VARCHAR(6), event_time TIMESTAMP(3),
  WATERMARK FOR event_time AS event_time - INTERVAL '2' SECOND
) WITH ('connector' = 'kafka', 'topic' = 'readings-topic', 'properties.bootstrap.servers' = 'localhost:9092',
  'format' = 'json', 'json.timestamp-format.standard' = 'ISO-8601');
SELECT window_start, window_end, COUNT(*) AS n
  FROM TABLE(TUMBLE(TABLE topic_readings, DESCRIPTOR(event_time), INTERVAL '5' SECOND))
 GROUP BY window_start, window_end;`;

export default async function () {
  await openPage({ navigate: true });
  await test('a window query compared under two watermark delays shows both results and a completeness / latency chart', 'strategies.png', async () => {
    await page.locator('[data-testid=load-watermarks]').click();
    await until(async () => (await currentNoteName()) === 'Watermarks and late data', { what: 'the lesson to open' });
    const query = 5;
    await page.locator('[data-testid=run-all]').click();
    await waitForStatus(query, /running/i, "the lesson's window query to run");
    const dropped = () => lateDropped(query);
    await until(async () => (await dropped()) > 0 && (await resultOf(query))?.rows.length > 2, { timeout: 30_000, what: 'windows and a late reading' });
    await paragraph(query).locator('[data-testid=compare-watermarks]').click();
    const panel = paragraph(query).locator('[data-testid=strategies]');
    await panel.locator('[data-testid=delay-a]').fill('5');
    await panel.locator('[data-testid=delay-a]').dispatchEvent('change');
    await panel.locator('[data-testid=delay-b]').fill('25');
    await panel.locator('[data-testid=delay-b]').dispatchEvent('change');
    await panel.locator('[data-testid=compare-run]').click();
    await until(async () => (await panel.locator('[data-testid=strategies-chart] svg').count()) === 1, { what: 'the comparison chart' });
    const runs = await panel.locator('[data-testid=strategy]').evaluateAll((rs) =>
      rs.map((r) => ({ delay: Number(r.dataset.delayMs), late: Number(r.dataset.late), rows: r.querySelectorAll('tbody tr').length, text: r.innerText })),
    );
    check(runs.length === 2 && runs[0].delay === 5000 && runs[1].delay === 25000, `runs: ${JSON.stringify(runs)}`);
    check(runs[0].late > 0 && runs[1].late === 0, `late per delay: ${runs.map((r) => r.late)}`);
    check(runs[0].rows > 0, 'the 5 s run shows no rows');
    const latency = await panel.locator('[data-testid=strategies-chart] rect[data-latency-ms]').evaluateAll((rs) => rs.map((r) => Number(r.dataset.latencyMs)));
    check(latency.length === 2 && latency[1] > latency[0], `median latency per delay: ${latency}`);
  });

  await test('two idle timeouts compared over a topic whose partition 0 went quiet: only the one with a timeout keeps firing windows', null, async () => {
    const { pg, close } = await freshPage(`${url}?start=2021-05-19T11:20:00`);
    try {
      const q = await addParagraph(pg);
      const p = paragraph(q, pg);
      await runInParagraph(q, TOPIC_QUERY, pg);
      await until(async () => /running/i.test(await p.locator('[data-testid=status]').innerText()), { what: 'the topic query to run' });
      const topic = pg.locator('[data-testid=streams] [data-stream=readings-topic]');
      await topic.locator('[data-testid=generator-attach]').click();
      await pg.locator('[data-testid=clock-speed]').selectOption('10');
      await until(async () => (await rowsIn(pg, q)).length >= 3, { timeout: 30_000, what: 'windows over the topic to fire' });
      await topic.locator('[data-testid=break-idle-shard]').click();
      await until(async () => /shard 0/.test(await topic.locator('[data-testid=break-active]').innerText()), { what: 'the idle shard to show as started' });
      // 30 s of the clock with partition 0 quiet; the live job's windows stop (its watermark waits).
      const firedBefore = (await rowsIn(pg, q)).length;
      await sleep(4_000);
      await pg.locator('[data-testid=clock-pause]').click();
      await sleep(600);
      const firedAfter = (await rowsIn(pg, q)).length;
      check(firedAfter <= firedBefore + 2, `the live job kept firing windows past the idle partition: ${firedBefore} → ${firedAfter}`);

      await p.locator('[data-testid=compare-watermarks]').click();
      const panel = p.locator('[data-testid=strategies]');
      await panel.locator('[data-testid=strategy-kind]').selectOption('idle');
      check((await panel.locator('[data-testid=delay-a]').inputValue()) === 'none', 'idle timeouts start from none');
      await panel.locator('[data-testid=delay-b]').fill('5');
      await panel.locator('[data-testid=delay-b]').dispatchEvent('change');
      await panel.locator('[data-testid=compare-run]').click();
      await until(async () => (await panel.locator('[data-testid=strategies-chart] svg').count()) === 1, { timeout: 20_000, what: 'the comparison chart' });
      const runs = await panel.locator('[data-testid=strategy]').evaluateAll((rs) =>
        rs.map((r) => ({ idle: r.dataset.idleTimeoutMs, delay: r.dataset.delayMs, text: r.querySelector('.strategy-summary').innerText })),
      );
      const rows = (run) => Number((run.text.match(/(\d+) rows/) ?? [])[1] ?? NaN);
      check(runs.length === 2 && runs[0].idle === 'none' && runs[1].idle === '5000' && runs[0].delay === undefined, `runs: ${JSON.stringify(runs)}`);
      check(/^no idle timeout: /.test(runs[0].text) && /^idle timeout 5 s: /.test(runs[1].text), `summaries: ${runs.map((r) => r.text)}`);
      // Without a timeout the replay is the live job again; with 5 s the windows go on.
      check(rows(runs[0]) === firedAfter, `the run without a timeout has ${rows(runs[0])} rows, the live job ${firedAfter}`);
      check(rows(runs[1]) >= rows(runs[0]) + 3, `rows per idle timeout: ${runs.map(rows)}`);
      check(/readings-topic|topic/.test(await panel.locator('.hint').innerText()), 'the hint says a topic was replayed');
      await panel.screenshot({ path: path.join(shots, 'strategies-idle.png') });
    } finally {
      await close();
    }
  });
  await closePage();
}

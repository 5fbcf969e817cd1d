// End-to-end area `files`: Files picked in the Files panel, read by filesystem tables.
// Starts from a fresh browser profile; run alone with `node tests/e2e/run.mjs URL files`.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  addParagraph,
  check,
  closePage,
  countsOf,
  errorOf,
  lateDropped,
  noteItems,
  openPage,
  page,
  resultOf,
  runInParagraph,
  test,
  until,
  url,
  waitForStatus,
} from '../harness.mjs';

/** A file of `count` readings, one every 50 ms with every 37th 3 s behind (late once its window
 * has fired), its lines of varying length so chunk edges fall inside them; `bad` is the line
 * number of an unreadable record, if any. */
function readingsFile(dir, name, count, bad = 0) {
  const lines = [];
  const start = Date.UTC(2024, 0, 1);
  for (let i = 1; i <= count; i++) {
    const at = new Date(start + i * 50 - (i % 37 === 0 ? 3000 : 0)).toISOString().replace('T', ' ').replace('Z', '');
    const note = 'x'.repeat(i % 23);
    lines.push(i === bad ? `{"id": ${i}, "v": oops}` : `{"id": ${i}, "v": ${i % 11}, "ts": "${at}", "note": "${note}"}`);
  }
  const file = path.join(dir, name);
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

/** Opens the page at `address`, gives it `files`, and runs a 10-second tumbling window over
 * `big.jsonl` and a scan of `bad.jsonl`: the window rows (sorted), late drops, and the error. */
async function readThrough(address, files) {
  await openPage({ navigate: false });
  await page.goto(address, { waitUntil: 'load' });
  await page.locator('[data-testid=paragraph]').first().waitFor();
  await page.locator('[data-testid=data-file-input]').setInputFiles(files);
  for (const name of ['big.jsonl', 'bad.jsonl']) {
    await until(async () => (await page.locator(`[data-testid=data-files] [data-testid=data-file][data-name="${name}"]`).count()) === 1, { what: `${name} in the Files panel` });
  }
  const notes = await noteItems().count();
  await page.locator('[data-testid=new-note]').click();
  await until(async () => (await noteItems().count()) === notes + 1, { what: 'a new note' });
  await runInParagraph(0, `%flink.ssql
  CREATE TABLE big_readings (id INT, v INT, ts TIMESTAMP(3), note STRING, WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
    WITH ('connector' = 'filesystem', 'path' = 'big.jsonl', 'format' = 'json');
  CREATE TABLE bad_readings (id INT, v INT) WITH ('connector' = 'filesystem', 'path' = 'bad.jsonl', 'format' = 'json');`);
  await waitForStatus(0, /done/i, 'the CREATE TABLEs to be done');
  const windows = await addParagraph();
  await runInParagraph(windows, `%flink.ssql
  SELECT window_start, COUNT(*) AS n, SUM(v) AS total, MAX(id) AS last_id
  FROM TABLE(TUMBLE(TABLE big_readings, DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY window_start, window_end`);
  await waitForStatus(windows, /done/i, 'the window query over the big file to end');
  const rows = (await resultOf(windows)).rows.map((r) => r.join(' | ')).sort();
  const dropped = await lateDropped(windows);
  const bad = await addParagraph();
  await runInParagraph(bad, '%flink.ssql\nSELECT id, v FROM bad_readings');
  await until(async () => (await errorOf(bad)) !== null, { what: 'the query over a file with an unreadable record to fail' });
  const error = await errorOf(bad);
  const badRows = (await resultOf(bad))?.rows.length ?? 0;
  return { rows, dropped, error, badRows };
}

export default async function () {
  await openPage({ navigate: true });
  await test('a file picked in the Files panel is a filesystem table; a file that is not JSON is a clear error', 'files.png', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sluice-e2e-files-'));
    const readings = path.join(dir, 'readings.jsonl');
    writeFileSync(readings, ['{"sensor_id": 1, "status": "OK"}', '{"sensor_id": 2, "status": "ERROR"}', '{"sensor_id": 3, "status": "OK"}'].join('\n') + '\n');
    const broken = path.join(dir, 'broken.jsonl');
    writeFileSync(broken, 'not json\n');
    await page.locator('[data-testid=data-file-input]').setInputFiles([readings, broken]);
    for (const name of ['readings.jsonl', 'broken.jsonl']) {
      await until(async () => (await page.locator(`[data-testid=data-files] [data-testid=data-file][data-name="${name}"]`).count()) === 1, { what: `${name} in the Files panel` });
    }
    const notes = await noteItems().count();
    await page.locator('[data-testid=new-note]').click();
    await until(async () => (await noteItems().count()) === notes + 1, { what: 'a new note' });
    await runInParagraph(0, `%flink.ssql
  CREATE TABLE picked_readings (sensor_id INT, status STRING) WITH ('connector' = 'filesystem', 'path' = 'readings.jsonl', 'format' = 'json');
  CREATE TABLE picked_broken (sensor_id INT, status STRING) WITH ('connector' = 'filesystem', 'path' = 'broken.jsonl', 'format' = 'json');`);
    await waitForStatus(0, /done/i, 'the CREATE TABLEs to be done');
    const counts = await addParagraph();
    // The rows the first frame showing "done" shows: the job's last rows come with its end, not
    // at the page's next redraw (up to a quarter of a second later).
    await page.evaluate((i) => {
      const p = document.querySelectorAll('[data-testid=paragraph]')[i];
      window.__rowsAtDone = null;
      const look = () => {
        if (!/done/i.test(p.querySelector('[data-testid=status]')?.textContent ?? '')) return requestAnimationFrame(look);
        window.__rowsAtDone = [...p.querySelectorAll('table[data-testid=result-table] tbody tr')].map((tr) => [...tr.children].map((td) => td.textContent.trim()).join(' | '));
      };
      requestAnimationFrame(look);
    }, counts);
    await runInParagraph(counts, '%flink.ssql(type=update)\nSELECT status, COUNT(*) AS num FROM picked_readings GROUP BY status');
    await waitForStatus(counts, /done/i, 'the bounded query over the file to end');
    const atDone = await until(() => page.evaluate(() => window.__rowsAtDone), { what: 'the frame that showed "done"' });
    check(JSON.stringify([...atDone].sort()) === JSON.stringify(['ERROR | 1', 'OK | 2']), `the frame that showed "done" showed the rows ${JSON.stringify(atDone)}`);
    const got = await countsOf(counts);
    check(got.OK === 2 && got.ERROR === 1, `counts from the file: ${JSON.stringify(got)}`);
    const bad = await addParagraph();
    await runInParagraph(bad, '%flink.ssql(type=update)\nSELECT * FROM picked_broken');
    await until(async () => (await errorOf(bad)) !== null, { what: 'the query over a file that is not JSON to fail' });
    const error = await errorOf(bad);
    check(/`picked_broken`/.test(error) && /not json/.test(error), `the error does not name the table and the record: ${error}`);
    rmSync(dir, { recursive: true, force: true });
  });
  await test('a file decoded in chunks on decode workers gives the one-thread rows, late drops and record error', 'files-decoded-in-chunks.png', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sluice-e2e-chunks-'));
    const files = [readingsFile(dir, 'big.jsonl', 3000), readingsFile(dir, 'bad.jsonl', 900, 700)];
    // 4 KiB chunks and 2 decode workers whatever the cores (`decode-chunk`, `decode-workers`: for
    // tests): the 250 KB file is some 60 chunks.
    const chunked = await readThrough(`${url}?decode-chunk=4096&decode-workers=2`, files);
    // The decode workers the session's worker started (nested workers, named by the pool).
    const names = await Promise.all(page.workers().map((w) => w.evaluate(() => self.name).catch(() => '')));
    check(names.filter((n) => /^sluice-decode-/.test(n)).length === 2, `not 2 decode workers: the page's workers are named ${JSON.stringify(names)}`);
    const oneThread = await readThrough(`${url}?engine=page`, files);
    check(chunked.rows.length === 16 && oneThread.rows.length === 16, `windows: ${chunked.rows.length} in chunks, ${oneThread.rows.length} on one thread`);
    check(JSON.stringify(chunked.rows) === JSON.stringify(oneThread.rows), `in chunks ${JSON.stringify(chunked.rows)}\non one thread ${JSON.stringify(oneThread.rows)}`);
    check(oneThread.dropped > 0 && chunked.dropped === oneThread.dropped, `late dropped: ${chunked.dropped} in chunks, ${oneThread.dropped} on one thread`);
    check(/`bad_readings`/.test(chunked.error) && /oops/.test(chunked.error), `the error does not name the table and the record: ${chunked.error}`);
    check(chunked.error === oneThread.error, `errors differ: in chunks "${chunked.error}", on one thread "${oneThread.error}"`);
    check(chunked.badRows === oneThread.badRows, `rows before the bad record: ${chunked.badRows} in chunks, ${oneThread.badRows} on one thread`);
    rmSync(dir, { recursive: true, force: true });
  });
  await closePage();
}

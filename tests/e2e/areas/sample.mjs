// End-to-end area `sample`: CREATE TABLE from a sample (issue 18, item 4), from a stream in the
// Streams panel and from a CSV file in the Files panel, as a person does it: click the button,
// read the paragraph it wrote, run it, and query the table.
// Starts from a fresh browser profile; run alone with `node tests/e2e/run.mjs URL sample`.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  addParagraph,
  check,
  closePage,
  freshSensors,
  inputStream,
  noticeText,
  page,
  paragraphs,
  resultOf,
  runInParagraph,
  streamRecords,
  test,
  textOf,
  until,
  waitForStatus,
} from '../harness.mjs';

export default async function () {
  await test('a stream sampled in the Streams panel becomes a CREATE TABLE paragraph that runs', 'sample-stream.png', async () => {
    await freshSensors();
    await until(async () => (await streamRecords()) >= 10, { what: 'ten records on my-input-stream', timeout: 30_000 });
    const before = await paragraphs().count();
    await inputStream().locator('[data-testid=table-from-sample]').click();
    await until(async () => (await paragraphs().count()) === before + 1, { what: 'the proposed CREATE TABLE paragraph' });
    const ddl = await textOf(before);
    check(/CREATE TABLE my_input_stream \(/.test(ddl), `the paragraph does not create my_input_stream: ${ddl}`);
    check(/sensor_id BIGINT/.test(ddl) && /event_time TIMESTAMP\(3\)/.test(ddl), `the columns are not inferred: ${ddl}`);
    check(/WATERMARK FOR event_time AS event_time - INTERVAL '\d+' SECOND/.test(ddl), `no watermark proposed: ${ddl}`);
    check(/'json.timestamp-format.standard' = 'ISO-8601'/.test(ddl), `the timestamp format option is missing: ${ddl}`);
    check(/Proposed CREATE TABLE my_input_stream/.test((await noticeText()) ?? ''), `no notice: ${await noticeText()}`);
    await paragraphs().nth(before).locator('[data-testid=run]').click();
    await waitForStatus(before, /done/i, 'the proposed CREATE TABLE to run');
    const catalog = page.locator('[data-testid=catalog] [data-table=my_input_stream]');
    await until(async () => (await catalog.count()) === 1, { what: 'my_input_stream in the catalog' });
    check(/event_time - INTERVAL/.test(await catalog.locator('[data-testid=watermark]').innerText()), 'the catalog shows no watermark');
    const query = await addParagraph();
    await runInParagraph(query, '%flink.ssql(type=update)\nSELECT COUNT(*) AS n FROM my_input_stream');
    await until(async () => {
      const r = await resultOf(query);
      return r && r.rows.length === 1 && Number(r.rows[0][0]) >= 10;
    }, { what: 'the table to read the sampled records back', timeout: 20_000 });
  });

  await test('a CSV file with a header becomes a table that reads its rows', 'sample-file.png', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sluice-e2e-sample-'));
    const file = path.join(dir, 'trips.csv');
    writeFileSync(file, 'trip,fare,started\n1,12.5,2021-05-19 11:20:00\n2,8.25,2021-05-19 11:20:04\n3,30.0,2021-05-19 11:20:02\n');
    await page.locator('[data-testid=data-file-input]').setInputFiles([file]);
    const entry = page.locator('[data-testid=data-files] [data-testid=data-file][data-name="trips.csv"]');
    await until(async () => (await entry.count()) === 1, { what: 'trips.csv in the Files panel' });
    const before = await paragraphs().count();
    await entry.locator('[data-testid=table-from-sample]').click();
    await until(async () => (await paragraphs().count()) === before + 1, { what: 'the proposed CREATE TABLE paragraph' });
    const ddl = await textOf(before);
    check(/CREATE TABLE trips \(/.test(ddl) && /fare DOUBLE/.test(ddl) && /'path' = 'trips-rows.csv'/.test(ddl), `unexpected proposal: ${ddl}`);
    check(/WATERMARK FOR started AS started - INTERVAL '2' SECOND/.test(ddl), `the watermark is not from the 2 s of disorder: ${ddl}`);
    await paragraphs().nth(before).locator('[data-testid=run]').click();
    await waitForStatus(before, /done/i, 'the proposed CREATE TABLE to run');
    const query = await addParagraph();
    await runInParagraph(query, '%flink.bsql\nSELECT trip, fare FROM trips');
    await until(async () => {
      const r = await resultOf(query);
      return r && r.rows.length === 3;
    }, { what: 'the three rows of trips.csv' });
    const r = await resultOf(query);
    check(JSON.stringify(r.rows) === JSON.stringify([['1', '12.5'], ['2', '8.25'], ['3', '30.0']]), `rows: ${JSON.stringify(r.rows)}`);
    rmSync(dir, { recursive: true, force: true });
  });
  await closePage();
}

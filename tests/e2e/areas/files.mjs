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
  noteItems,
  openPage,
  page,
  runInParagraph,
  test,
  until,
  waitForStatus,
} from '../harness.mjs';

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
  await closePage();
}

// End-to-end area `clock`: The virtual clock: pausing and stepping change nothing but the time.
// Starts from a fresh browser profile; run alone with `node tests/e2e/run.mjs URL clock`.
import path from 'node:path';
import {
  HOP,
  LOAD_TIMEOUT,
  START,
  check,
  clockTime,
  closePage,
  freshPage,
  hopTime,
  openPage,
  paragraph,
  rowsIn,
  runIn,
  shots,
  sleep,
  test,
  until,
  url,
} from '../harness.mjs';

export default async function () {
  await openPage({ navigate: true });
  await test('pausing and stepping the clock change nothing but the time: an unpaused run gives the same windows', null, async () => {
    const stepped = await freshPage(`${url}?start=${START}&paused`);
    const running = await freshPage(`${url}?start=${START}&paused`);
    try {
      const a = stepped.pg;
      await a.locator('[data-testid=paragraph]').first().waitFor({ timeout: LOAD_TIMEOUT });
      check((await clockTime(a)) === '2021-05-19 11:20:00.000', `the clock starts at ${await clockTime(a)}`);
      check((await a.locator('[data-testid=clock]').getAttribute('data-paused')) === 'true', 'the clock is not paused by ?paused');
      await runIn(a, 0);
      await runIn(a, HOP);
      await sleep(700);
      check((await clockTime(a)) === '2021-05-19 11:20:00.000', `the paused clock moved to ${await clockTime(a)}`);
      check((await a.locator('[data-testid=stream-records]').first().innerText()).trim() === '1', 'the paused generator made more than its first record');
      // Every kind of step; the clock only moves when told.
      // Each step is answered by the engine's worker: wait for it before the next.
      const press = async (id, n) => {
        for (let k = 0; k < n; k++) {
          await a.locator(`[data-testid=${id}]`).click();
          await until(async () => (await a.locator('[data-testid=clock]').getAttribute('data-busy')) === 'false', { what: `the ${id} step to be answered` });
        }
      };
      await press('clock-step-window', 1);
      const firstFiring = await clockTime(a);
      check(firstFiring > '2021-05-19 11:20:15', `the first HOP window (ending 11:20:10, watermark 5 s behind) fired at ${firstFiring}`);
      await press('clock-step-record', 3);
      await press('clock-step-second', 4);
      await press('clock-step-window', 8);
      const steppedTo = await clockTime(a);
      await until(async () => (await rowsIn(a, HOP)).length > 0, { what: 'the stepped windows to show' });
      const steppedRows = await rowsIn(a, HOP);
      check(steppedRows.length >= 20, `9 window steps gave ${steppedRows.length} rows`);
      await sleep(600);
      check((await clockTime(a)) === steppedTo, 'the clock moved between steps');
      await a.screenshot({ path: path.join(shots, 'clock-stepped.png'), fullPage: true });

      // The same start and queries, left running at 25×.
      const b = running.pg;
      await b.locator('[data-testid=paragraph]').first().waitFor({ timeout: LOAD_TIMEOUT });
      await runIn(b, 0);
      await runIn(b, HOP);
      await b.locator('[data-testid=clock-speed]').selectOption('25');
      await b.locator('[data-testid=clock-pause]').click();
      const lastStepped = steppedRows.map(hopTime).sort().at(-1);
      await until(async () => (await rowsIn(b, HOP)).some((r) => hopTime(r) > lastStepped), { timeout: 30_000, what: `the running clock to fire a window after ${lastStepped}` });
      await b.locator('[data-testid=clock-pause]').click();
      const runRows = (await rowsIn(b, HOP)).filter((r) => hopTime(r) <= lastStepped);
      const same = JSON.stringify([...runRows].sort()) === JSON.stringify([...steppedRows].sort());
      check(same, `stepped and running differ:\n${steppedRows.filter((r) => !runRows.includes(r)).join('\n')}\nvs\n${runRows.filter((r) => !steppedRows.includes(r)).join('\n')}`);
      await b.screenshot({ path: path.join(shots, 'clock-running.png'), fullPage: true });
    } finally {
      await stepped.close();
      await running.close();
    }
  });
  await closePage();
}

// End-to-end area `cep`: a MATCH_RECOGNIZE alert running live in the page (issue 16): per
// sensor, an OK reading directly followed by an ERROR reading hotter by more than 80 degrees.
// Starts from a fresh browser profile; run alone with `node tests/e2e/run.mjs URL cep`.
import { readFileSync } from 'node:fs';
import {
  addParagraph,
  check,
  closePage,
  openNote,
  openPage,
  paragraph,
  resultOf,
  runInParagraph,
  shownNumber,
  test,
  until,
  waitForStatus,
} from '../harness.mjs';

// The query the golden case `match_ok_then_error` proves against Flink 2.3, run live here.
const ALERT = `%flink.ssql(type=append)\n${readFileSync(new URL('../../flink/match_ok_then_error/query.sql', import.meta.url), 'utf8').trim()}`;

export default async function () {
  await openPage({ navigate: true });
  await test('a MATCH_RECOGNIZE alert finds OK-then-much-hotter-ERROR pairs live, and the plan shows its Match stage', 'cep-alert.png', async () => {
    await openNote('Sensors');
    await paragraph(0).locator('[data-testid=run]').click();
    await waitForStatus(0, /done/i, 'CREATE TABLE');
    const alert = await addParagraph();
    await runInParagraph(alert, ALERT);
    await waitForStatus(alert, /running/i, 'the alert query to run');
    // A match comes out once the watermark (5 s behind the newest reading) passes its ERROR row.
    await until(async () => (await resultOf(alert))?.rows.length > 0, { timeout: 90_000, what: 'a first alert' });
    const result = await resultOf(alert);
    const columns = result.headers.map((h) => h.column).join(',');
    check(columns === 'sensor_id,ok_time,error_time,ok_temp,error_temp', `the alert's columns are ${columns}`);
    for (const row of result.rows) {
      const [okTemp, errorTemp] = [shownNumber(row[3]), shownNumber(row[4])];
      check(errorTemp > okTemp + 80, `an alert whose ERROR reading (${row[4]}) is not 80 degrees hotter than its OK one (${row[3]})`);
      check(row[1] < row[2], `an alert whose OK reading (${row[1]}) is not before its ERROR one (${row[2]})`);
    }
    await paragraph(alert).locator('[data-testid=view-plan]').click();
    await paragraph(alert).locator('[data-testid=plan-graph]').waitFor();
    const titles = await paragraph(alert).locator('[data-testid=plan-stage] .plan-title').evaluateAll((ts) => ts.map((t) => t.textContent));
    check(titles.includes('Match'), `the plan's stages are ${JSON.stringify(titles)}`);
    await paragraph(alert).locator('[data-testid=view-table]').click();
    await paragraph(alert).locator('[data-testid=stop]').click();
  });
  await closePage();
}

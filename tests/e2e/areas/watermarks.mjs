// End-to-end area `watermarks`: The "Watermarks and late data" note, run as written.
// Starts from a fresh browser profile; run alone with `node tests/e2e/run.mjs URL watermarks`.
import path from 'node:path';
import {
  addParagraph,
  allStatuses,
  check,
  closePage,
  currentNoteName,
  lateDropped,
  openPage,
  page,
  paragraph,
  resultOf,
  runInParagraph,
  shots,
  sleep,
  statusesBecome,
  test,
  until,
  waitForStatus,
} from '../harness.mjs';

export default async function () {
  await openPage({ navigate: true });
  await test('the "Watermarks and late data" note runs as written: windows fire and late readings are dropped', 'watermarks-note.png', async () => {
    await page.locator('[data-testid=load-watermarks]').click();
    await until(async () => (await currentNoteName()) === 'Watermarks and late data', { what: 'the lesson to open' });
    check((await page.locator('[data-testid=markdown]').count()) >= 4, 'the lesson\'s explanations do not render');
    const query = 5;
    await page.locator('[data-testid=run-all]').click();
    await waitForStatus(query, /running/i, 'the lesson\'s window query to run');
    await statusesBecome(['done', 'done', 'done', 'done', 'done', 'running', 'done'], 'after run all');
    // The first 5-second window fires once the watermark, 5 s behind, passes its end.
    await until(async () => (await resultOf(query))?.rows.length > 0, { timeout: 20_000, what: 'a window to fire' });
    const dropped = () => lateDropped(query);
    await until(async () => (await dropped()) > 0, { timeout: 20_000, what: 'a late reading to be dropped' });
    await paragraph(query).locator('[data-testid=view-plan]').click();
    await until(async () => /late dropped/.test(await paragraph(query).locator('[data-testid=plan-graph]').innerText()), { what: 'the plan to show the late records' });

    // The timeline marks exactly the records the engine dropped: the same event times as the
    // Jobs panel's list of late records, read with the clock paused so both see the same moment.
    await paragraph(query).locator('[data-testid=view-timeline]').click();
    const timeline = paragraph(query).locator('[data-testid=timeline]');
    await until(async () => Number(await timeline.getAttribute('data-records')) > 0, { what: 'records on the timeline' });
    await page.locator('[data-testid=clock-pause]').click();
    await sleep(700);
    const marked = ((await timeline.getAttribute('data-late')) ?? '').split(',').filter(Boolean); // in arrival order
    const job = page.locator('[data-testid=jobs] [data-job]').filter({ hasText: 'window_start' }).last();
    await job.locator('[data-testid=late-toggle]').click();
    // Listed once the engine (in its worker) answers.
    await until(async () => (await job.locator('[data-testid=late-records] li').count()) > 0, { what: 'the late records to be listed' });
    const listed = (await job.locator('[data-testid=late-records] li').evaluateAll((lis) => lis.map((li) => li.querySelector('.late-time').textContent.trim()))).sort();
    check(marked.length > 0, 'the timeline marks no late record');
    // The panel lists the newest 20; fewer means it lists them all.
    const LISTED = 20;
    check(listed.length === LISTED || marked.length === listed.length, `the timeline marks ${marked.length} late records, the engine dropped ${listed.length}`);
    const newest = marked.slice(-listed.length).sort();
    check(JSON.stringify(newest) === JSON.stringify(listed), `the timeline marks ${JSON.stringify(newest)}, the engine dropped ${JSON.stringify(listed)}`);
    await paragraph(query).screenshot({ path: path.join(shots, 'timeline.png') });
    await job.locator('[data-testid=late-toggle]').click();
    await page.locator('[data-testid=clock-pause]').click();
    await paragraph(query).locator('[data-testid=view-table]').click();
    await paragraph(query).locator('[data-testid=stop]').click();
    // Back in order, as the lesson's last paragraph says.
    const last = await addParagraph();
    await runInParagraph(last, "%flink.ssql\nRESET 'sluice.generator.out-of-order-percent';\nRESET 'sluice.generator.late-percent';");
    await waitForStatus(last, /done/i, 'the RESETs');
  });
  await closePage();
}

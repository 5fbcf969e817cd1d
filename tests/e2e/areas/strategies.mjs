// End-to-end area `strategies`: two watermark strategies side by side (issue 18, item 3). On the
// "Watermarks and late data" lesson's window query, a person opens Compare watermarks, asks for 5 s
// and 25 s, and reads both results and the chart: the short delay drops late readings, the long
// one none, and answers later.
// Starts from a fresh browser profile; run alone with `node tests/e2e/run.mjs URL strategies`.
import { check, closePage, currentNoteName, openPage, page, paragraph, resultOf, test, until, waitForStatus } from '../harness.mjs';

export default async function () {
  await openPage({ navigate: true });
  await test('a window query compared under two watermark delays shows both results and a completeness / latency chart', 'strategies.png', async () => {
    await page.locator('[data-testid=load-watermarks]').click();
    await until(async () => (await currentNoteName()) === 'Watermarks and late data', { what: 'the lesson to open' });
    const query = 5;
    await page.locator('[data-testid=run-all]').click();
    await waitForStatus(query, /running/i, "the lesson's window query to run");
    const dropped = async () => {
      const line = await paragraph(query).locator('.job-line').innerText();
      return Number((line.match(/([\d,]+) late dropped/) ?? [])[1]?.replace(/,/g, '') ?? NaN);
    };
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
  await closePage();
}

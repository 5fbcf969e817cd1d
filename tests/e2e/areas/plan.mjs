// End-to-end area `plan`: The Plan view of a running query.
// Starts from a fresh browser profile; run alone with `node tests/e2e/run.mjs URL plan`.
import {
  HOP,
  check,
  closePage,
  openNote,
  openPage,
  paragraph,
  test,
  until,
  waitForStatus,
} from '../harness.mjs';

export default async function () {
  await openPage({ navigate: true });
  await test('the Plan view draws the running query source to sink with counts that grow', 'plan-graph.png', async () => {
    await openNote('Sensors');
    await paragraph(0).locator('[data-testid=run]').click();
    await waitForStatus(0, /done/i, 'CREATE TABLE');
    await paragraph(HOP).locator('[data-testid=run]').click();
    await waitForStatus(HOP, /running/i, 'the HOP query to run');
    await paragraph(HOP).locator('[data-testid=view-plan]').click();
    const stages = () => paragraph(HOP).locator('[data-testid=plan-stage]').evaluateAll((ss) =>
      ss.map((s) => ({ kind: s.getAttribute('data-kind'), title: s.querySelector('.plan-title').textContent, in: Number(s.getAttribute('data-records-in')) })),
    );
    await paragraph(HOP).locator('[data-testid=plan-graph]').waitFor();
    const first = await stages();
    const kinds = first.map((s) => s.kind).join(' ');
    check(kinds === 'source watermark operator operator operator sink', `the stages are ${kinds}: ${JSON.stringify(first)}`);
    check(first[0].title === 'TableSourceScan(sensor_data)' && first[3].title === 'WindowAggregate', `titles ${JSON.stringify(first.map((s) => s.title))}`);
    const window = first[3].in;
    await until(async () => (await stages())[3].in > window + 10, { what: 'the window aggregate\'s count to grow' });
    const text = await paragraph(HOP).locator('[data-testid=plan-graph]').innerText();
    check(/behind the clock/.test(text) && /read/.test(text), `the graph reads ${JSON.stringify(text)}`);
    await paragraph(HOP).locator('[data-testid=view-table]').click();
    await paragraph(HOP).locator('[data-testid=stop]').click();
  });
  await closePage();
}

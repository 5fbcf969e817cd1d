// End-to-end area `exercises`: exercises that check themselves (issue 18, item 5). A learner
// opens the course from the Notes panel, checks the starting query (not yet, with a hint),
// writes the answer, checks again (passed), and finds the exercise still solved after a reload.
// Starts from a fresh browser profile; run alone with `node tests/e2e/run.mjs URL exercises`.
import { check, closePage, currentNoteName, openPage, page, paragraphs, runInParagraph, test, until, waitForStatus } from '../harness.mjs';

const TUMBLE = `%flink.ssql(type=append)
SELECT window_start, window_end, sensor_id, COUNT(*) AS readings
  FROM TABLE(TUMBLE(TABLE readings, DESCRIPTOR(event_time), INTERVAL '10' SECOND))
 GROUP BY window_start, window_end, sensor_id`;

const verdictOf = async (i) => {
  const v = paragraphs().nth(i).locator('[data-testid=exercise-verdict]');
  return (await v.count()) ? { passed: (await v.getAttribute('data-passed')) === 'true', text: (await v.innerText()).trim() } : null;
};

export default async function () {
  await openPage();
  await test('an exercise says what is wrong, then passes with the answer, and stays solved after a reload', 'exercises.png', async () => {
    await page.locator('[data-testid=load-exercises]').click();
    await until(async () => (await currentNoteName()) === 'Event time, in five exercises', { what: 'the course note to open' });
    check((await paragraphs().count()) === 17, `the course has ${await paragraphs().count()} paragraphs`);
    check((await page.locator('[data-testid=exercise]').count()) === 5, 'five exercises are shown');
    // The tables every exercise reads run in the page too (the note's files come with it).
    await paragraphs().nth(1).locator('[data-testid=run]').click();
    await waitForStatus(1, /done/i, "the course's CREATE TABLEs");
    const start = 3;
    const exercise = 4;
    await paragraphs().nth(start).locator('[data-testid=run]').click();
    await waitForStatus(start, /running|done/i, 'the starting query to run in the page');
    await paragraphs().nth(exercise).locator('[data-testid=exercise-check]').click();
    const first = await until(() => verdictOf(exercise), { what: 'a verdict for the starting query' });
    check(!first.passed && /the exercise expects window_start, window_end, sensor_id, readings/.test(first.text), `verdict: ${first.text}`);
    await runInParagraph(start, TUMBLE);
    await paragraphs().nth(exercise).locator('[data-testid=exercise-check]').click();
    const second = await until(async () => {
      const v = await verdictOf(exercise);
      return v && v.passed ? v : null;
    }, { what: 'the answer to pass' });
    check(/9 rows, none late/.test(second.text), `verdict: ${second.text}`);
    check((await paragraphs().nth(exercise).locator('[data-testid=exercise-solved]').count()) === 1, 'no solved badge');
    // Progress is kept in this browser.
    await page.reload({ waitUntil: 'load' });
    await until(async () => (await currentNoteName()) === 'Event time, in five exercises', { what: 'the course note after a reload' });
    await until(async () => (await paragraphs().nth(exercise).locator('[data-testid=exercise-solved]').count()) === 1, { what: 'the solved badge after a reload' });
    check((await page.locator('[data-testid=exercise-solved]').count()) === 1, 'only the solved exercise shows solved');
  });
  await closePage();
}

// End-to-end tests: the studio driven like a person would in headless Chromium.
//
//   node tests/e2e/run.mjs http://127.0.0.1:PORT/ [AREA…]
//
// Runs every area of tests/e2e/areas/ in the order below, or only the areas named. Each area
// starts from a fresh browser profile (tests/e2e/harness.mjs: `openPage`), so it can run alone; the
// notebook area's tests each start from one of their own. SLUICE_E2E_ONLY=TEXT runs only the
// tests whose name contains TEXT.
// Prints `ok - name` / `not ok - name: reason` per test, then `N passed, M failed`; exits 1 if
// any failed. Screenshots of each step go to tests/e2e/screenshots/ (taken even when a step
// fails). Standalone scripts beside this one (kinesis.mjs, bench.mjs) use the same harness idea
// but need servers of their own; scripts/test.sh runs them in their own tiers.
import { closeBrowser, configure, summary } from './harness.mjs';

/** The areas, in the order a full run takes them (the notebook first: it is the walkthrough). */
const AREAS = ['notebook', 'clock', 'share', 'plan', 'watermarks', 'files', 'streams', 'functions', 'cep', 'sample', 'exercises', 'strategies', 'teach', 'python'];

const [url, ...only] = process.argv.slice(2);
if (!url || !/^https?:\/\//.test(url)) {
  console.error(`usage: node tests/e2e/run.mjs http://127.0.0.1:PORT/ [${AREAS.join('|')}…]`);
  process.exit(2);
}
const unknown = only.filter((a) => !AREAS.includes(a));
if (unknown.length > 0) {
  console.error(`unknown area ${unknown.join(', ')}: the areas are ${AREAS.join(', ')}`);
  process.exit(2);
}
configure(url);

for (const area of only.length > 0 ? AREAS.filter((a) => only.includes(a)) : AREAS) {
  console.log(`# area ${area}`);
  const { default: run } = await import(`./areas/${area}.mjs`);
  await run();
}

await closeBrowser();
const { passed, failed } = summary();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);

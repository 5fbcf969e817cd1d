// The page against real Kinesis streams (moto), through `sluice proxy` and direct, in headless
// Chromium:
//
//   node tests/e2e/kinesis.mjs PROXY_URL MOTO_URL PYTHON SLUICE
//
// PROXY_URL is `sluice proxy --serve dist --endpoint MOTO_URL`, which also serves the page;
// PYTHON has boto3 (tests/kinesis/kinesis_tool.py); SLUICE is the native binary. scripts/test.sh's
// `e2e-kinesis` tier starts them. The walkthrough's sender (boto3) writes the seeded sensor
// records to `my-input-stream`; the page, set to each access mode in the Streams panel, runs the
// walkthrough's HOP INSERT INTO an output stream; reading that back with boto3 must give exactly
// the rows `sluice run` computes from the same records in a file.
//
// Prints `ok - name` / `not ok - name: reason`, then `N passed, M failed`; exits 1 if any failed.
import { execFileSync } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { WALKTHROUGH } from './harness.mjs';
import { EXPECTED_ROWS, RECORDS, check, remotePage, repo, singleValueShows, sleep, until, walkthroughRowsFromFile } from './remote_harness.mjs';

const [proxyUrl, motoUrl, python, sluice] = process.argv.slice(2);
if (!sluice) {
  console.error('usage: node tests/e2e/kinesis.mjs PROXY_URL MOTO_URL PYTHON SLUICE');
  process.exit(2);
}
// Records in the file, plus the sender's one record a day later that closes every window.
const RECORDS_IN = 10_001;

/** boto3 against moto, as the walkthrough's sender and reader. */
function tool(...args) {
  const env = { ...process.env, AWS_ENDPOINT_URL: motoUrl, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_DEFAULT_REGION: 'us-east-1' };
  return execFileSync(python, [path.join(repo, 'tests/kinesis/kinesis_tool.py'), ...args], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
}

/** A window result as a comparable key: averages to 9 decimals, as tests/common/kinesis.rs does. */
const rowKey = (row) => [row.status, row.num, row.avg_current_temperature.toFixed(9), String(row.hop_time).replace(' ', 'T')].join('|');

/** What `sluice run` computes for the walkthrough's query over the file. */
function rowsFromFile() {
  return walkthroughRowsFromFile(sluice, 'sluice-e2e-kinesis-').map(rowKey).sort();
}

function rowsFromStream(stream) {
  const out = tool('read', stream).trim();
  return out === '' ? [] : out.split('\n').map((l) => rowKey(JSON.parse(l))).sort();
}

// The walkthrough's steps 2 and 5 (src/views/note/walkthrough.sql, the note the page starts
// from), reading the backlog the sender already wrote.
const replaced = (text, from, to) => {
  if (!text.includes(from)) throw new Error(`the walkthrough no longer holds ${from}`);
  return text.replace(from, to);
};
const createInput = replaced(WALKTHROUGH[0], "'scan.stream.initpos' = 'LATEST'", "'scan.stream.initpos' = 'TRIM_HORIZON'");
const createOutput = (stream) => replaced(WALKTHROUGH[3], "'stream' = 'my-output-stream'", `'stream' = '${stream}'`);
const INSERT = WALKTHROUGH[4];
const COUNT = `%flink.ssql(type=single)
SELECT COUNT(*) AS records FROM sensor_data;`;

const { page, requests, test, paragraphs, runNote, finish } = await remotePage('sluice-e2e-kinesis-profile-');

/** Chooses an access mode in the Streams panel and applies it. */
async function chooseAccess(mode, fields) {
  const panel = page.locator('[data-testid=kinesis-access]');
  await panel.locator('[data-testid=kinesis-mode]').selectOption(mode);
  for (const [testid, value] of Object.entries(fields)) {
    await panel.locator(`[data-testid=${testid}]`).fill(value);
  }
  await panel.locator('[data-testid=kinesis-apply]').click();
  const status = await panel.locator('[data-testid=kinesis-status]').innerText();
  check(!(await panel.locator('[data-testid=kinesis-error]').count()), `the setting was refused: ${status}`);
  return status;
}

async function jobCounts() {
  const job = page.locator('[data-testid=jobs] [data-job]');
  const texts = await job.locator('[data-testid=job-counts]').allInnerTexts();
  return texts.map((t) => t.split('·').map((part) => Number(part.replace(/[^\d]/g, ''))));
}

/** The walkthrough INSERT in the page, into `output`; then the stream read back with boto3. */
async function insertRoundTrip(output, expected) {
  await runNote([createInput, createOutput(output), INSERT, COUNT]);
  // Every record read once: the INSERT job and the COUNT(*) both see all of them.
  await until(async () => (await jobCounts()).length === 2 && (await jobCounts()).every(([records]) => records === RECORDS_IN), {
    timeout: 120_000,
    every: 500,
    what: async () => `both jobs to read ${RECORDS_IN} records (in, out, late per job: ${JSON.stringify(await jobCounts())})`,
  });
  await singleValueShows(page, RECORDS_IN);
  const rows = await until(async () => {
    const got = rowsFromStream(output);
    return got.length >= EXPECTED_ROWS ? got : null;
  }, { timeout: 60_000, every: 1_000, what: `${EXPECTED_ROWS} rows in ${output}` });
  const missing = expected.filter((r) => !rows.includes(r));
  const extra = rows.filter((r) => !expected.includes(r));
  check(missing.length === 0 && extra.length === 0, `missing: ${JSON.stringify(missing.slice(0, 5))}; not from the file: ${JSON.stringify(extra.slice(0, 5))}`);
  check(rows.length === EXPECTED_ROWS, `${rows.length} rows, expected ${EXPECTED_ROWS}: a row written twice`);
  const messages = await page.locator('[data-testid=kinesis-messages]').innerText();
  check(/reading `my-input-stream`: 4 shards from TRIM_HORIZON/.test(messages), `the Streams panel does not say reading began: ${messages}`);
}

const expected = rowsFromFile();
check(expected.length === EXPECTED_ROWS, `sluice run computes ${expected.length} rows from the file`);
tool('create', 'my-input-stream', '4');
tool('create', 'my-output-stream', '2');
tool('create', 'direct-output-stream', '2');
// As the kinesis tier's sender: 10 records per call keeps arrival order close to event order.
tool('put', 'my-input-stream', RECORDS, '--batch', '10', '--flush-record');

await test('proxy mode: the walkthrough INSERT through sluice proxy writes the file\'s rows', 'kinesis-proxy.png', async () => {
  const response = await page.goto(proxyUrl, { waitUntil: 'load', timeout: 30_000 });
  check(response && response.ok(), `GET ${proxyUrl} answered ${response?.status()}`);
  await paragraphs().first().waitFor({ timeout: 30_000 });
  const status = await chooseAccess('proxy', { 'kinesis-proxy-url': proxyUrl });
  check(status.includes(`sluice proxy at ${proxyUrl}`), `the status reads ${status}`);
  // The worker's reply lists what the change stopped: it may come a moment after the status.
  let messages = '';
  await until(
    async () => /stopped the sensor generator on `my-input-stream`/.test((messages = await page.locator('[data-testid=kinesis-messages]').innerText())),
    { what: () => `the generator to be stopped (messages: ${messages})` },
  );
  await insertRoundTrip('my-output-stream', expected);
});

await test('direct mode: the page signs its own requests to Kinesis and writes the file\'s rows', 'kinesis-direct.png', async () => {
  // A fresh session: a reload forgets the tables, the jobs and the access.
  await page.reload({ waitUntil: 'load' });
  await paragraphs().first().waitFor({ timeout: 30_000 });
  const status = await chooseAccess('direct', {
    'kinesis-region': 'us-east-1',
    'kinesis-endpoint': motoUrl,
    'kinesis-access-key-id': 'AKIDPAGETEST',
    'kinesis-secret-access-key': 'page-secret-e2e-Qx7',
  });
  check(status.includes(`Kinesis at ${motoUrl}, signed here`), `the status reads ${status}`);
  await insertRoundTrip('direct-output-stream', expected);
  // The keys stay in memory: not in storage, not in any URL the page asked for, not on screen.
  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
  check(!stored.includes('page-secret-e2e-Qx7') && !stored.includes('AKIDPAGETEST'), 'the keys were saved in the browser storage');
  check(!requests.some((u) => u.includes('page-secret-e2e-Qx7')), 'the secret appeared in a URL');
  check(!(await page.locator('body').innerText()).includes('page-secret-e2e-Qx7'), 'the secret shows on the page');
});

await test('choosing an access again goes on where the mirror stopped: a TRIM_HORIZON query reads every record once', 'kinesis-use-again.png', async () => {
  await page.reload({ waitUntil: 'load' });
  await paragraphs().first().waitFor({ timeout: 30_000 });
  const direct = { 'kinesis-region': 'us-east-1', 'kinesis-endpoint': motoUrl, 'kinesis-access-key-id': 'AKIDPAGETEST', 'kinesis-secret-access-key': 'page-secret-e2e-Qx7' };
  const messages = () => page.locator('[data-testid=kinesis-messages]').innerText();
  const began = async (what) => ((await messages()).match(new RegExp(`reading \`my-input-stream\`: 4 shards${what}`, 'g')) ?? []).length;
  const everyJobRead = (jobs) =>
    until(async () => (await jobCounts()).length === jobs && (await jobCounts()).every(([records]) => records >= RECORDS_IN), {
      timeout: 120_000,
      every: 500,
      what: async () => `${jobs} jobs to read ${RECORDS_IN} records each (in, out, late per job: ${JSON.stringify(await jobCounts())})`,
    });
  await chooseAccess('proxy', { 'kinesis-proxy-url': proxyUrl });
  await runNote([createInput, COUNT]);
  await everyJobRead(1);
  // "Use" again, in the same mode and then in the other, each time with a new query: each new
  // reader of the stream starts where the mirror's records end.
  for (const [n, [mode, fields]] of [['proxy', { 'kinesis-proxy-url': proxyUrl }], ['direct', direct]].entries()) {
    await chooseAccess(mode, fields);
    await runNote([COUNT]);
    await until(async () => (await began('')) === n + 2, { timeout: 30_000, what: async () => `reader ${n + 2} to begin: ${await messages()}` });
    await everyJobRead(n + 2);
  }
  // The jobs of the replaced accesses were stopped, and the panel says so.
  check(((await messages()).match(/stopped job \d+: it used real Kinesis streams/g) ?? []).length === 2, `no message about the stopped jobs: ${await messages()}`);
  // A reader that started over brings a second copy of every record within a few polls.
  await sleep(3_000);
  const counts = await jobCounts();
  check(counts.every(([records]) => records === RECORDS_IN), `jobs read ${JSON.stringify(counts)}, expected ${RECORDS_IN} records each`);
  check((await began(', 4 going on after the last record read before')) === 2, `the new readers did not resume: ${await messages()}`);
  await singleValueShows(page, RECORDS_IN);
  const input = page.locator('[data-testid=streams] [data-stream=my-input-stream]');
  const held = await input.locator('[data-testid=stream-records]').innerText();
  check(Number(held.replace(/[^\d]/g, '')) === RECORDS_IN, `the mirror holds ${held} records`);
  const kind = await input.locator('[data-testid=stream-kind]').innerText();
  check(kind === 'Kinesis mirror', `stream-kind reads "${kind}"`);
  check((await input.locator('[data-testid=generator-toggle]').count()) === 0, 'a mirror offers the sensor generator');
  // Back to local streams: the running COUNT stops, and the mirror is a local stream again,
  // with its records and its generator's controls.
  await chooseAccess('local', {});
  await until(async () => (await input.locator('[data-testid=stream-kind]').innerText()) === 'local · generator-fed', { what: 'my-input-stream to be local again' });
  check(/Start generator/.test(await input.locator('[data-testid=generator-toggle]').innerText()), 'the generator stays stopped until started');
  const kept = await input.locator('[data-testid=stream-records]').innerText();
  check(Number(kept.replace(/[^\d]/g, '')) === RECORDS_IN, `the former mirror holds ${kept} records`);
  check(((await messages()).match(/stopped job \d+: it used real Kinesis streams/g) ?? []).length === 3, `the last COUNT was not stopped: ${await messages()}`);
  const status = await paragraphs().last().locator('[data-testid=status]').innerText();
  check(/stopped/i.test(status), `the COUNT paragraph reads "${status}", not stopped`);
});

await test('a proxy that is not there is an error in the Streams panel, not a dead tab', 'kinesis-no-proxy.png', async () => {
  await page.reload({ waitUntil: 'load' });
  await paragraphs().first().waitFor({ timeout: 30_000 });
  // A port nothing listens on (Chromium refuses "unsafe" ones such as 9 before trying).
  const closed = await new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
  await chooseAccess('proxy', { 'kinesis-proxy-url': `http://127.0.0.1:${closed}` });
  await runNote([createInput, COUNT]);
  // Unanswered calls are retried with back-off, and the panel says so.
  await until(async () => /listing the shards of `my-input-stream`: no answer/.test(await page.locator('[data-testid=kinesis-messages]').innerText()), {
    timeout: 20_000,
    what: 'the Streams panel to report the missing proxy',
  });
  // The browser logs each refused fetch as a console error: those are the point of this test.
}, /ERR_CONNECTION_REFUSED|Failed to fetch/);

await finish();

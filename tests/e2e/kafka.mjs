// The page against a real Kafka-protocol broker (tansu) through `sluice proxy --kafka`, in
// headless Chromium:
//
//   node tests/e2e/kafka.mjs PROXY_URL BOOTSTRAP PYTHON SLUICE PROXY_LOG
//
// PROXY_URL is `sluice proxy --serve dist --kafka BOOTSTRAP`, which also serves the page; PYTHON
// has kafka-python (tests/kafka/kafka_tool.py); SLUICE is the native binary; PROXY_LOG is the
// proxy's stderr. scripts/test.sh's `e2e-kafka` tier starts them. kafka-python produces the seed's
// sensor records into a 4-partition topic as the walkthrough's sender would (key = sensor_id);
// `sluice run` runs the walkthrough's HOP INSERT from it into one output topic natively, the page
// (its Kafka setting on the proxy) into another; both are read back with kafka-python.
//
// Why not the file's rows exactly: Flink's Kafka source keeps a watermark per partition and emits
// their minimum, so records the file drops as late may be counted on Kafka, depending on how the
// partitions' records interleave as they are fetched (tests/kafka_walkthrough.rs gives the
// reasoning). What holds for both runs: every window of the file is there once, counting at least
// the file's records, and every record is read once.
//
// Prints `ok - name` / `not ok - name: reason`, then `N passed, M failed`; exits 1 if any failed.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WALKTHROUGH } from './harness.mjs';
import { EXPECTED_ROWS, RECORDS, check, remotePage, repo, singleValueShows, until, walkthroughRowsFromFile } from './remote_harness.mjs';

const [proxyUrl, bootstrap, python, sluice, proxyLog] = process.argv.slice(2);
if (!proxyLog) {
  console.error('usage: node tests/e2e/kafka.mjs PROXY_URL BOOTSTRAP PYTHON SLUICE PROXY_LOG');
  process.exit(2);
}
// The file's 10,000 records, plus the sender's record a day later on each of the 4 partitions.
const RECORDS_IN = 10_004;
const run = Date.now();
const INPUT = `e2e-walk-in-${run}`;
const NATIVE_OUT = `e2e-walk-native-${run}`;
const PAGE_OUT = `e2e-walk-page-${run}`;
const ONE_IN = `e2e-walk-one-in-${run}`;
const ONE_OUT = `e2e-walk-one-out-${run}`;

/** kafka-python against the broker, as the walkthrough's sender and reader. */
function tool(...args) {
  return execFileSync(python, [path.join(repo, 'tests/kafka/kafka_tool.py'), ...args], {
    env: { ...process.env, KAFKA_BOOTSTRAP: bootstrap },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

/** A window result as a comparable row: averages to 9 decimals, as tests/common/kinesis.rs does. */
const toRow = (r) => ({ status: r.status, num: r.num, avg: r.avg_current_temperature.toFixed(9), hop: String(r.hop_time).replace(' ', 'T') });
const key = (r) => [r.status, r.num, r.avg, r.hop].join('|');
const windowOf = (r) => `${r.status}|${r.hop}`;

function rowsFromTopic(topic) {
  const out = tool('read', topic).trim();
  return out === '' ? [] : out.split('\n').map((l) => toRow(JSON.parse(l)));
}

/** The walkthrough's steps 2, 4 and 5 with Kafka's options for Kinesis's, reading the backlog. */
const kafka = (text, stream, topic) => {
  for (const from of ["'connector' = 'kinesis'", `'stream' = '${stream}'`]) {
    if (!text.includes(from)) throw new Error(`the walkthrough no longer holds ${from}`);
  }
  return text
    .replace('PARTITIONED BY (sensor_id)\n', '')
    .replace("'connector' = 'kinesis'", "'connector' = 'kafka'")
    .replace(`'stream' = '${stream}'`, `'topic' = '${topic}', 'properties.bootstrap.servers' = '${bootstrap}'`)
    .replace("'aws.region' = 'us-east-1',", '')
    .replaceAll("'scan.stream.initpos' = 'LATEST'", "'scan.startup.mode' = 'earliest-offset'");
};
const createInput = kafka(WALKTHROUGH[0], 'my-input-stream', INPUT);
const createOutput = (topic) => kafka(WALKTHROUGH[3], 'my-output-stream', topic);
const INSERT = WALKTHROUGH[4];
const COUNT = `%flink.ssql(type=single)
SELECT COUNT(*) AS records FROM sensor_data;`;

/** What `sluice run` computes for the walkthrough's query over the file. */
function rowsFromFile() {
  return walkthroughRowsFromFile(sluice, 'sluice-e2e-kafka-').map(toRow);
}

/** `sluice run` of the same INSERT on the same topic, natively (its own Kafka client). */
function rowsFromNativeRun() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sluice-e2e-kafka-native-'));
  const note = path.join(dir, 'walk.sql');
  // A note: each `%flink.ssql` line begins a paragraph, run as the studio runs it.
  writeFileSync(note, [createInput, createOutput(NATIVE_OUT), INSERT].join('\n\n') + '\n');
  const out = execFileSync(sluice, ['run', '--exit-when-idle', '6', '--kafka', 'tables', note], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return { rows: rowsFromTopic(NATIVE_OUT), stdout: out };
}

/** Each window once, every window of the file there counting at least the file's records. */
function checkAgainstFile(rows, file, who) {
  const windows = rows.map(windowOf);
  check(new Set(windows).size === windows.length, `${who}: a window written twice`);
  const byWindow = new Map(rows.map((r) => [windowOf(r), r]));
  const missing = file.filter((f) => !byWindow.has(windowOf(f)));
  check(missing.length === 0, `${who}: windows of the file missing: ${JSON.stringify(missing.slice(0, 5))}`);
  const fewer = file.filter((f) => byWindow.get(windowOf(f)).num < f.num);
  check(fewer.length === 0, `${who}: windows counting fewer records than the file: ${JSON.stringify(fewer.slice(0, 5))}`);
  return rows.filter((r) => file.some((f) => key(f) === key(r))).length;
}

const { page, test, paragraphs, statusOf, runNote, finish } = await remotePage('sluice-e2e-kafka-profile-');

async function jobCounts() {
  const texts = await page.locator('[data-testid=jobs] [data-job] [data-testid=job-counts]').allInnerTexts();
  return texts.map((t) => t.split('·').map((part) => Number(part.replace(/[^\d]/g, ''))));
}

const file = rowsFromFile();
check(file.length === EXPECTED_ROWS, `sluice run computes ${file.length} rows from the file`);
tool('create', INPUT, '4');
tool('create', NATIVE_OUT, '2');
tool('create', PAGE_OUT, '2');
tool('put', INPUT, RECORDS, '--flush-record');
tool('create', ONE_IN, '1');
tool('create', ONE_OUT, '1');
tool('put', ONE_IN, RECORDS, '--flush-record');
const native = rowsFromNativeRun();

await test('natively: sluice run of the walkthrough INSERT on the 4-partition topic writes every window of the file', 'kafka-native.png', async () => {
  const same = checkAgainstFile(native.rows, file, 'sluice run');
  console.log(`# sluice run: ${native.rows.length} rows, ${same} equal to the file's`);
});

await test('proxy mode: the walkthrough INSERT in the page reads and writes real topics through sluice proxy', 'kafka-proxy.png', async () => {
  const response = await page.goto(proxyUrl, { waitUntil: 'load', timeout: 30_000 });
  check(response && response.ok(), `GET ${proxyUrl} answered ${response?.status()}`);
  await paragraphs().first().waitFor({ timeout: 30_000 });
  const panel = page.locator('[data-testid=kafka-access]');
  await panel.locator('[data-testid=kafka-mode]').selectOption('proxy');
  await panel.locator('[data-testid=kafka-proxy-url]').fill(proxyUrl);
  await panel.locator('[data-testid=kafka-apply]').click();
  check(!(await panel.locator('[data-testid=kafka-error]').count()), 'the Kafka setting was refused');
  const status = await panel.locator('[data-testid=kafka-status]').innerText();
  check(status.includes(`real topics through sluice proxy at ${proxyUrl}`), `the status reads ${status}`);

  await runNote([createInput, createOutput(PAGE_OUT), INSERT, COUNT]);
  // Every record read once: the INSERT job and the COUNT(*) both see all of them.
  await until(async () => (await jobCounts()).length === 2 && (await jobCounts()).every(([records]) => records === RECORDS_IN), {
    timeout: 120_000,
    every: 500,
    what: async () => `both jobs to read ${RECORDS_IN} records (in, out, late per job: ${JSON.stringify(await jobCounts())})`,
  });
  await singleValueShows(page, RECORDS_IN);
  const messages = await page.locator('[data-testid=kinesis-messages]').innerText();
  check(messages.includes(`kafka: reading \`${INPUT}\`: 4 partitions from earliest-offset through ${proxyUrl}`), `the Streams panel does not say reading began: ${messages}`);

  // The page's rows, once the INSERT's last windows have been written and the count holds still.
  let last = -1;
  const rows = await until(async () => {
    const got = rowsFromTopic(PAGE_OUT);
    const settled = got.length >= EXPECTED_ROWS && got.length === last;
    last = got.length;
    return settled ? got : null;
  }, { timeout: 60_000, every: 2_000, what: `the rows in ${PAGE_OUT} to settle (${last} so far)` });
  const same = checkAgainstFile(rows, file, 'the page');
  const nativeKeys = new Set(native.rows.map(key));
  const asNative = rows.filter((r) => nativeKeys.has(key(r))).length;
  console.log(`# the page: ${rows.length} rows, ${same} equal to the file's, ${asNative} of sluice run's ${native.rows.length} rows`);
  // Both read the same backlog: any window one has and the other lacks holds only records the
  // file drops as late, and a window both have counts at least what the file counts.
  const fileWindows = new Set(file.map(windowOf));
  const nativeWindows = new Set(native.rows.map(windowOf));
  const onlyOne = rows.filter((r) => !nativeWindows.has(windowOf(r))).concat(native.rows.filter((r) => !rows.some((p) => windowOf(p) === windowOf(r))));
  check(onlyOne.every((r) => !fileWindows.has(windowOf(r))), `a window of the file only one run wrote: ${JSON.stringify(onlyOne.slice(0, 5))}`);

  // The proxy logged one line per request, each naming the route and the topic; the table's
  // 'properties.*' never reached it (the proxy's own broker setting was used).
  const log = readFileSync(proxyLog, 'utf8').split('\n');
  check(log.some((l) => l.includes(`POST kafka fetch ${INPUT} -> 200`)), 'no fetch of the input in the proxy log');
  check(log.some((l) => l.includes(`POST kafka produce ${PAGE_OUT} -> 200`)), 'no produce to the output in the proxy log');
});

// On one partition there is one watermark, as on a Kinesis stream: the page's rows are exactly the
// file's (the Kinesis variant's), which the 4-partition runs above cannot promise. The tables get
// their own names: the session keeps the first test's.
await test('proxy mode: on a one-partition topic the walkthrough INSERT in the page writes exactly the file\'s rows', 'kafka-one-partition.png', async () => {
  const own = (text) => text.replaceAll('sensor_data', 'sensor_one').replaceAll('sensor_state', 'sensor_one_state');
  const before = (await jobCounts()).length;
  await runNote([own(kafka(WALKTHROUGH[0], 'my-input-stream', ONE_IN)), own(createOutput(ONE_OUT)), own(INSERT)]);
  await until(async () => (await jobCounts()).slice(before).some(([records]) => records === 10_001), {
    timeout: 120_000,
    every: 500,
    what: async () => `the INSERT job to read the file's 10,000 records and the flush record (in, out, late per job: ${JSON.stringify(await jobCounts())})`,
  });
  const messages = await page.locator('[data-testid=kinesis-messages]').innerText();
  check(messages.includes(`kafka: reading \`${ONE_IN}\`: 1 partitions from earliest-offset through ${proxyUrl}`), `the Streams panel does not say reading began: ${messages}`);
  // The flush record, a day later, may close windows of its own: only the data's are compared.
  const lastHop = file.map((r) => r.hop).sort().at(-1);
  let last = -1;
  const rows = await until(async () => {
    const got = rowsFromTopic(ONE_OUT).filter((r) => r.hop <= lastHop);
    const settled = got.length >= EXPECTED_ROWS && got.length === last;
    last = got.length;
    return settled ? got : null;
  }, { timeout: 60_000, every: 2_000, what: `the rows in ${ONE_OUT} to settle (${last} so far)` });
  const sorted = (rs) => rs.map(key).sort();
  const [got, want] = [sorted(rows), sorted(file)];
  const extra = got.filter((k) => !want.includes(k));
  const missing = want.filter((k) => !got.includes(k));
  check(extra.length === 0 && missing.length === 0 && got.length === want.length,
    `the page's ${got.length} rows are not the file's ${want.length}: extra ${JSON.stringify(extra.slice(0, 3))}, missing ${JSON.stringify(missing.slice(0, 3))}`);
});

await finish();

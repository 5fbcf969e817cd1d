// File benchmarks in the page (issue 17; they print figures and check nothing but that the rows
// agree): in ONE page of headless Chromium,
//   1. Sluice: a JSON-lines file handed to the page as a person does (the Files panel's file
//      input), Q1 run over it; the time from the hand-over to the job done;
//   2. DuckDB-WASM (npm @duckdb/duckdb-wasm, loaded into the same page from the same server):
//      the same File registered, the same windows as one SQL query with Flink's late drops spelled
//      out (scripts/bench_peers.py's `duckdb` query); the time from the file's bytes to the rows;
//      the rows checked against Sluice's (downloaded as JSON from the result, every row);
//   3. in a fresh tab, while Sluice reads and queries a bigger file: the page's frame times
//      (requestAnimationFrame deltas) and its long tasks (PerformanceObserver 'longtask').
//
//   node tests/e2e/file_bench.mjs URL FILE [BIG_FILE]
//
// URL serves the built page at / and tests/e2e/node_modules at /node_modules/ (serve.mjs's
// second root); FILE and BIG_FILE are `sluice gen` output (about 100 bytes a record; bench.sh
// makes 50 MB and 100 MB ones). Part 3 is traced (CDP Tracing, the Performance panel's record):
// for each main-thread task over 50 ms it says how much of it the thread ran and how much it
// waited for a core, which on a loaded machine is most of it; TRACE=FILE keeps the trace.
// PAGE_QUERY=... is added to the page's address: `decode-workers=0` reads files on the
// session's thread alone (as before the page's decode workers), for a before/after in one build.
import { chromium } from 'playwright-core';
import { CHROMIUM } from './harness.mjs';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const [url, file, bigFile] = process.argv.slice(2);
if (!url || !file) {
  console.error('usage: node tests/e2e/file_bench.mjs URL FILE [BIG_FILE]');
  process.exit(2);
}
const base = url.endsWith('/') ? url : `${url}/`;
const duckdbPackage = JSON.parse(readFileSync(new URL('./node_modules/@duckdb/duckdb-wasm/package.json', import.meta.url), 'utf8')).version;
const mb = (f) => (statSync(f).size / 1e6).toFixed(0);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function until(fn, what, timeout = 300_000, every = 20) {
  const end = Date.now() + timeout;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await sleep(every);
  }
}

// Q1 as the walkthrough's paragraph, over a file the Files panel holds under its name.
const sluiceQ1 = (name) => `%flink.ssql(type=append)
CREATE TABLE sensor_data (sensor_id INTEGER, current_temperature DOUBLE, status VARCHAR(6), event_time TIMESTAMP(3),
  WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND)
  WITH ('connector' = 'filesystem', 'path' = '${name}', 'format' = 'json', 'json.timestamp-format.standard' = 'ISO-8601');
SELECT status, COUNT(*) AS num, AVG(current_temperature) AS avg_current_temperature,
  HOP_ROWTIME(event_time, INTERVAL '10' second, INTERVAL '1' minute) AS hop_time
FROM sensor_data GROUP BY HOP(event_time, INTERVAL '10' second, INTERVAL '1' minute), status`;

// scripts/bench_peers.py's Q1_DUCKDB, but reading the lines with read_csv and taking each field
// out with regexp_extract: DuckDB-WASM's read_json is its JSON extension, which it fetches from
// the network (offline here it fails), and its own JSON inserter reads arrays, not JSON lines.
const field = (key, quoted) => `regexp_extract(line, '"${key}" *: *${quoted ? '"([^"]*)"' : '([^,} ]*)'}', 1)`;
const DUCKDB_Q1 = readFileSync(path.join(import.meta.dirname, '../../scripts/q1_duckdb.sql'), 'utf8').replace('{records}', `
  SELECT ${field('status', true)} AS status, CAST(${field('current_temperature', false)} AS DOUBLE) AS t,
         epoch_ms(CAST(${field('event_time', true)} AS TIMESTAMP)) AS ms, ordinality AS i
    FROM read_csv('input.jsonl', columns = {'line': 'VARCHAR'}, delim = '\\x01', quote = '', escape = '', header = false)
         WITH ORDINALITY`);

const profile = mkdtempSync(path.join(os.tmpdir(), 'sluice-file-bench-'));
const context = await chromium.launchPersistentContext(profile, {
  ...CHROMIUM,
  acceptDownloads: true,
  viewport: { width: 1400, height: 1000 },
});
// Every page records its long tasks (with what attribution Chromium gives) from its first script.
await context.addInitScript(() => {
  window.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const a = e.attribution?.[0];
      window.__longTasks.push({ start: e.startTime, duration: e.duration, name: e.name, container: a ? `${a.containerType} ${a.containerSrc || a.containerName || ''}`.trim() : '' });
    }
  }).observe({ type: 'longtask', buffered: true });
});

const paragraph = (pg) => pg.locator('[data-testid=paragraph]').first();
/** A fresh tab with a new empty note open, its one paragraph holding Q1 over `name`. */
async function tabWithQ1(name) {
  const pg = await context.newPage();
  pg.setDefaultTimeout(60_000);
  pg.on('pageerror', (e) => console.error(`# page error: ${e.message}`));
  await pg.goto(process.env.PAGE_QUERY ? `${base}?${process.env.PAGE_QUERY}` : base, { waitUntil: 'load' });
  const items = pg.locator('[data-testid=notes] [data-testid=note-item]');
  await until(async () => (await items.count()) > 0, 'the notes list', 60_000, 100);
  const before = await items.count();
  await pg.locator('[data-testid=new-note]').click();
  await until(async () => (await items.count()) === before + 1 && (await pg.locator('[data-testid=paragraph]').count()) === 1, 'the new note', 60_000, 100);
  await paragraph(pg).locator('textarea[data-testid=editor]').fill(sluiceQ1(name));
  const engine = await pg.locator('[data-testid=clock]').getAttribute('data-engine');
  return { pg, engine };
}
/** Hands `file` to the page's Files panel and runs the paragraph; resolves once the job is done,
 * with the seconds from the hand-over to the file listed, to "done" shown and to the last change
 * of the row count shown (each as the first frame that showed it). */
async function handOverAndRun(pg, f) {
  const name = path.basename(f);
  await pg.evaluate((name) => {
    const p = document.querySelector('[data-testid=paragraph]');
    const seen = (window.__seen = { start: performance.now(), listed: null, done: null, rows: null, rowText: '' });
    const look = (t) => {
      if (seen.listed === null && document.querySelector(`[data-testid=data-file][data-name="${name}"]`)) seen.listed = t;
      if (seen.done === null && /done/i.test(p.querySelector('[data-testid=status]')?.textContent ?? '')) seen.done = t;
      const rowText = p.querySelector('[data-testid=row-count]')?.textContent ?? '';
      if (rowText !== seen.rowText) [seen.rowText, seen.rows] = [rowText, t];
      if (!seen.stop) requestAnimationFrame(look);
    };
    requestAnimationFrame(look);
  }, name);
  await pg.locator('[data-testid=data-file-input]').setInputFiles(f);
  await until(async () => (await pg.locator(`[data-testid=data-file][data-name="${name}"]`).count()) === 1, `${name} in the Files panel`);
  await paragraph(pg).locator('textarea[data-testid=editor]').press('Shift+Enter');
  await until(async () => {
    const status = (await paragraph(pg).locator('[data-testid=status]').first().innerText()).trim();
    if (/failed/i.test(status)) throw new Error(`Q1 failed: ${await paragraph(pg).locator('[data-testid=error]').first().innerText()}`);
    return /done/i.test(status);
  }, 'Q1 over the file to end');
  // A guard: the rows shown must not change after "done" (a job's end redraws at once); if they do,
  // the time counts to their last change.
  await sleep(1000);
  const seen = await pg.evaluate(() => {
    window.__seen.stop = true;
    return window.__seen;
  });
  const at = (t) => (t - seen.start) / 1000;
  return { read: at(seen.listed), done: at(seen.done), rows: at(seen.rows), total: Math.max(at(seen.done), at(seen.rows)), rowText: seen.rowText.trim() };
}

/** Rows as [status, num, avg, hop time as ISO text to the millisecond], sorted by time, status. */
const sorted = (rows) => rows.sort((a, b) => (a[3] < b[3] ? -1 : a[3] > b[3] ? 1 : a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
function compare(mine, theirs) {
  if (mine.length !== theirs.length) return `DIFFERENT: ${mine.length} rows against ${theirs.length}`;
  for (let i = 0; i < mine.length; i++) {
    const [a, b] = [mine[i], theirs[i]];
    const same = a[0] === b[0] && a[1] === b[1] && a[3] === b[3] && Math.abs(a[2] - b[2]) <= 1e-9 * Math.max(1, Math.abs(a[2]));
    if (!same) return `DIFFERENT: first difference ${JSON.stringify(a)} against ${JSON.stringify(b)}`;
  }
  return `${mine.length} rows, same as sluice`;
}

// ---------------------------------------------------------------------------------------------
// 1. Sluice, Q1 over FILE.
const { pg: page, engine } = await tabWithQ1(path.basename(file));
const sluice = await handOverAndRun(page, file);
console.log(
  `wasm-file sluice in Chromium (engine in a ${engine}), Q1 over a ${mb(file)} MB file: ${sluice.total.toFixed(2)} s ` +
    `from the hand-over to the last row shown and the job done (file listed at ${sluice.read.toFixed(2)} s, "done" at ` +
    `${sluice.done.toFixed(2)} s, the row count last changed at ${sluice.rows.toFixed(2)} s: ${sluice.rowText})`,
);
// Every row, as the result's JSON download gives them.
const [download] = await Promise.all([page.waitForEvent('download'), paragraph(page).locator('[data-testid=download-json]').click()]);
const sluiceRows = sorted(
  JSON.parse(readFileSync(await download.path(), 'utf8')).map((r) => [r.status, r.num, r.avg_current_temperature, String(r.hop_time).replace(' ', 'T').slice(0, 23)]),
);

// 2. DuckDB-WASM in the same page, over the same file. Its modules import apache-arrow (and that
// tslib and flatbuffers) by bare name: an import map added now maps them to node_modules.
const modules = `${base}node_modules/`;
const duck = await page.evaluate(async (modules) => {
  const map = document.createElement('script');
  map.type = 'importmap';
  map.textContent = JSON.stringify({
    imports: {
      'apache-arrow': `${modules}apache-arrow/Arrow.dom.mjs`,
      tslib: `${modules}tslib/tslib.es6.mjs`,
      flatbuffers: `${modules}flatbuffers/mjs/flatbuffers.js`,
    },
  });
  document.head.append(map);
  const dist = `${modules}@duckdb/duckdb-wasm/dist/`;
  const duckdb = await import(`${dist}duckdb-browser.mjs`);
  const failures = [];
  // The eh bundle (wasm exceptions) first; Debian's Chromium has refused it, then the mvp one.
  for (const bundle of ['eh', 'mvp']) {
    const worker = new Worker(`${dist}duckdb-browser-${bundle}.worker.js`);
    const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
    const t0 = performance.now();
    try {
      await db.instantiate(`${dist}duckdb-${bundle}.wasm`);
      const conn = await db.connect();
      await conn.query('SELECT 1');
      window.__duck = { duckdb, db, conn };
      return { bundle, version: await db.getVersion(), start: (performance.now() - t0) / 1000, failures };
    } catch (e) {
      failures.push(`${bundle}: ${e.message ?? e}`);
      await db.terminate().catch(() => {});
    }
  }
  throw new Error(`DuckDB-WASM did not start: ${failures.join('; ')}`);
}, modules);
if (duck.failures.length) console.log(`#         (duckdb-wasm: ${duck.failures.join('; ')})`);
// The same file as a File in the page: an input of the bench's own, set as the Files panel's was.
await page.evaluate(() => {
  const input = document.createElement('input');
  input.type = 'file';
  input.id = 'duckdb-file';
  input.style.display = 'none';
  document.body.append(input);
});
await page.locator('#duckdb-file').setInputFiles(file);
const peer = await page.evaluate(async (sql) => {
  const { duckdb, db, conn } = window.__duck;
  const f = document.getElementById('duckdb-file').files[0];
  const t0 = performance.now();
  await db.registerFileHandle('input.jsonl', f, duckdb.DuckDBDataProtocol.BROWSER_FILEREADER, true);
  const table = await conn.query(sql);
  const rows = table.toArray().map((r) => [r.status, Number(r.num), r.avg_t, new Date(Number(r.hop_ms)).toISOString().slice(0, 23)]);
  const done = performance.now();
  return { rows, total: (done - t0) / 1000 };
}, DUCKDB_Q1);
console.log(
  `wasm-file duckdb-wasm ${duckdbPackage} (DuckDB ${duck.version}, ${duck.bundle} bundle), same page, same file: ${peer.total.toFixed(2)} s ` +
    `from the file to the rows, ${(peer.total / sluice.total).toFixed(1)}× sluice's (${compare(sluiceRows, sorted(peer.rows))}; ` +
    `its start ${duck.start.toFixed(2)} s not counted)`,
);
await page.close();

// 3. Frames and long tasks while Sluice reads and queries BIG_FILE, in a fresh tab.
if (bigFile) {
  const { pg } = await tabWithQ1(path.basename(bigFile));
  await sleep(1000); // the page settled after its load
  const cdp = await context.newCDPSession(pg);
  await startTrace(cdp);
  const since = await pg.evaluate(() => {
    window.__frames = [];
    window.__framesOn = true;
    let last = performance.now();
    const step = (t) => {
      window.__frames.push([t, t - last]);
      last = t;
      if (window.__framesOn) requestAnimationFrame(step);
    };
    requestAnimationFrame(step);
    return performance.now();
  });
  const run = await handOverAndRun(pg, bigFile);
  // Frames and tasks from the hand-over to the last row shown (handOverAndRun waited a second
  // more, so a long task has been reported by now).
  const { frames, tasks } = await pg.evaluate(
    ([since, end]) => {
      window.__framesOn = false;
      return { frames: window.__frames.filter(([t]) => t <= end).map(([, d]) => d), tasks: window.__longTasks.filter((t) => t.start >= since && t.start <= end) };
    },
    [since, since + run.total * 1000],
  );
  const traced = mainThreadTasks(await stopTrace(cdp, process.env.TRACE));
  frames.sort((a, b) => a - b);
  const pct = (p) => frames[Math.min(frames.length - 1, Math.floor((p / 100) * frames.length))];
  console.log(
    `page     frames while a ${mb(bigFile)} MB file is read and queried (${run.total.toFixed(1)} s): p50 ${pct(50).toFixed(1)} ms, ` +
      `p95 ${pct(95).toFixed(1)} ms, max ${frames[frames.length - 1].toFixed(1)} ms over ${frames.length} frames`,
  );
  const longest = tasks.reduce((m, t) => (t.duration > m.duration ? t : m), { duration: 0 });
  console.log(
    `page     long tasks > 50 ms on the main thread meanwhile (PerformanceObserver): ${tasks.length}` +
      (tasks.length ? ` (longest ${longest.duration.toFixed(0)} ms; ${tasks.map((t) => `${t.duration.toFixed(0)} ms at ${((t.start - since) / 1000).toFixed(1)} s`).join(', ')})` : ''),
  );
  const over = traced.tasks.filter((t) => t.wall > 50);
  const busiest = traced.tasks.reduce((m, t) => (t.cpu > m.cpu ? t : m), { cpu: 0, wall: 0 });
  console.log(
    `page     the same in Chrome's trace: ${over.length} task(s) over 50 ms` +
      (over.length
        ? ` (longest ${Math.max(...over.map((t) => t.wall)).toFixed(0)} ms; each ran at most ${Math.max(...over.map((t) => t.cpu)).toFixed(0)} ms of it, ` +
          `${over.reduce((n, t) => n + t.cpu, 0).toFixed(0)} of their ${over.reduce((n, t) => n + t.wall, 0).toFixed(0)} ms in all: the rest the thread waited for a core)`
        : '') +
      `; the most CPU any one task used: ${busiest.cpu.toFixed(0)} ms (${busiest.wall.toFixed(0)} ms wall); the main thread ran ` +
      `${traced.cpu.toFixed(0)} ms in ${traced.tasks.length} tasks over ${traced.span.toFixed(0)} ms`,
  );
  await pg.close();
}
await context.close();
rmSync(profile, { recursive: true, force: true });

async function startTrace(cdp) {
  await cdp.send('Tracing.start', {
    transferMode: 'ReturnAsStream',
    traceConfig: { includedCategories: ['devtools.timeline', 'toplevel', '__metadata'] },
  });
}
async function stopTrace(cdp, out) {
  const done = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.end');
  const { stream } = await done;
  let text = '';
  for (;;) {
    const chunk = await cdp.send('IO.read', { handle: stream });
    text += chunk.base64Encoded ? Buffer.from(chunk.data, 'base64').toString() : chunk.data;
    if (chunk.eof) break;
  }
  await cdp.send('IO.close', { handle: stream });
  if (out) {
    writeFileSync(out, text);
    console.log(`#         (trace of part 3 in ${out})`);
  }
  const parsed = JSON.parse(text);
  return Array.isArray(parsed) ? parsed : parsed.traceEvents;
}
/** The page's main thread in a trace (the renderer main thread that ran the most): its tasks'
 * wall and CPU times in ms, the CPU they used in all and the span they cover. */
function mainThreadTasks(events) {
  const mains = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const byThread = new Map();
  for (const e of events) {
    if (e.ph !== 'X' || e.name !== 'ThreadControllerImpl::RunTask' || !mains.has(`${e.pid}:${e.tid}`)) continue;
    const key = `${e.pid}:${e.tid}`;
    if (!byThread.has(key)) byThread.set(key, []);
    byThread.get(key).push({ ts: e.ts, wall: (e.dur ?? 0) / 1000, cpu: (e.tdur ?? 0) / 1000 });
  }
  const sum = (tasks) => tasks.reduce((n, t) => n + t.cpu, 0);
  const tasks = [...byThread.values()].reduce((best, t) => (sum(t) > sum(best) ? t : best), []);
  const span = tasks.length ? (Math.max(...tasks.map((t) => t.ts + t.wall * 1000)) - Math.min(...tasks.map((t) => t.ts))) / 1000 : 0;
  return { tasks, cpu: sum(tasks), span };
}

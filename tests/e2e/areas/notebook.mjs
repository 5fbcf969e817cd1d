// End-to-end area `notebook`: the walkthrough in a blank note as a person would type it (steps
// 1–5), the editor, charts, single mode, late data, generator knobs, notes and paragraph actions,
// markdown, the changelog, import/export, reloads, run all and the dark theme.
// Each test starts from a fresh browser profile of its own and sets up what it needs (the harness's
// `freshSensors`, `freshTable`, `freshSteps`), so any one can fail, or run, alone: the area with
// `node tests/e2e/run.mjs URL notebook`, one test with SLUICE_E2E_ONLY=part-of-its-name.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  BAD,
  CREATE_TABLE,
  Failure,
  GROUP_BY,
  LOAD_TIMEOUT,
  MARKDOWN,
  SELECT_ALL,
  STEP_TIMEOUT,
  WALKTHROUGH,
  addParagraph,
  allStatuses,
  canvasFacts,
  check,
  closePage,
  columnNames,
  countsOf,
  currentNoteName,
  downloadOf,
  errorOf,
  freshBlankNote,
  freshSensors,
  freshSteps,
  freshTable,
  growth,
  here,
  inputStream,
  noteItems,
  noteNames,
  noteTexts,
  noticeText,
  numberIn,
  openNote,
  openPage,
  page,
  paragraph,
  paragraphs,
  resultOf,
  runInParagraph,
  shots,
  sleep,
  statusesBecome,
  statusOf,
  summary,
  test,
  textOf,
  total,
  until,
  url,
  waitForRows,
  waitForStatus,
} from '../harness.mjs';

export default async function () {
  await test('page loads and the note shows a paragraph', null, async () => {
    await openPage({ navigate: false });
    const response = await page.goto(url, { waitUntil: 'load', timeout: LOAD_TIMEOUT });
    check(response && response.ok(), `GET ${url} answered ${response?.status()}`);
    try {
      await page.locator('[data-testid=paragraph]').first().waitFor({ timeout: LOAD_TIMEOUT });
    } catch {
      throw new Failure(`no [data-testid=paragraph] within ${LOAD_TIMEOUT / 1000} s (the wasm app did not mount)`);
    }
    check(await page.locator('[data-testid=add-paragraph]').count() === 1, 'no single [data-testid=add-paragraph] button');
  });

  await test('first visit: the Sensors note is the walkthrough, one paragraph per step, not yet run', 'first-visit.png', async () => {
    await openPage();
    check((await currentNoteName()) === 'Sensors', `the open note is "${await currentNoteName()}", not "Sensors"`);
    check(JSON.stringify(await noteNames()) === JSON.stringify(['Sensors']), `the notes list reads ${JSON.stringify(await noteNames())}`);
    const texts = await noteTexts();
    check(texts.length === WALKTHROUGH.length, `the Sensors note has ${texts.length} paragraphs, expected ${WALKTHROUGH.length}`);
    texts.forEach((t, i) => check(t === WALKTHROUGH[i], `paragraph ${i + 1} reads ${JSON.stringify(t)}, expected ${JSON.stringify(WALKTHROUGH[i])}`));
    const statuses = await allStatuses();
    check(statuses.every((s) => s === 'ready'), `statuses are ${JSON.stringify(statuses)}, expected all "ready"`);
    check((await page.locator('[data-testid=result-table]').count()) === 0, 'a result table shows before anything ran');
    check((await page.locator('[data-testid=catalog] [data-table]').count()) === 0, 'the catalog has tables before anything ran');
  });

  await test('New makes a blank note with one empty paragraph, and opens it', null, async () => {
    await openPage();
    await page.locator('[data-testid=new-note]').click();
    await until(async () => (await noteItems().count()) === 2, { what: 'a second note in the list' });
    await until(async () => (await currentNoteName()) !== 'Sensors', { what: 'the new note to open' });
    const texts = await noteTexts();
    check(texts.length === 1 && texts[0] === '', `the new note's paragraphs read ${JSON.stringify(texts)}`);
    const current = await noteItems().evaluateAll((is) => is.map((i) => i.getAttribute('data-current')));
    check(JSON.stringify(current) === '["false","true"]', `data-current of the notes list is ${JSON.stringify(current)}`);
  });

  await test('step1: CREATE TABLE puts sensor_data with its columns and watermark in the catalog', 'step1.png', async () => {
    await freshBlankNote();
    await runInParagraph(0, CREATE_TABLE);
    await waitForStatus(0, /done/i, 'the CREATE TABLE paragraph to be done');
    const error = await errorOf(0);
    check(error === null, `CREATE TABLE shows an error: ${error}`);
    const table = page.locator('[data-testid=catalog] [data-table=sensor_data]');
    await until(async () => (await table.count()) === 1, { what: 'sensor_data in [data-testid=catalog]' });
    const columns = await table.locator('[data-testid=column]').evaluateAll((els) =>
      els.map((e) => [e.getAttribute('data-name'), e.getAttribute('data-type')]),
    );
    const expected = [
      ['sensor_id', 'INT'],
      ['current_temperature', 'DOUBLE'],
      ['status', 'VARCHAR(6)'],
      ['event_time', 'TIMESTAMP(3) *ROWTIME*'],
    ];
    check(JSON.stringify(columns) === JSON.stringify(expected), `catalog columns are ${JSON.stringify(columns)}, expected ${JSON.stringify(expected)}`);
    const watermark = table.locator('[data-testid=watermark]');
    check((await watermark.count()) === 1, 'sensor_data has no [data-testid=watermark]');
    const text = await watermark.innerText();
    check(text.includes("event_time - INTERVAL '5' SECOND"), `watermark reads "${text}"`);
  });

  await test('step2: my-input-stream is local and generator-fed; the generator stops, restarts and speeds up', 'step2.png', async () => {
    await freshTable();
    await until(async () => (await inputStream().count()) === 1, { what: 'my-input-stream in [data-testid=streams]' });
    const kind = await inputStream().locator('[data-testid=stream-kind]').innerText();
    check(/local/i.test(kind), `stream-kind reads "${kind}"`);
    const toggle = inputStream().locator('[data-testid=generator-toggle]');
    check((await toggle.count()) === 1, 'my-input-stream has no [data-testid=generator-toggle] (not generator-fed?)');
    check(/stop generator/i.test(await toggle.innerText()), `the toggle of a running generator reads "${await toggle.innerText()}"`);

    const running = await growth(1500);
    check(running > 0, `the record count did not grow in 1.5 s with the generator running (+${running})`);

    await toggle.click();
    await until(async () => /start generator/i.test(await toggle.innerText()), { what: 'the toggle to read "Start generator"' });
    await sleep(700); // let a panel refresh that was already under way land
    const stopped = await growth(1500);
    check(stopped === 0, `the record count grew by ${stopped} in 1.5 s with the generator stopped`);

    await toggle.click();
    await until(async () => /stop generator/i.test(await toggle.innerText()), { what: 'the toggle to read "Stop generator" again' });
    const restarted = await growth(1500);
    check(restarted > 0, `the record count did not grow in 1.5 s after restarting the generator (+${restarted})`);

    const rate = inputStream().locator('input[data-testid=generator-rate]');
    await rate.fill('50');
    await rate.dispatchEvent('change');
    await sleep(300);
    check((await rate.inputValue()) === '50', `the rate input reads "${await rate.inputValue()}" after setting 50`);
    const fast = await growth(2000);
    check(fast > 0, `the record count did not grow in 2 s at 50 rec/s (+${fast})`);
    console.log(`# records/s: running ${(running / 1.5).toFixed(1)}, restarted ${(restarted / 1.5).toFixed(1)}, at rate 50: ${(fast / 2).toFixed(1)}`);
  });

  await test('step3: SELECT * streams rows into the result table, and pause freezes them', 'step3.png', async () => {
    await freshTable();
    const selectAll = await addParagraph();
    await runInParagraph(selectAll, SELECT_ALL);
    await waitForStatus(selectAll, /running/i, 'the SELECT * paragraph to be running');
    const first = await waitForRows(selectAll, 'rows in the SELECT * result table');
    const names = columnNames(first);
    const expected = ['sensor_id', 'current_temperature', 'status', 'event_time'];
    check(JSON.stringify(names) === JSON.stringify(expected), `header columns are ${JSON.stringify(names)}`);
    for (const row of first.rows) check(row.length === 4, `a body row has ${row.length} cells: ${JSON.stringify(row)}`);

    // The table never holds more rows than the cap its row count shows.
    for (let k = 0; k < 2; k++) {
      const r = await resultOf(selectAll);
      check(r.rowCount !== null, 'no [data-testid=row-count]');
      const shown = (r.rowCount.match(/\d[\d,]*/g) ?? []).map(numberIn);
      check(shown.length > 0, `row-count reads "${r.rowCount}"`);
      check(r.rows.length <= Math.max(...shown), `${r.rows.length} body rows but row-count reads "${r.rowCount}"`);
      await sleep(1000);
    }

    const pause = paragraph(selectAll).locator('[data-testid=pause]');
    check(/pause/i.test(await pause.innerText()), `the pause button reads "${await pause.innerText()}"`);
    await pause.click();
    await until(async () => /resume/i.test(await pause.innerText()), { what: 'the pause button to read "Resume"' });
    await sleep(200);
    const rowsOf = async () => {
      const r = await resultOf(selectAll);
      return JSON.stringify(r && { headers: r.headers, rows: r.rows });
    };
    const frozen = await rowsOf();
    await sleep(1500);
    check((await rowsOf()) === frozen, 'the result table changed during 1.5 s of pause');

    await pause.click();
    await until(async () => /^\s*pause/i.test(await pause.innerText()), { what: 'the pause button to read "Pause" again' });
    await until(async () => (await rowsOf()) !== frozen, { timeout: 5000, what: 'the result table to change after resuming' });
  });

  await test('step4: GROUP BY status counts grow, and its bar chart is sharp and live', 'step4.png', async () => {
    await freshTable();
    const groupBy = await addParagraph();
    await runInParagraph(groupBy, GROUP_BY);
    await waitForStatus(groupBy, /running/i, 'the GROUP BY paragraph to be running');
    const first = await waitForRows(groupBy, 'rows in the GROUP BY result table');
    const names = columnNames(first);
    check(JSON.stringify(names) === JSON.stringify(['status', 'num', 'avg_current_temperature']), `header columns are ${JSON.stringify(names)}`);
    const before = await countsOf(groupBy);
    await sleep(2500);
    const after = await countsOf(groupBy);
    for (const counts of [before, after]) {
      const statuses = Object.keys(counts);
      check(statuses.length <= 3, `more than 3 rows: ${JSON.stringify(counts)}`);
      for (const s of statuses) check(['OK', 'WARNING', 'ERROR'].includes(s), `unexpected status "${s}" in ${JSON.stringify(counts)}`);
      for (const s of statuses) check(Number.isFinite(counts[s]) && counts[s] > 0, `num of ${s} is not a positive count: ${JSON.stringify(counts)}`);
    }
    check(total(after) > total(before), `num did not grow in 2.5 s: ${JSON.stringify(before)} then ${JSON.stringify(after)}`);
    for (const s of Object.keys(before)) {
      check((after[s] ?? 0) >= before[s], `num of ${s} went down: ${JSON.stringify(before)} then ${JSON.stringify(after)}`);
    }

    await paragraph(groupBy).locator('[data-testid=view-bar]').click();
    const canvas = paragraph(groupBy).locator('canvas[data-testid=bar-chart]');
    await canvas.waitFor({ state: 'visible' });
    // Pick the axes as a person would, when the chart offers the choice.
    const x = paragraph(groupBy).locator('[data-testid=chart-x]');
    const y = paragraph(groupBy).locator('[data-testid=chart-y]');
    if ((await x.count()) && (await y.count())) {
      const xs = await x.locator('option').evaluateAll((os) => os.map((o) => o.value));
      const ys = await y.locator('option').evaluateAll((os) => os.map((o) => o.value));
      check(xs.includes('status'), `chart-x offers ${JSON.stringify(xs)}, not status`);
      check(ys.includes('num'), `chart-y offers ${JSON.stringify(ys)}, not num`);
      await x.selectOption('status');
      await y.selectOption('num');
    }
    await sleep(500);
    const a = await canvasFacts(groupBy);
    check(a, 'no canvas[data-testid=bar-chart]');
    check(a.cssWidth > 0 && a.cssHeight > 0, `the canvas has no size on the page (${a.cssWidth}×${a.cssHeight} CSS px)`);
    check(a.dpr === 2, `devicePixelRatio is ${a.dpr}, expected 2`);
    check(Math.abs(a.width - a.cssWidth * a.dpr) <= 1 && Math.abs(a.height - a.cssHeight * a.dpr) <= 1,
      `canvas backing store is ${a.width}×${a.height} for a ${a.cssWidth}×${a.cssHeight} CSS px content box at devicePixelRatio ${a.dpr} (blurry: expected ${a.cssWidth * a.dpr}×${a.cssHeight * a.dpr})`);
    const threshold = Math.max(500, Math.round(a.width * a.height * 0.002));
    check(a.colored > threshold, `only ${a.colored} bar-colored pixels on the canvas (background #${a.background}; expected > ${threshold})`);
    await sleep(2000);
    const b = await canvasFacts(groupBy);
    check(b && b.hash !== a.hash, 'the bar chart did not change in 2 s while counts grow');
    console.log(`# canvas ${a.width}×${a.height} px for ${a.cssWidth}×${a.cssHeight} CSS px, ${a.colored} bar-colored pixels`);
  });

  await test('step5: an unknown column shows a located error and the note keeps running', 'step5.png', async () => {
    const { selectAll, groupBy } = await freshSteps();
    const bad = await addParagraph();
    await runInParagraph(bad, BAD);
    const error = paragraph(bad).locator('[data-testid=error]');
    try {
      await error.first().waitFor({ state: 'visible' });
    } catch {
      throw new Failure(`no visible [data-testid=error] under the paragraph (status "${await statusOf(bad)}")`);
    }
    const text = (await error.first().innerText()).trim();
    check(/\d+:\d+/.test(text), `the error has no line:column: "${text}"`);
    check(text.includes('nope'), `the error does not name \`nope\`: "${text}"`);
    check(/fail/i.test(await statusOf(bad)), `the failed paragraph's status reads "${await statusOf(bad)}"`);

    // The earlier paragraphs are untouched and still live.
    for (const i of [0, selectAll, groupBy]) {
      if (i < 0) continue;
      const e = await errorOf(i);
      check(e === null, `paragraph ${i + 1} now shows an error: ${e}`);
    }
    if (groupBy >= 0) {
      // Step 4 left it showing the bar chart; the counts are in the table view.
      await paragraph(groupBy).locator('[data-testid=view-table]').click();
      await waitForRows(groupBy, 'the GROUP BY table after switching back to the table view');
      const before = await countsOf(groupBy);
      await sleep(2000);
      const after = await countsOf(groupBy);
      check(total(after) > total(before), `the GROUP BY counts stopped growing after the error: ${JSON.stringify(before)} then ${JSON.stringify(after)}`);
    }
    const grew = await growth(1500);
    check(grew > 0, 'my-input-stream stopped growing after the error');
  });


  // ---------------------------------------------------------------------------------------------
  // The editor and the charts

  /** A fresh Sensors note with the GROUP BY of step 4 added and running, every status counted
   * (the charts' legends and tooltips name all three). Returns its paragraph index. */
  async function groupByRunning() {
    await freshSensors();
    const groupBy = await addParagraph();
    await runInParagraph(groupBy, GROUP_BY);
    await waitForStatus(groupBy, /running/i, 'the GROUP BY paragraph to be running');
    await until(async () => (await resultOf(groupBy))?.rows.length === 3, { timeout: 20_000, what: 'a GROUP BY row for each of the 3 statuses' });
    return groupBy;
  }

  /** Facts about paragraph `i`'s editor: the textarea and the highlighted copy under it. */
  async function editorFacts(i) {
    return paragraph(i).evaluate((p) => {
      const ta = p.querySelector('textarea[data-testid=editor]');
      const pre = p.querySelector('[data-testid=editor-highlight]');
      if (!ta || !pre) return null;
      const box = (e) => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.width, r.height].map(Math.round); };
      const style = (e) => { const s = getComputedStyle(e); return [s.fontFamily, s.fontSize, s.lineHeight, s.paddingTop, s.paddingLeft, s.borderTopWidth, s.borderLeftWidth, s.whiteSpace, s.overflowWrap, s.letterSpacing].join('|'); };
      const spans = (cls) => [...pre.querySelectorAll(`.${cls}`)].map((s) => s.textContent);
      return {
        taBox: box(ta), preBox: box(pre), taStyle: style(ta), preStyle: style(pre),
        taScroll: [ta.scrollHeight, ta.clientWidth, ta.scrollTop], preScroll: [pre.scrollHeight, pre.clientWidth, pre.scrollTop],
        text: pre.textContent, value: ta.value, taColor: getComputedStyle(ta).color,
        keyword: spans('tok-keyword'), func: spans('tok-function'), string: spans('tok-string'), number: spans('tok-number'),
        comment: spans('tok-comment'), interpreter: spans('tok-interpreter'), ident: spans('tok-ident'),
      };
    });
  }

  await test('editor: SQL is highlighted under the textarea, aligned as it wraps and scrolls', 'editor.png', async () => {
    await freshSensors();
    const i = await addParagraph();
    const long = 'x'.repeat(30) + ' + 1 '.repeat(60);
    const sql = `%flink.ssql(type=update)\n-- readings per status\nSELECT status, COUNT(*) AS num, ${long} AS wide\nFROM sensor_data\nWHERE current_temperature > 100.5 AND status <> 'OK'\nGROUP BY status`;
    const editor = paragraph(i).locator('textarea[data-testid=editor]');
    await editor.fill(sql);
    await editor.press('Escape');
    const f = await editorFacts(i);
    check(f, 'no [data-testid=editor-highlight] beside the textarea');
    check(f.text.replace(/\n$/, '') === sql, `the highlighted copy reads ${JSON.stringify(f.text)}, not the typed text`);
    check(JSON.stringify(f.interpreter) === JSON.stringify(['%flink.ssql(type=update)']), `interpreter spans: ${JSON.stringify(f.interpreter)}`);
    for (const k of ['SELECT', 'AS', 'FROM', 'WHERE', 'AND', 'GROUP', 'BY']) check(f.keyword.includes(k), `no keyword span for ${k}: ${JSON.stringify(f.keyword)}`);
    check(f.func.includes('COUNT'), `no function span for COUNT: ${JSON.stringify(f.func)}`);
    check(f.string.includes("'OK'"), `no string span for 'OK': ${JSON.stringify(f.string)}`);
    check(f.number.includes('100.5'), `no number span for 100.5: ${JSON.stringify(f.number)}`);
    check(f.comment.includes('-- readings per status'), `no comment span: ${JSON.stringify(f.comment)}`);
    check(f.ident.includes('status') && f.ident.includes('sensor_data'), `identifier spans: ${JSON.stringify(f.ident)}`);
    check(f.taColor === 'rgba(0, 0, 0, 0)', `the textarea's own text is ${f.taColor}, not transparent over the highlighting`);
    const aligned = (g, what) => {
      check(JSON.stringify(g.taBox) === JSON.stringify(g.preBox), `${what}: textarea box ${JSON.stringify(g.taBox)} vs highlight box ${JSON.stringify(g.preBox)}`);
      check(g.taStyle === g.preStyle, `${what}: text styles differ: ${g.taStyle} vs ${g.preStyle}`);
      // The same content height at the same width: both wrap the long line the same way.
      check(g.taScroll[1] === g.preScroll[1] && Math.abs(g.taScroll[0] - g.preScroll[0]) <= 1,
        `${what}: textarea scrollHeight/clientWidth ${g.taScroll.slice(0, 2)} vs highlight ${g.preScroll.slice(0, 2)}`);
      check(g.taScroll[2] === g.preScroll[2], `${what}: textarea scrolled to ${g.taScroll[2]} px, highlight to ${g.preScroll[2]} px`);
    };
    aligned(f, 'wrapped');
    check(f.taScroll[0] > 0 && f.preBox[3] > 0, 'the editor has no size');
    // Made short, it scrolls; the highlighting follows.
    await editor.evaluate((ta) => { ta.style.height = '70px'; ta.scrollTop = 45; });
    await until(async () => { const g = await editorFacts(i); return g.taScroll[2] > 0 && g.taScroll[2] === g.preScroll[2]; }, { what: 'the highlight to follow the textarea scroll' });
    aligned(await editorFacts(i), 'scrolled');
    await page.screenshot({ path: path.join(shots, 'editor-scrolled.png'), clip: await paragraph(i).boundingBox() });
    await editor.evaluate((ta) => { ta.style.height = ''; ta.scrollTop = 0; });
    // The dark theme colours the same spans and keeps them aligned. (Set on the page, not with
    // the toggle, which would remember the choice the dark-theme test starts without.)
    await page.evaluate(() => document.documentElement.setAttribute('data-theme', 'dark'));
    aligned(await editorFacts(i), 'dark theme');
    await page.screenshot({ path: path.join(shots, 'editor-dark.png'), clip: await paragraph(i).boundingBox() });
    await page.evaluate(() => document.documentElement.removeAttribute('data-theme'));
    await paragraph(i).locator('[data-testid=remove]').click();
  });

  await test('editor: completion offers catalog columns at the caret; arrows, Enter, Tab and Esc work', 'completion.png', async () => {
    await freshSensors();
    const i = await addParagraph();
    const editor = paragraph(i).locator('textarea[data-testid=editor]');
    const popup = paragraph(i).locator('[data-testid=completion]');
    const items = () => popup.locator('[data-testid=completion-item] .completion-text').allInnerTexts();
    // Built-in functions, with their call forms: the session's side lists them for the page.
    await editor.fill('%flink.ssql\nSELECT lpa');
    await editor.press('End');
    await editor.press('Control+Space');
    await popup.waitFor({ state: 'visible' });
    const lpad = await until(async () => ((await items()).includes('lpad') ? await popup.locator('[data-testid=completion-item]').first().innerText() : null), { what: 'LPAD among the completions for "lpa"' });
    check(lpad.includes('lpad') && lpad.includes('LPAD(string, length, pad)'), `the first completion for "lpa" is ${JSON.stringify(lpad)}`);
    await editor.press('Escape');
    await editor.fill('%flink.ssql\nSELECT ');
    await editor.press('End');
    await editor.pressSequentially('current_t');
    await popup.waitFor({ state: 'visible' });
    const offered = await items();
    check(offered[0] === 'current_temperature', `completion offers ${JSON.stringify(offered)} for "current_t"`);
    // At the caret: below the second line, to the right of "SELECT ".
    const [pb, tb] = [await popup.boundingBox(), await editor.boundingBox()];
    check(pb.y > tb.y + 20 && pb.y < tb.y + 80 && pb.x > tb.x + 40, `the popup sits at ${pb.x - tb.x},${pb.y - tb.y} in the editor`);
    await page.screenshot({ path: path.join(shots, 'completion-popup.png'), clip: { x: tb.x, y: tb.y, width: tb.width, height: tb.height + 200 } });
    await editor.press('ArrowDown');
    await editor.press('ArrowUp');
    await editor.press('Enter');
    await until(async () => (await popup.count()) === 0, { what: 'the popup to close after Enter' });
    check((await editor.inputValue()) === '%flink.ssql\nSELECT current_temperature', `after Enter the editor holds ${JSON.stringify(await editor.inputValue())}`);
    await editor.pressSequentially(', stat');
    await popup.waitFor({ state: 'visible' });
    await editor.press('Escape');
    await until(async () => (await popup.count()) === 0, { what: 'Esc to close the popup' });
    check((await editor.inputValue()).endsWith(', stat'), 'Esc changed the text');
    await editor.press('Control+Space');
    await popup.waitFor({ state: 'visible' });
    check((await items()).includes('status'), `Ctrl+Space offers ${JSON.stringify(await items())}`);
    await editor.press('Tab');
    await editor.pressSequentially(' FROM sens');
    await popup.waitFor({ state: 'visible' });
    check((await items())[0] === 'sensor_data', `after FROM the first choice is ${JSON.stringify(await items())}`);
    await editor.press('Tab');
    const text = await editor.inputValue();
    check(text === '%flink.ssql\nSELECT current_temperature, status FROM sensor_data', `the editor holds ${JSON.stringify(text)}`);
    // Shift+Enter still runs.
    await editor.press('Shift+Enter');
    await waitForStatus(i, /running/i, 'the completed query to run');
    await paragraph(i).locator('[data-testid=remove]').click();
  });

  await test('editor: an error is underlined at its line:column', 'error-mark.png', async () => {
    await freshSensors();
    const i = await addParagraph();
    await runInParagraph(i, '%flink.ssql\nSELECT status,\n    nope\nFROM sensor_data');
    await waitForStatus(i, /fail/i, 'the bad query to fail');
    const error = await errorOf(i);
    check(/^3:5:/.test(error ?? ''), `the error reads "${error}", expected it at 3:5`);
    const mark = paragraph(i).locator('[data-testid=error-mark]');
    await until(async () => (await mark.count()) === 1, { what: 'one [data-testid=error-mark] in the editor' });
    check((await mark.innerText()) === 'nope', `the underlined text is "${await mark.innerText()}"`);
    const where = await paragraph(i).evaluate((p) => {
      const pre = p.querySelector('[data-testid=editor-highlight]');
      const m = pre.querySelector('[data-testid=error-mark]');
      const s = getComputedStyle(pre);
      const line = parseFloat(s.lineHeight);
      const r = m.getBoundingClientRect();
      const top = pre.getBoundingClientRect().top + parseFloat(s.paddingTop) + parseFloat(s.borderTopWidth);
      const left = pre.getBoundingClientRect().left + parseFloat(s.paddingLeft) + parseFloat(s.borderLeftWidth);
      const ch = r.width / 4;
      return { row: (r.top - top) / line, column: (r.left - left) / ch, decoration: getComputedStyle(m).textDecorationLine };
    });
    check(Math.abs(where.row - 2) < 0.3, `the mark is on line ${where.row + 1}, not 3`);
    check(Math.abs(where.column - 4) < 0.3, `the mark starts at column ${where.column + 1}, not 5`);
    check(where.decoration.includes('underline'), `the mark is not underlined (${where.decoration})`);
    await paragraph(i).screenshot({ path: path.join(shots, 'error-underlined.png') });
    // Editing the text takes the stale mark away.
    await paragraph(i).locator('textarea[data-testid=editor]').press('End');
    await paragraph(i).locator('textarea[data-testid=editor]').pressSequentially(' ');
    await until(async () => (await mark.count()) === 0, { what: 'the mark to go once the text changes' });
    await paragraph(i).locator('[data-testid=remove]').click();
  });

  /** Moves the pointer over paragraph `i`'s chart canvas at the given CSS offsets until a tooltip shows. */
  async function tooltipAt(i, points) {
    const canvas = paragraph(i).locator('canvas[data-kind]');
    const tip = paragraph(i).locator('[data-testid=chart-tooltip]');
    for (const [x, y] of points) {
      await canvas.hover({ position: { x, y } });
      if ((await tip.count()) && (await tip.isVisible())) return (await tip.innerText()).trim();
    }
    return null;
  }

  async function chartFacts(i) {
    return paragraph(i).evaluate((p) => {
      const canvas = p.querySelector('canvas[data-kind]');
      if (!canvas) return null;
      const ctx = canvas.getContext('2d');
      const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
      let colored = 0;
      let hash = 2166136261;
      for (let k = 0; k < data.length; k += 4) {
        const [r, g, b] = [data[k], data[k + 1], data[k + 2]];
        hash = Math.imul(hash ^ r ^ (g << 8) ^ (b << 16), 16777619) >>> 0;
        if (Math.max(r, g, b) - Math.min(r, g, b) > 40) colored += 1;
      }
      return {
        kind: canvas.getAttribute('data-kind'), width: canvas.width, height: canvas.height, cssWidth: canvas.clientWidth, cssHeight: canvas.clientHeight, colored, hash,
        legend: [...p.querySelectorAll('[data-testid=legend-item]')].map((l) => l.getAttribute('data-label')),
      };
    });
  }

  await test('charts: a running GROUP BY switches to line, area, pie and scatter, with legend and tooltips', 'charts.png', async () => {
    const groupBy = await groupByRunning();
    const p = paragraph(groupBy);
    check(/running/i.test(await statusOf(groupBy)), `the GROUP BY paragraph is ${await statusOf(groupBy)}, not running`);
    const kinds = {};
    for (const kind of ['line', 'area', 'pie', 'scatter']) {
      await p.locator(`[data-testid=view-${kind}]`).click();
      await p.locator(`canvas[data-kind=${kind}]`).waitFor({ state: 'visible' });
      await p.locator('[data-testid=chart-x]').selectOption('status');
      await p.locator('[data-testid=chart-y]').selectOption('num');
      await p.locator('[data-testid=chart-aggregate]').selectOption('sum');
      // Line and area draw one series through the statuses; the pie has a slice per status, and
      // the scatter plot a series (a colour) per status.
      await p.locator('[data-testid=chart-group]').selectOption(kind === 'scatter' ? 'status' : '');
      await sleep(600);
      const f = await chartFacts(groupBy);
      check(f && f.kind === kind, `the ${kind} view shows ${JSON.stringify(f?.kind)}`);
      check(Math.abs(f.width - f.cssWidth * 2) <= 2, `the ${kind} chart is ${f.width} px wide for ${f.cssWidth} CSS px at devicePixelRatio 2`);
      // A scatter plot of three rows is three dots (radius 5 CSS px: about 300 pixels each at 2×).
      const threshold = kind === 'scatter' ? 600 : Math.max(300, Math.round(f.width * f.height * 0.0015));
      check(f.colored > threshold, `only ${f.colored} coloured pixels on the ${kind} chart (expected > ${threshold})`);
      const legend = ['line', 'area'].includes(kind) ? ['sum(num)'] : ['ERROR', 'OK', 'WARNING'];
      check(JSON.stringify(f.legend) === JSON.stringify(legend), `the ${kind} legend reads ${JSON.stringify(f.legend)}, expected ${JSON.stringify(legend)}`);
      kinds[kind] = f;
      await page.screenshot({ path: path.join(shots, `chart-${kind}.png`), clip: await p.boundingBox() });
    }
    // Hovering: a pie wedge under the pointer, a point within reach on the line chart.
    const pie = kinds.pie;
    await p.locator('[data-testid=view-pie]').click();
    await p.locator('canvas[data-kind=pie]').waitFor({ state: 'visible' });
    // The settings are the paragraph's, whatever the chart: the scatter plot's groups go.
    await p.locator('[data-testid=chart-group]').selectOption('');
    await sleep(300);
    const cx = pie.cssWidth / 2;
    const cy = 30 + (pie.cssHeight - 42) / 2;
    const pieTip = await tooltipAt(groupBy, [[cx + 30, cy - 30], [cx - 30, cy + 30], [cx - 30, cy - 30], [cx + 30, cy + 30]]);
    check(pieTip && /^(ERROR|OK|WARNING): \d+ \(\d+\.\d%\)$/.test(pieTip), `hovering the pie shows ${JSON.stringify(pieTip)}`);
    await p.locator('[data-testid=view-line]').click();
    await p.locator('canvas[data-kind=line]').waitFor({ state: 'visible' });
    await sleep(300);
    const line = kinds.line;
    const plotLeft = 12 + 56;
    const firstCenter = plotLeft + (line.cssWidth - 12 - plotLeft) / 6;
    const column = [];
    for (let y = 30; y < line.cssHeight - 30; y += 8) column.push([firstCenter, y]);
    const lineTip = await tooltipAt(groupBy, column);
    check(lineTip && /^ERROR: \d+$/.test(lineTip), `hovering the first point of the line chart shows ${JSON.stringify(lineTip)}`);
    await page.screenshot({ path: path.join(shots, 'chart-tooltip.png'), clip: await p.boundingBox() });
    // Live: the line chart redraws as counts grow.
    const a = await chartFacts(groupBy);
    await sleep(1500);
    const b = await chartFacts(groupBy);
    check(a.hash !== b.hash, 'the line chart did not change in 1.5 s while counts grow');
    // Back to one bar per status.
    await p.locator('[data-testid=chart-aggregate]').selectOption('avg');
    await p.locator('[data-testid=view-table]').click();
  });

  await test('charts: the chart downloads as a PNG', null, async () => {
    const groupBy = await groupByRunning();
    const p = paragraph(groupBy);
    await p.locator('[data-testid=view-bar]').click();
    await p.locator('canvas[data-testid=bar-chart]').waitFor({ state: 'visible' });
    await sleep(400);
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: STEP_TIMEOUT }), p.locator('[data-testid=download-png]').click()]);
    const bytes = readFileSync(await download.path());
    check(download.suggestedFilename().endsWith('.png'), `the download is named ${download.suggestedFilename()}`);
    check(bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])), 'the download does not start with the PNG signature');
    const width = bytes.readUInt32BE(16);
    const f = await chartFacts(groupBy);
    check(width === f.width, `the PNG is ${width} px wide, the canvas ${f.width}`);
    await p.locator('[data-testid=view-table]').click();
  });

  await test('single mode renders the template with the row, refreshInterval and parallelism are honoured', 'single.png', async () => {
    await freshSensors();
    const i = await addParagraph();
    await runInParagraph(i, `%flink.ssql(type=single, template=<h1 class="x">{0} readings</h1><small>max {1}</small><img src=x onerror="window.__pwned = 1">, refreshInterval=500, parallelism=2)
  SELECT COUNT(*) AS n, MAX(current_temperature) AS hottest FROM sensor_data`);
    await waitForStatus(i, /running/i, 'the single-value query to run');
    const single = paragraph(i).locator('[data-testid=single-value]');
    const h1 = single.locator('h1');
    await until(async () => (await h1.count()) === 1 && /^\d+ readings$/.test((await h1.innerText()).trim()), { what: 'the template\'s <h1> with the count' });
    const first = numberIn(await h1.innerText());
    check(/^max \d+(\.\d+)?$/.test((await single.locator('small').innerText()).trim()), `the template's <small> reads "${await single.locator('small').innerText()}"`);
    check((await single.locator('img').count()) === 0, 'the template\'s <img> became an element');
    check((await h1.getAttribute('class')) === null, 'the template kept an attribute');
    check(await page.evaluate(() => window.__pwned === undefined), 'the template ran script');
    await until(async () => numberIn(await h1.innerText()) > first, { what: 'the count to move on at the refresh interval' });
    const line = await paragraph(i).locator('.job-line').innerText();
    check(/parallelism 2/.test(line), `the job line reads "${line}", without its parallelism`);
    await paragraph(i).screenshot({ path: path.join(shots, 'single-template.png') });
    await paragraph(i).locator('[data-testid=remove]').click();
  });

  await test('late data: a job counts the records it dropped and shows which they were', 'late.png', async () => {
    await freshSensors();
    // A watermark ahead of event time makes every next reading late for its 1-second window.
    const ddl = await addParagraph();
    await runInParagraph(ddl, `%flink.ssql
  CREATE TABLE eager (sensor_id INT, status STRING, event_time TIMESTAMP(3),
    WATERMARK FOR event_time AS event_time + INTERVAL '5' SECOND)
  WITH ('connector' = 'kinesis', 'stream' = 'my-input-stream', 'format' = 'json', 'json.timestamp-format.standard' = 'ISO-8601')`);
    await waitForStatus(ddl, /done/i, 'CREATE TABLE eager');
    const q = await addParagraph();
    await runInParagraph(q, `%flink.ssql(type=update)
  SELECT window_start, COUNT(*) AS n FROM TABLE(TUMBLE(TABLE eager, DESCRIPTOR(event_time), INTERVAL '1' SECOND)) GROUP BY window_start, window_end`);
    await waitForStatus(q, /running/i, 'the window query');
    const job = page.locator('[data-testid=jobs] [data-job]').last();
    const toggle = job.locator('[data-testid=late-toggle]');
    await until(async () => (await toggle.count()) > 0, { what: 'the job to report late records' });
    const stats = await job.locator('[data-testid=job-counts]').innerText();
    check(numberIn(stats.split('·')[2] ?? '') > 0, `the job's late count reads "${stats}"`);
    const live = await job.locator('[data-testid=job-live]').innerText();
    check(/\/s in · .*\/s out · state [\d,]+ rows · up \d+s · watermark/.test(live), `the job's live line reads "${live}"`);
    await toggle.click();
    const items = job.locator('[data-testid=late-records] li');
    await until(async () => (await items.count()) > 0, { what: 'the list of late records' });
    const first = await items.first().innerText();
    check(/behind watermark/.test(first) && /\d{4}-\d\d-\d\dT/.test(first), `a late record reads "${first}"`);
    await job.locator('[data-testid=late-toggle]').click();
    await until(async () => (await job.locator('[data-testid=late-records]').count()) === 0, { what: 'the late list to close' });
    await paragraph(q).locator('[data-testid=stop]').click();
  });

  await test("generator knobs make late readings the walkthrough's window drops; print sinks show their lines", 'knobs.png', async () => {
    await freshSensors();
    const stream = page.locator('[data-testid=streams] [data-stream=my-input-stream]');
    const late = stream.locator('input[data-testid=generator-late]');
    await late.fill('30');
    await late.dispatchEvent('change');
    const q = await addParagraph();
    await runInParagraph(q, `%flink.ssql(type=update)
  SELECT window_start, COUNT(*) AS n FROM TABLE(TUMBLE(TABLE sensor_data, DESCRIPTOR(event_time), INTERVAL '1' SECOND)) GROUP BY window_start, window_end`);
    await waitForStatus(q, /running/i, 'the window query over sensor_data');
    const job = page.locator('[data-testid=jobs] [data-job]').last();
    await until(async () => numberIn(((await job.locator('[data-testid=job-counts]').innerText()).split('·')[2]) ?? '') > 0, {
      timeout: 20_000,
      what: 'late readings dropped by the 5 s watermark',
    });
    await paragraph(q).locator('[data-testid=stop]').click();
    await late.fill('0');
    await late.dispatchEvent('change');

    const sink = await addParagraph();
    await runInParagraph(sink, `%flink.ssql
  CREATE TABLE printed_counts (status VARCHAR(6), num BIGINT) WITH ('connector' = 'print')`);
    await waitForStatus(sink, /done/i, 'CREATE TABLE printed_counts');
    const insert = await addParagraph();
    await runInParagraph(insert, 'INSERT INTO printed_counts SELECT status, COUNT(*) FROM sensor_data GROUP BY status');
    const printed = page.locator('[data-testid=printed] pre');
    await until(async () => (await printed.count()) > 0 && /[+-][IU]\[(OK|WARNING|ERROR), \d+\]/.test(await printed.innerText()), {
      what: 'print lines like +I[OK, 3] in the Printed panel',
    });
    await paragraph(insert).locator('[data-testid=stop]').click();
  });

  // ---------------------------------------------------------------------------------------------
  // Notes, paragraph actions and results (in a note steps 2–4 ran in)

  await test('notes: rename, duplicate (text, no results), switch and delete', 'notes.png', async () => {
    const { groupBy } = await freshSteps();
    const name = page.locator('[data-testid=note-name]');
    await name.fill('Scratch');
    await name.press('Enter');
    await until(async () => (await noteNames()).includes('Scratch'), { what: 'the list to show the renamed note' });
    const texts = await noteTexts();

    await page.locator('[data-testid=note-item][data-current=true] [data-testid=note-duplicate]').click();
    await until(async () => (await currentNoteName()) === 'Scratch (copy)', { what: 'the copy to open' });
    check(JSON.stringify(await noteTexts()) === JSON.stringify(texts), 'the copy does not have the same paragraph texts');
    const statuses = await allStatuses();
    check(statuses.every((s) => s === 'ready'), `the copy's statuses are ${JSON.stringify(statuses)}`);
    check((await page.locator('[data-testid=result-table]').count()) === 0, 'the copy shows results');
    check(JSON.stringify(await noteNames()) === JSON.stringify(['Sensors', 'Scratch', 'Scratch (copy)']), `notes: ${JSON.stringify(await noteNames())}`);

    await openNote('Sensors');
    check((await noteTexts())[0] === WALKTHROUGH[0], 'switching to Sensors does not show its paragraphs');
    await openNote('Scratch (copy)');
    const item = page.locator('[data-testid=note-item][data-current=true]');
    await item.locator('[data-testid=note-delete]').click();
    await item.locator('[data-testid=note-delete-cancel]').click();
    check((await noteItems().count()) === 3, 'Keep deleted the note');
    await item.locator('[data-testid=note-delete]').click();
    await item.locator('[data-testid=note-delete-confirm]').click();
    await until(async () => (await noteItems().count()) === 2, { what: 'the note to be deleted' });
    check(JSON.stringify(await noteNames()) === JSON.stringify(['Sensors', 'Scratch']), `notes after delete: ${JSON.stringify(await noteNames())}`);
    await openNote('Scratch');
    // The steps' jobs kept running while other notes were open.
    await waitForStatus(groupBy, /running/i, 'the GROUP BY paragraph to still be running');
  });

  await test('paragraph actions: move up and down, collapse, stop, clear output', 'actions.png', async () => {
    const { selectAll } = await freshSteps();
    const n = await paragraphs().count();
    const last = await textOf(n - 1);
    const before = await textOf(n - 2);
    await paragraph(n - 1).locator('[data-testid=move-up]').click();
    await until(async () => (await textOf(n - 2)) === last && (await textOf(n - 1)) === before, { what: 'the last paragraph to move up' });
    await paragraph(n - 2).locator('[data-testid=move-down]').click();
    await until(async () => (await textOf(n - 1)) === last, { what: 'it to move back down' });
    await paragraph(0).locator('[data-testid=move-up]').click(); // the top stays the top
    check((await textOf(0)).startsWith('%flink.ssql\nCREATE TABLE'), 'moving the first paragraph up changed the order');

    const p = paragraph(selectAll);
    await p.locator('[data-testid=collapse]').click();
    await until(async () => (await p.locator('[data-testid=editor]').count()) === 0, { what: 'the editor to hide' });
    check((await p.locator('[data-testid=result-table]').count()) === 0, 'a collapsed paragraph still shows its result');
    const summary = (await p.locator('[data-testid=summary]').innerText()).trim();
    check(summary === 'SELECT * FROM sensor_data;', `the collapsed paragraph's summary reads "${summary}"`);
    await p.locator('[data-testid=collapse]').click();
    await p.locator('[data-testid=editor]').waitFor();
    await waitForRows(selectAll, 'the result after expanding');

    await p.locator('[data-testid=stop]').click();
    await waitForStatus(selectAll, /stopped/i, 'the SELECT * paragraph to stop');
    await sleep(600);
    const frozen = JSON.stringify((await resultOf(selectAll)).rows);
    await sleep(1200);
    check(JSON.stringify((await resultOf(selectAll)).rows) === frozen, 'the result still changes after Stop');
    await p.locator('[data-testid=clear-output]').click();
    await until(async () => (await resultOf(selectAll)) === null, { what: 'the result to clear' });
    check(/ready/i.test(await statusOf(selectAll)), `after clearing, the status reads "${await statusOf(selectAll)}"`);
  });

  await test('%md paragraphs render headings, lists, bold, italic, links and code, escaping HTML', 'markdown.png', async () => {
    await openPage();
    const i = await addParagraph();
    await runInParagraph(i, MARKDOWN);
    const md = paragraph(i).locator('[data-testid=markdown]');
    await md.waitFor();
    const facts = await md.evaluate((m) => ({
      h1: m.querySelector('h1')?.textContent,
      strong: m.querySelector('strong')?.textContent,
      em: m.querySelector('em')?.textContent,
      items: [...m.querySelectorAll('ul > li')].map((li) => li.textContent),
      code: m.querySelector('code')?.textContent,
      href: m.querySelector('a')?.getAttribute('href'),
      rel: m.querySelector('a')?.getAttribute('rel'),
      injected: m.querySelectorAll('img, script').length,
      text: m.textContent,
    }));
    check(facts.h1 === 'Sensor notes', `h1 reads ${JSON.stringify(facts.h1)}`);
    check(facts.strong === 'my-input-stream' && facts.em === 'second', `bold/italic read ${JSON.stringify([facts.strong, facts.em])}`);
    check(JSON.stringify(facts.items) === JSON.stringify(['sensor_data holds COUNT(*) rows', 'code stays code']), `list items read ${JSON.stringify(facts.items)}`);
    check(facts.code === 'code', `code reads ${JSON.stringify(facts.code)}`);
    check(facts.href === 'https://flink.apache.org/' && /noopener/.test(facts.rel ?? ''), `the link is ${facts.href} (rel ${facts.rel})`);
    check(facts.injected === 0 && facts.text.includes('<img src=x'), 'HTML in the markdown was not escaped');
    check(!(await page.evaluate(() => window.__pwned)), 'markdown ran a script');
    check(/done/i.test(await statusOf(i)), `the markdown paragraph's status reads "${await statusOf(i)}"`);
    await paragraph(i).locator('[data-testid=collapse]').click();
    await until(async () => (await paragraph(i).locator('[data-testid=editor]').count()) === 0, { what: 'the markdown editor to hide' });
    check((await paragraph(i).locator('[data-testid=markdown]').count()) === 1, 'a collapsed markdown paragraph hides its text');
  });

  await test('results: changelog view with +I/-U/+U, counters, CSV and JSON downloads', 'changelog.png', async () => {
    const { groupBy } = await freshSteps();
    const p = paragraph(groupBy);
    await p.locator('[data-testid=view-changelog]').click();
    const log = p.locator('table[data-testid=changelog]');
    await log.waitFor();
    const ops = await until(async () => {
      const o = await log.locator('tbody tr').evaluateAll((rs) => rs.map((r) => r.getAttribute('data-op')));
      return o.includes('-U') && o.includes('+U') ? o : null;
    }, { what: '-U and +U in the changelog' });
    check(ops.every((o) => ['+I', '-U', '+U', '-D'].includes(o)), `changelog ops: ${JSON.stringify(ops.slice(0, 10))}`);
    check(ops.length <= 100, `the changelog shows ${ops.length} entries`);
    const head = await log.locator('thead th').evaluateAll((ths) => ths.map((t) => t.getAttribute('data-column') ?? t.textContent.trim()));
    check(JSON.stringify(head) === JSON.stringify(['op', 'status', 'num', 'avg_current_temperature']), `changelog header: ${JSON.stringify(head)}`);

    const counts = (await p.locator('[data-testid=change-counts]').innerText()).replace(/,/g, '');
    const m = counts.match(/(\d+) changes? · \+I (\d+) · -U (\d+) · \+U (\d+) · -D (\d+)/);
    check(m, `change-counts reads "${counts}"`);
    const [total, ins, ub, ua, del] = m.slice(1).map(Number);
    check(total === ins + ub + ua + del && ub === ua && ins >= 1 && ins <= 3, `inconsistent counts: "${counts}"`);

    await p.locator('[data-testid=pause]').click(); // a still result to compare with
    await p.locator('[data-testid=view-table]').click();
    const table = await waitForRows(groupBy, 'the GROUP BY table');
    const csv = await downloadOf(p.locator('[data-testid=download-csv]'));
    check(/\.csv$/.test(csv.name), `the CSV file is named ${csv.name}`);
    const lines = csv.text.trim().split(/\r\n/);
    check(lines[0] === 'status,num,avg_current_temperature', `the CSV header is ${JSON.stringify(lines[0])}`);
    check(lines.length - 1 === table.rows.length, `the CSV has ${lines.length - 1} rows, the table ${table.rows.length}`);
    check(JSON.stringify(lines.slice(1).map((l) => l.split(',').slice(0, 2))) === JSON.stringify(table.rows.map((r) => r.slice(0, 2))), `CSV rows ${JSON.stringify(lines.slice(1))} differ from the table ${JSON.stringify(table.rows)}`);
    const json = await downloadOf(p.locator('[data-testid=download-json]'));
    let rows;
    try { rows = JSON.parse(json.text); } catch (e) { throw new Failure(`the JSON download does not parse: ${e.message}`); }
    check(Array.isArray(rows) && rows.length === table.rows.length, `the JSON holds ${rows?.length} rows, the table ${table.rows.length}`);
    check(JSON.stringify(Object.keys(rows[0])) === JSON.stringify(['status', 'num', 'avg_current_temperature']), `JSON keys: ${JSON.stringify(Object.keys(rows[0]))}`);
    check(typeof rows[0].num === 'number' && typeof rows[0].status === 'string', `JSON types: ${JSON.stringify(rows[0])}`);
    await p.locator('[data-testid=pause]').click();
  });

  // ---------------------------------------------------------------------------------------------
  // Files

  await test('export .zpln then import it gives the same note; .sql too', 'import.png', async () => {
    await openPage();
    await openNote('Sensors');
    const notes = await noteItems().count();
    const texts = await noteTexts();
    // A view setting to carry along.
    await paragraph(1).locator('[data-testid=collapse]').click();
    const zpln = await downloadOf(page.locator('[data-testid=export-zpln]'));
    check(zpln.name === 'Sensors.zpln', `the export is named ${zpln.name}`);
    let note;
    try { note = JSON.parse(zpln.text); } catch (e) { throw new Failure(`the .zpln does not parse: ${e.message}`); }
    check(note.name === 'Sensors', `name is ${JSON.stringify(note.name)}`);
    check(note.config && typeof note.config === 'object' && note.info && typeof note.info === 'object', 'no config/info objects');
    check(Array.isArray(note.paragraphs) && note.paragraphs.length === WALKTHROUGH.length, 'paragraphs is not the walkthrough list');
    note.paragraphs.forEach((p, i) => {
      check(p.text === WALKTHROUGH[i], `paragraphs[${i}].text differs: ${JSON.stringify(p.text)}`);
      check(typeof p.id === 'string' && p.id && p.config && typeof p.config === 'object', `paragraphs[${i}] lacks id or config`);
    });

    await page.locator('[data-testid=import-file]').setInputFiles({ name: zpln.name, mimeType: 'application/json', buffer: Buffer.from(zpln.text) });
    await until(async () => (await noteItems().count()) === notes + 1, { what: 'the imported note in the list' });
    check((await currentNoteName()) === 'Sensors', `the imported note is named "${await currentNoteName()}"`);
    // Paragraph 2 came back collapsed, so compare texts with it expanded.
    check((await paragraph(1).locator('[data-testid=editor]').count()) === 0, 'the collapsed paragraph came back expanded');
    await paragraph(1).locator('[data-testid=collapse]').click();
    check(JSON.stringify(await noteTexts()) === JSON.stringify(texts), `imported texts differ: ${JSON.stringify(await noteTexts())}`);
    check(/Imported/.test((await noticeText()) ?? ''), `the notice reads ${JSON.stringify(await noticeText())}`);

    const sql = await downloadOf(page.locator('[data-testid=export-sql]'));
    check(sql.name === 'Sensors.sql', `the script is named ${sql.name}`);
    check(sql.text.includes('SELECT * FROM sensor_data;\n'), 'the script lacks the SELECT paragraph');
    // For Flink: the walkthrough's narrowing INSERT gets its explicit CAST.
    check(sql.text.includes('CAST(COUNT(*) AS INT) AS num'), 'the script does not CAST COUNT(*) for the INT sink column');
    await page.locator('[data-testid=import-file]').setInputFiles({ name: 'Sensors-script.sql', mimeType: 'text/plain', buffer: Buffer.from(sql.text) });
    await until(async () => (await noteItems().count()) === notes + 2, { what: 'the imported script in the list' });
    check((await currentNoteName()) === 'Sensors', `the script came back named "${await currentNoteName()}"`);
    const norm = (ts) => JSON.stringify(ts.map((t) => t.trimEnd().replace(/;$/, '')));
    const expected = texts.map((t, i) => (i === 4 ? t.replace('COUNT(*) AS num', 'CAST(COUNT(*) AS INT) AS num') : t));
    check(norm(await noteTexts()) === norm(expected), `the script came back as ${JSON.stringify(await noteTexts())}`);
  });

  await test('bad import files say what is wrong and change nothing', null, async () => {
    await openPage();
    const before = await noteNames();
    const cases = [
      ['broken.zpln', '{"name": "x", paragraphs', /broken\.zpln is not JSON/],
      ['other.json', '{"cells": []}', /other\.json is not a Zeppelin note: it has no "paragraphs" list/],
      ['list.zpln', '[1, 2]', /not a Zeppelin note/],
      ['empty.sql', '-- nothing here\n', /empty\.sql holds no SQL statement/],
    ];
    for (const [name, text, re] of cases) {
      await page.locator('[data-testid=import-file]').setInputFiles({ name, mimeType: 'application/octet-stream', buffer: Buffer.from(text) });
      await until(async () => re.test((await noticeText()) ?? ''), { what: `the notice for ${name} (reads ${JSON.stringify(await noticeText())})` });
    }
    check(JSON.stringify(await noteNames()) === JSON.stringify(before), `bad imports changed the notes: ${JSON.stringify(await noteNames())}`);
    await page.locator('[data-testid=notice-dismiss]').click();
  });

  // ---------------------------------------------------------------------------------------------
  // Reloads

  /** A fresh profile whose second note, "Scratch", holds steps 2–4 (the GROUP BY's chart set to
   * status/num as step 4 sets it, then back in the table view) and a collapsed markdown
   * paragraph. Returns the paragraph indices. */
  async function scratchNote() {
    const steps = await freshSteps();
    const name = page.locator('[data-testid=note-name]');
    await name.fill('Scratch');
    await name.press('Enter');
    await until(async () => (await noteNames()).includes('Scratch'), { what: 'the list to show the renamed note' });
    const p = paragraph(steps.groupBy);
    await p.locator('[data-testid=view-bar]').click();
    await p.locator('canvas[data-testid=bar-chart]').waitFor({ state: 'visible' });
    await p.locator('[data-testid=chart-x]').selectOption('status');
    await p.locator('[data-testid=chart-y]').selectOption('num');
    await p.locator('[data-testid=view-table]').click();
    const md = await addParagraph();
    await runInParagraph(md, MARKDOWN);
    await paragraph(md).locator('[data-testid=markdown]').waitFor();
    await paragraph(md).locator('[data-testid=collapse]').click();
    await until(async () => (await paragraph(md).locator('[data-testid=editor]').count()) === 0, { what: 'the markdown editor to hide' });
    return steps;
  }

  await test('reload: notes, texts and view settings come back; jobs do not', 'reload.png', async () => {
    const { groupBy } = await scratchNote();
    await openNote('Scratch');
    const texts = await noteTexts();
    const names = await noteNames();
    await paragraph(groupBy).locator('[data-testid=view-bar]').click();
    await sleep(300); // autosave runs after the change settles
    await page.reload({ waitUntil: 'load' });
    await page.locator('[data-testid=paragraph]').first().waitFor({ timeout: LOAD_TIMEOUT });
    check(JSON.stringify(await noteNames()) === JSON.stringify(names), `notes after reload: ${JSON.stringify(await noteNames())}`);
    check((await currentNoteName()) === 'Scratch', `the open note after reload is "${await currentNoteName()}"`);
    const after = await noteTexts();
    // The markdown paragraph is collapsed (no editor), so compare the others.
    check(after.length === texts.length && after.every((t, i) => t === texts[i]), `texts after reload: ${JSON.stringify(after)}`);
    const statuses = await allStatuses();
    check(statuses.every((s) => s === 'ready'), `statuses after reload: ${JSON.stringify(statuses)}`);
    check((await page.locator('[data-testid=jobs] [data-job]').count()) === 0, 'jobs came back after the reload');
    check((await page.locator('[data-testid=markdown]').count()) === 1, 'the markdown paragraph does not render after reload');
    // The paragraph remembers its bar chart view: run the table it needs and its query.
    await paragraph(0).locator('[data-testid=run]').click();
    await waitForStatus(0, /done/i, 'CREATE TABLE after reload');
    await paragraph(groupBy).locator('[data-testid=run]').click();
    await paragraph(groupBy).locator('canvas[data-testid=bar-chart]').waitFor();
    const x = await paragraph(groupBy).locator('[data-testid=chart-x]').inputValue();
    const y = await paragraph(groupBy).locator('[data-testid=chart-y]').inputValue();
    check(x === 'status' && y === 'num', `the chart's columns after reload are ${x}/${y}, expected status/num`);
  });

  await test('unreadable saved notes give a clear message and a fresh start', null, async () => {
    await openPage();
    const broken = '{"version": 1, "current": 0, "notes": [{"name": 5}]}';
    await page.evaluate((b) => localStorage.setItem('sluice.notebook', b), broken);
    await page.reload({ waitUntil: 'load' });
    await page.locator('[data-testid=paragraph]').first().waitFor({ timeout: LOAD_TIMEOUT });
    const notice = (await noticeText()) ?? '';
    check(/could not be read/.test(notice) && /sluice\.notebook\.unreadable/.test(notice), `the notice reads ${JSON.stringify(notice)}`);
    check(JSON.stringify(await noteNames()) === '["Sensors"]', `notes after a bad load: ${JSON.stringify(await noteNames())}`);
    check((await page.evaluate(() => localStorage.getItem('sluice.notebook.unreadable'))) === broken, 'the unreadable text was not kept aside');
    for (const bad of ['{not json', '[]', '{"version": 99}']) {
      await page.evaluate((b) => localStorage.setItem('sluice.notebook', b), bad);
      await page.reload({ waitUntil: 'load' });
      await page.locator('[data-testid=paragraph]').first().waitFor({ timeout: LOAD_TIMEOUT });
      check(/could not be read/.test((await noticeText()) ?? ''), `no notice for saved text ${bad}`);
    }
  });

  await test('run all runs the walkthrough top to bottom; stop all cancels its jobs', 'run-all.png', async () => {
    await openPage();
    check((await currentNoteName()) === 'Sensors', 'the Sensors note is not open');
    await page.locator('[data-testid=run-all]').click();
    await waitForStatus(1, /running/i, 'SELECT * to run');
    await statusesBecome(['done', 'running', 'running', 'done', 'running'], 'after run all');
    for (const t of ['sensor_data', 'sensor_state']) {
      await until(async () => (await page.locator(`[data-testid=catalog] [data-table=${t}]`).count()) === 1, { what: `${t} in the catalog` });
    }
    const warnings = await paragraph(4).locator('[data-testid=message]').allInnerTexts();
    check(warnings.some((w) => /warning/.test(w) && /`num`/.test(w)), `the INSERT INTO shows no warning naming num: ${JSON.stringify(warnings)}`);
    await waitForRows(1, 'rows in the SELECT * result');
    await page.locator('[data-testid=stop-all]').click();
    await until(async () => (await allStatuses()).filter((s) => s === 'running').length === 0, { what: 'every job to stop' });
    await statusesBecome(['done', 'stopped', 'stopped', 'done', 'stopped'], 'after stop all');
  });

  await test('dark theme follows the system until toggled, is remembered, and fits 1280×800', 'dark.png', async () => {
    await openPage();
    await page.setViewportSize({ width: 1280, height: 800 });
    const background = () => page.evaluate(() => {
      const [r, g, b] = getComputedStyle(document.documentElement).backgroundColor.match(/\d+/g).map(Number);
      return (r + g + b) / 3;
    });
    await page.emulateMedia({ colorScheme: 'dark' });
    check((await background()) < 60, `with a dark system the page background is ${await background()} bright`);
    await page.emulateMedia({ colorScheme: 'light' });
    check((await background()) > 200, `with a light system the page background is ${await background()} bright`);
    await page.locator('[data-testid=theme-toggle]').click();
    await until(async () => (await background()) < 60, { what: 'the toggle to turn the page dark' });
    await page.reload({ waitUntil: 'load' });
    await page.locator('[data-testid=paragraph]').first().waitFor({ timeout: LOAD_TIMEOUT });
    check((await background()) < 60, 'the dark choice was not remembered over a reload');
    // Something to look at: the walkthrough running, its bar chart in dark colours.
    await page.locator('[data-testid=run-all]').click();
    await waitForRows(1, 'rows in the SELECT * result');
    await paragraph(1).locator('[data-testid=view-bar]').click();
    await paragraph(1).locator('[data-testid=chart-x]').selectOption('status');
    await sleep(800);
    const c = await canvasFacts(1);
    check(c && c.colored > 500, `the dark bar chart shows ${c?.colored} bar-colored pixels`);
    const bg = parseInt(c.background.slice(0, 2), 16);
    check(bg < 80, `the dark chart's background is #${c.background}`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    check(overflow <= 0, `the page is ${overflow} px wider than a 1280 px window`);
    await page.screenshot({ path: path.join(shots, 'dark-1280.png') });
    await page.locator('[data-testid=theme-toggle]').click();
    await until(async () => (await background()) > 200, { what: 'the toggle to turn the page light again' });
    await page.screenshot({ path: path.join(shots, 'light-1280.png') });
  });
  await closePage();
}

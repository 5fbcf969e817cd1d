// End-to-end area `functions`: built-in functions over live and nested data in the page (issue 15):
// JSON_VALUE over the generator's records read as raw text, live; ARRAY, MAP and ROW columns read
// from JSON records, filtered on CARDINALITY and flattened with CROSS JOIN UNNEST.
// Starts from a fresh browser profile; run alone with `node tests/e2e/run.mjs URL functions`.
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

/** Runs `sql` in a new paragraph and waits for `status`; returns the paragraph's index. */
async function run(sql, status, what) {
  const i = await addParagraph();
  await runInParagraph(i, sql);
  await waitForStatus(i, status, what);
  return i;
}

export default async function () {
  await openPage({ navigate: true });

  await test('JSON_VALUE over the generator\'s records, read as raw text, shows its values live', 'functions-json-value.png', async () => {
    await openNote('Sensors');
    // The walkthrough's table starts the generator on its stream; a second table reads the same
    // records as text, the way a payload column arrives.
    await paragraph(0).locator('[data-testid=run]').click();
    await waitForStatus(0, /done/i, 'CREATE TABLE sensor_data');
    await run(
      "%flink.ssql\nCREATE TABLE raw_readings (payload STRING) WITH ('connector' = 'kinesis', 'stream' = 'my-input-stream', 'aws.region' = 'us-east-1', 'scan.stream.initpos' = 'LATEST', 'format' = 'raw')",
      /done/i,
      'CREATE TABLE raw_readings',
    );
    const query = await run(
      "%flink.ssql(type=append)\nSELECT JSON_VALUE(payload, '$.status') AS status,\n       JSON_VALUE(payload, '$.current_temperature' RETURNING DOUBLE) AS temperature,\n       JSON_EXISTS(payload, '$.sensor_id') AS has_id\nFROM raw_readings",
      /running/i,
      'the JSON_VALUE query to run',
    );
    await until(async () => (await resultOf(query))?.rows.length >= 5, { timeout: 30_000, what: 'five rows of JSON_VALUE' });
    const first = (await resultOf(query)).rows.length;
    const result = await until(async () => {
      const r = await resultOf(query);
      return r?.rows.length > first ? r : null;
    }, { timeout: 30_000, what: 'more rows as the generator goes on' });
    const columns = result.headers.map((h) => h.column).join(',');
    check(columns === 'status,temperature,has_id', `the columns are ${columns}`);
    for (const [status, temperature, hasId] of result.rows) {
      check(/^(OK|WARNING|ERROR)$/.test(status), `JSON_VALUE gave the status ${JSON.stringify(status)}`);
      check(Number.isFinite(shownNumber(temperature)), `JSON_VALUE … RETURNING DOUBLE gave ${JSON.stringify(temperature)}`);
      check(/^true$/i.test(hasId), `JSON_EXISTS gave ${JSON.stringify(hasId)}`);
    }
    await paragraph(query).locator('[data-testid=stop]').click();
  });

  await test('ARRAY, MAP and ROW columns read from JSON: a CARDINALITY filter and CROSS JOIN UNNEST', 'functions-nested.png', async () => {
    await run(
      "%flink.ssql\nCREATE TABLE things_raw (line STRING) WITH ('connector' = 'kinesis', 'stream' = 'things', 'format' = 'raw')",
      /done/i,
      'CREATE TABLE things_raw',
    );
    await run(
      "%flink.ssql\nCREATE TABLE things (id INT, tags ARRAY<STRING>, attrs MAP<STRING, STRING>, loc ROW<lat DOUBLE, lon DOUBLE>)\nWITH ('connector' = 'kinesis', 'stream' = 'things', 'format' = 'json', 'scan.stream.initpos' = 'TRIM_HORIZON')",
      /done/i,
      'CREATE TABLE things',
    );
    const records = [
      '{"id": 1, "tags": ["hot", "roof"], "attrs": {"room": "attic"}, "loc": {"lat": 47.6, "lon": -122.3}}',
      '{"id": 2, "tags": ["cold"], "attrs": {"room": "cellar"}, "loc": {"lat": 40.7, "lon": -74.0}}',
      '{"id": 3, "tags": ["wet", "cold", "dark"], "attrs": {"room": "cellar", "floor": "-1"}, "loc": {"lat": 51.5, "lon": -0.1}}',
    ];
    await run(`%flink.ssql\nINSERT INTO things_raw VALUES ${records.map((r) => `('${r}')`).join(', ')}`, /done|running/i, 'the INSERT of three records');
    const query = await run(
      "%flink.ssql(type=append)\nSELECT id, tag, attrs['room'] AS room, loc.lat AS lat, CARDINALITY(tags) AS n\nFROM things CROSS JOIN UNNEST(tags) AS t (tag)\nWHERE CARDINALITY(tags) >= 2",
      /running/i,
      'the UNNEST query to run',
    );
    // Records 1 and 3 pass the filter: 2 + 3 tags.
    const result = await until(async () => {
      const r = await resultOf(query);
      return r?.rows.length >= 5 ? r : null;
    }, { timeout: 30_000, what: 'the five unnested rows' });
    const got = result.rows.map((r) => r.join('|')).sort();
    const want = ['1|hot|attic|47.6|2', '1|roof|attic|47.6|2', '3|wet|cellar|51.5|3', '3|cold|cellar|51.5|3', '3|dark|cellar|51.5|3'].sort();
    check(JSON.stringify(got) === JSON.stringify(want), `the rows are ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
    await paragraph(query).locator('[data-testid=stop]').click();
  });

  await closePage();
}

// End-to-end area `share`: Share links (read-only, Make a copy, a damaged link) and embed links.
// Starts from a fresh browser profile; run alone with `node tests/e2e/run.mjs URL share`.
import path from 'node:path';
import {
  LOAD_TIMEOUT,
  check,
  closePage,
  freshPage,
  noteTexts,
  numberIn,
  openNote,
  openPage,
  page,
  paragraph,
  paragraphs,
  shots,
  sleep,
  test,
  until,
  url,
} from '../harness.mjs';

export default async function () {
  await openPage({ navigate: true });
  await test('a shared link reopens the note read-only in a fresh profile; Make a copy keeps it', 'share.png', async () => {
    await openNote('Sensors');
    const texts = await noteTexts();
    await page.locator('[data-testid=share]').click();
    const link = await page.locator('[data-testid=share-link]').inputValue();
    check(link.startsWith(url.replace(/\/$/, '')) && /#share=[A-Za-z0-9_-]+$/.test(link), `the share link is ${link}`);
    const { pg, close } = await freshPage(link);
    try {
      await pg.locator('[data-testid=shared-banner]').waitFor({ timeout: LOAD_TIMEOUT });
      check((await pg.locator('[data-testid=shared-name]').innerText()).trim() === 'Sensors', 'the shared note has another name');
      const shown = await pg.locator('[data-testid=shared-paragraph]').allInnerTexts();
      check(shown.length === texts.length, `${shown.length} paragraphs shown of ${texts.length}`);
      check(shown.every((t, i) => t.trim() === texts[i].trim()), 'a shared paragraph reads differently');
      check((await pg.locator('textarea[data-testid=editor]').count()) === 0, 'the shared note can be edited');
      await pg.screenshot({ path: path.join(shots, 'shared-read-only.png'), fullPage: true });
      await pg.locator('[data-testid=make-copy]').click();
      await until(async () => (await pg.locator('[data-testid=note-name]').inputValue()) === 'Sensors' && (await pg.locator('[data-testid=shared-banner]').count()) === 0, { what: 'the copy to open' });
      const copied = await pg.locator('[data-testid=paragraph] textarea[data-testid=editor]').evaluateAll((es) => es.map((e) => e.value));
      check(JSON.stringify(copied) === JSON.stringify(texts), 'the copy has other texts');
      check(!pg.url().includes('#share='), `the address still holds the link: ${pg.url()}`);
      await sleep(400);
      await pg.reload({ waitUntil: 'load' });
      await pg.locator('[data-testid=paragraph]').first().waitFor({ timeout: LOAD_TIMEOUT });
      const names = await pg.locator('[data-testid=notes] [data-testid=note-link]').allInnerTexts();
      check(names.filter((n) => n.trim() === 'Sensors').length === 2, `after a reload the notes are ${JSON.stringify(names)}: the copy was not saved`);
      // A damaged link says so and leaves the notebook as it was.
      await pg.goto(`${link.slice(0, link.length - 12)}`, { waitUntil: 'load' });
      await pg.reload({ waitUntil: 'load' });
      await pg.locator('[data-testid=notice]').waitFor({ timeout: LOAD_TIMEOUT });
      const notice = await pg.locator('[data-testid=notice]').innerText();
      check(/cannot be read/.test(notice) && /cut short or changed/.test(notice), `a damaged link's notice reads ${JSON.stringify(notice)}`);
    } finally {
      await close();
    }
    await page.locator('[data-testid=share]').click();
  });

  await test('an embed link shows one paragraph with minimal chrome and runs it', null, async () => {
    await openNote('Sensors');
    await page.locator('[data-testid=share]').click();
    await page.locator('[data-testid=embed-paragraph]').selectOption('1');
    const link = await page.locator('[data-testid=embed-link]').inputValue();
    check(/#embed=/.test(link), `the embed link is ${link}`);
    check((await page.locator('[data-testid=embed-code]').inputValue()).includes(`src="${link}"`), 'the iframe code does not use the embed link');
    await page.locator('[data-testid=share]').click();
    const { pg, close } = await freshPage(link);
    try {
      await pg.locator('[data-testid=embed]').waitFor({ timeout: LOAD_TIMEOUT });
      check((await pg.locator('[data-testid=embed-sql]').innerText()).trim() === 'SELECT * FROM sensor_data;', 'the embed shows another paragraph');
      for (const chrome of ['notes', 'catalog', 'editor', 'clock']) {
        check((await pg.locator(`[data-testid=${chrome}]`).count()) === 0, `the embed shows the studio's ${chrome}`);
      }
      // The paragraph keeps its view settings: count its rows, whatever the view.
      const rows = async () => numberIn((await pg.locator('[data-testid=row-count]').allInnerTexts())[0]);
      await until(async () => (await rows()) > 0, { timeout: 15_000, what: 'rows in the embedded result' });
      const before = await rows();
      await until(async () => (await rows()) > before, { what: 'the embedded result to grow' });
      await pg.screenshot({ path: path.join(shots, 'embed.png'), fullPage: true });
    } finally {
      await close();
    }
  });
  await closePage();
}

// A finger drag scrolls the page on a phone (ImGui itself scrolls only with a wheel or the
// scrollbar): the inputs move up, and no widget value changes on the way.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, serve, state, waitReady } from './lib.mjs';

let browser, server;
before(async () => { browser = await launch(); server = await serve(); });
after(async () => { await browser?.close(); await server?.stop(); });

async function fingerDrag(page, x, y0, y1, steps = 12) {
  const cdp = await page.context().newCDPSession(page);
  const pt = (y) => [{ x, y, id: 1, radiusX: 2, radiusY: 2, force: 1 }];
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: pt(y0) });
  for (let i = 1; i <= steps; ++i) {
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: pt(y0 + (y1 - y0) * i / steps) });
    await page.waitForTimeout(30);
  }
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await page.waitForTimeout(400);
}

test('phone: a finger drag over the inputs scrolls them, changing no value', async () => {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, hasTouch: true, isMobile: true });
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(server.url, { timeout: 30000 });
  await waitReady(page);
  await page.waitForTimeout(300);
  const before = await state(page);
  assert.equal(before.tab, 3, 'the inputs tab is open');
  const y0 = before.scroll_y;
  // x = 20 px, y = 590 px: the "alpha" label in the labels' column ("method", "rank r", "alpha"),
  // not a widget (a drag that starts on a checkbox or a header does not scroll)
  await fingerDrag(page, 20, 590, 190);
  const after = await state(page);
  assert.ok(after.scroll_y > y0 + 100, `scrolled: ${y0} -> ${after.scroll_y}`);
  assert.equal(after.link, before.link, 'no value changed');
  assert.deepEqual(errors, []);
  await ctx.close();
});

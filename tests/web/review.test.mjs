// What a demanding user checks first: a configuration that does not fit says by how much, the
// fewest GPUs and what to change, in sentences; link notices carry no empty placeholders; an edit
// that cannot be estimated offers an undo to the last configuration that worked; on a phone the
// breakdown is one tap away (a tab above the inputs, not below all of them).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, serve, newPage, state, waitReady, waitState, assertAlive, clickAt, center } from './lib.mjs';

let browser, server;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.stop(); });

test('"does not fit" says by how much, the fewest GPUs and what to change', async () => {
  const { page, log, ctx } = await newPage(browser);
  await page.goto(server.url + '#v=1&m=llama-3.1-70b&meth=full&n=8&z=3', { timeout: 30000 });
  await waitReady(page);
  const s = await waitState(page, (st) => st.verdict.length > 0);
  assert.equal(s.fits, false);
  assert.match(s.verdict[0], /^Does not fit: needs [\d.]+ GiB per GPU, [\d.]+ GiB more than the 80 GiB it has$/);
  assert.ok(s.verdict.some((l) => /^(Fewest .* that fit: \d+|No number of .* fits)/.test(l)), s.verdict.join(' | '));
  const i = s.verdict.findIndex((l) => l.startsWith('To make it fit'));
  assert.ok(i > 0 && s.verdict.length > i + 1, 'a heading and at least one change: ' + s.verdict.join(' | '));
  for (const l of s.verdict.slice(i + 1)) assert.match(l, /^[A-Z0-9]/, `a sentence: ${l}`);
  assert.equal(new Set(s.verdict).size, s.verdict.length, 'no line twice');
  // One that fits on fewer GPUs than configured says so; one that fits outright has a one-line verdict.
  await page.goto(server.url + '#v=1&m=llama-3.1-8b&n=8', { timeout: 30000 });
  const s2 = await waitState(page, (st) => st.link === '#v=1&n=8' && st.verdict.length > 0);
  assert.match(s2.verdict[0], /^Fits: /);
  assert.ok(s2.verdict.some((l) => /^It would also fit on 1 x /.test(l)), s2.verdict.join(' | '));
  assert.deepEqual(log.errors, []);
  await ctx.close();
});

test('link notices name what was wrong with no empty placeholder', async () => {
  const { page, ctx } = await newPage(browser);
  await page.goto(server.url + '#v=1&m=zzz&gpu=qqq', { timeout: 30000 });
  await waitReady(page);
  const s = await state(page);
  assert.equal(s.notices.length, 2, s.notices.join(' | '));
  for (const n of s.notices) assert.ok(!/\(did you mean \?\)|\(\s*\)/.test(n), n);
  // a near miss still gets its suggestion
  await page.goto(server.url + '#v=1&m=llama-3.1-8', { timeout: 30000 });
  const s2 = await waitState(page, (st) => st.notices.length === 1);
  assert.match(s2.notices[0], /did you mean llama-3\.1-8b/);
  await ctx.close();
});

test('an edit that cannot be estimated offers an undo, and the undo restores the state', async () => {
  const { page, log, ctx } = await newPage(browser);
  await page.goto(server.url + '#v=1&m=llama-3.1-70b&r=32', { timeout: 30000 });
  await waitReady(page);
  // 65536 x 10M tokens per micro-batch: validate refuses it (no numbers, one message).
  await page.evaluate(() => { location.hash = '#v=1&m=llama-3.1-70b&r=32&mb=65536&s=10000000'; });
  let s = await waitState(page, (st) => st.error !== '' && st.ui.undo[2] > st.ui.undo[0]);
  assert.equal(s.verdict[0], 'This configuration cannot be estimated');
  assert.ok(!/NaN|-\d/.test(s.verdict.join(' ')), s.verdict.join(' | '));
  await clickAt(page, ...center(s.ui.undo));
  s = await waitState(page, (st) => st.error === '' && st.link === '#v=1&m=llama-3.1-70b&r=32');
  assert.equal(await page.evaluate(() => location.hash), '#v=1&m=llama-3.1-70b&r=32');
  await assertAlive(page);
  assert.deepEqual(log.errors, []);
  await ctx.close();
});

test('phone: the result tabs sit above the inputs, within the first screen', async () => {
  const { page, log, ctx } = await newPage(browser, { width: 390, height: 844, dpr: 3 });
  await page.goto(server.url + '#v=1&m=qwen3-30b-a3b', { timeout: 30000 });
  await waitReady(page);
  await page.waitForTimeout(300);
  let s = await state(page);
  assert.equal(s.tab, 3, 'the inputs tab is open first');
  for (const k of ['tab_breakdown', 'tab_grid', 'tab_cost']) {
    const r = s.ui[k];
    assert.ok(r[2] > r[0] && r[1] >= 0 && r[3] <= 844 && r[2] <= 390, `${k} on screen: ${r}`);
  }
  await clickAt(page, ...center(s.ui.tab_breakdown));
  await waitState(page, (st) => st.tab === 0);
  await clickAt(page, ...center(s.ui.tab_grid));
  s = await waitState(page, (st) => st.tab === 1 && st.grid.length > 0);
  await page.waitForTimeout(300);
  s = await state(page);
  // compact cells: every drawn cell inside the viewport's width
  for (const c of s.grid) assert.ok(c.x > 0 && c.x < 390, `cell ${c.row},${c.col} at x=${c.x}`);
  assert.deepEqual(log.errors, []);
  await ctx.close();
});

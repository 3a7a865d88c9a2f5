// Tampered, hand-edited or old links never crash or hang the page: unknown keys are ignored,
// bad values fall back to defaults, and a visible notice names what was ignored.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, serve, newPage, state, waitReady, waitState, assertAlive } from './lib.mjs';

let browser, server;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.stop(); });

function randomBytes(n, seed) {
  let x = seed >>> 0; let s = '';
  for (let i = 0; i < n; i++) { x = (x * 1103515245 + 12345) >>> 0; s += '%' + ((x >>> 16) & 0xff).toString(16).padStart(2, '0'); }
  return s;
}

const BAD = [
  ['unknown key', '#v=1&zz=1&r=32'],
  ['negative rank', '#v=1&r=-5'],
  ['negative batch', '#v=1&mb=-100'],
  ['huge numbers', '#v=1&r=99999999999999999999999&s=1e308&n=18446744073709551617'],
  ['NaN and inf', '#v=1&mfu=NaN&tok=inf&price=-inf&tf=NaN'],
  ['unknown model and gpu', '#v=1&m=gpt-17-zillion&gpu=quantum-9000'],
  ['bad enum', '#v=1&meth=dance&prec=fp3&opt=%00%01'],
  ['random bytes', '#' + randomBytes(300, 7)],
  ['random bytes after version', '#v=1&' + randomBytes(500, 42)],
  ['future version', '#v=999&r=8'],
  ['no version, unknown key', '#r=8&meth=full&zz=1'],
  ['duplicate keys', '#v=1&r=8&r=9&r=-1'],
  ['100 KB fragment', '#v=1&' + 'zq=1&'.repeat(20000)],
  ['100 KB value', '#v=1&m=' + 'x'.repeat(100000)],
  ['broken percent escapes', '#v=1&m=%E0%A4%A&r=%%%'],
];

test('tampered links give a notice, no crash, no hang', async () => {
  const { page, log, ctx } = await newPage(browser);
  await page.goto(server.url, { timeout: 30000 });
  await waitReady(page);
  for (const [name, frag] of BAD) {
    const t0 = Date.now();
    await page.evaluate((f) => { location.hash = f; }, frag);
    const s = await waitState(page, (st) => st.notices.length > 0 || st.link.length > 0 && Date.now() - t0 > 1500, 10000);
    assert.ok(s.notices.length > 0, `${name}: expected a notice naming what was ignored`);
    assert.ok(s.link.startsWith('#v=1'), `${name}: the state is a valid configuration (${s.link})`);
    assert.ok(Date.now() - t0 < 8000, `${name}: took ${Date.now() - t0} ms`);
    await assertAlive(page, 200);
    // back to a clean state for the next case (a different valid link: setting the same hash
    // again fires no hashchange)
    await page.evaluate(() => { location.hash = '#v=1&r=7&mb=3'; });
    await waitState(page, (st) => st.link === '#v=1&r=7&mb=3' && st.notices.length === 0, 10000);
  }
  assert.equal(log.crashed, false);
  assert.deepEqual(log.errors, []);
  await ctx.close();
});

test('a tampered link on first load still renders with a notice', async () => {
  for (const frag of ['#v=1&r=-5&zz=1', '#' + randomBytes(2000, 3), '#v=1&' + 'b=2&'.repeat(25000)]) {
    const { page, log, ctx } = await newPage(browser);
    await page.goto(server.url + frag, { timeout: 30000 });
    await waitReady(page);
    const s = await state(page);
    assert.ok(s.notices.length > 0, 'a notice');
    assert.equal(s.error, '');
    assert.ok(s.per_gpu_bytes.device_used > 0, 'numbers shown');
    await assertAlive(page);
    assert.deepEqual(log.errors, []);
    await ctx.close();
  }
});

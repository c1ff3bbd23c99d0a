// The library view in a real browser (Debian's Chromium) with the Rust side faked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appForTests, makeTracks } from './harness.js';

// One server and one Chromium for this file's tests.
const openApp = appForTests();

const visibleTitles = (page) => page.$$eval('#track-viewport .track-row', (rows) => rows
  .sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top)
  .map((r) => r.querySelector('.col-title').textContent));

test('100k tracks: only the rows in view exist and scrolling reaches the end', async () => {
  const { page, problems } = await openApp({ tracks: makeTracks(100_000), folders: [{ id: 1, path: '/music' }] });
  await page.waitForSelector('#track-viewport .track-row');
  assert.equal(await page.textContent('#count'), '100,000 songs');
  const rows = await page.$$eval('#track-viewport .track-row', (r) => r.length);
  assert.ok(rows > 10 && rows < 100, `rows in the DOM: ${rows}`);
  await page.$eval('#track-viewport', (v) => { v.scrollTop = v.scrollHeight; });
  await page.waitForFunction(() => [...document.querySelectorAll('#track-viewport .track-row')]
    .some((r) => r.querySelector('.col-title').textContent === 'Song 099995'));
  const after = await page.$$eval('#track-viewport .track-row', (r) => r.length);
  assert.ok(after < 100, `rows after scrolling: ${after}`);
  // A rescan refreshes the rows but keeps the listener's place.
  const scans = await page.evaluate(() => window.__FAKE_CALLS__.filter((c) => c.command === 'scan_library').length);
  await page.click('#rescan');
  await page.waitForFunction((n) => window.__FAKE_CALLS__.filter((c) => c.command === 'scan_library').length > n
    && document.querySelector('#scan-status').hidden, scans);
  await page.waitForFunction(() => [...document.querySelectorAll('#track-viewport .track-row')]
    .some((r) => r.querySelector('.col-title').textContent === 'Song 099995'));
  assert.ok(await page.$eval('#track-viewport', (v) => v.scrollTop > 3_000_000));
  assert.deepEqual(problems, []);
});

test('tag text is shown as text, never run as HTML', async () => {
  const evil = '<img src=x onerror=alert(1)>';
  const tracks = makeTracks(3);
  tracks[0].title = evil;
  tracks[0].artist = '<script>alert(2)</script>';
  tracks[0].album = '"><svg onload=alert(3)>';
  const { page, problems } = await openApp({ tracks, folders: [{ id: 1, path: '/m' }] });
  await page.waitForSelector('#track-viewport .track-row');
  assert.ok((await visibleTitles(page)).includes(evil));
  assert.equal(await page.$$eval('#track-viewport img, #track-viewport script, #track-viewport svg', (n) => n.length), 0);
  await page.click('.nav[data-view="albums"]');
  await page.waitForSelector('.album');
  assert.ok((await page.textContent('.album-grid')).includes('"><svg onload=alert(3)>'));
  assert.equal(await page.$$eval('.album-grid svg, .album-grid script', (n) => n.length), 0);
  assert.deepEqual(problems, []);
});

test('search as you type filters by title, artist and album', async () => {
  const { page } = await openApp({ tracks: makeTracks(600), folders: [{ id: 1, path: '/m' }] });
  await page.waitForSelector('#track-viewport .track-row');
  await page.fill('#search', 'coltrane');
  await page.waitForFunction(() => document.querySelector('#count').textContent === '100 songs');
  const artists = await page.$$eval('#track-viewport .track-row .col-artist', (n) => n.map((x) => x.textContent));
  assert.ok(artists.length > 0 && artists.every((a) => a === 'John Coltrane'), artists.join());
  await page.fill('#search', 'SONG 000007 coltrane');
  await page.waitForFunction(() => document.querySelector('#count').textContent === '1 song');
  assert.deepEqual(await visibleTitles(page), ['Song 000007']);
  await page.fill('#search', '');
  await page.waitForFunction(() => document.querySelector('#count').textContent === '600 songs');
});

test('clicking a column header sorts, clicking again reverses', async () => {
  const { page } = await openApp({ tracks: makeTracks(50), folders: [{ id: 1, path: '/m' }] });
  await page.waitForSelector('#track-viewport .track-row');
  await page.click('.track-header [data-sort="title"]');
  await page.waitForFunction(() => document.querySelector('[data-sort="title"]').getAttribute('aria-sort') === 'ascending');
  assert.equal((await visibleTitles(page))[0], 'Song 000000');
  await page.click('.track-header [data-sort="title"]');
  await page.waitForFunction(() => document.querySelector('[data-sort="title"]').getAttribute('aria-sort') === 'descending');
  await page.waitForFunction(() => [...document.querySelectorAll('.track-row .col-title')].some((n) => n.textContent === 'Song 000049'));
  assert.equal((await visibleTitles(page))[0], 'Song 000049');
});

test('an empty library offers the demo and a folder; adding one shows scan progress, then the songs', async () => {
  const { page, problems } = await openApp({ tracks: [], folders: [], pendingScan: makeTracks(8) });
  await page.waitForSelector('#view-empty:not([hidden])');
  assert.ok(await page.isVisible('#empty-demo'));
  await page.fill('#path-input', 'relative/path');
  await page.press('#path-input', 'Enter');
  await page.waitForSelector('#message[data-kind="error"]');
  assert.match(await page.textContent('#message'), /relative\/path/);

  await page.fill('#path-input', '/home/me/Music');
  await page.press('#path-input', 'Enter');
  await page.waitForSelector('#scan-status:not([hidden])');
  await page.waitForFunction(() => /Reading tags \d+ \/ 8/.test(document.querySelector('#scan-label').textContent));
  await page.waitForSelector('#scan-status', { state: 'hidden' });
  await page.waitForSelector('#view-tracks:not([hidden]) .track-row');
  assert.equal(await page.textContent('#count'), '8 songs');
  assert.match(await page.textContent('#message'), /8 added/);
  assert.deepEqual(problems, []);
});

test('unreadable files are listed with their reason', async () => {
  const failures = [{ path: '/m/bad.mp3', error: 'unreadable: MPEG: File contains no frames' }];
  const { page } = await openApp({ tracks: makeTracks(2), folders: [{ id: 1, path: '/m' }], failures });
  await page.waitForSelector('#failure-count:not([hidden])');
  assert.equal(await page.textContent('#failure-count'), '1');
  await page.click('.nav[data-view="failures"]');
  await page.waitForSelector('#failure-list li .reason');
  assert.equal(await page.textContent('#failure-list .path'), '/m/bad.mp3');
  assert.equal(await page.textContent('#failure-list .reason'), 'unreadable: MPEG: File contains no frames');
});

test('on start the library is rescanned in the background and changes are announced', async () => {
  const { page, problems } = await openApp({
    tracks: makeTracks(3), folders: [{ id: 1, path: '/m' }], pendingScan: makeTracks(5).slice(3),
  });
  // The app's own start job rescans (no command from the window asks for it).
  await page.waitForFunction(() => document.querySelector('#count').textContent === '5 songs');
  assert.equal(await page.evaluate(() => window.__FAKE_CALLS__.filter((c) => c.command === 'scan_library').length), 0);
  assert.match(await page.textContent('#message'), /2 added/);
  assert.deepEqual(problems, []);
});

// Lyrics in the track view and the lyrics panel that follows playback, in Chromium with the Rust
// side faked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appForTests, makeTracks } from './harness.js';

// One server and one Chromium for this file's tests.
const openApp = appForTests();

const TIMED = {
  source: 'lrc',
  text: 'First <b>line</b>\nSecond line\n\nLast line',
  timed: [[1000, 'First <b>line</b>'], [5000, 'Second line'], [9000, ''], [12000, 'Last line']],
};

function library() {
  const tracks = makeTracks(4);
  tracks[1].lyrics = TIMED;
  tracks[2].lyrics = { source: 'uslt', text: '잔잔한 밤\n\n노래', timed: null };
  return tracks;
}

test('the track view shows lyrics as text, where they came from, and none when there are none', async () => {
  const { page, problems } = await openApp({ tracks: library(), folders: [{ id: 1, path: '/m' }] });
  await page.waitForSelector('#track-viewport .track-row');
  await page.evaluate(async () => (await import('/js/analysis.js')).showTrack(3));
  await page.waitForFunction(() => !document.querySelector('#track-panel').hidden);
  assert.equal(await page.isHidden('#tp-lyrics-box'), false);
  assert.deepEqual(await page.$$eval('#tp-lyrics .lyric', (n) => n.map((p) => p.textContent)), ['잔잔한 밤', '', '노래']);
  assert.match(await page.textContent('#tp-lyrics-source'), /ID3 USLT/);
  await page.evaluate(async () => (await import('/js/analysis.js')).showTrack(2));
  await page.waitForFunction(() => /timed/.test(document.querySelector('#tp-lyrics-source').textContent));
  assert.equal(await page.$$eval('#tp-lyrics b', (n) => n.length), 0, 'lyrics never become markup');
  assert.match(await page.textContent('#tp-lyrics'), /First <b>line<\/b>/);
  await page.evaluate(async () => (await import('/js/analysis.js')).showTrack(4));
  await page.waitForFunction(() => document.querySelector('#tp-lyrics-box').hidden);
  assert.deepEqual(problems, []);
});

test('the lyrics panel marks the line being sung as playback moves, and says when a song has none', async () => {
  const { page, problems } = await openApp({ tracks: library(), folders: [{ id: 1, path: '/m' }] });
  await page.waitForSelector('#track-viewport .track-row');
  await page.dblclick('#track-viewport .track-row[data-index="1"]');
  await page.waitForFunction(() => document.querySelector('#np-play').getAttribute('aria-label') === 'Pause');
  await page.click('#np-lyrics-toggle');
  await page.waitForSelector('#lyrics-lines .lyric');
  assert.equal(await page.getAttribute('#np-lyrics-toggle', 'aria-pressed'), 'true');
  const current = () => page.$eval('#lyrics-lines', (list) => [...list.children].findIndex((p) => p.classList.contains('current')));
  const at = (ms) => page.evaluate((position) => window.__FAKE_EMIT__('player', { event: 'position', position_ms: position, duration_ms: 200_000 }), ms);
  await at(500);
  assert.equal(await current(), -1, 'before the first line, none');
  await at(5200);
  assert.equal(await current(), 1);
  assert.equal(await page.textContent('#lyrics-lines .lyric.current'), 'Second line');
  await at(12_500);
  assert.equal(await current(), 3);
  await at(2000); // seeking back
  assert.equal(await current(), 0);
  assert.equal(await page.$$eval('#lyrics-lines b', (n) => n.length), 0);
  // The next song has no lyrics: the panel says so.
  await page.click('#np-next');
  await page.waitForFunction(() => /No lyrics/.test(document.querySelector('#lyrics-note').textContent));
  assert.equal(await page.$$eval('#lyrics-lines .lyric', (n) => n.length), 0);
  // The queue and the lyrics share the place beside the list.
  await page.click('#np-queue-toggle');
  assert.equal(await page.isHidden('#lyrics-panel'), true);
  assert.deepEqual(problems, []);
});

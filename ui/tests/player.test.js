// The now-playing bar, the queue panel and the shortcuts, in Chromium with the player faked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appForTests, makeTracks } from './harness.js';

// One server and one Chromium for this file's tests.
const openApp = appForTests();

const controls = (page) => page.evaluate(() => window.__FAKE_CALLS__.filter((c) => c.command === 'player_control').map((c) => c.args.action));

async function openAndPlay(tracks) {
  const { page, problems } = await openApp({ tracks, folders: [{ id: 1, path: '/m' }] });
  await page.waitForSelector('#track-viewport .track-row');
  await page.dblclick('#track-viewport .track-row[data-index="1"]');
  await page.waitForFunction(() => document.querySelector('#np-play').getAttribute('aria-label') === 'Pause');
  return { page, problems };
}

test('double-clicking a song plays the view from it and fills the now-playing bar', async () => {
  const tracks = makeTracks(20).map((t, i) => ({ ...t, title: `<b>Bold</b> & "quoted" ${i}` }));
  const { page, problems } = await openAndPlay(tracks);
  const call = await page.evaluate(() => window.__FAKE_CALLS__.find((c) => c.command === 'play_view').args);
  assert.equal(call.index, 1);
  assert.equal(call.context, 'library');
  const rowTitle = await page.textContent('#track-viewport .track-row[data-index="1"] .col-title');
  assert.match(rowTitle, /^<b>Bold<\/b> & "quoted" \d+$/);
  assert.equal(await page.textContent('#np-title'), rowTitle);
  assert.equal(await page.$$eval('#now-playing b, #track-viewport b', (n) => n.length), 0, 'tag text never becomes markup');
  assert.match(await page.textContent('#np-artist'), /Album \d+/);
  await page.waitForSelector('#track-viewport .track-row.playing');
  assert.equal(await page.textContent('#track-viewport .track-row.playing .col-title'), rowTitle);
  assert.match(await page.title(), /Bold/);
  assert.deepEqual(problems, []);
});

test('position events move the slider and times; dragging the slider seeks', async () => {
  const tracks = makeTracks(5);
  tracks[1].duration_s = 200;
  const { page } = await openAndPlay(tracks);
  await page.evaluate(() => window.__FAKE_EMIT__('player', { event: 'position', position_ms: 42_000, duration_ms: 200_000 }));
  assert.equal(await page.textContent('#np-elapsed'), '0:42');
  assert.equal(await page.textContent('#np-remaining'), '-2:38');
  assert.equal(await page.$eval('#np-slider', (s) => Number(s.value)), 42);
  await page.$eval('#np-slider', (s) => {
    s.value = '120';
    s.dispatchEvent(new Event('input'));
    s.dispatchEvent(new Event('change'));
  });
  await page.waitForFunction(() => document.querySelector('#np-elapsed').textContent === '2:00');
  assert.deepEqual((await controls(page)).at(-1), { action: 'seek', seconds: 120 });
});

test('play/pause, next, previous, shuffle, repeat and volume send commands and reflect state', async () => {
  const { page } = await openAndPlay(makeTracks(6));
  await page.click('#np-play');
  await page.waitForFunction(() => document.querySelector('#np-play').getAttribute('aria-label') === 'Play');
  await page.click('#np-next');
  await page.waitForFunction(() => document.querySelector('#np-title').textContent !== '');
  await page.click('#np-prev');
  await page.click('#np-shuffle');
  await page.waitForFunction(() => document.querySelector('#np-shuffle').getAttribute('aria-pressed') === 'true');
  await page.click('#np-repeat');
  await page.waitForFunction(() => document.querySelector('#np-repeat').dataset.repeat === 'all');
  await page.click('#np-repeat');
  await page.waitForFunction(() => document.querySelector('#np-repeat').dataset.repeat === 'one');
  await page.$eval('#np-volume', (v) => { v.value = '0.25'; v.dispatchEvent(new Event('input')); });
  const sent = (await controls(page)).map((a) => a.action);
  assert.deepEqual(sent, ['toggle_pause', 'next', 'previous', 'set_shuffle', 'set_repeat', 'set_repeat', 'set_volume']);
  assert.deepEqual((await controls(page)).at(-1), { action: 'set_volume', volume: 0.25 });
});

test('the queue panel lists the queue, marks the current track, reorders and removes', async () => {
  const { page, problems } = await openAndPlay(makeTracks(4));
  await page.click('#np-queue-toggle');
  await page.waitForSelector('#queue-list li.current');
  const titles = () => page.$$eval('#queue-list .q-title', (n) => n.map((x) => x.textContent));
  assert.equal((await titles()).length, 4);
  assert.equal(await page.textContent('#queue-list li.current .q-title'), await page.textContent('#np-title'));
  const before = await titles();
  await page.click('#queue-list li[data-index="2"] .q-up');
  await page.waitForFunction((t) => document.querySelectorAll('#queue-list .q-title')[1].textContent === t, before[2]);
  await page.click('#queue-list li[data-index="3"] .q-remove');
  await page.waitForFunction(() => document.querySelectorAll('#queue-list li').length === 3);
  assert.deepEqual((await controls(page)).slice(-2), [{ action: 'move', from: 2, to: 1 }, { action: 'remove', index: 3 }]);
  assert.deepEqual(problems, []);
});

test('keyboard: space toggles, arrows seek, ctrl+arrows change track, but not while typing', async () => {
  const { page } = await openAndPlay(makeTracks(6));
  await page.click('#np-title');
  await page.keyboard.press('Space');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('Control+ArrowRight');
  await page.keyboard.press('Control+ArrowLeft');
  await page.focus('#search');
  await page.keyboard.press('Space');
  const sent = await controls(page);
  assert.deepEqual(sent, [
    { action: 'toggle_pause' },
    { action: 'seek_by', seconds: 5 },
    { action: 'seek_by', seconds: -5 },
    { action: 'next' },
    { action: 'previous' },
  ]);
});

test('a player error (an undecodable file) is shown and the bar goes on', async () => {
  const { page } = await openAndPlay(makeTracks(3));
  await page.evaluate(() => window.__FAKE_EMIT__('player', {
    event: 'error', kind: 'decode', message: '/m/bad.ogg: cannot decode: no audio could be decoded', track_id: 2,
  }));
  await page.waitForSelector('#message[data-kind="error"]');
  assert.match(await page.textContent('#message'), /bad\.ogg: cannot decode/);
});

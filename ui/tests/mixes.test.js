// Mixes, radio and From A to B in a real browser (Debian's Chromium) with the Rust side faked: the
// home view's mix cards and a mix's page (reasons, play, shuffle, radio, save), radio from a song's
// menu, an album, an artist and a playlist that extends its queue as it plays, and the A-to-B dialog.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appForTests, makeTracks } from './harness.js';

// One server and one Chromium for this file's tests.
const openApp = appForTests();

function library(extra = {}) {
  return {
    tracks: makeTracks(40),
    folders: [{ id: 1, path: '/music' }],
    playlists: [{ id: 1, name: 'Evening', entries: [{ track_id: 3 }, { track_id: 4 }] }],
    discover: { today: '2026-11-29', picks: [{ id: 4, kind: 'sounds', reason: 'sounds like Song 000001' }] },
    mixes: [
      { title: 'Jazz · Bebop — Miles Davis, John Coltrane', subtitle: 'Miles Davis, John Coltrane · 3 favourites and 1 new', ids: [1, 2, 7, 8], reasons: ['one of your favourites', 'one of your favourites', 'sounds like Miles Davis – Song 000000', 'one of your favourites'] },
      { title: '<img src=x onerror=alert(1)>', subtitle: 'hostile tags stay text', ids: [3, 9] },
      { kind: 'rediscover', title: 'Rediscover', subtitle: '2 songs you loved and have not heard for 60 days or more', ids: [5, 6], reasons: ['you liked it 4 months ago', 'you played it 5 times; last 3 months ago'] },
    ],
    ...extra,
  };
}

const calls = (page, command) => page.evaluate((c) => window.__FAKE_CALLS__.filter((x) => x.command === c), command);
const queueLength = (page) => page.evaluate(() => {
  const radioCalls = window.__FAKE_CALLS__.filter((c) => c.command === 'player_control' && c.args.action.action === 'enqueue');
  return radioCalls.reduce((n, c) => n + c.args.action.tracks.length, 0);
});

test('the home view shows the day\'s mixes beside Discover; a mix opens with its reasons and plays, shuffles and saves', async () => {
  const { page, problems } = await openApp(library(), { view: null });
  await page.waitForSelector('#mix-cards .mix-card');
  const titles = await page.$$eval('#mix-cards .mix-card .pl-name', (n) => n.map((x) => x.textContent));
  assert.deepEqual(titles, ['Jazz · Bebop — Miles Davis, John Coltrane', '<img src=x onerror=alert(1)>', 'Rediscover']);
  assert.equal(await page.$$eval('#mix-cards img', (n) => n.length), 0, 'a title is text, never markup');
  await page.click('#mix-cards .mix-card[data-slot="0"]');
  await page.waitForSelector('#view-mix:not([hidden]) #mix-tracks li');
  assert.equal(await page.textContent('#mix-title'), 'Jazz · Bebop — Miles Davis, John Coltrane');
  assert.match(await page.textContent('#mix-facts'), /3 favourites and 1 new/);
  const details = await page.$$eval('#mix-tracks li .ti-detail', (n) => n.map((x) => x.textContent));
  assert.deepEqual(details, ['one of your favourites', 'one of your favourites', 'sounds like Miles Davis – Song 000000', 'one of your favourites']);
  await page.click('#mix-play');
  let play = (await calls(page, 'play_tracks')).pop();
  assert.deepEqual(play.args.ids, [1, 2, 7, 8]);
  assert.equal(play.args.context, 'mix');
  await page.click('#mix-shuffle');
  play = (await calls(page, 'play_tracks')).pop();
  assert.deepEqual([...play.args.ids].sort((a, b) => a - b), [1, 2, 7, 8]);
  await page.click('#mix-save');
  await page.waitForFunction(() => /Saved .* as a playlist/.test(document.querySelector('#message').textContent));
  const saved = await calls(page, 'save_mix_playlist');
  assert.equal(saved.length, 1);
  assert.equal(saved[0].args.slot, 0);
  await page.waitForSelector('#sidebar-playlists .sidebar-playlist:has-text("Jazz · Bebop")');
  // Rediscover says why each song is back.
  await page.click('#mix-back');
  await page.click('#mix-cards .mix-card[data-kind="rediscover"]');
  await page.waitForFunction(() => document.querySelector('#mix-title').textContent === 'Rediscover');
  assert.match(await page.textContent('#mix-tracks'), /you liked it 4 months ago/);
  assert.deepEqual(problems, []);
});

test('a radio from a song\'s menu plays at once and extends its queue before it runs out', async () => {
  const { page, problems } = await openApp(library());
  await page.waitForSelector('#track-viewport .track-row[data-id="5"]');
  await page.click('#track-viewport .track-row[data-id="5"]', { button: 'right' });
  await page.click('.context-menu .menu-item[data-radio]');
  await page.waitForFunction(() => window.__FAKE_CALLS__.some((c) => c.command === 'play_tracks' && c.args.context === 'radio'));
  const started = await calls(page, 'start_radio');
  assert.deepEqual(started[0].args.seeds, [{ kind: 'track', id: 5 }]);
  const play = (await calls(page, 'play_tracks')).pop();
  assert.equal(play.args.ids[0], 5, 'the radio starts with its song');
  assert.equal(play.args.ids.length, 5);
  await page.waitForSelector('#radio-badge:not([hidden])');
  assert.match(await page.textContent('#radio-badge'), /Radio: Song 000004 · endless/);
  assert.equal((await calls(page, 'radio_more')).length, 0, 'five queued: nothing asked yet');
  // Two skips leave two tracks after the current one: the radio asks for more and queues them.
  await page.click('#np-next');
  await page.click('#np-next');
  await page.waitForFunction(() => window.__FAKE_CALLS__.some((c) => c.command === 'player_control' && c.args.action.action === 'enqueue'));
  assert.equal((await calls(page, 'radio_more')).length, 1);
  assert.equal(await queueLength(page), 10);
  // Playing something else ends the radio.
  await page.dblclick('#track-viewport .track-row[data-id="1"]');
  await page.waitForSelector('#radio-badge', { state: 'hidden' });
  assert.deepEqual(problems, []);
});

test('radio buttons on an album, an artist page and a playlist start radios from them', async () => {
  const { page, problems } = await openApp(library());
  await page.click('.nav[data-view="albums"]');
  await page.click('#album-grid figure:has-text("Album 1") .album-radio');
  await page.waitForFunction(() => window.__FAKE_CALLS__.filter((c) => c.command === 'start_radio').length === 1);
  await page.click('.nav[data-view="artists"]');
  await page.click('#artist-cards [data-name="Björk"]');
  await page.waitForSelector('#artist-page:not([hidden])');
  await page.click('#ar-radio');
  await page.waitForFunction(() => window.__FAKE_CALLS__.filter((c) => c.command === 'start_radio').length === 2);
  await page.click('.nav[data-view="playlists"]');
  await page.click('#playlist-cards .playlist-open:has-text("Evening")');
  await page.waitForSelector('#pl-radio');
  await page.click('#pl-radio');
  await page.waitForFunction(() => window.__FAKE_CALLS__.filter((c) => c.command === 'start_radio').length === 3);
  const seeds = (await calls(page, 'start_radio')).map((c) => c.args.seeds);
  assert.deepEqual(seeds, [
    [{ kind: 'album', album: 'Album 1', album_artist: undefined }],
    [{ kind: 'artist', name: 'Björk' }],
    [{ kind: 'playlist', id: 1 }],
  ]);
  const contexts = (await calls(page, 'play_tracks')).map((c) => c.args.context);
  assert.deepEqual(contexts, ['radio', 'radio', 'radio']);
  assert.deepEqual(problems, []);
});

test('From A to B: pick the song to end at, make the path, see it with reasons, save it', async () => {
  const { page, problems } = await openApp(library());
  await page.waitForSelector('#track-viewport .track-row[data-id="3"]');
  await page.click('#track-viewport .track-row[data-id="3"]', { button: 'right' });
  await page.click('.context-menu .menu-item[data-path]');
  await page.waitForSelector('#ab-dialog[open]');
  assert.match(await page.textContent('#ab-from'), /Song 000002/);
  assert.equal(await page.isDisabled('#ab-make'), true, 'nothing to make before B is picked');
  await page.fill('#ab-search', 'Song 000020');
  await page.waitForSelector('#ab-results .path-result');
  await page.click('#ab-results .path-result[data-id="21"]');
  assert.match(await page.textContent('#ab-to-chosen'), /Song 000020/);
  await page.fill('#ab-length', '8');
  await page.click('#ab-make');
  await page.waitForSelector('#view-mix:not([hidden]) #mix-tracks li');
  const asked = (await calls(page, 'path_between')).pop();
  assert.deepEqual(asked.args, { from: 3, to: 21, length: 8 });
  assert.equal(await page.textContent('#mix-title'), 'From Song 000002 to Song 000020');
  const ids = await page.$$eval('#mix-tracks li', (n) => n.map((x) => Number(x.dataset.id)));
  assert.equal(ids.length, 8);
  assert.deepEqual([ids[0], ids[7]], [3, 21]);
  assert.match(await page.textContent('#mix-tracks li:nth-child(4) .ti-detail'), /% of the way/);
  await page.click('#mix-save');
  await page.waitForFunction(() => window.__FAKE_CALLS__.some((c) => c.command === 'create_playlist'));
  const created = (await calls(page, 'create_playlist')).pop();
  assert.deepEqual(created.args, { name: 'From Song 000002 to Song 000020', trackIds: ids });
  assert.deepEqual(problems, []);
});

// The home view, Discover Daily, in a real browser (Debian's Chromium) with the Rust side faked:
// reasons, play all, like / not for me, refresh, past days, the cold start and the empty library.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appForTests, makeTracks } from './harness.js';

// One server and one Chromium for this file's tests.
const openApp = appForTests();

function library(discover = {}) {
  const tracks = makeTracks(12);
  tracks[4].artist = '<img src=x onerror=alert(1)>';
  return {
    tracks,
    folders: [{ id: 1, path: '/music' }],
    discover: {
      today: '2026-11-29',
      picks: [
        { id: 3, kind: 'played', reason: 'because you played Björk – Jóga' },
        { id: 5, kind: 'sounds', reason: 'sounds like <b>Nina</b> – Feeling Good' },
        { id: 8, kind: 'scene', reason: 'same scene as Miles Davis – So What' },
        { id: 11, kind: 'wildcard', reason: 'a wildcard' },
      ],
      past: { '2026-11-28': [{ id: 1, kind: 'sounds', reason: 'sounds like Song 000009' }] },
      ...discover,
    },
  };
}

const calls = (page, command) => page.evaluate((c) => window.__FAKE_CALLS__.filter((x) => x.command === c), command);
const rows = (page) => page.$$eval('#discover-list li', (lis) => lis.map((li) => ({
  id: Number(li.dataset.id),
  title: li.querySelector('.q-title')?.textContent,
  artist: li.querySelector('.q-artist')?.textContent,
  chip: li.querySelector('.reason-chip')?.textContent,
  kind: li.querySelector('.reason-chip')?.dataset.kind,
  hidden: li.classList.contains('hidden-track'),
  liked: li.querySelector('.like')?.getAttribute('aria-pressed'),
  markup: li.querySelectorAll('img, b').length,
})));

test('the app opens on today\'s Discover Daily, each track with its reason', async () => {
  const { page, problems } = await openApp(library(), { view: null });
  await page.waitForSelector('#view-discover:not([hidden]) #discover-list li[data-id]');
  assert.equal(await page.getAttribute('.nav[data-view="discover"]', 'aria-current'), 'page');
  const shown = await rows(page);
  assert.deepEqual(shown.map((r) => r.id), [3, 5, 8, 11]);
  assert.deepEqual(shown.map((r) => r.kind), ['played', 'sounds', 'scene', 'wildcard']);
  assert.equal(shown[0].chip, 'because you played Björk – Jóga');
  // Tags and reasons are text, never markup.
  assert.equal(shown[1].artist, '<img src=x onerror=alert(1)>');
  assert.equal(shown[1].chip, 'sounds like <b>Nina</b> – Feeling Good');
  assert.ok(shown.every((r) => r.markup === 0));
  assert.match(await page.textContent('#discover-date'), /^Today, /);
  assert.equal(await page.$$eval('#discover-mosaic > *', (c) => c.length), 4);
  assert.match(await page.textContent('#discover-mode'), /learned from 42 of your outcomes/);
  const [first] = await calls(page, 'discover_daily');
  assert.deepEqual(first.args, { day: null, refresh: false });
  assert.deepEqual(problems, []);
});

test('play all and double-click play the list in order, from the discover context', async () => {
  const { page, problems } = await openApp(library(), { view: null });
  await page.waitForSelector('#discover-list li[data-id]');
  await page.click('#discover-play');
  await page.waitForFunction(() => window.__FAKE_CALLS__.some((c) => c.command === 'play_tracks'));
  await page.dblclick('#discover-list li:nth-child(3) .q-text');
  await page.waitForFunction(() => window.__FAKE_CALLS__.filter((c) => c.command === 'play_tracks').length === 2);
  const plays = await calls(page, 'play_tracks');
  assert.deepEqual(plays[0].args, { ids: [3, 5, 8, 11], index: 0, context: 'discover' });
  assert.deepEqual(plays[1].args, { ids: [3, 5, 8, 11], index: 2, context: 'discover' });
  assert.deepEqual(problems, []);
});

test('like and not-for-me teach it; refresh makes the list again without the hidden track', async () => {
  const { page, problems } = await openApp(library(), { view: null });
  await page.waitForSelector('#discover-list li[data-id]');
  await page.click('#discover-list li[data-id="3"] .like');
  await page.waitForSelector('#discover-list li[data-id="3"] .like[aria-pressed="true"]');
  await page.click('#discover-list li[data-id="8"] .hide');
  await page.waitForSelector('#discover-list li[data-id="8"].hidden-track .undo');
  const feedback = (await calls(page, 'discover_feedback')).map((c) => c.args);
  assert.deepEqual(feedback, [{ trackId: 3, verdict: 'like' }, { trackId: 8, verdict: 'hide' }]);
  // A hidden track is left out of "play all".
  await page.click('#discover-play');
  await page.waitForFunction(() => window.__FAKE_CALLS__.some((c) => c.command === 'play_tracks'));
  assert.deepEqual((await calls(page, 'play_tracks'))[0].args.ids, [3, 5, 11]);
  // Undo takes the hide back; hiding again and refreshing drops it.
  await page.click('#discover-list li[data-id="8"] .undo');
  await page.waitForSelector('#discover-list li[data-id="8"]:not(.hidden-track) .hide');
  await page.click('#discover-list li[data-id="8"] .hide');
  await page.waitForSelector('#discover-list li[data-id="8"].hidden-track');
  await page.click('#discover-refresh');
  await page.waitForFunction(() => !document.querySelector('#discover-list li[data-id="8"]'));
  const after = await rows(page);
  assert.deepEqual(after.map((r) => r.id), [3, 5, 11]);
  assert.equal(after[0].liked, 'true');
  const generations = await calls(page, 'discover_daily');
  assert.deepEqual(generations.at(-1).args, { day: null, refresh: true });
  assert.deepEqual(problems, []);
});

test('past days stay browsable and cannot be refreshed', async () => {
  const { page, problems } = await openApp(library(), { view: null });
  await page.waitForSelector('#discover-list li[data-id]');
  const days = await page.$$eval('#discover-day option', (o) => o.map((x) => [x.value, x.textContent]));
  assert.deepEqual(days, [['2026-11-29', 'Today (4)'], ['2026-11-28', 'Nov 28, 2026 (1)']]);
  await page.selectOption('#discover-day', '2026-11-28');
  await page.waitForFunction(() => document.querySelectorAll('#discover-list li[data-id]').length === 1);
  assert.deepEqual((await rows(page)).map((r) => r.id), [1]);
  assert.doesNotMatch(await page.textContent('#discover-date'), /Today/);
  assert.equal(await page.isDisabled('#discover-refresh'), true);
  assert.deepEqual((await calls(page, 'discover_daily')).at(-1).args, { day: '2026-11-28', refresh: false });
  assert.deepEqual(problems, []);
});

test('left open overnight, the home view moves on to the new day\'s list; a past day being read stays', async () => {
  const lib = library({ today: 'clock', past: {} });
  const { page, problems } = await openApp(lib, { view: null, clock: new Date(2026, 10, 29, 23, 59, 0) });
  await page.waitForSelector('#discover-list li[data-id]');
  assert.match(await page.textContent('#discover-date'), /^Today, /);
  const opening = await calls(page, 'discover_daily');
  assert.ok(opening.every((c) => c.args.day === null && !c.args.refresh));
  await page.clock.runFor(2 * 60 * 1000);
  await page.waitForFunction(() => document.querySelectorAll('#discover-day option').length === 2);
  const days = await page.$$eval('#discover-day option', (o) => o.map((x) => [x.value, x.textContent]));
  assert.deepEqual(days, [['2026-11-30', 'Today (4)'], ['2026-11-29', 'Nov 29, 2026 (4)']]);
  assert.equal(await page.$eval('#discover-day', (s) => s.value), '2026-11-30');
  assert.equal(await page.isDisabled('#discover-refresh'), false);

  // Reading yesterday's list when the next midnight comes: it is not taken away.
  await page.selectOption('#discover-day', '2026-11-29');
  await page.waitForFunction(() => document.querySelector('#discover-refresh').disabled);
  const before = (await calls(page, 'discover_daily')).length;
  await page.clock.runFor(24 * 60 * 60 * 1000);
  assert.equal((await calls(page, 'discover_daily')).length, before);
  assert.equal(await page.$eval('#discover-day', (s) => s.value), '2026-11-29');
  assert.deepEqual(problems, []);
});

test('a new listener is told the list is a spread of the library; an empty list says why', async () => {
  const cold = await openApp(library({ mode: 'cold start', samples: 0 }), { view: null });
  await cold.page.waitForSelector('#discover-list li[data-id]');
  assert.match(await cold.page.textContent('#discover-mode'), /No listening history yet/);
  assert.deepEqual(cold.problems, []);

  const none = await openApp(library({ picks: [], past: {} }), { view: null });
  await none.page.waitForSelector('#discover-list li.none');
  assert.match(await none.page.textContent('#discover-list li.none'), /Nothing to discover yet/);
  assert.equal(await none.page.isDisabled('#discover-play'), true);
  assert.deepEqual(none.problems, []);
});

test('with no library yet the home view offers to add music', async () => {
  const { page, problems } = await openApp({ tracks: [], folders: [] }, { view: null });
  await page.waitForSelector('#view-empty:not([hidden])');
  assert.equal(await page.isHidden('#view-discover'), true);
  assert.equal((await calls(page, 'discover_daily')).length, 0);
  assert.deepEqual(problems, []);
});

// The "For you" view in a real browser (Debian's Chromium), Rust side faked: search by words,
// recommendations with their reason, imports with their reports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appForTests, makeTracks } from './harness.js';

// One server and one Chromium for this file's tests.
const openApp = appForTests();

function library() {
  const tracks = makeTracks(12);
  tracks[2].words = ['mellow', 'piano'];
  tracks[7].words = ['piano'];
  tracks[4].because = 'Björk – Jóga';
  tracks[9].artist = '<img src=x onerror=alert(1)>';
  tracks[9].because = '<b>Nina</b>';
  return { tracks, folders: [{ id: 1, path: '/music' }] };
}

const calls = (page, command) => page.evaluate((c) => window.__FAKE_CALLS__.filter((x) => x.command === c), command);

test('recommendations show their reason as text, and play from the list', async () => {
  const { page, problems } = await openApp(library());
  await page.click('.nav[data-view="taste"]');
  await page.waitForSelector('#view-taste:not([hidden]) #foryou-list li');
  const rows = await page.$$eval('#foryou-list li', (lis) => lis.map((li) => ({
    title: li.querySelector('.q-title').textContent,
    artist: li.querySelector('.q-artist').textContent,
    reason: li.querySelector('.q-reason').textContent,
    images: li.querySelectorAll('img, b').length,
  })));
  assert.equal(rows.length, 2);
  assert.equal(rows[0].reason, 'because you played Björk – Jóga');
  // Tag text is shown, never parsed as HTML.
  assert.equal(rows[1].artist, '<img src=x onerror=alert(1)>');
  assert.equal(rows[1].reason, 'because you played <b>Nina</b>');
  assert.equal(rows[1].images, 0);
  await page.dblclick('#foryou-list li:nth-child(2)');
  await page.waitForFunction(() => window.__FAKE_CALLS__.some((c) => c.command === 'play_tracks'));
  const [play] = await calls(page, 'play_tracks');
  assert.deepEqual(play.args, { ids: [5, 10], index: 1, context: 'discover' });
  assert.deepEqual(problems, []);
});

test('find by words lists matching tracks best first, and says when nothing matches', async () => {
  const { page, problems } = await openApp(library());
  await page.click('.nav[data-view="taste"]');
  await page.fill('#find-input', 'mellow piano');
  await page.press('#find-input', 'Enter');
  await page.waitForSelector('#find-list li[data-id]');
  const ids = await page.$$eval('#find-list li', (lis) => lis.map((li) => Number(li.dataset.id)));
  assert.deepEqual(ids, [3, 8]);
  await page.fill('#find-input', 'polka');
  await page.click('#find-form button');
  await page.waitForFunction(() => document.querySelector('#find-list li.none'));
  assert.equal(await page.textContent('#find-list li.none'), 'Nothing in the library matches “polka”.');
  assert.deepEqual(problems, []);
});

test('closing the file picker imports nothing; the chosen format is passed on', async () => {
  const lib = library();
  const { page, problems } = await openApp(lib);
  await page.click('.nav[data-view="taste"]');
  await page.waitForSelector('#foryou-list li');
  await page.selectOption('#import-format', 'history:spotify');
  // Closing the picker without choosing does nothing.
  await page.click('#import-button');
  await page.waitForFunction(() => window.__FAKE_CALLS__.some((c) => c.command === 'import_listening_data'));
  assert.equal(await page.$$eval('#import-results li', (l) => l.length), 0);
  const [first] = await calls(page, 'import_listening_data');
  assert.deepEqual([first.args.kind, first.args.format], ['history', 'spotify']);
  assert.deepEqual(problems, []);
});

test('import reports list skipped lines and failed files', async () => {
  const lib = library();
  const { page, problems } = await openApp({
    ...lib,
    // The file picker and the import are the Rust side's: the fake returns these reports.
    importReports: [{
      path: '/home/me/Streaming_History_Audio_2023.json', format: 'spotify', read: 5, imported: 3, skipped: 2,
      skipped_lines: [{ at: 'entry 3', reason: 'podcast episode, not music' }, { at: 'entry 4', reason: 'no "ts" or "endTime"' }],
      items: 3, matched: 2, match_rate: 2 / 3, already_imported: false, seconds: 0.1,
    }],
    importErrors: ['/home/me/listens.jsonl is not a Spotify streaming history file: line 1 is not a JSON array'],
    afterImport: [[1, 'Miles Davis – Song 000000']],
  });
  await page.click('.nav[data-view="taste"]');
  await page.waitForSelector('#foryou-list li');
  await page.click('#import-button');
  await page.waitForSelector('#import-results li');
  const lines = await page.$$eval('#import-results li', (lis) => lis.map((li) => li.textContent));
  assert.equal(lines.length, 2);
  assert.match(lines[0], /Streaming_History_Audio_2023\.json: 3 imported, 2 skipped; 2 of 3 in your library \(67%\)/);
  assert.match(lines[0], /skipped entry 3: podcast episode, not music/);
  assert.match(lines[1], /listens\.jsonl is not a Spotify streaming history file/);
  // The recommendations were reloaded and now include the newly explained track.
  await page.waitForFunction(() => document.querySelectorAll('#foryou-list li').length === 3);
  assert.deepEqual(problems, []);
});

test('a long import shows its progress and can be stopped', async () => {
  const lib = library();
  const { page, problems } = await openApp({
    ...lib,
    importProgress: [
      { current: '/home/me/lastfm/userid-timestamp.tsv', index: 1, files: 2, done: 0, total: 4000000 },
      { current: '/home/me/lastfm/userid-timestamp.tsv', index: 1, files: 2, done: 1048576, total: 4000000 },
    ],
    importWaitsForCancel: true,
  });
  await page.click('.nav[data-view="taste"]');
  await page.waitForSelector('#foryou-list li');
  assert.equal(await page.isHidden('#import-progress'), true);
  await page.click('#import-button');
  await page.waitForFunction(() => document.querySelector('#import-status').textContent.includes('26%'));
  assert.equal(await page.textContent('#import-status'), 'Importing userid-timestamp.tsv (1 of 2): 26%');
  assert.equal(await page.isDisabled('#import-button'), true);
  await page.click('#import-cancel');
  await page.waitForSelector('#import-progress', { state: 'hidden' });
  assert.match(await page.textContent('#import-results'), /Stopped: the file under way/);
  assert.equal(await page.isDisabled('#import-button'), false);
  assert.deepEqual((await calls(page, 'job_control')).map((c) => c.args.action), ['cancel']);
  assert.deepEqual(problems, []);
});


test('new shared data shows the model search, then the chosen model and its score', async () => {
  const lib = library();
  const winner = { model: 'blend', params: '0.70·als factors 128 reg 50 alpha 4 log + 0.30·ease lambda 150 dropout 0', score: 0.1387, se: 0.005 };
  const { page, problems } = await openApp({
    ...lib,
    importReports: [{
      path: '/home/me/hetrec', format: 'hetrec', read: 900, imported: 900, skipped: 0, skipped_lines: [],
      items: 300, matched: 12, match_rate: 0.04, already_imported: false, seconds: 0.5,
    }],
    tuningProgress: [
      { done: 0, total: 3, current: 'ease lambda 150 dropout 0' },
      { done: 1, total: 3, current: 'als factors 128 reg 50 alpha 4 log' },
      { done: 3, total: 3, current: null },
    ],
    importTuning: {
      outcome: 'tuned', metric: 'NDCG@10', winner,
      runner_up: { model: 'als', params: 'als factors 128 reg 50 alpha 4 log', score: 0.134, se: 0.0049 },
      trials: [], validation_users: 1000, seconds: 12.5,
    },
    afterImport: [[1, 'Miles Davis']],
  });
  await page.click('.nav[data-view="taste"]');
  await page.waitForSelector('#foryou-list li');
  await page.selectOption('#import-format', 'shared:hetrec');
  await page.evaluate(() => {
    window.__STATUS__ = [];
    new MutationObserver(() => window.__STATUS__.push(document.querySelector('#import-status').textContent))
      .observe(document.querySelector('#import-status'), { childList: true, characterData: true, subtree: true });
  });
  await page.click('#import-button');
  await page.waitForSelector('#import-results li.tuning');
  const status = await page.evaluate(() => window.__STATUS__);
  assert.ok(status.includes('Choosing the best model for this data (2 of 3): als factors 128 reg 50 alpha 4 log'), status.join(' | '));
  assert.ok(status.includes('Training the chosen model…'), status.join(' | '));
  assert.equal(await page.textContent('#import-results li.tuning'),
    `Model chosen on 1,000 held-out listeners: ${winner.params} (NDCG@10 0.139 ± 0.005). Runner-up: als factors 128 reg 50 alpha 4 log (NDCG@10 0.134 ± 0.005).`);
  // "For you" was reloaded once the model was ready: the new reason shows.
  await page.waitForFunction(() => document.querySelectorAll('#foryou-list li').length === 3);
  const [kind, format] = await page.$eval('#import-format', (s) => s.value.split(':'));
  assert.deepEqual([kind, format], ['shared', 'hetrec']);
  assert.deepEqual(problems, []);
});

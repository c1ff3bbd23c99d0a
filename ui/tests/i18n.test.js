// The window in Korean: every view, panel, menu and dialog scanned for English left untranslated;
// the catalogues agree key for key; numbers, dates and name sorting follow the language.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { appForTests } from './harness.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const i18n = path.join(here, '..', 'i18n');

// One server and one Chromium for this file's tests.
const openApp = appForTests();

/** A library whose own data is Korean, so any Latin word on screen is the window's own text. */
function koreanLibrary() {
  const artists = ['아이유', '방탄소년단', '잔나비', '김광석'];
  const tracks = Array.from({ length: 24 }, (_, i) => ({
    id: i + 1,
    path: `/음악/${i}.flac`,
    title: `노래 ${i + 1}`,
    artist: artists[i % artists.length],
    album: `앨범 ${Math.floor(i / 6) + 1}`,
    year: 2000 + i,
    track_no: (i % 6) + 1,
    duration_s: 180 + i,
    codec: 'flac',
    cover: null,
    genre: '발라드',
    tags: [['rock', 0.6], ['guitar', 0.3], ['Mellow', 0.2]],
  }));
  for (const track of tracks) track.lyrics = { source: 'lrc', text: '첫 줄\n둘째 줄', timed: [[1000, '첫 줄'], [4000, '둘째 줄']] };
  return { tracks, folders: [{ id: 1, path: '/음악' }], settings: { language: 'ko' } };
}

// Words that stay as they are in any language: names of formats, services and keys, units, and each
// language's own name in the language menu.
const KEPT = new Set(['BPM', 'LUFS', 'LU', 'KB', 'M3U', 'M3U8', 'XSPF', 'JSON', 'TSV', 'CSV', 'HetRec', 'Last', 'fm',
  'ListenBrainz', 'Spotify', 'Spark', 'Million', 'Playlist', 'Dataset', 'lines', 'user_artists', 'dat', '1K', 'ID3',
  'USLT', 'SYLT', 'APE', 'MP4', 'Vorbis', 'lyr', 'lrc', 'Alt', 'Ctrl', 'Shift', 'F10', 'Space', 'Enter', 'Sonare',
  'K', 'English', 'home', 'me', 'Music', 'Podcasts', 'flac', 'share', 'local', 'sonare', 'NDCG', 'A', 'B']);

/** Latin words in the page's text and its labelling attributes that are not kept words. */
function untranslated(page) {
  return page.evaluate((kept) => {
    const found = [];
    const check = (text, where) => {
      for (const word of text.match(/[A-Za-z][A-Za-z0-9_']*/g) || []) {
        // A key (C, Am, F#m) is written so in Korean too.
        if (!kept.includes(word) && !/^[A-G][b#]?m?$/.test(word)) found.push(`${where}: ${word} (in “${text.trim().slice(0, 60)}”)`);
      }
    };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement.closest('script, style, code')) continue;
      check(node.textContent, node.parentElement.id || node.parentElement.tagName);
    }
    for (const el of document.querySelectorAll('[title], [aria-label], [placeholder], optgroup[label]')) {
      for (const attr of ['title', 'aria-label', 'placeholder', 'label']) {
        const value = el.getAttribute(attr);
        if (value && !(attr === 'title' && el.closest('#track-viewport'))) check(value, `${el.id || el.tagName}[${attr}]`);
      }
    }
    check(document.title, 'title');
    return found;
  }, [...KEPT]);
}

test('the catalogues agree key for key, and every catalogue is listed', async () => {
  const load = async (file) => (await import(path.join(i18n, file))).default;
  const en = await load('en.js');
  const languages = await load('languages.js');
  const files = fs.readdirSync(i18n).filter((f) => f.endsWith('.js') && f !== 'languages.js');
  assert.deepEqual(files.map((f) => f.replace('.js', '')).sort(), languages.map((l) => l.tag).sort());
  for (const file of files) {
    const catalogue = await load(file);
    assert.deepEqual(Object.keys(catalogue).sort(), Object.keys(en).sort(), `${file} has the keys of en.js`);
    for (const [key, value] of Object.entries(catalogue)) {
      const names = (v) => [...JSON.stringify(v).matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      assert.deepEqual([...new Set(names(value))], [...new Set(names(en[key]))], `${file} ${key} keeps its placeholders`);
    }
  }
});

test('in Korean, no view, panel, menu or dialog shows English of its own', async () => {
  const { page, problems } = await openApp(koreanLibrary(), { view: 'discover' });
  await page.waitForFunction(() => document.documentElement.lang === 'ko');
  await page.waitForSelector('#discover-list li');
  const seen = [];
  const scan = async (where) => { for (const w of await untranslated(page)) seen.push(`${where} → ${w}`); };
  await scan('discover');
  for (const view of ['tracks', 'albums', 'failures', 'folders', 'taste', 'artists', 'playlists', 'history', 'liked', 'exclusions', 'settings']) {
    await page.click(`.nav[data-view="${view}"]`);
    await page.waitForFunction((v) => !document.querySelector(`#view-${v}`).hidden, view);
    await page.waitForTimeout(100);
    await scan(view);
  }
  // An artist's page, the track view with lyrics, the lyrics and queue panels, a song's menu, A → B.
  await page.click('.nav[data-view="artists"]');
  await page.click('#artist-cards .artist-card');
  await page.waitForFunction(() => !document.querySelector('#artist-page').hidden);
  await scan('artist page');
  await page.click('.nav[data-view="tracks"]');
  await page.waitForSelector('#track-viewport .track-row');
  await page.click('#track-viewport .track-row[data-index="1"] .col-info');
  await page.waitForFunction(() => !document.querySelector('#track-panel').hidden);
  await scan('track view');
  await page.dblclick('#track-viewport .track-row[data-index="1"]');
  await page.waitForFunction(() => document.querySelector('#np-play').getAttribute('aria-label') === '일시 정지');
  await page.click('#np-lyrics-toggle');
  await page.waitForSelector('#lyrics-lines .lyric');
  await scan('lyrics panel');
  await page.click('#np-queue-toggle');
  await page.waitForSelector('#queue-list li');
  await scan('queue');
  await page.click('#track-viewport .track-row[data-index="2"]', { button: 'right' });
  await page.waitForSelector('.context-menu');
  await scan('menu');
  await page.click('.context-menu [data-path]');
  await page.waitForFunction(() => document.querySelector('#ab-dialog').open);
  await scan('A to B');
  assert.deepEqual(seen, []);
  assert.equal(await page.getAttribute('html', 'lang'), 'ko');
  assert.deepEqual(problems, []);
});

test('numbers, dates and names follow the language; the setting switches it back', async () => {
  const { page, problems } = await openApp(koreanLibrary(), { view: 'tracks' });
  await page.waitForSelector('#track-viewport .track-row');
  assert.equal(await page.textContent('#count'), '24곡');
  const sorted = await page.evaluate(async () => {
    const { compareNames, formatNumber, formatDate } = await import('/js/i18n.js');
    return {
      names: ['다람쥐', 'The Beatles', '나비', 'Abba', '가을', 'Coldplay'].sort(compareNames),
      number: formatNumber(1234567.5),
      date: formatDate(new Date(2026, 11, 7), { dateStyle: 'long' }),
    };
  });
  assert.deepEqual(sorted.names.filter((n) => /[가-힣]/.test(n)), ['가을', '나비', '다람쥐']);
  assert.deepEqual(sorted.names.filter((n) => /[A-Z]/.test(n)), ['Abba', 'The Beatles', 'Coldplay'], 'articles set aside');
  assert.equal(sorted.number, '1,234,567.5');
  assert.equal(sorted.date, '2026년 12월 7일');
  // The track view stays open while the language changes: it is made again in the new language.
  await page.click('#track-viewport .track-row[data-index="0"] .col-info');
  await page.waitForFunction(() => !document.querySelector('#track-panel').hidden);
  assert.match(await page.textContent('#tp-facts'), /길이/);
  await page.click('.nav[data-view="settings"]');
  await page.waitForFunction(() => document.querySelector('#set-language option[value="ko"]'));
  assert.equal(await page.inputValue('#set-language'), 'ko');
  await page.selectOption('#set-language', 'en');
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  assert.equal(await page.textContent('.nav[data-view="settings"]'), 'Settings');
  await page.waitForFunction(() => /Length/.test(document.querySelector('#tp-facts').textContent));
  assert.equal(await page.textContent('#np-title'), 'Nothing playing');
  assert.equal(await page.evaluate(() => window.__FAKE_SETTINGS__.language), 'en');
  await page.selectOption('#set-language', '');
  // Following the system: this Chromium speaks English.
  await page.waitForFunction(() => window.__FAKE_SETTINGS__.language === null);
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.deepEqual(problems, []);
});

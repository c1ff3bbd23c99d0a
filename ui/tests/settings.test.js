// The Settings view in a real browser (Debian's Chromium) with the Rust side faked: every setting
// shows its stored value and saves a change, a refused value is put back with the reason, folders
// are removed and rescanned, re-analysis starts, and backup, export and restore say what they did.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appForTests, makeTracks } from './harness.js';

// One server and one Chromium for this file's tests.
const openApp = appForTests();

function library(extra = {}) {
  return {
    tracks: makeTracks(6),
    folders: [{ id: 1, path: '/music' }, { id: 2, path: '/media/usb/<b>Music</b>' }],
    devices: ['Built-in Audio', 'USB DAC'],
    settings: { normalisation: 'album', fresh_days: 14 },
    pickFolder: '/home/me/keep',
    ...extra,
  };
}

const calls = (page, command) => page.evaluate((c) => window.__FAKE_CALLS__.filter((x) => x.command === c), command);
const stored = (page) => page.evaluate(() => ({ ...window.__FAKE_SETTINGS__ }));
const message = (page) => page.$eval('#message', (m) => m.textContent);

async function openSettings(page) {
  await page.click('.nav[data-view="settings"]');
  await page.waitForSelector('#view-settings:not([hidden]) #settings-folders li');
}

test('every setting shows its stored value and saves a change', async () => {
  const { page, problems } = await openApp(library());
  await openSettings(page);
  assert.equal(await page.inputValue('#set-normalisation'), 'album');
  assert.equal(await page.inputValue('#set-fresh_days'), '14');
  assert.equal(await page.inputValue('#set-discover_size'), '30');
  assert.equal(await page.inputValue('#set-analysis_pause'), 'never');
  assert.equal(await page.inputValue('#set-output_device'), '');
  assert.equal(await page.isChecked('#set-watch_folders'), true);
  assert.match(await page.textContent('#settings-data-dir'), /\.local\/share\/sonare/);
  assert.deepEqual(await page.$$eval('#set-output_device option', (o) => o.map((x) => x.textContent)),
    ['System default', 'Built-in Audio', 'USB DAC']);

  await page.selectOption('#set-normalisation', 'off');
  await page.selectOption('#set-output_device', 'USB DAC');
  await page.selectOption('#set-analysis_pause', 'on_battery');
  assert.equal(await page.inputValue('#set-crossfade_seconds'), '0');
  await page.fill('#set-crossfade_seconds', '6');
  await page.press('#set-crossfade_seconds', 'Enter');
  await page.fill('#set-analysis_threads', '1');
  await page.press('#set-analysis_threads', 'Enter');
  await page.fill('#set-fresh_days', '60');
  await page.press('#set-fresh_days', 'Enter');
  await page.fill('#set-discover_size', '50');
  await page.press('#set-discover_size', 'Enter');
  await page.uncheck('#set-watch_folders');
  await page.waitForFunction(() => window.__FAKE_SETTINGS__.watch_folders === false);
  assert.deepEqual(await stored(page), {
    watch_folders: false, normalisation: 'off', crossfade_seconds: 6, output_device: 'USB DAC', analysis_threads: 1,
    analysis_pause: 'on_battery', fresh_days: 60, discover_size: 50, language: null,
  });
  // Back to the system's default device: null, not an empty name.
  await page.selectOption('#set-output_device', '');
  await page.waitForFunction(() => window.__FAKE_SETTINGS__.output_device === null);
  // Opening the view again shows what is stored.
  await page.click('.nav[data-view="tracks"]');
  await openSettings(page);
  assert.equal(await page.inputValue('#set-discover_size'), '50');
  assert.equal(await page.isChecked('#set-watch_folders'), false);
  assert.deepEqual(problems, []);
});

test('a refused value is put back and the reason shown', async () => {
  const { page, problems } = await openApp(library());
  await openSettings(page);
  await page.fill('#set-discover_size', '900');
  await page.press('#set-discover_size', 'Enter');
  await page.waitForFunction(() => /discover_size/.test(document.querySelector('#message').textContent));
  assert.equal(await page.inputValue('#set-discover_size'), '30');
  assert.equal(await page.getAttribute('#set-discover_size', 'aria-invalid'), 'true');
  assert.equal((await stored(page)).discover_size, 30);
  assert.deepEqual(problems, []);
});

test('folders are removed (names as text) and rescanned, and re-analysis starts', async () => {
  const { page, problems } = await openApp(library());
  await openSettings(page);
  // A folder name that looks like markup is shown as text.
  assert.deepEqual(await page.$$eval('#settings-folders .settings-folder', (n) => n.map((x) => x.textContent)),
    ['/music', '/media/usb/<b>Music</b>']);
  assert.equal(await page.$$eval('#settings-folders b', (n) => n.length), 0);
  await page.click('#settings-folders li[data-path="/media/usb/<b>Music</b>"] .remove-folder');
  await page.waitForFunction(() => document.querySelectorAll('#settings-folders li').length === 1);
  assert.deepEqual((await calls(page, 'remove_folder')).map((c) => c.args.path), ['/media/usb/<b>Music</b>']);
  await page.click('#settings-rescan');
  await page.waitForFunction(() => window.__FAKE_CALLS__.some((c) => c.command === 'scan_library'));
  await page.click('#settings-reanalyse');
  await page.waitForFunction(() => /6 songs will be analysed again/.test(document.querySelector('#message').textContent));
  await page.click('#settings-exclusions');
  await page.waitForSelector('#view-exclusions:not([hidden])');
  assert.deepEqual(problems, []);
});

test('backup, export and restore ask for a folder and say what they did', async () => {
  const { page, problems } = await openApp(library());
  await openSettings(page);
  await page.click('#settings-backup');
  await page.waitForFunction(() => /Backed up to \/home\/me\/keep\/sonare-backup/.test(document.querySelector('#message').textContent));
  await page.click('#settings-export');
  await page.waitForFunction(() => /Exported 4 plays, 2 likes, 1 hidden songs and 2 playlists/.test(document.querySelector('#message').textContent));
  await page.click('#settings-restore');
  await page.waitForFunction(() => /Restored 3 plays/.test(document.querySelector('#message').textContent));
  assert.match(await message(page), /2 plays are of songs not in this library/);
  assert.match(await message(page), /the first at line 7/);
  for (const command of ['backup_library', 'export_learned', 'restore_learned']) {
    assert.deepEqual((await calls(page, command)).map((c) => c.args.folder), ['/home/me/keep']);
  }
  assert.deepEqual(problems, []);
});

// The listener's own places in a real browser (Debian's Chromium) with the Rust side faked:
// playlists (make, add from a song's menu and by drag, reorder by drag and by keyboard, remove,
// rename, duplicate, export, delete, unmatched entries greyed), artists and an artist's page,
// recently played, liked songs, leave out, save as playlist, keyboard and 200 % zoom.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appForTests, makeTracks } from './harness.js';

// One server and one Chromium for this file's tests.
const openApp = appForTests();

const NOW = Math.floor(new Date('2026-11-29T12:00:00').getTime() / 1000);

function library(extra = {}) {
  const tracks = makeTracks(12);
  // A soundtrack: two composers, one album artist.
  Object.assign(tracks[9], { artist: 'Composer A', album: 'The Game OST', album_artist: 'Game Team' });
  Object.assign(tracks[10], { artist: 'Composer B', album: 'The Game OST', album_artist: 'Game Team' });
  Object.assign(tracks[11], { artist: 'Composer A', album: 'Solo', genre: 'Audiobook', path: '/music/books/11.flac' });
  return {
    tracks,
    folders: [{ id: 1, path: '/music' }],
    playlists: [
      { id: 1, name: 'Evening', source: '/lists/evening.m3u', entries: [{ track_id: 1 }, { artist: 'Nobody', title: 'Not Here Yet', location: '/elsewhere/x.ogg' }, { track_id: 2 }, { track_id: 3 }] },
      { id: 2, name: '<img src=x onerror=alert(1)>', entries: [] },
    ],
    plays: [
      { track_id: 1, started_at: NOW - 600, heard_ms: 200_000, end: 'completed', source: 'local' },
      { track_id: 2, started_at: NOW - 300, heard_ms: 8_000, end: 'skipped', source: 'local' },
      { track_id: 7, started_at: NOW - 86_400 - 60, heard_ms: 180_000, end: null, source: 'spotify' },
      { track_id: 1, started_at: NOW - 86_400 * 5, heard_ms: 90_000, end: 'stopped', source: 'listenbrainz' },
    ],
    artistsLike: { 'Miles Davis': { text: [['John Coltrane', 0.42]], listeners: [['Nina Simone', 0.31]] } },
    discover: { today: '2026-11-29', picks: [{ id: 4, kind: 'sounds', reason: 'sounds like Song 000001' }, { id: 6, kind: 'played', reason: 'because you played Song 000002' }] },
    exportPath: '/home/me/evening.m3u8',
    ...extra,
  };
}

const calls = (page, command) => page.evaluate((c) => window.__FAKE_CALLS__.filter((x) => x.command === c), command);
const entryTitles = (page) => page.$$eval('#pl-entries li .q-title', (n) => n.map((x) => x.textContent));

async function openPlaylist(page, name) {
  await page.click('.nav[data-view="playlists"]');
  await page.waitForSelector('#playlist-cards .playlist-open');
  await page.click(`#playlist-cards .playlist-open:has-text("${name}")`);
  await page.waitForSelector('#playlist-page:not([hidden]) #pl-entries li');
}

test('a playlist shows its songs, greys what is not in the library, plays, shuffles and queues', async () => {
  const { page, problems } = await openApp(library(), { clock: new Date(NOW * 1000) });
  await openPlaylist(page, 'Evening');
  assert.equal(await page.textContent('#pl-name'), 'Evening');
  assert.match(await page.textContent('#pl-facts'), /4 songs .* 1 not in the library .* imported from \/lists\/evening\.m3u/);
  assert.deepEqual(await entryTitles(page), ['Song 000000', 'Not Here Yet', 'Song 000001', 'Song 000002']);
  assert.equal(await page.$eval('#pl-entries li:nth-child(2)', (li) => li.classList.contains('unmatched')), true);
  await page.click('#pl-play');
  await page.click('#pl-shuffle');
  await page.click('#pl-queue');
  const plays = await calls(page, 'play_tracks');
  assert.deepEqual(plays[0].args.ids, [1, 2, 3], 'the unmatched entry is not played');
  assert.deepEqual([...plays[1].args.ids].sort(), [1, 2, 3]);
  const queued = (await calls(page, 'player_control')).find((c) => c.args.action.action === 'enqueue');
  assert.deepEqual(queued.args.action.tracks, [1, 2, 3]);
  // Double-click on an entry plays from there.
  await page.dblclick('#pl-entries li:nth-child(3)');
  const last = (await calls(page, 'play_tracks')).pop();
  assert.equal(last.args.index, 1);
  assert.equal(last.args.context, 'playlist');
  assert.deepEqual(problems, []);
});

test('making a playlist, adding from a song\'s menu and by dragging, and names shown as text', async () => {
  const { page, problems } = await openApp(library());
  await page.click('.nav[data-view="playlists"]');
  await page.waitForSelector('#playlist-cards .playlist-open');
  // A hostile name is text, not markup.
  assert.ok((await page.textContent('#playlist-cards')).includes('<img src=x onerror=alert(1)>'));
  assert.equal(await page.$$eval('#playlist-cards img', (n) => n.length), 0);
  await page.fill('#new-playlist-name', 'Road trip');
  await page.click('#new-playlist-form button');
  await page.waitForSelector('#playlist-page:not([hidden])');
  assert.equal(await page.textContent('#pl-name'), 'Road trip');
  assert.match(await page.textContent('#pl-entries'), /This playlist is empty/);
  // From the Songs view: right-click a song → Add to playlist → Road trip.
  await page.click('.nav[data-view="tracks"]');
  await page.waitForSelector('#track-viewport .track-row');
  await page.click('#track-viewport .track-row[data-id="5"]', { button: 'right' });
  await page.waitForSelector('.context-menu[role="menu"]');
  await page.click('.context-menu .menu-item:has-text("Road trip")');
  await page.waitForFunction(() => !document.querySelector('.context-menu'));
  assert.match(await page.textContent('#message'), /Added one song to Road trip/);
  // Drag a song from the Songs view onto the playlist in the sidebar.
  await page.waitForSelector('#sidebar-playlists .sidebar-playlist:has-text("Road trip")');
  await page.waitForSelector('#track-viewport .track-row[data-id="6"]');
  const dataTransfer = await page.evaluateHandle(() => new DataTransfer());
  await page.dispatchEvent('#track-viewport .track-row[data-id="6"]', 'dragstart', { dataTransfer });
  await page.dispatchEvent('#sidebar-playlists li:has-text("Road trip")', 'dragover', { dataTransfer });
  await page.dispatchEvent('#sidebar-playlists li:has-text("Road trip")', 'drop', { dataTransfer });
  await page.waitForFunction(() => /Added one song to Road trip/.test(document.querySelector('#message').textContent)
    && (document.querySelector('#sidebar-playlists .sidebar-playlist[title^="Road trip"]')?.title || '').includes('2 songs'));
  // The sidebar's playlist opens its page; a song dropped on its card in the Playlists view is added too.
  await page.click('#sidebar-playlists .sidebar-playlist:has-text("Road trip")');
  await page.waitForFunction(() => document.querySelector('#pl-name')?.textContent === 'Road trip');
  await page.click('#pl-back');
  await page.waitForSelector('#playlist-cards li:has-text("Road trip")');
  const drag2 = await page.evaluateHandle(() => { const d = new DataTransfer(); d.setData('application/x-sonare-tracks', '[7]'); return d; });
  await page.dispatchEvent('#playlist-cards li:has-text("Road trip")', 'dragover', { dataTransfer: drag2 });
  await page.dispatchEvent('#playlist-cards li:has-text("Road trip")', 'drop', { dataTransfer: drag2 });
  await page.waitForFunction(() => [...document.querySelectorAll('#playlist-cards li')].some((li) => li.textContent.includes('Road trip') && li.textContent.includes('3 songs')));
  const added = await calls(page, 'add_to_playlist');
  assert.deepEqual(added.map((c) => c.args.trackIds), [[5], [6], [7]]);
  assert.deepEqual(problems, []);
});

test('entries reorder by drag and by Alt+arrow, and are removed from their menu', async () => {
  const { page, problems } = await openApp(library());
  await openPlaylist(page, 'Evening');
  const dataTransfer = await page.evaluateHandle(() => new DataTransfer());
  await page.dispatchEvent('#pl-entries li[data-index="0"]', 'dragstart', { dataTransfer });
  await page.dispatchEvent('#pl-entries li[data-index="3"]', 'dragover', { dataTransfer });
  await page.dispatchEvent('#pl-entries li[data-index="3"]', 'drop', { dataTransfer });
  await page.waitForFunction(() => document.querySelector('#pl-entries li[data-index="3"] .q-title')?.textContent === 'Song 000000');
  assert.deepEqual(await entryTitles(page), ['Not Here Yet', 'Song 000001', 'Song 000002', 'Song 000000']);
  // Keyboard: focus the last entry, Alt+↑ moves it up one, and focus follows it.
  await page.focus('#pl-entries li[data-index="3"]');
  await page.keyboard.press('Alt+ArrowUp');
  await page.waitForFunction(() => document.querySelector('#pl-entries li[data-index="2"] .q-title')?.textContent === 'Song 000000');
  assert.equal(await page.evaluate(() => document.activeElement.dataset.index), '2');
  // Shift+F10 opens the entry's menu; arrows move, Enter picks "Remove from this playlist".
  await page.keyboard.press('Shift+F10');
  await page.waitForSelector('.context-menu[role="menu"]');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Remove from this playlist');
  await page.keyboard.press('ArrowDown');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Play next / add to queue');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelectorAll('#pl-entries li').length === 3);
  assert.deepEqual(await entryTitles(page), ['Not Here Yet', 'Song 000001', 'Song 000002']);
  const moves = await calls(page, 'move_in_playlist');
  assert.deepEqual(moves.map((c) => [c.args.from, c.args.to]), [[0, 3], [3, 2]]);
  assert.deepEqual((await calls(page, 'remove_from_playlist'))[0].args.positions, [2]);
  // Escape closes a menu and gives focus back to the row it was opened from.
  await page.focus('#pl-entries li[data-index="1"]');
  await page.keyboard.press('Shift+F10');
  await page.waitForSelector('.context-menu');
  await page.keyboard.press('Escape');
  assert.equal(await page.$('.context-menu'), null);
  assert.equal(await page.evaluate(() => document.activeElement.dataset.index), '1');
  assert.deepEqual(problems, []);
});

test('rename, duplicate, export and delete a playlist', async () => {
  const { page, problems } = await openApp(library());
  await openPlaylist(page, 'Evening');
  await page.click('#pl-rename');
  await page.fill('#pl-name-input', 'Late evening');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('#pl-name')?.textContent === 'Late evening');
  await page.click('#pl-duplicate');
  await page.waitForFunction(() => document.querySelector('#pl-name')?.textContent === 'Late evening (copy)');
  assert.equal((await entryTitles(page)).length, 4);
  await page.click('#pl-export');
  await page.waitForFunction(() => /Exported 3 songs to \/home\/me\/evening\.m3u8/.test(document.querySelector('#message').textContent));
  await page.click('#pl-delete');
  assert.match(await page.textContent('#pl-actions'), /Delete Late evening \(copy\)\? The songs stay in your library/);
  await page.click('#pl-confirm-delete');
  await page.waitForSelector('#playlists-index:not([hidden]) #playlist-cards .playlist-open');
  const names = await page.$$eval('#playlist-cards .pl-name', (n) => n.map((x) => x.textContent));
  assert.deepEqual(names, ['<img src=x onerror=alert(1)>', 'Late evening']);
  // A bad name is refused with the core's message, and the playlist keeps its name.
  await page.click('#playlist-cards .playlist-open:has-text("Late evening")');
  await page.waitForSelector('#pl-rename');
  await page.click('#pl-rename');
  await page.fill('#pl-name-input', '   ');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => /needs a name/.test(document.querySelector('#message').textContent));
  assert.deepEqual(problems, []);
});

test('Discover Daily and the queue save as playlists', async () => {
  const { page, problems } = await openApp(library(), { view: null });
  await page.waitForSelector('#discover-list li[data-id]');
  await page.click('#discover-save');
  await page.waitForFunction(() => /Saved Discover Daily/.test(document.querySelector('#message').textContent));
  await page.click('#discover-play');
  await page.click('#np-queue-toggle');
  await page.click('#queue-save');
  await page.waitForFunction(() => /Saved as the playlist Queue/.test(document.querySelector('#message').textContent));
  await page.click('.nav[data-view="playlists"]');
  await page.waitForSelector('#playlist-cards li:has-text("Discover Daily 2026-11-29")');
  assert.deepEqual((await calls(page, 'save_discover_playlist')).map((c) => c.args.day), ['2026-11-29']);
  assert.deepEqual((await calls(page, 'create_playlist')).map((c) => c.args.trackIds), [[4, 6]]);
  await page.click('#playlist-cards .playlist-open:has-text("Discover Daily 2026-11-29")');
  await page.waitForSelector('#pl-entries li .q-title');
  assert.deepEqual(await entryTitles(page), ['Song 000003', 'Song 000005']);
  assert.deepEqual(problems, []);
});

test('artists: a grid with counts, sort and search; a compilation stands under its album artist', async () => {
  const { page, problems } = await openApp(library());
  await page.click('.nav[data-view="artists"]');
  await page.waitForSelector('#artist-cards .artist-card');
  const names = await page.$$eval('#artist-cards .pl-name', (n) => n.map((x) => x.textContent));
  assert.ok(names.includes('Game Team'), names.join(', '));
  assert.ok(!names.includes('Composer B'), 'a soundtrack composer is not an artist of their own');
  assert.deepEqual([...names].sort((a, b) => a.localeCompare(b)), names, 'sorted by name');
  assert.match(await page.textContent('#artist-cards [data-name="Game Team"]'), /2 songs · 1 album/);
  await page.selectOption('#artist-sort', 'songs');
  await page.waitForFunction(() => document.querySelector('#artist-cards .pl-name')?.textContent !== 'Björk');
  const bySongs = await page.$$eval('#artist-cards small', (n) => n.map((x) => Number(x.textContent.split(' ')[0])));
  assert.deepEqual([...bySongs].sort((a, b) => b - a), bySongs);
  await page.fill('#search', 'game');
  await page.waitForFunction(() => document.querySelectorAll('#artist-cards .artist-card').length === 1);
  assert.equal(await page.textContent('#count'), '1 artist');
  assert.deepEqual(problems, []);
});

test('an artist page: play, albums, most played, all songs, artists like this by model', async () => {
  const { page, problems } = await openApp(library());
  await page.click('.nav[data-view="artists"]');
  await page.click('#artist-cards [data-name="Miles Davis"]');
  await page.waitForSelector('#artist-page:not([hidden])');
  assert.equal(await page.textContent('#ar-name'), 'Miles Davis');
  assert.match(await page.textContent('#ar-facts'), /2 songs · 1 album/);
  assert.match(await page.textContent('#ar-top'), /Song 000000.*2 plays/);
  assert.match(await page.textContent('#ar-like-text'), /John Coltrane/);
  assert.match(await page.textContent('#ar-like-listeners'), /Nina Simone/);
  await page.click('#ar-play');
  const play = (await calls(page, 'play_tracks')).pop();
  assert.deepEqual(play.args.ids, [1, 7]);
  assert.equal(play.args.context, 'artist');
  // A similar artist's chip opens their page; "Go to artist" in a song's menu does too.
  await page.click('#ar-like-text button:has-text("John Coltrane")');
  await page.waitForFunction(() => document.querySelector('#ar-name').textContent === 'John Coltrane');
  assert.match(await page.textContent('#ar-like-listeners'), /Import shared co-listening data/);
  await page.click('.nav[data-view="tracks"]');
  await page.click('#track-viewport .track-row[data-id="10"]', { button: 'right' });
  await page.click('.context-menu .menu-item:has-text("Go to Game Team")');
  await page.waitForFunction(() => document.querySelector('#ar-name')?.textContent === 'Game Team');
  assert.match(await page.textContent('#ar-albums'), /The Game OST/);
  assert.deepEqual(problems, []);
});

test('recently played: day headings, time, how it ended and where it came from', async () => {
  const { page, problems } = await openApp(library(), { clock: new Date(NOW * 1000) });
  await page.click('.nav[data-view="history"]');
  await page.waitForSelector('.history-day');
  const days = await page.$$eval('.history-day', (s) => s.map((d) => ({
    head: d.querySelector('h3').textContent,
    rows: [...d.querySelectorAll('li')].map((li) => `${li.querySelector('.q-title').textContent} | ${li.querySelector('.ti-detail').textContent}`),
  })));
  assert.equal(days[0].head, 'Today');
  assert.match(days[0].rows[0], /^Song 000001 \| .*skipped 8 s · Sonare$/);
  assert.match(days[0].rows[1], /^Song 000000 \| .*completed · Sonare$/);
  assert.equal(days[1].head, 'Yesterday');
  assert.match(days[1].rows[0], /Song 000006 \| .*Spotify import/);
  assert.match(days[2].rows[0], /heard 90 s · ListenBrainz import/);
  assert.equal(await page.textContent('#count'), '4 plays');
  assert.deepEqual(problems, []);
});

test('likes: from a row, from the player bar, and the Liked songs view', async () => {
  const { page, problems } = await openApp(library());
  await openPlaylist(page, 'Evening');
  await page.click('#pl-entries li[data-index="2"] .like');
  await page.waitForSelector('#pl-entries li[data-index="2"] .like[aria-pressed="true"]');
  await page.dblclick('#pl-entries li[data-index="3"]');
  await page.waitForSelector('#np-like:not([disabled])');
  await page.click('#np-like');
  await page.waitForSelector('#np-like[aria-pressed="true"]');
  await page.click('.nav[data-view="liked"]');
  await page.waitForSelector('#liked-list li .q-title');
  assert.deepEqual(await page.$$eval('#liked-list .q-title', (n) => n.map((x) => x.textContent)), ['Song 000002', 'Song 000001']);
  assert.equal(await page.textContent('#count'), '2 liked songs');
  await page.click('#liked-list li:first-child .like');
  await page.waitForFunction(() => document.querySelectorAll('#liked-list li .q-title').length === 1);
  await page.waitForSelector('#np-like[aria-pressed="true"]', { state: 'detached', timeout: 100 }).catch(() => {});
  assert.deepEqual(problems, []);
});

test('leave out: from a song\'s menu, listed with undo, and typed in', async () => {
  const { page, problems } = await openApp(library());
  await page.click('.nav[data-view="tracks"]');
  await page.waitForSelector('#track-viewport .track-row[data-id="12"]');
  await page.click('#track-viewport .track-row[data-id="12"]', { button: 'right' });
  assert.match(await page.textContent('.context-menu [data-leave="genre"]'), /Genre: Audiobook/);
  await page.click('.context-menu [data-leave="folder"]');
  await page.waitForFunction(() => /Left out of your lists .*\/music\/books/.test(document.querySelector('#message').textContent));
  await page.click('.nav[data-view="exclusions"]');
  await page.waitForSelector('#exclusion-list li[data-kind="folder"]');
  assert.equal(await page.textContent('#exclusion-list .ex-label'), '/music/books');
  await page.selectOption('#exclusion-kind', 'artist');
  await page.fill('#exclusion-label', 'Björk');
  await page.click('#exclusion-form button');
  await page.waitForSelector('#exclusion-list li[data-kind="artist"]');
  await page.click('#exclusion-list li[data-kind="folder"] .undo');
  await page.waitForFunction(() => !document.querySelector('#exclusion-list li[data-kind="folder"]'));
  assert.match(await page.textContent('#message'), /\/music\/books is back/);
  assert.deepEqual((await calls(page, 'exclude')).map((c) => [c.args.kind, c.args.label]), [['folder', '/music/books'], ['artist', 'Björk']]);
  assert.deepEqual(problems, []);
});

test('the new views have list and menu roles, visible focus, and fit at 200 % zoom', async () => {
  const { page, problems } = await openApp(library());
  await page.setViewportSize({ width: 600, height: 390 });
  for (const view of ['playlists', 'artists', 'history', 'liked', 'exclusions']) {
    await page.click(`.nav[data-view="${view}"]`);
    await page.waitForSelector(`#view-${view}:not([hidden])`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `${view}: the page is ${overflow}px wider than the window`);
  }
  await openPlaylist(page, 'Evening');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `a playlist page is ${overflow}px wider than the window`);
  await page.focus('#pl-entries li[data-index="0"]');
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert.notEqual(outline, 'none', 'focus is visible');
  await page.keyboard.press('Shift+F10');
  await page.waitForSelector('.context-menu');
  assert.ok(await page.$eval('.context-menu', (m) => m.getAttribute('role') === 'menu' && m.querySelectorAll('[role="menuitem"]').length > 3));
  const box = await page.$eval('.context-menu', (m) => { const r = m.getBoundingClientRect(); return [r.left, r.right, r.top, r.bottom]; });
  assert.ok(box[0] >= 0 && box[1] <= 600 && box[2] >= 0 && box[3] <= 390, `the menu fits the window: ${box}`);
  assert.deepEqual(problems, []);
});

test('a Discover Daily song has the same menu: leave its folder out, add it to a playlist', async () => {
  const { page, problems } = await openApp(library(), { view: null });
  await page.waitForSelector('#discover-list li[data-id="4"]');
  await page.click('#discover-list li[data-id="4"]', { button: 'right' });
  await page.waitForSelector('.context-menu [data-leave="folder"]');
  assert.match(await page.textContent('.context-menu [data-leave="folder"]'), /Folder: \/music$/);
  await page.click('.context-menu [data-playlist="1"]');
  await page.waitForFunction(() => /Added one song to Evening/.test(document.querySelector('#message').textContent));
  await page.focus('#discover-list li[data-id="6"]');
  await page.keyboard.press('Shift+F10');
  await page.waitForSelector('.context-menu');
  await page.click('.context-menu [data-leave="artist"]');
  await page.waitForFunction(() => /Left out of your lists .*少女時代/.test(document.querySelector('#message').textContent));
  assert.deepEqual((await calls(page, 'add_to_playlist')).map((c) => [c.args.id, c.args.trackIds]), [[1, [4]]]);
  assert.deepEqual((await calls(page, 'exclude')).map((c) => [c.args.kind, c.args.label]), [['artist', '少女時代']]);
  assert.deepEqual(problems, []);
});

test('several songs are picked with Ctrl/Shift (or Space) and added, dragged or removed together', async () => {
  const { page, problems } = await openApp(library());
  await page.click('.nav[data-view="artists"]');
  await page.click('#artist-cards [data-name="Game Team"]');
  await page.waitForSelector('#ar-tracks li[data-index="1"]');
  await page.click('#ar-tracks li[data-index="0"] .q-text');
  await page.click('#ar-tracks li[data-index="1"] .q-text', { modifiers: ['Control'] });
  assert.deepEqual(await page.$$eval('#ar-tracks li[aria-selected="true"]', (n) => n.map((x) => Number(x.dataset.id))), [10, 11]);
  assert.equal(await page.getAttribute('#ar-tracks', 'aria-multiselectable'), 'true');
  await page.click('#ar-tracks li[data-index="1"]', { button: 'right' });
  await page.click('.context-menu [data-playlist="1"]');
  await page.waitForFunction(() => /Added 2 songs to Evening/.test(document.querySelector('#message').textContent));
  assert.deepEqual((await calls(page, 'add_to_playlist')).map((c) => c.args.trackIds), [[10, 11]]);
  // In a playlist: Shift+click picks a range (the unmatched entry is left out), one menu removes it.
  await openPlaylist(page, 'Evening');
  await page.click('#pl-entries li[data-index="0"] .q-text');
  await page.click('#pl-entries li[data-index="2"] .q-text', { modifiers: ['Shift'] });
  assert.deepEqual(await page.$$eval('#pl-entries li[aria-selected="true"]', (n) => n.map((x) => Number(x.dataset.index))), [0, 2]);
  // Space adds the focused row to the selection.
  await page.focus('#pl-entries li[data-index="3"]');
  await page.keyboard.press(' ');
  assert.deepEqual(await page.$$eval('#pl-entries li[aria-selected="true"]', (n) => n.map((x) => Number(x.dataset.index))), [0, 2, 3]);
  await page.click('#pl-entries li[data-index="2"]', { button: 'right' });
  await page.click('.context-menu .menu-item:has-text("Remove 3 songs from this playlist")');
  await page.waitForFunction(() => document.querySelectorAll('#pl-entries li[data-index]').length === 3);
  assert.deepEqual(await entryTitles(page), ['Not Here Yet', 'Song 000009', 'Song 000010']);
  assert.deepEqual((await calls(page, 'remove_from_playlist')).pop().args.positions, [0, 2, 3]);
  assert.deepEqual(problems, []);
});

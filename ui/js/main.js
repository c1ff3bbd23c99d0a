// Sonare's library window: songs (virtualised, sortable, searchable), albums, unreadable files, folders.

import { api, coverUrl, errorText } from './api/index.js';
import { $, el, formatDuration } from './dom.js';
import { VirtualList } from './virtual-list.js';
import { initPlayer, player, rerenderPlayer } from './player.js';
import { initAnalysis, keyCell, onAnalysisEvent, showTrack } from './analysis.js';
import { initForYou, onImportEvent, refreshForYou } from './for-you.js';
import { initDiscover, refreshDiscover } from './discover.js';
import { initTrackMenu, openTrackMenu, draggableTracks } from './track-menu.js';
import { initPlaylists, refreshPlaylists, refreshSidebarPlaylists, saveAsPlaylist } from './places/playlists.js';
import { initArtists, openArtist, refreshArtists, searchArtists } from './places/artists.js';
import { initHistory, refreshHistory, refreshLiked } from './places/history.js';
import { initExclusions, refreshExclusions } from './places/exclusions.js';
import { initMixes, openPathDialog, refreshMixes } from './mixes.js';
import { initRadio, showBadge, startRadio } from './radio.js';
import { initSettings, refreshSettings } from './settings.js';
import { formatDate, setLanguage, t } from './i18n.js';

const ROW_HEIGHT = 34;

const VIEWS = ['discover', 'tracks', 'albums', 'failures', 'folders', 'taste', 'artists', 'playlists', 'history', 'liked', 'exclusions', 'settings'];

const state = {
  // The home view is Discover Daily; a link to another view (index.html#tracks) opens that one.
  view: VIEWS.includes(location.hash.slice(1)) ? location.hash.slice(1) : 'discover',
  search: '',
  sort: 'artist',
  descending: false,
  scanning: false,
  total: 0,
};

let list;

function showMessage(text, kind = 'info') {
  const box = $('message');
  box.textContent = text;
  box.dataset.kind = kind;
  box.hidden = !text;
}

function viewQuery() {
  return { search: state.search, sort: state.sort, descending: state.descending };
}

function playRow(index) {
  const context = state.search.trim() ? 'search' : 'library';
  api.playView(viewQuery(), index, context).catch((e) => showMessage(errorText(e), 'error'));
}

function renderTrackRow(track, index) {
  const playing = player.track && player.track.id === track.id;
  const row = el('div', {
    class: `track-row${index % 2 ? ' odd' : ''}${playing ? ' playing' : ''}`,
    role: 'row',
    dataset: { id: track.id, index },
    title: track.path,
    ondblclick: () => playRow(index),
  }, [
    el('span', { class: 'col col-title', text: track.title }),
    el('span', { class: 'col col-artist', text: track.artist }),
    el('span', { class: 'col col-album', text: track.album }),
    el('span', { class: 'col col-year', text: track.year ?? '' }),
    el('span', { class: 'col col-bpm', text: track.bpm ? Math.round(track.bpm) : '' }),
    el('span', { class: 'col col-key', title: track.key || '', text: keyCell(track) }),
    el('span', { class: 'col col-duration', text: formatDuration(track.duration_s) }),
    el('button', {
      class: 'col col-info',
      title: t('track.details_title'),
      'aria-label': t('track.details_of', { title: track.title }),
      onclick: (event) => {
        event.stopPropagation();
        showTrack(track.id).catch((e) => showMessage(errorText(e), 'error'));
      },
      ondblclick: (event) => event.stopPropagation(),
      text: 'ⓘ',
    }),
  ]);
  // The song's menu (right-click) and dragging it onto a playlist.
  row.addEventListener('contextmenu', (event) => {
    event.preventDefault();
    openTrackMenu([track], { x: event.clientX, y: event.clientY, returnTo: $('track-viewport') })
      .catch((e) => showMessage(errorText(e), 'error'));
  });
  draggableTracks(row, () => [track.id]);
  return row;
}

function updateCount(total) {
  state.total = total;
  $('count').textContent = t('count.songs', { n: total });
}

function updateSortHeaders() {
  for (const button of document.querySelectorAll('.track-header [data-sort]')) {
    const active = button.dataset.sort === state.sort;
    button.classList.toggle('sorted', active);
    button.setAttribute('aria-sort', active ? (state.descending ? 'descending' : 'ascending') : 'none');
  }
}

async function refreshTracks(options) {
  updateSortHeaders();
  await list.reset(options);
}

async function refreshAlbums() {
  const albums = await api.albums(state.search);
  $('count').textContent = t('count.albums', { n: albums.length });
  const grid = $('album-grid');
  const play = (album) => api.playAlbum(album.album, album.album_artist).catch((e) => showMessage(errorText(e), 'error'));
  grid.replaceChildren(...albums.map((album) => el('figure', { class: 'album', title: t('albums.double_click'), ondblclick: () => play(album) }, [
    album.cover
      ? el('img', { src: coverUrl(album.cover), alt: '', loading: 'lazy', width: 160, height: 160 })
      : el('div', { class: 'cover-placeholder', 'aria-hidden': 'true', text: (album.album || '?').slice(0, 1) }),
    el('figcaption', {}, [
      el('strong', { text: album.album }),
      el('span', { text: album.artist }),
      el('small', { text: `${t('count.songs', { n: album.tracks })}${album.year ? ` · ${album.year}` : ''}` }),
      el('button', {
        class: 'link album-radio',
        title: t('albums.radio_title'),
        'aria-label': t('albums.radio_from', { album: album.album }),
        text: t('radio.button'),
        onclick: () => startRadio([{ kind: 'album', album: album.album, album_artist: album.album_artist }]).catch((e) => showMessage(errorText(e), 'error')),
      }),
    ]),
  ])));
}

async function refreshFailures() {
  const failures = await api.failures();
  $('failure-list').replaceChildren(...failures.map((f) => el('li', {}, [
    el('code', { class: 'path', text: f.path }),
    el('span', { class: 'reason', text: f.error }),
  ])));
  if (!failures.length) $('failure-list').replaceChildren(el('li', { class: 'none', text: t('failures.none') }));
}

async function refreshFolders() {
  const folders = await api.folders();
  $('folder-list').replaceChildren(...folders.map((f) => el('li', { text: f.path })));
}

async function refreshOverview() {
  const overview = await api.overview();
  const badge = $('failure-count');
  badge.textContent = String(overview.failures);
  badge.hidden = overview.failures === 0;
  return overview;
}

async function show(view, { keepScroll = false } = {}) {
  state.view = view;
  for (const button of document.querySelectorAll('.nav')) {
    if (button.dataset.view === view) button.setAttribute('aria-current', 'page');
    else button.removeAttribute('aria-current');
  }
  const overview = await refreshOverview();
  const empty = overview.tracks === 0 && overview.folders === 0 && !state.scanning;
  const visible = empty && ['tracks', 'albums', 'discover'].includes(view) ? 'empty' : view;
  for (const section of document.querySelectorAll('.view')) section.hidden = section.id !== `view-${visible}`;
  $('search').disabled = !(view === 'tracks' || view === 'albums' || view === 'artists');
  if (visible === 'tracks') await refreshTracks({ keepScroll });
  else if (visible === 'albums') await refreshAlbums();
  else if (visible === 'failures') await refreshFailures();
  else if (visible === 'folders') await refreshFolders();
  else if (visible === 'taste') await refreshForYou();
  else if (visible === 'discover') await Promise.all([refreshDiscover(), refreshMixes()]);
  else if (visible === 'playlists') await refreshPlaylists();
  else if (visible === 'artists') await refreshArtists();
  else if (visible === 'history') await refreshHistory();
  else if (visible === 'liked') await refreshLiked();
  else if (visible === 'exclusions') await refreshExclusions();
  else if (visible === 'settings') await refreshSettings();
  if (empty) $('count').textContent = '';
}

/** The scan panel, from the job events: the demo's download, then the scan's phases. */
function onScanEvent(event) {
  const label = $('scan-label');
  const bar = $('scan-progress');
  const file = $('scan-file');
  if (event.event === 'fetching') {
    label.textContent = event.package ? t('scan.fetching', { name: event.package }) : t('scan.fetched');
    bar.max = event.total || 1;
    bar.value = event.done;
    file.textContent = '';
  } else if (event.event === 'scanning') {
    const phase = t(`scan.phase_${event.phase}`);
    label.textContent = event.total ? `${phase} ${event.done} / ${event.total}` : phase;
    bar.max = event.total || 1;
    bar.value = event.done;
    file.textContent = event.current ? event.current.split(/[\\/]/).pop() : '';
    file.title = event.current || '';
  }
}

/** Says what a scan found. `quiet`: say nothing unless something changed. */
function announceScan(report, { quiet = false } = {}) {
  const changed = report.added + report.updated + report.moved + report.missing;
  const parts = [t('scan.added', { n: report.added }), t('scan.updated', { n: report.updated }), t('scan.moved', { n: report.moved }), t('scan.missing', { n: report.missing })];
  if (report.failed.length) parts.push(t('scan.unreadable', { n: report.failed.length }));
  let text = t(report.cancelled ? 'scan.cancelled' : 'scan.finished', { parts: parts.join(', ') });
  if (report.walk_errors.length) {
    const first = report.walk_errors[0];
    text += ` ${t('scan.walk_errors', { n: report.walk_errors.length, path: first.path, error: first.error })}`;
  }
  if (!quiet || changed > 0 || report.walk_errors.length) showMessage(text);
}

/** Asks for a scan-like job (scan, demo) and says what it found. The analysis of what changed
 *  follows by itself; its progress shows in its own panel. */
async function runJob(start) {
  if (state.scanning) return;
  state.scanning = true;
  $('scan-status').hidden = false;
  showMessage('');
  try {
    announceScan(await start());
  } catch (err) {
    showMessage(errorText(err), 'error');
  } finally {
    state.scanning = false;
    $('scan-status').hidden = true;
    await show(state.view, { keepScroll: true });
  }
}

/** Every job event, whoever asked for the job (the window, or the app at its start). */
function onJobEvent(event) {
  if (event.event === 'fetching' || event.event === 'scanning') {
    $('scan-status').hidden = false;
    onScanEvent(event);
  } else if (event.event === 'scanned' && !state.scanning) {
    // The app's own rescan at start: announced only if something changed.
    $('scan-status').hidden = true;
    announceScan(event, { quiet: true });
    show(state.view, { keepScroll: true }).catch((e) => showMessage(errorText(e), 'error'));
  } else if (event.event === 'failed' && event.stage !== 'analysis') {
    if (!state.scanning) $('scan-status').hidden = true;
    showMessage(event.message, 'error');
  }
  onAnalysisEvent(event);
  onImportEvent(event);
}

/** The player bar's heart, for the song playing. */
function refreshPlayerLike() {
  const button = $('np-like');
  const track = player.track;
  button.disabled = !track;
  if (!track) return;
  api.likedAmong([track.id]).then((liked) => {
    if (player.track?.id !== track.id) return;
    const on = liked.includes(track.id);
    button.setAttribute('aria-pressed', String(on));
    button.textContent = on ? '♥' : '♡';
    button.setAttribute('aria-label', t(on ? 'like.unlike_title' : 'like.like_title', { title: track.title }));
  }).catch(() => {});
}

async function addFolder(path) {
  if (!path) return;
  try {
    await api.addFolder(path);
  } catch (err) {
    showMessage(errorText(err), 'error');
    return;
  }
  await runJob(api.scan);
}

async function pickAndAdd() {
  try {
    const path = await api.pickFolder();
    if (path) await addFolder(path);
  } catch (err) {
    showMessage(errorText(err), 'error');
  }
}

function bindPathForm(formId, inputId) {
  $(formId).addEventListener('submit', (event) => {
    event.preventDefault();
    const path = $(inputId).value.trim();
    $(inputId).value = '';
    addFolder(path);
  });
}

function debounce(fn, ms) {
  let timer;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

function init() {
  list = new VirtualList($('track-viewport'), {
    rowHeight: ROW_HEIGHT,
    fetchPage: (offset, limit) => api.tracks({ ...viewQuery(), offset, limit }),
    renderRow: renderTrackRow,
    onTotal: updateCount,
  });
  for (const button of document.querySelectorAll('.nav')) {
    button.addEventListener('click', () => show(button.dataset.view).catch((e) => showMessage(errorText(e), 'error')));
  }
  for (const button of document.querySelectorAll('.track-header [data-sort]')) {
    button.addEventListener('click', () => {
      if (state.sort === button.dataset.sort) state.descending = !state.descending;
      else {
        state.sort = button.dataset.sort;
        state.descending = false;
      }
      refreshTracks().catch((e) => showMessage(errorText(e), 'error'));
    });
  }
  const search = debounce(() => {
    if (state.view === 'artists') {
      searchArtists(state.search);
      return;
    }
    const refresh = state.view === 'albums' ? refreshAlbums : refreshTracks;
    refresh().catch((e) => showMessage(errorText(e), 'error'));
  }, 120);
  $('search').addEventListener('input', (event) => {
    state.search = event.target.value;
    search();
  });
  $('add-folder').addEventListener('click', pickAndAdd);
  $('empty-add').addEventListener('click', pickAndAdd);
  $('empty-demo').addEventListener('click', () => runJob(api.installDemo));
  $('rescan').addEventListener('click', () => runJob(api.scan));
  $('scan-cancel').addEventListener('click', () => api.jobControl('cancel'));
  bindPathForm('path-form', 'path-input');
  bindPathForm('path-form-2', 'path-input-2');
  initForYou({ showMessage });
  initDiscover({ showMessage });
  initPlaylists({ showMessage, show: (view) => show(view) });
  initArtists({ showMessage });
  initHistory({ showMessage });
  initExclusions({ showMessage });
  initSettings({
    showMessage,
    addFolder,
    rescan: () => runJob(api.scan),
    openExclusions: () => show('exclusions').catch((e) => showMessage(errorText(e), 'error')),
    languageChanged,
  });
  initMixes({
    notify: showMessage,
    show: (view) => show(view),
    changed: () => refreshSidebarPlaylists().catch(() => {}),
  });
  $('mix-back').addEventListener('click', () => show('discover').catch((e) => showMessage(errorText(e), 'error')));
  initRadio({ showMessage }).catch((e) => showMessage(errorText(e), 'error'));
  initTrackMenu({
    notify: showMessage,
    radio: (seeds) => startRadio(seeds),
    path: (track) => openPathDialog(track),
    openArtist: (name) => show('artists').then(() => openArtist(name)).catch((e) => showMessage(errorText(e), 'error')),
    changed: (what) => {
      const views = { playlists: 'playlists', likes: 'liked', exclusions: 'exclusions' };
      if (state.view === views[what]) show(state.view, { keepScroll: true }).catch(() => {});
      if (what === 'playlists') refreshSidebarPlaylists().catch(() => {});
      if (what === 'likes') refreshPlayerLike();
    },
  });
  $('discover-save').addEventListener('click', () => {
    const day = $('discover-day').value || null;
    api.saveDiscoverPlaylist(day)
      .then(() => { showMessage(day ? t('discover.saved_day', { day }) : t('discover.saved')); return refreshSidebarPlaylists(); })
      .catch((e) => showMessage(errorText(e), 'error'));
  });
  $('queue-save').addEventListener('click', () => {
    if (!player.queue.length) { showMessage(t('queue.empty')); return; }
    const name = t('queue.playlist_name', { when: formatDate(new Date(), { dateStyle: 'medium', timeStyle: 'short' }) });
    saveAsPlaylist(name, player.queue).then(() => refreshSidebarPlaylists()).catch((e) => showMessage(errorText(e), 'error'));
  });
  $('np-like').addEventListener('click', () => {
    const track = player.track;
    if (!track) return;
    const on = $('np-like').getAttribute('aria-pressed') === 'true';
    api.discoverFeedback(track.id, on ? 'unlike' : 'like')
      .then(() => { refreshPlayerLike(); if (state.view === 'liked') refreshLiked(); })
      .catch((e) => showMessage(errorText(e), 'error'));
  });
  initAnalysis({
    showMessage,
    onAnalysisProgress: () => {
      if (state.view === 'tracks' && !state.scanning) refreshTracks({ keepScroll: true }).catch(() => {});
    },
  });
  initPlayer({ showMessage, trackChanged: () => { list.rerender(); refreshPlayerLike(); } })
    .catch((e) => showMessage(errorText(e), 'error'));
  // Jobs are the app's: it rescans and analyses at start by itself; the window shows them.
  api.onJobEvent(onJobEvent)
    .then(() => Promise.all([show(state.view), refreshSidebarPlaylists()]))
    .catch((e) => showMessage(errorText(e), 'error'));
}

/** After the language changed: every view, panel and status shown is made again in it. */
async function languageChanged() {
  rerenderPlayer();
  showBadge();
  refreshPlayerLike();
  $('analysis-note').hidden = true; // a finished job's summary, in the old language
  const panel = $('track-panel');
  const open = panel.hidden ? null : Number(panel.dataset.id);
  await Promise.all([show(state.view, { keepScroll: true }), refreshSidebarPlaylists(), open ? showTrack(open) : null]);
}

/** The language first (the listener's setting, else the system's), then everything else. */
async function start() {
  const wanted = await api.settingsView()
    .then((view) => view.settings.find((s) => s.key === 'language')?.value ?? null)
    .catch(() => null);
  await setLanguage(wanted);
  init();
  // The window answers clicks from here on (tests wait for this before they click).
  document.documentElement.dataset.ready = 'true';
}

start();

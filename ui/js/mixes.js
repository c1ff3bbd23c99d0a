// Mixes on the home view: today's Daily Mixes and Rediscover as cards beside Discover Daily; a
// mix's page (play, shuffle, radio from it, save as playlist; each track with its reason); and the
// "From A to B" dialog, whose path opens on the same page.

import { api, coverUrl, errorText } from './api/index.js';
import { $, el } from './dom.js';
import { startRadio } from './radio.js';
import { renderTrackList, shuffled } from './track-list.js';
import { localise, t } from './i18n.js';

let hooks = { notify: () => {}, show: async () => {}, changed: () => {} };
/** The mix on its page: {title, subtitle, tracks, slot (null for a path), kind}. */
let shown = null;
const liked = new Set();

function cover(tracks) {
  const covers = [...new Set(tracks.map((t) => t.track.cover).filter(Boolean))].slice(0, 4);
  const cells = covers.map((file) => el('img', { src: coverUrl(file), alt: '', width: 60, height: 60 }));
  while (cells.length < 4) {
    const letter = tracks[cells.length]?.track.artist?.slice(0, 1) || '♪';
    cells.push(el('div', { class: 'cover-placeholder', 'aria-hidden': 'true', text: letter }));
  }
  return el('div', { class: 'mosaic small', 'aria-hidden': 'true' }, cells);
}

function card(mix) {
  return el('li', {}, [el('button', {
    class: 'mix-card',
    dataset: { slot: mix.slot, kind: mix.kind },
    'aria-label': `${localise(mix.title, 'mix.')}: ${localise(mix.subtitle, 'mix.')}`,
    onclick: () => openMix(mix).catch((e) => hooks.notify(errorText(e), 'error')),
  }, [
    cover(mix.tracks),
    el('span', { class: 'pl-name', text: localise(mix.title, 'mix.') }),
    el('small', { text: localise(mix.subtitle, 'mix.') }),
  ])]);
}

/** The home view's row of mixes (made on first call of the day). */
export async function refreshMixes() {
  const list = $('mix-cards');
  list.setAttribute('aria-busy', 'true');
  try {
    const mixes = await api.dailyMixes();
    const cards = mixes.map(card);
    if (!cards.length) cards.push(el('li', { class: 'none', text: t('mix.none') }));
    list.replaceChildren(...cards);
  } finally {
    list.removeAttribute('aria-busy');
  }
}

function ids() {
  return shown.tracks.map((t) => t.track.id);
}

function guard(fn) {
  return () => fn().catch((e) => hooks.notify(errorText(e), 'error'));
}

async function save() {
  if (shown.slot !== null && shown.slot !== undefined) await api.saveMixPlaylist(shown.slot, null);
  else await api.createPlaylist(shown.title, ids());
  hooks.notify(t('mix.saved', { title: localise(shown.title, 'mix.') }));
  hooks.changed('playlists');
}

function render() {
  const mix = shown;
  $('mix-mosaic').replaceChildren(cover(mix.tracks));
  $('mix-title').textContent = localise(mix.title, 'mix.');
  $('mix-facts').textContent = localise(mix.subtitle, 'mix.');
  $('mix-actions').replaceChildren(
    el('button', { class: 'primary', id: 'mix-play', text: t('player.play'), disabled: !mix.tracks.length, onclick: guard(() => api.playTracks(ids(), 0, 'mix')) }),
    el('button', { id: 'mix-shuffle', text: t('page.shuffle'), disabled: !mix.tracks.length, onclick: guard(() => api.playTracks(shuffled(ids()), 0, 'mix')) }),
    el('button', { id: 'mix-radio', text: t('radio.button'), title: t('mix.radio_title'), disabled: !mix.tracks.length, onclick: guard(() => startRadio(ids().slice(0, 25).map((id) => ({ kind: 'track', id })))) }),
    el('button', { id: 'mix-save', text: t('page.save_as_playlist'), disabled: !mix.tracks.length, onclick: guard(save) }),
  );
  renderTrackList($('mix-tracks'), mix.tracks, {
    track: (entry) => entry.track,
    detail: (entry) => localise(entry.reason, 'reason.'),
    play: (index) => api.playTracks(ids(), index, 'mix').catch((e) => hooks.notify(errorText(e), 'error')),
    liked,
    notify: hooks.notify,
    empty: t('mix.empty'),
  });
}

/** Opens a mix (or a path) on its page. */
export async function openMix(mix) {
  shown = mix;
  liked.clear();
  for (const id of await api.likedAmong(ids())) liked.add(id);
  await hooks.show('mix');
  render();
  $('count').textContent = t('count.songs', { n: mix.tracks.length });
  $('mix-title').focus();
}

// ---- From A to B ----

let pathFrom = null;
let pathTo = null;

function pickTarget(track) {
  pathTo = track;
  $('ab-to-chosen').textContent = `${track.artist} – ${track.title}`;
  $('ab-make').disabled = false;
  $('ab-results').replaceChildren();
}

async function searchTargets(text) {
  const words = text.trim();
  if (!words) {
    $('ab-results').replaceChildren();
    return;
  }
  const page = await api.tracks({ search: words, sort: 'artist', descending: false, offset: 0, limit: 12 });
  const rows = page.rows.filter((t) => t.id !== pathFrom?.id).map((t) => el('li', {}, [el('button', {
    type: 'button',
    class: 'link path-result',
    dataset: { id: t.id },
    text: `${t.artist} – ${t.title}`,
    onclick: () => pickTarget(t),
  })]));
  if (!rows.length) rows.push(el('li', { class: 'none', text: t('mix.no_song_matches') }));
  $('ab-results').replaceChildren(...rows);
}

/** Opens the dialog that makes a path from `track` to a song the listener picks. */
export function openPathDialog(track) {
  pathFrom = track;
  pathTo = null;
  $('ab-from').textContent = `${track.artist} – ${track.title}`;
  $('ab-to-chosen').textContent = t('mix.no_song_picked');
  $('ab-make').disabled = true;
  $('ab-search').value = '';
  $('ab-results').replaceChildren();
  $('ab-error').textContent = '';
  const dialog = $('ab-dialog');
  if (!dialog.open) dialog.showModal();
  $('ab-search').focus();
}

async function makePath() {
  const length = Number($('ab-length').value) || 12;
  try {
    const tracks = await api.pathBetween(pathFrom.id, pathTo.id, length);
    $('ab-dialog').close();
    await openMix({
      title: t('mix.path_title', { from: pathFrom.title, to: pathTo.title }),
      subtitle: t('mix.path_subtitle', { n: tracks.length }),
      tracks,
      slot: null,
      kind: 'path',
    });
  } catch (err) {
    $('ab-error').textContent = errorText(err);
  }
}

export function initMixes(h) {
  hooks = { ...hooks, ...h };
  let timer;
  $('ab-search').addEventListener('input', (event) => {
    clearTimeout(timer);
    timer = setTimeout(() => searchTargets(event.target.value).catch((e) => { $('ab-error').textContent = errorText(e); }), 120);
  });
  $('ab-form').addEventListener('submit', (event) => {
    event.preventDefault();
    if (pathFrom && pathTo) makePath();
  });
  $('ab-cancel').addEventListener('click', () => $('ab-dialog').close());
}

// Mixes on the home view: today's Daily Mixes and Rediscover as cards beside Discover Daily; a
// mix's page (play, shuffle, radio from it, save as playlist; each track with its reason); and the
// "From A to B" dialog, whose path opens on the same page.

import { api, coverUrl, errorText } from './api/index.js';
import { $, el } from './dom.js';
import { startRadio } from './radio.js';
import { renderTrackList, shuffled } from './track-list.js';

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
    'aria-label': `${mix.title}: ${mix.subtitle}`,
    onclick: () => openMix(mix).catch((e) => hooks.notify(errorText(e), 'error')),
  }, [
    cover(mix.tracks),
    el('span', { class: 'pl-name', text: mix.title }),
    el('small', { text: mix.subtitle }),
  ])]);
}

/** The home view's row of mixes (made on first call of the day). */
export async function refreshMixes() {
  const list = $('mix-cards');
  list.setAttribute('aria-busy', 'true');
  try {
    const mixes = await api.dailyMixes();
    const cards = mixes.map(card);
    if (!cards.length) cards.push(el('li', { class: 'none', text: 'Your Daily Mixes come once you have listened for a day: one for each side of your taste.' }));
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
  hooks.notify(`Saved ${shown.title} as a playlist (under Playlists).`);
  hooks.changed('playlists');
}

function render() {
  const mix = shown;
  $('mix-mosaic').replaceChildren(cover(mix.tracks));
  $('mix-title').textContent = mix.title;
  $('mix-facts').textContent = mix.subtitle;
  $('mix-actions').replaceChildren(
    el('button', { class: 'primary', id: 'mix-play', text: 'Play', disabled: !mix.tracks.length, onclick: guard(() => api.playTracks(ids(), 0, 'mix')) }),
    el('button', { id: 'mix-shuffle', text: 'Shuffle', disabled: !mix.tracks.length, onclick: guard(() => api.playTracks(shuffled(ids()), 0, 'mix')) }),
    el('button', { id: 'mix-radio', text: 'Radio', title: 'An endless radio from these songs', disabled: !mix.tracks.length, onclick: guard(() => startRadio(ids().slice(0, 25).map((id) => ({ kind: 'track', id })))) }),
    el('button', { id: 'mix-save', text: 'Save as playlist', disabled: !mix.tracks.length, onclick: guard(save) }),
  );
  renderTrackList($('mix-tracks'), mix.tracks, {
    track: (t) => t.track,
    detail: (t) => t.reason,
    play: (index) => api.playTracks(ids(), index, 'mix').catch((e) => hooks.notify(errorText(e), 'error')),
    liked,
    notify: hooks.notify,
    empty: 'Nothing in this mix.',
  });
}

/** Opens a mix (or a path) on its page. */
export async function openMix(mix) {
  shown = mix;
  liked.clear();
  for (const id of await api.likedAmong(ids())) liked.add(id);
  await hooks.show('mix');
  render();
  $('count').textContent = `${mix.tracks.length} ${mix.tracks.length === 1 ? 'song' : 'songs'}`;
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
  if (!rows.length) rows.push(el('li', { class: 'none', text: 'No song matches.' }));
  $('ab-results').replaceChildren(...rows);
}

/** Opens the dialog that makes a path from `track` to a song the listener picks. */
export function openPathDialog(track) {
  pathFrom = track;
  pathTo = null;
  $('ab-from').textContent = `${track.artist} – ${track.title}`;
  $('ab-to-chosen').textContent = 'no song picked yet';
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
      title: `From ${pathFrom.title} to ${pathTo.title}`,
      subtitle: `${tracks.length} songs, in small steps of sound`,
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

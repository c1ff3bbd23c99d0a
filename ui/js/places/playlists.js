// Playlists: the list of playlists (make one, drop songs on one) and a playlist's page (play,
// shuffle, queue, rename, duplicate, export, delete; entries reordered by drag or Alt+↑/↓, removed
// from the menu; entries not in the library greyed).

import { api, coverUrl, errorText } from '../api/index.js';
import { $, el, formatDuration } from '../dom.js';
import { DRAG_TYPE } from '../track-menu.js';
import { startRadio } from '../radio.js';
import { renderTrackList, shuffled } from '../track-list.js';
import { t } from '../i18n.js';

let notify = () => {};
let openId = null;
let shown = null;
const liked = new Set();

export function mosaic(covers, letters) {
  const cells = covers.slice(0, 4).map((file) => el('img', { src: coverUrl(file), alt: '', width: 60, height: 60 }));
  while (cells.length < 4) cells.push(el('div', { class: 'cover-placeholder', 'aria-hidden': 'true', text: letters[cells.length] || '♪' }));
  return el('div', { class: 'mosaic small', 'aria-hidden': 'true' }, cells);
}

function playableIds() {
  return shown.entries.filter((e) => e.track && !e.track.missing).map((e) => e.track.id);
}

function acceptTracks(target, playlist) {
  target.addEventListener('dragover', (event) => {
    if (event.dataTransfer.types.includes(DRAG_TYPE)) {
      event.preventDefault();
      target.classList.add('drop-target');
    }
  });
  target.addEventListener('dragleave', () => target.classList.remove('drop-target'));
  target.addEventListener('drop', (event) => {
    target.classList.remove('drop-target');
    const ids = JSON.parse(event.dataTransfer.getData(DRAG_TYPE) || '[]');
    if (!ids.length) return;
    event.preventDefault();
    api.addToPlaylist(playlist.id, ids, null)
      .then(() => {
        notify(t('menu.added', { n: ids.length, name: playlist.name }));
        return $('view-playlists').hidden ? refreshSidebarPlaylists() : refreshPlaylists();
      })
      .catch((e) => notify(errorText(e), 'error'));
  });
}

let showView = async () => {};

/** The playlists under the sidebar's views: each opens its page, and takes songs dropped on it
 *  from any view. */
export async function refreshSidebarPlaylists(playlists = null) {
  const list = playlists || await api.playlists();
  $('sidebar-playlists').replaceChildren(...list.map((p) => {
    const item = el('li', {}, [el('button', {
      class: 'nav sidebar-playlist',
      dataset: { id: p.id },
      title: `${p.name}: ${t('count.songs', { n: p.entries })}`,
      text: p.name,
      onclick: () => showView('playlists').then(() => openPlaylist(p.id)).catch((e) => notify(errorText(e), 'error')),
    })]);
    acceptTracks(item, p);
    return item;
  }));
}

async function renderIndex() {
  const playlists = await api.playlists();
  await refreshSidebarPlaylists(playlists);
  const cards = playlists.map((p) => {
    const card = el('li', { class: 'playlist-card' }, [
      el('button', { class: 'playlist-open', dataset: { id: p.id }, onclick: () => openPlaylist(p.id) }, [
        mosaic(p.covers, [p.name.slice(0, 1)]),
        el('span', { class: 'pl-name', text: p.name }),
        el('small', { text: [t('count.songs', { n: p.entries }), p.unmatched ? t('playlists.unmatched', { n: p.unmatched }) : ''].filter(Boolean).join(' · ') }),
      ]),
    ]);
    acceptTracks(card, p);
    return card;
  });
  if (!cards.length) cards.push(el('li', { class: 'none', text: t('playlists.none') }));
  $('playlist-cards').replaceChildren(...cards);
  $('count').textContent = t('count.playlists', { n: playlists.length });
}

function actionsFor(p) {
  const ids = () => playableIds();
  const guard = (fn) => () => fn().catch((e) => notify(errorText(e), 'error'));
  return [
    el('button', { class: 'primary', id: 'pl-play', text: t('player.play'), disabled: !ids().length, onclick: guard(() => api.playTracks(ids(), 0, 'playlist')) }),
    el('button', { id: 'pl-shuffle', text: t('page.shuffle'), disabled: !ids().length, onclick: guard(() => api.playTracks(shuffled(ids()), 0, 'playlist')) }),
    el('button', { id: 'pl-radio', text: t('radio.button'), title: t('playlists.radio_title'), disabled: !ids().length, onclick: guard(() => startRadio([{ kind: 'playlist', id: p.id }])) }),
    el('button', { id: 'pl-queue', text: t('playlists.add_to_queue'), disabled: !ids().length, onclick: guard(() => api.control({ action: 'enqueue', tracks: ids() })) }),
    el('button', { id: 'pl-rename', text: t('playlists.rename'), onclick: () => startRename(p) }),
    el('button', { id: 'pl-duplicate', text: t('playlists.duplicate'), onclick: guard(async () => { const id = await api.duplicatePlaylist(p.id); await openPlaylist(id); }) }),
    el('button', { id: 'pl-export', text: t('page.export'), onclick: guard(async () => {
      const report = await api.exportPlaylist(p.id, p.name);
      if (report) notify(t(report.left_out ? 'playlists.exported_left_out' : 'playlists.exported', { n: report.written, path: report.path, left: report.left_out }));
    }) }),
    el('button', { id: 'pl-delete', class: 'danger', text: t('playlists.delete'), onclick: () => confirmDelete(p) }),
  ];
}

function startRename(p) {
  const input = el('input', { id: 'pl-name-input', type: 'text', value: p.name, 'aria-label': t('playlists.name_label'), maxlength: 200 });
  const form = el('form', { class: 'inline-form', onsubmit: (event) => {
    event.preventDefault();
    api.renamePlaylist(p.id, input.value).then(() => openPlaylist(p.id)).catch((e) => notify(errorText(e), 'error'));
  } }, [input, el('button', { class: 'primary', text: t('playlists.save') }), el('button', { type: 'button', text: t('page.cancel'), onclick: () => openPlaylist(p.id) })]);
  $('pl-title').replaceChildren(form);
  input.focus();
  input.select();
}

function confirmDelete(p) {
  const box = $('pl-actions');
  const keep = el('button', { text: t('playlists.keep'), onclick: () => renderPage() });
  box.replaceChildren(
    el('span', { role: 'alert', text: t('playlists.confirm_delete', { name: p.name }) }),
    el('button', { id: 'pl-confirm-delete', class: 'danger', text: t('playlists.delete'), onclick: () => {
      api.deletePlaylist(p.id).then(() => { notify(t('playlists.deleted', { name: p.name })); return closePlaylist(); }).catch((e) => notify(errorText(e), 'error'));
    } }),
    keep,
  );
  keep.focus();
}

function renderPage() {
  const p = shown;
  $('pl-mosaic').replaceChildren(mosaic(p.covers, p.entries.map((e) => (e.track?.artist || e.artist || '♪').slice(0, 1))));
  $('pl-title').replaceChildren(el('h2', { id: 'pl-name', text: p.name }));
  const playable = playableIds().length;
  $('pl-facts').textContent = [
    t('count.songs', { n: p.entries.length }), formatDuration(p.duration_s),
    p.unmatched ? t('playlists.unmatched', { n: p.unmatched }) : '', p.source ? t('playlists.imported_from', { source: p.source }) : '',
  ].filter(Boolean).join(' · ');
  $('pl-actions').replaceChildren(...actionsFor(p));
  if (!playable) $('pl-play').title = t('playlists.nothing_playable');
  renderTrackList($('pl-entries'), p.entries, {
    track: (e) => e.track,
    label: (e) => ({ title: e.title, artist: e.artist }),
    play: (index) => {
      const ids = playableIds();
      api.playTracks(ids, Math.max(0, ids.indexOf(p.entries[index].track.id)), 'playlist').catch((e) => notify(errorText(e), 'error'));
    },
    liked,
    notify,
    extraMenu: (e, index, picked = [index]) => [{
      label: picked.length > 1 ? t('playlists.remove_many', { n: picked.length }) : t('playlists.remove_one'),
      action: () => api.removeFromPlaylist(p.id, picked).then(() => openPlaylist(p.id)),
    }],
    reorder: (from, to) => api.moveInPlaylist(p.id, from, to).then(() => openPlaylist(p.id)),
    empty: t('playlists.empty'),
  });
}

export async function openPlaylist(id) {
  openId = id;
  const p = await api.playlist(id);
  refreshSidebarPlaylists().catch(() => {});
  const ids = p.entries.filter((e) => e.track).map((e) => e.track.id);
  liked.clear();
  for (const likedId of await api.likedAmong(ids)) liked.add(likedId);
  shown = p;
  $('playlists-index').hidden = true;
  $('playlist-page').hidden = false;
  renderPage();
  $('count').textContent = '';
}

async function closePlaylist() {
  openId = null;
  shown = null;
  $('playlist-page').hidden = true;
  $('playlists-index').hidden = false;
  await renderIndex();
}

/** Shows the open playlist again, or the list of playlists. */
export async function refreshPlaylists() {
  if (openId !== null) {
    try {
      await openPlaylist(openId);
      return;
    } catch {
      openId = null;
    }
  }
  await closePlaylist();
}

export function initPlaylists({ showMessage, show }) {
  notify = showMessage;
  showView = show;
  $('pl-back').addEventListener('click', () => closePlaylist().catch((e) => notify(errorText(e), 'error')));
  $('new-playlist-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const input = $('new-playlist-name');
    const name = input.value.trim();
    if (!name) { input.focus(); return; }
    api.createPlaylist(name, [])
      .then((id) => { input.value = ''; return openPlaylist(id); })
      .catch((e) => notify(errorText(e), 'error'));
  });
}

/** Saves a list of track ids as a new playlist named `name`, and says so. */
export async function saveAsPlaylist(name, ids) {
  const id = await api.createPlaylist(name, ids);
  notify(t('playlists.saved_as', { name }));
  return id;
}

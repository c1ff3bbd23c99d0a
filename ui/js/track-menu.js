// The context menu of a track (right-click, the ⋯ button, or Shift+F10 / the Menu key on a focused
// row): queue, add to a playlist, like, go to the artist, leave out of generated lists. A real
// ARIA menu: arrow keys move, Enter picks, Escape closes and gives focus back.

import { api, errorText } from './api/index.js';
import { el } from './dom.js';
import { t } from './i18n.js';

let hooks = { notify: () => {}, openArtist: () => {}, changed: () => {}, radio: async () => {}, path: () => {} };
let open = null;

/** hooks: {notify(text, kind), openArtist(name), changed(what), radio(seeds), path(track)} — `changed` is told 'playlists',
 *  'likes' or 'exclusions' after an action, so views can refresh. */
export function initTrackMenu(h) {
  hooks = { ...hooks, ...h };
  document.addEventListener('mousedown', (e) => { if (open && !open.menu.contains(e.target)) closeMenu(); });
  window.addEventListener('blur', () => closeMenu());
}

export function closeMenu({ restoreFocus = false } = {}) {
  if (!open) return;
  const { menu, returnTo } = open;
  open = null;
  menu.remove();
  if (restoreFocus && returnTo && returnTo.isConnected) returnTo.focus();
}

/** The folder a track's file is in. */
export function folderOf(path) {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return cut > 0 ? path.slice(0, cut) : path;
}

async function run(action) {
  closeMenu({ restoreFocus: true });
  try {
    await action();
  } catch (err) {
    hooks.notify(errorText(err), 'error');
  }
}

async function addTo(playlist, ids) {
  await api.addToPlaylist(playlist.id, ids, null);
  hooks.notify(t('menu.added', { n: ids.length, name: playlist.name }));
  hooks.changed('playlists');
}

async function newPlaylistWith(ids, tracks) {
  const name = tracks.length === 1 ? tracks[0].title : t('menu.new_playlist_name', { n: ids.length });
  await api.createPlaylist(name, ids);
  hooks.notify(t('menu.made_playlist', { name }));
  hooks.changed('playlists');
}

async function leaveOut(kind, label) {
  await api.exclude(kind, label);
  hooks.notify(t('menu.left_out', { label }));
  hooks.changed('exclusions');
}

function item(label, action, extra = {}) {
  return el('button', { role: 'menuitem', class: 'menu-item', tabindex: '-1', text: label, onclick: () => run(action), ...extra });
}

/** Opens the menu for `tracks` (rows: {id, title, artist, genre, path}) at (x, y).
 *  extra: [{label, action}] shown first (e.g. "Remove from this playlist"). */
export async function openTrackMenu(tracks, { x, y, returnTo = document.activeElement, extra = [] } = {}) {
  closeMenu();
  const ids = tracks.map((t) => t.id);
  const [playlists, liked] = await Promise.all([api.playlists(), api.likedAmong(ids)]);
  const allLiked = ids.length > 0 && ids.every((id) => liked.includes(id));
  const first = tracks[0];
  const items = [
    ...extra.map((e) => item(e.label, e.action)),
    item(t('menu.enqueue'), () => api.control({ action: 'enqueue', tracks: ids })),
    item(t(tracks.length === 1 ? 'menu.radio' : 'menu.radio_many'), () => hooks.radio(ids.map((id) => ({ kind: 'track', id }))), { dataset: { radio: '' } }),
    item(t(allLiked ? 'menu.unlike' : 'like.like'), async () => {
      for (const id of ids) await api.discoverFeedback(id, allLiked ? 'unlike' : 'like');
      hooks.changed('likes');
    }),
    el('div', { role: 'separator', class: 'menu-sep' }),
    el('div', { class: 'menu-label', role: 'presentation', text: t('menu.add_to_playlist') }),
    ...playlists.map((p) => item(`  ${p.name}`, () => addTo(p, ids), { dataset: { playlist: p.id } })),
    item(`  ${t('menu.new_playlist')}`, () => newPlaylistWith(ids, tracks), { class: 'menu-item new-playlist' }),
  ];
  if (tracks.length === 1) {
    items.push(
      el('div', { role: 'separator', class: 'menu-sep' }),
      item(t('menu.path'), () => hooks.path(first), { dataset: { path: '' } }),
      item(t('menu.go_to', { name: first.album_artist || first.artist }), () => hooks.openArtist(first.album_artist || first.artist)),
      el('div', { class: 'menu-label', role: 'presentation', text: t('menu.leave_out') }),
      item(`  ${t('menu.leave_artist', { name: first.artist })}`, () => leaveOut('artist', first.artist), { dataset: { leave: 'artist' } }),
    );
    if (first.genre) items.push(item(`  ${t('menu.leave_genre', { name: first.genre })}`, () => leaveOut('genre', first.genre), { dataset: { leave: 'genre' } }));
    items.push(item(`  ${t('menu.leave_folder', { name: folderOf(first.path) })}`, () => leaveOut('folder', folderOf(first.path)), { dataset: { leave: 'folder' } }));
  }
  const menu = el('div', { class: 'context-menu', role: 'menu', 'aria-label': tracks.length === 1 ? t('menu.actions_for', { title: first.title }) : t('menu.actions_for_many', { n: tracks.length }) }, items);
  document.body.append(menu);
  const box = menu.getBoundingClientRect();
  menu.style.left = `${Math.max(0, Math.min(x, window.innerWidth - box.width - 4))}px`;
  menu.style.top = `${Math.max(0, Math.min(y, window.innerHeight - box.height - 4))}px`;
  open = { menu, returnTo };
  const entries = () => [...menu.querySelectorAll('[role="menuitem"]')];
  menu.addEventListener('keydown', (event) => {
    const list = entries();
    const at = list.indexOf(document.activeElement);
    if (event.key === 'ArrowDown') list[(at + 1) % list.length].focus();
    else if (event.key === 'ArrowUp') list[(at - 1 + list.length) % list.length].focus();
    else if (event.key === 'Home') list[0].focus();
    else if (event.key === 'End') list[list.length - 1].focus();
    else if (event.key === 'Escape' || event.key === 'Tab') closeMenu({ restoreFocus: true });
    else return;
    event.preventDefault();
  });
  entries()[0]?.focus();
  return menu;
}

/** Wires a row element to the menu: right-click, Shift+F10 and the Menu key. */
export function withMenu(row, tracks, options = {}) {
  const at = (event) => {
    const r = row.getBoundingClientRect();
    return event.type === 'contextmenu' && event.clientX ? { x: event.clientX, y: event.clientY } : { x: r.left + 40, y: r.bottom };
  };
  row.addEventListener('contextmenu', (event) => {
    event.preventDefault();
    openTrackMenu(tracks(), { ...at(event), returnTo: row, extra: options.extra?.() || [] }).catch((e) => hooks.notify(errorText(e), 'error'));
  });
  row.addEventListener('keydown', (event) => {
    if (event.key === 'ContextMenu' || (event.key === 'F10' && event.shiftKey)) {
      event.preventDefault();
      openTrackMenu(tracks(), { ...at(event), returnTo: row, extra: options.extra?.() || [] }).catch((e) => hooks.notify(errorText(e), 'error'));
    }
  });
}

/** The ⋯ button that opens the menu from the keyboard or a click. */
export function menuButton(tracks, options = {}) {
  const button = el('button', {
    class: 'row-menu',
    'aria-haspopup': 'menu',
    'aria-label': t('menu.more'),
    title: t('menu.more'),
    text: '⋯',
    onclick: (event) => {
      event.stopPropagation();
      const r = button.getBoundingClientRect();
      openTrackMenu(tracks(), { x: r.left, y: r.bottom, returnTo: button, extra: options.extra?.() || [] }).catch((e) => hooks.notify(errorText(e), 'error'));
    },
  });
  return button;
}

/** Drag data for tracks: ids, so a playlist (or the queue) can take them. */
export const DRAG_TYPE = 'application/x-sonare-tracks';
export function draggableTracks(row, ids) {
  row.draggable = true;
  row.addEventListener('dragstart', (event) => {
    event.dataTransfer.setData(DRAG_TYPE, JSON.stringify(ids()));
    event.dataTransfer.effectAllowed = 'copyMove';
  });
}

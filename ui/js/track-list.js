// A plain list of track rows for the listener's own places (playlists, artists, history, likes):
// focusable rows (Enter plays, Shift+F10 opens the menu, Alt+↑/↓ reorders where allowed), a heart,
// the ⋯ menu, dragging out to a playlist, and optional reordering by drag.

import { api, errorText } from './api/index.js';
import { el, formatDuration } from './dom.js';
import { draggableTracks, DRAG_TYPE, menuButton, withMenu } from './track-menu.js';
import { t } from './i18n.js';

const ENTRY_TYPE = 'application/x-sonare-entry';

/** A copy of `ids` in random order (Fisher–Yates), for Shuffle buttons. */
export function shuffled(ids) {
  const out = [...ids];
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** A heart that likes or unlikes `track` (its state in `liked`, a Set of ids). */
export function likeButton(track, liked, notify, onChange = () => {}) {
  const render = (button) => {
    const on = liked.has(track.id);
    button.setAttribute('aria-pressed', String(on));
    button.setAttribute('aria-label', t(on ? 'like.unlike_title' : 'like.like_title', { title: track.title }));
    button.title = t(on ? 'discover.liked' : 'like.like');
    button.textContent = on ? '♥' : '♡';
  };
  const button = el('button', {
    class: 'like',
    onclick: async (event) => {
      event.stopPropagation();
      const on = liked.has(track.id);
      try {
        await api.discoverFeedback(track.id, on ? 'unlike' : 'like');
        if (on) liked.delete(track.id); else liked.add(track.id);
        render(button);
        onChange();
      } catch (err) {
        notify(errorText(err), 'error');
      }
    },
  });
  render(button);
  return button;
}

/**
 * Renders `items` into the list element `list`.
 * options: {
 *   track(item) → the item's track row or null (an unmatched playlist entry),
 *   label(item) → {title, artist} for items with no track,
 *   detail(item) → text of the right-hand detail column (default: the duration),
 *   play(index), liked (Set), notify, onLikes,
 *   extraMenu(item, index, selectedIndices) → [{label, action}] (selectedIndices: the selection
 *     when the row is in it, else just the row),
 *   reorder(from, to) → Promise (turns on drag and Alt+↑/↓ reordering),
 *   empty: text when there are no items }
 */
export function renderTrackList(list, items, options) {
  const trackOf = options.track || ((item) => item);
  // The selection (indices of rows with a track): click picks one, Ctrl+click adds or removes,
  // Shift+click (or Shift+↑/↓) extends from the last picked; Space toggles the focused row. The menu
  // and dragging act on the whole selection when the row they start from is in it.
  const selection = { picked: new Set(), anchor: null };
  const playable = (i) => Boolean(trackOf(items[i]));
  const selectedIndices = (index) => (selection.picked.has(index) ? [...selection.picked].sort((a, b) => a - b) : [index]);
  const selectedTracks = (index) => selectedIndices(index).filter(playable).map((i) => trackOf(items[i]));
  const paint = () => {
    for (const li of list.querySelectorAll('li[data-index]')) {
      const on = selection.picked.has(Number(li.dataset.index));
      li.classList.toggle('selected', on);
      li.setAttribute('aria-selected', String(on));
    }
  };
  const pick = (index, { add = false, range = false } = {}) => {
    if (range && selection.anchor !== null) {
      const [lo, hi] = [Math.min(selection.anchor, index), Math.max(selection.anchor, index)];
      if (!add) selection.picked.clear();
      for (let i = lo; i <= hi; i += 1) if (playable(i)) selection.picked.add(i);
    } else if (add) {
      if (selection.picked.has(index)) selection.picked.delete(index);
      else if (playable(index)) selection.picked.add(index);
      selection.anchor = index;
    } else {
      selection.picked.clear();
      if (playable(index)) selection.picked.add(index);
      selection.anchor = index;
    }
    paint();
  };
  list.setAttribute('role', 'listbox');
  list.setAttribute('aria-multiselectable', 'true');
  const rows = items.map((item, index) => {
    const track = trackOf(item);
    const names = track || options.label(item);
    const detail = options.detail ? options.detail(item) : formatDuration(track?.duration_s);
    const row = el('li', {
      class: `track-item${track ? '' : ' unmatched'}${track?.missing ? ' missing' : ''}`,
      tabindex: '0',
      role: 'option',
      'aria-selected': 'false',
      dataset: { index, id: track?.id ?? '' },
      onclick: (event) => {
        if (event.target.closest('button')) return;
        pick(index, { add: event.ctrlKey || event.metaKey, range: event.shiftKey });
      },
      'aria-label': t(track ? 'list.row_label' : 'list.row_label_missing', { title: names.title, artist: names.artist || t('list.unknown_artist') }),
      title: t(track ? 'list.double_click_or_enter' : 'list.not_in_library'),
      ondblclick: () => { if (track) options.play(index); },
    }, [
      el('span', { class: 'ti-pos', 'aria-hidden': 'true', text: String(index + 1) }),
      el('div', { class: 'q-text' }, [
        el('div', { class: 'q-title', text: names.title }),
        el('div', { class: 'q-artist', text: [names.artist, track?.album].filter(Boolean).join(' · ') }),
      ]),
      el('span', { class: 'ti-detail', text: detail }),
      track ? likeButton(track, options.liked, options.notify, options.onLikes) : el('span'),
      track ? menuButton(() => selectedTracks(index), { extra: () => options.extraMenu?.(item, index, selectedIndices(index)) || [] }) : (options.extraMenu
        ? el('button', { class: 'row-remove', 'aria-label': t('list.remove_title', { title: names.title }), title: t('settings.remove'), text: '✕', onclick: () => options.extraMenu(item, index)[0]?.action() })
        : el('span')),
    ]);
    row.addEventListener('keydown', (event) => {
      if (event.target !== row) return;
      const step = (next) => {
        if (!next) return;
        next.focus();
        if (event.shiftKey) pick(Number(next.dataset.index), { range: true });
      };
      if (event.key === 'Enter' && track) options.play(index);
      else if (event.key === ' ') pick(index, { add: true });
      else if (event.key === 'ArrowDown' && !event.altKey) step(row.nextElementSibling);
      else if (event.key === 'ArrowUp' && !event.altKey) step(row.previousElementSibling);
      else if (options.reorder && event.altKey && (event.key === 'ArrowUp' || event.key === 'ArrowDown')) {
        const to = index + (event.key === 'ArrowUp' ? -1 : 1);
        if (to >= 0 && to < items.length) {
          options.reorder(index, to).then(() => list.querySelector(`[data-index="${to}"]`)?.focus());
        }
      } else return;
      event.preventDefault();
    });
    if (track) {
      withMenu(row, () => selectedTracks(index), { extra: () => options.extraMenu?.(item, index, selectedIndices(index)) || [] });
      if (!options.reorder) draggableTracks(row, () => selectedTracks(index).map((t) => t.id));
    }
    if (options.reorder) {
      row.draggable = true;
      row.addEventListener('dragstart', (event) => {
        event.dataTransfer.setData(ENTRY_TYPE, String(index));
        if (track) event.dataTransfer.setData(DRAG_TYPE, JSON.stringify([track.id]));
        event.dataTransfer.effectAllowed = 'move';
      });
      row.addEventListener('dragover', (event) => {
        if (event.dataTransfer.types.includes(ENTRY_TYPE)) {
          event.preventDefault();
          row.classList.add('drop-target');
        }
      });
      row.addEventListener('dragleave', () => row.classList.remove('drop-target'));
      row.addEventListener('drop', (event) => {
        row.classList.remove('drop-target');
        const from = Number(event.dataTransfer.getData(ENTRY_TYPE));
        if (!Number.isInteger(from) || from === index) return;
        event.preventDefault();
        options.reorder(from, index).catch((e) => options.notify(errorText(e), 'error'));
      });
    }
    return row;
  });
  if (!rows.length) rows.push(el('li', { class: 'none', text: options.empty }));
  list.replaceChildren(...rows);
}

// The radio: started from any songs, album, artist or playlist, it plays its first tracks and
// extends the queue before it runs out, from the same models (the core steers each extension by
// what was skipped and liked since the radio started). It ends when the listener plays something
// else (a new queue replaces the radio's).

import { api, errorText } from './api/index.js';
import { $ } from './dom.js';
import { localise, t } from './i18n.js';

/** Tracks left after the current one below which the radio asks for more. */
export const LOW_WATER = 3;

let notify = () => {};
/** {title, ids: Set, queue: [ids], current, extending} while a radio plays. */
let active = null;

/** The radio badge of the player bar (again after a change of language). */
export function showBadge() {
  const badge = $('radio-badge');
  if (!badge) return;
  badge.hidden = !active;
  badge.textContent = active ? t('radio.badge', { title: localise(active.title, 'mix.') }) : '';
}

/** Starts a radio and plays it. */
export async function startRadio(seeds) {
  const batch = await api.startRadio(seeds);
  if (!batch.tracks.length) {
    notify(t('radio.nothing'));
    return;
  }
  const ids = batch.tracks.map((t) => t.track.id);
  active = { title: batch.title, ids: new Set(ids), queue: ids, current: 0, extending: false };
  showBadge();
  await api.playTracks(ids, 0, 'radio');
  notify(t('radio.started', { title: localise(batch.title, 'mix.') }));
}

export function radioPlaying() {
  return active ? active.title : null;
}

async function extend() {
  if (!active || active.extending) return;
  const radio = active;
  radio.extending = true;
  try {
    const batch = await api.radioMore();
    const ids = batch.tracks.map((t) => t.track.id).filter((id) => !radio.ids.has(id));
    if (active !== radio || !ids.length) return;
    for (const id of ids) radio.ids.add(id);
    await api.control({ action: 'enqueue', tracks: ids });
  } catch (err) {
    notify(errorText(err), 'error');
  } finally {
    radio.extending = false;
  }
}

/** Follows the player: extends the radio's queue when few tracks are left, ends the radio when
 *  the queue is replaced. */
export function onRadioPlayerEvent(event) {
  if (!active) return;
  if (event.event === 'queue_changed') {
    const ids = event.tracks || [];
    // A queue put in its place starts elsewhere; the radio's own extensions only append.
    if (!ids.length || ids[0] !== active.queue[0]) {
      active = null;
      showBadge();
      return;
    }
    active.queue = ids;
    active.current = event.current ?? active.current;
  } else if (event.event === 'track_changed') {
    active.current = event.index ?? active.current;
  } else {
    return;
  }
  if (active.queue.length - active.current - 1 < LOW_WATER) extend();
}

export function initRadio({ showMessage }) {
  notify = showMessage;
  return api.onPlayerEvent(onRadioPlayerEvent);
}

// The now-playing bar, the queue panel and the keyboard shortcuts. Everything shown here comes from the
// player's events; everything done here is a command to the player.

import { api, coverUrl, errorText } from './api/index.js';
import { $, el, formatDuration } from './dom.js';
import { initLyrics, lyricsPosition, lyricsTrackChanged } from './lyrics.js';
import { t } from './i18n.js';

const SEEK_STEP = 5;
const VOLUME_STEP = 0.05;
const REPEAT_NEXT = { off: 'all', all: 'one', one: 'off' };

export const player = {
  status: 'stopped',
  track: null,
  position: 0,
  duration: 0,
  volume: 1,
  shuffle: false,
  repeat: 'off',
  queue: [],
  queueRows: new Map(),
  current: null,
  seeking: false,
};

let report = () => {};
let onTrackChange = () => {};

function send(action) {
  return api.control(action).catch((err) => report(errorText(err), 'error'));
}

function renderTrack() {
  const track = player.track;
  $('np-title').textContent = track ? track.title : t('player.nothing');
  $('np-artist').textContent = track ? `${track.artist} — ${track.album}` : '';
  const cover = $('np-cover');
  if (track && track.cover) {
    cover.src = coverUrl(track.cover);
    cover.hidden = false;
    $('np-cover-placeholder').hidden = true;
  } else {
    cover.hidden = true;
    cover.removeAttribute('src');
    $('np-cover-placeholder').hidden = false;
  }
  document.title = track ? `${track.title} — ${track.artist} · Sonare` : 'Sonare';
}

function renderState() {
  const playing = player.status === 'playing';
  const button = $('np-play');
  button.dataset.state = player.status;
  button.setAttribute('aria-label', t(playing ? 'page.pause' : 'player.play'));
  button.title = t(playing ? 'player.pause_key' : 'player.play_key');
  $('np-shuffle').setAttribute('aria-pressed', String(player.shuffle));
  const repeat = $('np-repeat');
  repeat.dataset.repeat = player.repeat;
  repeat.setAttribute('aria-pressed', String(player.repeat !== 'off'));
  repeat.title = t(`player.repeat_${player.repeat}`);
  repeat.textContent = player.repeat === 'one' ? '↻¹' : '↻';
  if (document.activeElement !== $('np-volume')) $('np-volume').value = String(player.volume);
}

function renderPosition() {
  const slider = $('np-slider');
  slider.max = String(player.duration || 0);
  if (!player.seeking) slider.value = String(player.position);
  $('np-elapsed').textContent = formatDuration(player.position);
  $('np-remaining').textContent = player.duration ? `-${formatDuration(Math.max(0, player.duration - player.position))}` : '';
}

async function renderQueue() {
  const missing = player.queue.filter((id) => !player.queueRows.has(id));
  if (missing.length) {
    for (const row of await api.tracksByIds(missing)) player.queueRows.set(row.id, row);
  }
  const list = $('queue-list');
  list.replaceChildren(...player.queue.map((id, index) => {
    const row = player.queueRows.get(id);
    const last = index === player.queue.length - 1;
    return el('li', { class: index === player.current ? 'current' : '', dataset: { index } }, [
      el('div', { class: 'q-text', title: row ? row.path : '', ondblclick: () => send({ action: 'play_index', index }) }, [
        el('div', { class: 'q-title', text: row ? row.title : t('player.track_id', { id }) }),
        el('div', { class: 'q-artist', text: row ? row.artist : '' }),
      ]),
      el('div', { class: 'q-actions' }, [
        el('button', { class: 'q-up', title: t('queue.move_up'), 'aria-label': t('queue.move_up'), disabled: index === 0, text: '↑', onclick: () => send({ action: 'move', from: index, to: index - 1 }) }),
        el('button', { class: 'q-down', title: t('queue.move_down'), 'aria-label': t('queue.move_down'), disabled: last, text: '↓', onclick: () => send({ action: 'move', from: index, to: index + 1 }) }),
        el('button', { class: 'q-remove', title: t('queue.remove_title'), 'aria-label': t('settings.remove'), text: '✕', onclick: () => send({ action: 'remove', index }) }),
      ]),
    ]);
  }));
  if (!player.queue.length) list.replaceChildren(el('li', { class: 'none', text: t('queue.empty_hint') }));
}

function onEvent(event) {
  switch (event.event) {
    case 'state':
      Object.assign(player, { status: event.status, volume: event.volume, shuffle: event.shuffle, repeat: event.repeat });
      renderState();
      break;
    case 'track_changed':
      player.track = event.track;
      player.current = event.index;
      player.duration = event.track && event.track.duration_ms ? event.track.duration_ms / 1000 : 0;
      renderTrack();
      renderPosition();
      onTrackChange(player.track);
      lyricsTrackChanged(player.track);
      if (!$('queue-panel').hidden) renderQueue().catch(() => {});
      break;
    case 'position':
      player.position = event.position_ms / 1000;
      if (event.duration_ms) player.duration = event.duration_ms / 1000;
      renderPosition();
      lyricsPosition(player.position);
      break;
    case 'queue_changed':
      player.queue = event.tracks;
      player.current = event.current;
      if (!$('queue-panel').hidden) renderQueue().catch((err) => report(errorText(err), 'error'));
      break;
    case 'error':
      report(event.message, 'error');
      break;
    default:
      break;
  }
}

function typingInField(target) {
  return target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))
    && !(target instanceof HTMLInputElement && target.type === 'range');
}

function onKey(event) {
  if (typingInField(event.target)) return;
  const ctrl = event.ctrlKey || event.metaKey;
  let action = null;
  switch (event.key) {
    case ' ':
    case 'MediaPlayPause':
      action = { action: 'toggle_pause' };
      break;
    case 'MediaTrackNext':
      action = { action: 'next' };
      break;
    case 'MediaTrackPrevious':
      action = { action: 'previous' };
      break;
    case 'MediaStop':
      action = { action: 'stop' };
      break;
    case 'ArrowRight':
      action = ctrl ? { action: 'next' } : { action: 'seek_by', seconds: SEEK_STEP };
      break;
    case 'ArrowLeft':
      action = ctrl ? { action: 'previous' } : { action: 'seek_by', seconds: -SEEK_STEP };
      break;
    case 'ArrowUp':
    case 'ArrowDown':
      if (!ctrl) return;
      action = { action: 'set_volume', volume: Math.min(1, Math.max(0, player.volume + (event.key === 'ArrowUp' ? VOLUME_STEP : -VOLUME_STEP))) };
      break;
    default:
      return;
  }
  event.preventDefault();
  send(action);
}

/** Everything the bar and its panels show, again (after a change of language). */
export function rerenderPlayer() {
  renderTrack();
  renderState();
  renderPosition();
  if (!$('queue-panel').hidden) renderQueue().catch((err) => report(errorText(err), 'error'));
  if (!$('lyrics-panel').hidden) lyricsTrackChanged(player.track);
}

/**
 * Wires the bar. `showMessage(text, kind)` reports errors; `trackChanged(track)` lets the library
 * highlight the playing row.
 */
export async function initPlayer({ showMessage, trackChanged }) {
  report = showMessage;
  onTrackChange = trackChanged;
  $('np-play').addEventListener('click', () => send({ action: 'toggle_pause' }));
  $('np-next').addEventListener('click', () => send({ action: 'next' }));
  $('np-prev').addEventListener('click', () => send({ action: 'previous' }));
  $('np-shuffle').addEventListener('click', () => send({ action: 'set_shuffle', on: !player.shuffle }));
  $('np-repeat').addEventListener('click', () => send({ action: 'set_repeat', repeat: REPEAT_NEXT[player.repeat] }));
  const slider = $('np-slider');
  slider.addEventListener('input', () => {
    player.seeking = true;
    $('np-elapsed').textContent = formatDuration(Number(slider.value));
  });
  slider.addEventListener('change', () => {
    player.seeking = false;
    send({ action: 'seek', seconds: Number(slider.value) });
  });
  $('np-volume').addEventListener('input', (e) => send({ action: 'set_volume', volume: Number(e.target.value) }));
  $('np-queue-toggle').addEventListener('click', () => {
    const panel = $('queue-panel');
    panel.hidden = !panel.hidden;
    $('np-queue-toggle').setAttribute('aria-pressed', String(!panel.hidden));
    if (!panel.hidden && !$('lyrics-panel').hidden) $('np-lyrics-toggle').click();
    if (!panel.hidden) renderQueue().catch((err) => report(errorText(err), 'error'));
  });
  initLyrics({ showMessage, currentTrack: () => player.track });
  document.addEventListener('keydown', onKey);
  renderTrack();
  renderState();
  renderPosition();
  await api.onPlayerEvent(onEvent);
  await api.refreshPlayer();
}

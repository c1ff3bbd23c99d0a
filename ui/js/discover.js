// The home view: today's Discover Daily (a cover mosaic, play all, refresh), each track with its
// reason chip and like / not-for-me buttons, and the lists of past days.

import { api, coverUrl, errorText } from './api/index.js';
import { $, el } from './dom.js';
import { draggableTracks, withMenu } from './track-menu.js';
import { formatDate, localise, t } from './i18n.js';

let notify = () => {};
/** The list on screen: {day, mode, tracks: [...]} as the command returns it. */
let shown = null;
/** The local date of today's list, once known (past days cannot be refreshed). */
let today = null;


function dayLabel(day) {
  const [y, m, d] = day.split('-').map(Number);
  return formatDate(new Date(y, m - 1, d), { weekday: 'long', day: 'numeric', month: 'long' });
}

/** A list's day (YYYY-MM-DD) as a short date of the window's language. */
function formatDay(day) {
  const [y, m, d] = day.split('-').map(Number);
  return formatDate(new Date(y, m - 1, d), { dateStyle: 'medium' });
}

function mosaic(tracks) {
  const covers = [...new Set(tracks.map((t) => t.track.cover).filter(Boolean))].slice(0, 4);
  const cells = covers.map((file) => el('img', { src: coverUrl(file), alt: '', width: 80, height: 80 }));
  while (cells.length < 4) {
    const letter = tracks[cells.length]?.track.artist?.slice(0, 1) || '♪';
    cells.push(el('div', { class: 'cover-placeholder', 'aria-hidden': 'true', text: letter }));
  }
  return cells;
}

async function setFeedback(item, verdict, row) {
  await api.discoverFeedback(item.track.id, verdict);
  item.feedback = verdict === 'unhide' ? null : verdict;
  row.replaceWith(renderRow(item, shown.tracks.indexOf(item)));
}

function play(index) {
  const ids = shown.tracks.filter((t) => t.feedback !== 'hide').map((t) => t.track.id);
  const at = Math.max(0, ids.indexOf(shown.tracks[index]?.track.id));
  api.playTracks(ids, at, 'discover').catch((e) => notify(errorText(e), 'error'));
}

function renderRow(item, index) {
  const hidden = item.feedback === 'hide';
  const liked = item.feedback === 'like';
  const row = el('li', {
    class: hidden ? 'hidden-track' : '',
    dataset: { id: item.track.id },
    title: t(hidden ? 'discover.hidden_title' : 'list.double_click_from_here'),
    ondblclick: () => { if (!hidden) play(index); },
  }, [
    el('div', { class: 'q-text' }, [
      el('div', { class: 'q-title', text: item.track.title }),
      el('div', { class: 'q-artist', text: item.track.artist }),
    ]),
    el('span', { class: 'reason-chip', dataset: { kind: item.reason_kind }, title: t(`reason.kind_${item.reason_kind}`), text: localise(item.reason, 'reason.') }),
    el('div', { class: 'q-actions' }, hidden ? [
      el('button', { class: 'undo', text: t('discover.undo'), onclick: () => setFeedback(item, 'unhide', row).catch((e) => notify(errorText(e), 'error')) }),
    ] : [
      el('button', {
        class: 'like',
        'aria-pressed': liked ? 'true' : 'false',
        'aria-label': t(liked ? 'like.unlike_title' : 'like.like_title', { title: item.track.title }),
        title: t(liked ? 'discover.liked' : 'discover.like_more'),
        text: liked ? '♥' : '♡',
        onclick: () => setFeedback(item, liked ? 'unhide' : 'like', row).catch((e) => notify(errorText(e), 'error')),
      }),
      el('button', {
        class: 'hide',
        'aria-label': t('discover.not_for_me_title', { title: item.track.title }),
        title: t('discover.not_for_me'),
        text: '✕',
        onclick: () => setFeedback(item, 'hide', row).catch((e) => notify(errorText(e), 'error')),
      }),
    ]),
  ]);
  if (!hidden) {
    // The song's menu (right-click, Shift+F10): queue, playlists, leave out its artist or folder.
    row.tabIndex = 0;
    withMenu(row, () => [item.track]);
    draggableTracks(row, () => [item.track.id]);
  }
  return row;
}

function render(list) {
  shown = list;
  $('discover-date').textContent = list.day === today ? t('discover.today_date', { date: dayLabel(list.day) }) : dayLabel(list.day);
  $('discover-mosaic').replaceChildren(...mosaic(list.tracks));
  const learned = list.blend?.samples
    ? t('discover.blend_learned', { n: list.blend.samples })
    : t('discover.blend_default');
  $('discover-mode').textContent = list.mode === 'cold start' ? t('discover.cold_start') : learned;
  $('discover-refresh').disabled = list.day !== today;
  $('discover-play').disabled = list.tracks.length === 0;
  const rows = list.tracks.map((item, index) => renderRow(item, index));
  if (!rows.length) rows.push(el('li', { class: 'none', text: t('discover.nothing') }));
  $('discover-list').replaceChildren(...rows);
}

async function refreshDays() {
  const days = await api.discoverDays();
  const select = $('discover-day');
  select.replaceChildren(...days.map((d) => el('option', {
    value: d.day,
    text: d.day === today ? t('discover.today_count', { n: d.tracks }) : t('discover.day_count', { day: formatDay(d.day), n: d.tracks }),
  })));
  if (shown) select.value = shown.day;
}

/** Shows today's list (generated on the first call of the day). Called whenever the view is shown. */
export async function refreshDiscover({ regenerate = false } = {}) {
  $('discover-list').setAttribute('aria-busy', 'true');
  try {
    const list = await api.discoverDaily(null, regenerate);
    today = list.day;
    render(list);
    await refreshDays();
  } finally {
    $('discover-list').removeAttribute('aria-busy');
  }
}

async function showDay(day) {
  render(await api.discoverDaily(day, false));
}

/** The local date as the lists are keyed: YYYY-MM-DD. */
function localDay(now = new Date()) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** A window left open overnight moves on to the new day's list (at local midnight, or when it is
 *  looked at again after a sleep), unless the listener is browsing a past day. */
function followTheDate() {
  const check = () => {
    const onToday = shown && shown.day === today;
    if (!today || localDay() === today || !onToday || $('view-discover').hidden) return;
    refreshDiscover().catch((e) => notify(errorText(e), 'error'));
  };
  document.addEventListener('visibilitychange', () => { if (!document.hidden) check(); });
  window.addEventListener('focus', check);
  const atNextMidnight = () => {
    const now = new Date();
    const next = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1, 0, 0, 1);
    setTimeout(() => { check(); atNextMidnight(); }, next - now);
  };
  atNextMidnight();
}

export function initDiscover({ showMessage }) {
  notify = showMessage;
  $('discover-play').addEventListener('click', () => play(0));
  $('discover-refresh').addEventListener('click', () => {
    refreshDiscover({ regenerate: true }).catch((e) => notify(errorText(e), 'error'));
  });
  $('discover-day').addEventListener('change', (event) => {
    showDay(event.target.value).catch((e) => notify(errorText(e), 'error'));
  });
  followTheDate();
}

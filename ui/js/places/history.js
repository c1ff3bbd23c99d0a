// Recently played (day headings, time, heard / skipped / completed, where the play came from) and
// Liked songs.

import { api, errorText } from '../api/index.js';
import { $, el } from '../dom.js';
import { renderTrackList } from '../track-list.js';
import { formatDate, t } from '../i18n.js';

let notify = () => {};


function dayOf(seconds) {
  const d = new Date(seconds * 1000);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate());
}

function dayHeading(day) {
  const today = dayOf(Date.now() / 1000);
  const diff = Math.round((today - day) / 86_400_000);
  if (diff === 0) return t('history.today');
  if (diff === 1) return t('history.yesterday');
  return formatDate(day, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
}

function playDetail(p) {
  const time = formatDate(new Date(p.started_at * 1000), { hour: '2-digit', minute: '2-digit' });
  const seconds = Math.round(p.heard_ms / 1000);
  let end = '';
  if (p.end) end = (p.end === 'stopped' || p.end === 'skipped') && p.heard_ms > 0 ? t(`history.end_${p.end}_after`, { seconds }) : t(`history.end_${p.end}`);
  else if (p.source === 'local') end = t('history.end_none');
  const source = ['local', 'spotify', 'listenbrainz', 'lastfm'].includes(p.source) ? t(`history.source_${p.source}`) : p.source;
  return [time, end, source].filter(Boolean).join(' · ');
}

export async function refreshHistory() {
  const plays = await api.recentPlays(500);
  const liked = new Set(await api.likedAmong([...new Set(plays.map((p) => p.track.id))]));
  const box = $('history-days');
  const groups = [];
  for (const p of plays) {
    const day = dayOf(p.started_at).getTime();
    if (!groups.length || groups[groups.length - 1].day !== day) groups.push({ day, plays: [] });
    groups[groups.length - 1].plays.push(p);
  }
  const sections = groups.map((g) => {
    const list = el('ol', { class: 'queue-list track-items', 'aria-label': dayHeading(new Date(g.day)) });
    const ids = g.plays.map((p) => p.track.id);
    renderTrackList(list, g.plays, {
      track: (p) => p.track,
      detail: playDetail,
      play: (index) => api.playTracks(ids, index, 'history').catch((e) => notify(errorText(e), 'error')),
      liked, notify, empty: '',
    });
    return el('section', { class: 'history-day' }, [el('h3', { text: dayHeading(new Date(g.day)) }), list]);
  });
  if (!sections.length) sections.push(el('p', { class: 'none', text: t('history.none') }));
  box.replaceChildren(...sections);
  $('count').textContent = t('count.plays', { n: plays.length });
}

export async function refreshLiked() {
  const likedTracks = await api.likedTracks();
  const liked = new Set(likedTracks.map((l) => l.track.id));
  const ids = likedTracks.map((l) => l.track.id);
  renderTrackList($('liked-list'), likedTracks, {
    track: (l) => l.track,
    detail: (l) => t('history.liked_on', { date: formatDate(new Date(l.liked_at * 1000), { dateStyle: 'medium' }) }),
    play: (index) => api.playTracks(ids, index, 'liked').catch((e) => notify(errorText(e), 'error')),
    liked,
    notify,
    onLikes: () => refreshLiked().catch((e) => notify(errorText(e), 'error')),
    empty: t('history.no_liked'),
  });
  $('liked-play').disabled = !ids.length;
  $('liked-play').onclick = () => api.playTracks(ids, 0, 'liked').catch((e) => notify(errorText(e), 'error'));
  $('count').textContent = t('count.liked', { n: ids.length });
}

export function initHistory({ showMessage }) {
  notify = showMessage;
}

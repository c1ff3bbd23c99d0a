// Recently played (day headings, time, heard / skipped / completed, where the play came from) and
// Liked songs.

import { api, errorText } from '../api/index.js';
import { $, el } from '../dom.js';
import { renderTrackList } from '../track-list.js';

let notify = () => {};

const SOURCES = { local: 'Sonare', spotify: 'Spotify import', listenbrainz: 'ListenBrainz import', lastfm: 'Last.fm import' };
const ENDS = { completed: 'completed', skipped: 'skipped', stopped: 'heard', error: 'could not play' };

function dayOf(seconds) {
  const d = new Date(seconds * 1000);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate());
}

function dayHeading(day) {
  const today = dayOf(Date.now() / 1000);
  const diff = Math.round((today - day) / 86_400_000);
  if (diff === 0) return 'Today';
  if (diff === 1) return 'Yesterday';
  return day.toLocaleDateString(undefined, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
}

function playDetail(p) {
  const time = new Date(p.started_at * 1000).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  const heard = p.heard_ms > 0 ? ` ${Math.round(p.heard_ms / 1000)} s` : '';
  const end = p.end ? ENDS[p.end] || p.end : (p.source === 'local' ? 'playing or interrupted' : '');
  return [time, `${end}${p.end === 'stopped' || p.end === 'skipped' ? heard : ''}`, SOURCES[p.source] || p.source].filter(Boolean).join(' · ');
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
  if (!sections.length) sections.push(el('p', { class: 'none', text: 'Nothing played yet. Plays in Sonare and imported histories show here.' }));
  box.replaceChildren(...sections);
  $('count').textContent = `${plays.length} ${plays.length === 1 ? 'play' : 'plays'}`;
}

export async function refreshLiked() {
  const likedTracks = await api.likedTracks();
  const liked = new Set(likedTracks.map((l) => l.track.id));
  const ids = likedTracks.map((l) => l.track.id);
  renderTrackList($('liked-list'), likedTracks, {
    track: (l) => l.track,
    detail: (l) => `liked ${new Date(l.liked_at * 1000).toLocaleDateString()}`,
    play: (index) => api.playTracks(ids, index, 'liked').catch((e) => notify(errorText(e), 'error')),
    liked,
    notify,
    onLikes: () => refreshLiked().catch((e) => notify(errorText(e), 'error')),
    empty: 'No liked songs yet: press ♡ on any song, or on the player bar.',
  });
  $('liked-play').disabled = !ids.length;
  $('liked-play').onclick = () => api.playTracks(ids, 0, 'liked').catch((e) => notify(errorText(e), 'error'));
  $('count').textContent = `${ids.length} liked ${ids.length === 1 ? 'song' : 'songs'}`;
}

export function initHistory({ showMessage }) {
  notify = showMessage;
}

// Lyrics: in the track view, and in a panel beside the now-playing bar that follows playback when
// the lyrics are timed (the line being sung is marked and kept in view). Lyrics are untrusted text:
// every line goes in with textContent.

import { api, errorText } from './api/index.js';
import { $, el } from './dom.js';
import { t } from './i18n.js';

let report = () => {};
let shownFor = null;
let timed = null;
let currentLine = -1;

/** The lines of `lyrics` as elements; timed lines carry their time. */
export function lyricsLines(lyrics) {
  if (lyrics.timed) {
    return lyrics.timed.map(([at, line]) => el('p', { class: 'lyric', 'data-at': String(at), text: line || '♪' }));
  }
  return lyrics.text.split('\n').map((line) => el('p', { class: 'lyric', text: line }));
}

/** The index of the timed line being sung at `ms`: the last that started (-1 before the first). */
export function lineAt(lines, ms) {
  let lo = 0;
  let hi = lines.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (lines[mid][0] <= ms) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

function mark(index) {
  if (index === currentLine) return;
  const list = $('lyrics-lines');
  const old = list.children[currentLine];
  if (old) old.classList.remove('current');
  currentLine = index;
  const now = list.children[index];
  if (now) {
    now.classList.add('current');
    if (typeof now.scrollIntoView === 'function') now.scrollIntoView({ block: 'center', behavior: 'smooth' });
  }
}

async function render(track) {
  shownFor = track ? track.id : null;
  timed = null;
  currentLine = -1;
  $('lyrics-title').textContent = track ? track.title : '';
  const note = $('lyrics-note');
  if (!track) {
    $('lyrics-lines').replaceChildren();
    note.textContent = t('player.nothing');
    note.hidden = false;
    return;
  }
  try {
    const details = await api.trackDetails(track.id);
    if (shownFor !== track.id) return; // the track changed meanwhile
    const lyrics = details.lyrics;
    $('lyrics-lines').replaceChildren(...(lyrics ? lyricsLines(lyrics) : []));
    timed = lyrics && lyrics.timed ? lyrics.timed : null;
    note.textContent = lyrics ? (timed ? '' : t('lyrics.not_timed')) : t('lyrics.none');
    note.hidden = !note.textContent;
  } catch (err) {
    report(errorText(err), 'error');
  }
}

/** The player moved to `track` (or to nothing). */
export function lyricsTrackChanged(track) {
  if (!$('lyrics-panel').hidden) render(track);
  else shownFor = null;
}

/** The playback position, in seconds. */
export function lyricsPosition(seconds) {
  if (!timed || $('lyrics-panel').hidden) return;
  mark(lineAt(timed, seconds * 1000));
}

/** Wires the lyrics button; `currentTrack()` is what plays now. */
export function initLyrics({ showMessage, currentTrack }) {
  report = showMessage;
  $('np-lyrics-toggle').addEventListener('click', () => {
    const panel = $('lyrics-panel');
    panel.hidden = !panel.hidden;
    $('np-lyrics-toggle').setAttribute('aria-pressed', String(!panel.hidden));
    if (!panel.hidden) {
      if (!$('queue-panel').hidden) $('np-queue-toggle').click();
      $('track-panel').hidden = true; // the panels share the place beside the list
      const track = currentTrack();
      if (!track || shownFor !== track.id) render(track);
    }
  });
}

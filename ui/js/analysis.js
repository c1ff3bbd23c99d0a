// The background audio analysis (status panel with pause/stop) and the track view: what the analysis
// found, and "more like this sound".

import { api, errorText } from './api/index.js';
import { $, el, formatDuration } from './dom.js';
import { lyricsLines } from './lyrics.js';

let notify = () => {};
let analysisChanged = () => {};
let lastRefresh = 0;

/** "A minor" → "Am", "C major" → "C". */
export function shortKey(key) {
  if (!key) return '';
  const [tonic, mode] = key.split(' ');
  return mode === 'minor' ? `${tonic}m` : tonic;
}

/** The library row's key cell: "Am · 8A". */
export function keyCell(track) {
  if (!track.key) return '';
  return track.camelot ? `${shortKey(track.key)} · ${track.camelot}` : shortKey(track.key);
}

function setPaused(paused) {
  const button = $('analysis-pause');
  button.textContent = paused ? 'Resume' : 'Pause';
  button.dataset.paused = paused ? 'true' : 'false';
}

/** The analysis panel, from the job events (see `api.onJobEvent`). */
export function onAnalysisEvent(event) {
  const box = $('analysis-status');
  if (event.event === 'analysing') {
    box.hidden = false;
    $('analysis-label').textContent = `Analysing sound ${event.done} / ${event.total}`;
    $('analysis-progress').max = event.total || 1;
    $('analysis-progress').value = event.done;
    const path = event.current || '';
    $('analysis-file').textContent = path.split(/[\\/]/).pop();
    $('analysis-file').title = path;
    setPaused(event.state === 'paused');
    // New BPM and key values appear in the list now and then, not on every track.
    if (Date.now() - lastRefresh > 3000) {
      lastRefresh = Date.now();
      analysisChanged();
    }
  } else if (event.event === 'state' && !box.hidden) {
    setPaused(event.state === 'paused');
    if (event.state === 'cancelled') $('analysis-label').textContent = 'Stopping after the current tracks…';
  } else if (event.event === 'analysed') {
    box.hidden = true;
    const note = $('analysis-note');
    const parts = [];
    if (event.analysed) parts.push(`${event.analysed} analysed`);
    if (event.failed.length) parts.push(`${event.failed.length} could not be analysed`);
    if (event.cancelled) parts.push(`stopped, ${event.remaining} left for next time`);
    let text = parts.length ? `Sound analysis: ${parts.join(', ')}.` : '';
    if (event.cnn_unavailable) {
      text += ` Sound tags and "more like this" need the audio model: ${event.cnn_unavailable}`;
    }
    note.textContent = text.trim();
    note.hidden = !note.textContent;
    analysisChanged();
  } else if (event.event === 'embedding') {
    box.hidden = false;
    $('analysis-label').textContent = `Reading the texts ${event.done} / ${event.total}`;
    $('analysis-progress').max = event.total || 1;
    $('analysis-progress').value = event.done;
    $('analysis-file').textContent = '';
  } else if (event.event === 'embedded') {
    box.hidden = true;
    if (event.unavailable) {
      const note = $('analysis-note');
      const text = `Search by meaning (in any language) needs the text model: ${event.unavailable}`;
      note.textContent = [note.hidden ? '' : note.textContent, text].filter(Boolean).join(' ');
      note.hidden = false;
    }
  } else if (event.event === 'failed' && (event.stage === 'analysis' || event.stage === 'embedding')) {
    box.hidden = true;
    notify(`Sound analysis failed: ${event.message}`, 'error');
  }
}

/** Where lyrics were read, as the track view names it. */
const LYRICS_SOURCE = {
  lrc: '.lrc file', sylt: 'ID3 SYLT', uslt: 'ID3 USLT', vorbis: 'Vorbis comment', mp4: 'MP4 ©lyr', ape: 'APE tag', tag: 'tag',
};

function fact(label, value) {
  return value === null || value === undefined || value === '' ? [] : [el('dt', { text: label }), el('dd', { text: value })];
}

/** The metre as the track view shows it: known only when the analysis is sure of it. */
export function metreText(analysis) {
  if (!analysis.metre) return 'not clear';
  return analysis.metre_confident ? analysis.metre : `not clear (perhaps ${analysis.metre})`;
}

function closeTrackPanel() {
  $('track-panel').hidden = true;
}

/** Opens the track view for `id`. */
export async function showTrack(id) {
  const details = await api.trackDetails(id);
  const { track, analysis } = details;
  if (!$('queue-panel').hidden) $('np-queue-toggle').click();
  const panel = $('track-panel');
  panel.dataset.id = String(track.id);
  $('tp-title').textContent = track.title;
  $('tp-artist').textContent = [track.artist, track.album].filter(Boolean).join(' — ');
  const facts = [...fact('Length', formatDuration(track.duration_s)), ...fact('Format', track.codec)];
  let note = '';
  if (!analysis) note = 'Not analysed yet: the analysis runs in the background.';
  else if (analysis.error) note = `Could not be analysed: ${analysis.error}`;
  else {
    const num = (v, digits, unit) => (v === null || v === undefined ? null : `${v.toFixed(digits)} ${unit}`);
    facts.push(
      ...fact('Tempo', num(analysis.tempo_bpm, 0, 'BPM')),
      ...fact('Key', analysis.key && `${analysis.key}${analysis.camelot ? ` (${analysis.camelot})` : ''}`),
      ...fact('Metre', metreText(analysis)),
      ...fact('Loudness', num(analysis.loudness_lufs, 1, 'LUFS')),
      ...fact('Dynamics', num(analysis.loudness_range_lu, 1, 'LU range')),
    );
  }
  $('tp-facts').replaceChildren(...facts);
  $('tp-tags').replaceChildren(...details.top_tags
    .filter(([, p]) => p >= 0.05)
    .map(([tag, p]) => el('span', { class: 'chip', title: `${Math.round(p * 100)} %`, text: tag })));
  $('tp-note').textContent = note;
  $('tp-note').hidden = !note;
  $('tp-similar').disabled = !(analysis && !analysis.error && details.top_tags.length);
  $('tp-similar-list').replaceChildren();
  const lyrics = details.lyrics;
  $('tp-lyrics-box').hidden = !lyrics;
  $('tp-lyrics').replaceChildren(...(lyrics ? lyricsLines(lyrics) : []));
  $('tp-lyrics-source').textContent = lyrics ? `(${LYRICS_SOURCE[lyrics.source] || lyrics.source}${lyrics.timed ? ', timed' : ''})` : '';
  panel.hidden = false;
}

async function showSimilar() {
  const id = Number($('track-panel').dataset.id);
  const similar = await api.similarTracks(id, 20);
  const ids = similar.map((s) => s.track.id);
  const list = $('tp-similar-list');
  list.replaceChildren(...similar.map(({ track, similarity }, index) => el('li', {
    dataset: { id: track.id },
    title: 'Double-click to play from here',
    ondblclick: () => api.playTracks(ids, index, 'similar').catch((e) => notify(errorText(e), 'error')),
  }, [
    el('div', { class: 'q-text' }, [
      el('div', { class: 'q-title', text: track.title }),
      el('div', { class: 'q-artist', text: track.artist }),
    ]),
    // Cosine of centred embeddings (-1…1) shown as 0–100 %.
    el('span', { class: 'q-score', title: 'Similarity of sound', text: `${Math.round((1 + similarity) * 50)}%` }),
  ])));
  if (!similar.length) list.replaceChildren(el('li', { class: 'none', text: 'No other analysed tracks yet.' }));
}

export function initAnalysis({ showMessage, onAnalysisProgress }) {
  notify = showMessage;
  analysisChanged = onAnalysisProgress;
  $('analysis-pause').addEventListener('click', () => {
    const paused = $('analysis-pause').dataset.paused === 'true';
    api.jobControl(paused ? 'resume' : 'pause').catch((e) => notify(errorText(e), 'error'));
  });
  $('analysis-cancel').addEventListener('click', () => api.jobControl('cancel').catch((e) => notify(errorText(e), 'error')));
  $('tp-close').addEventListener('click', closeTrackPanel);
  $('tp-similar').addEventListener('click', () => showSimilar().catch((e) => notify(errorText(e), 'error')));
}

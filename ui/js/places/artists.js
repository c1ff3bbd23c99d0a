// Artists: a sortable, searchable grid (name, songs, albums, a cover mosaic) and an artist's page
// (play, shuffle, albums, most played, all songs, artists like this by text and by co-listening).

import { api, coverUrl, errorText } from '../api/index.js';
import { $, el } from '../dom.js';
import { startRadio } from '../radio.js';
import { renderTrackList, shuffled } from '../track-list.js';
import { mosaic } from './playlists.js';
import { formatNumber, t } from '../i18n.js';

let notify = () => {};
let openName = null;
let page = null;
const liked = new Set();
const state = { search: '', sort: 'name' };

async function renderGrid() {
  const artists = await api.artists(state.search, state.sort);
  $('count').textContent = t('count.artists', { n: artists.length });
  const cards = artists.map((a) => el('li', {}, [
    el('button', { class: 'artist-card', dataset: { name: a.name }, onclick: () => openArtist(a.name) }, [
      mosaic(a.covers, [a.name.slice(0, 1)]),
      el('span', { class: 'pl-name', text: a.name }),
      el('small', { text: [t('count.songs', { n: a.songs }), t('count.albums', { n: a.albums }), a.plays ? t('count.plays', { n: a.plays }) : ''].filter(Boolean).join(' · ') }),
    ]),
  ]));
  if (!cards.length) cards.push(el('li', { class: 'none', text: t(state.search ? 'artists.no_match' : 'artists.none') }));
  $('artist-cards').replaceChildren(...cards);
}

function albumCard(album) {
  const play = () => api.playAlbum(album.album, album.album_artist).catch((e) => notify(errorText(e), 'error'));
  return el('li', {}, [el('button', { class: 'album-mini', title: t('artists.play_album'), onclick: play }, [
    album.cover ? el('img', { src: coverUrl(album.cover), alt: '', width: 96, height: 96, loading: 'lazy' })
      : el('div', { class: 'cover-placeholder', 'aria-hidden': 'true', text: (album.album || '?').slice(0, 1) }),
    el('span', { text: album.album || t('artists.unknown_album') }),
    el('small', { text: `${album.year ?? ''}${album.artist && album.artist !== page.name ? ` · ${album.artist}` : ''}` }),
  ])]);
}

function likeList(id, items, label) {
  const list = $(id);
  const rows = items.map(([name, score]) => el('li', {}, [el('button', {
    class: 'chip-button',
    title: `${label}: ${formatNumber(score, { maximumFractionDigits: 2, minimumFractionDigits: 2 })}`,
    onclick: () => openArtist(name),
    text: name,
  })]));
  if (!rows.length) rows.push(el('li', { class: 'none', text: t(id === 'ar-like-listeners' ? 'artists.like_listeners_none' : 'artists.like_none') }));
  list.replaceChildren(...rows);
}

function renderPage() {
  const p = page;
  const ids = p.tracks.map((t) => t.id);
  $('ar-mosaic').replaceChildren(mosaic([...new Set(p.tracks.map((t) => t.cover).filter(Boolean))], [p.name.slice(0, 1)]));
  $('ar-name').textContent = p.name;
  $('ar-facts').textContent = `${t('count.songs', { n: p.tracks.length })} · ${t('count.albums', { n: p.albums.length })}`;
  $('ar-play').onclick = () => api.playTracks(ids, 0, 'artist').catch((e) => notify(errorText(e), 'error'));
  $('ar-radio').onclick = () => startRadio([{ kind: 'artist', name: p.name }]).catch((e) => notify(errorText(e), 'error'));
  $('ar-shuffle').onclick = () => api.playTracks(shuffled(ids), 0, 'artist').catch((e) => notify(errorText(e), 'error'));
  $('ar-albums').replaceChildren(...p.albums.map(albumCard));
  $('ar-appears-head').hidden = !p.appears_on.length;
  $('ar-appears').replaceChildren(...p.appears_on.map(albumCard));
  const playFrom = (list) => (index) => {
    const order = list.map((t) => t.id);
    api.playTracks(order, index, 'artist').catch((e) => notify(errorText(e), 'error'));
  };
  const top = p.most_played.map((m) => m.track);
  $('ar-top-head').hidden = !top.length;
  renderTrackList($('ar-top'), p.most_played, {
    track: (m) => m.track,
    detail: (m) => t('count.plays', { n: m.plays }),
    play: playFrom(top), liked, notify, empty: '',
  });
  if (!top.length) $('ar-top').replaceChildren();
  renderTrackList($('ar-tracks'), p.tracks, { play: playFrom(p.tracks), liked, notify, empty: t('artists.no_songs') });
  likeList('ar-like-text', p.like_by_text, t('page.by_tags_and_names'));
  likeList('ar-like-listeners', p.like_by_listeners, t('page.by_co_listening'));
}

export async function openArtist(name) {
  const p = await api.artist(name);
  openName = p.name;
  page = p;
  liked.clear();
  for (const id of await api.likedAmong(p.tracks.map((t) => t.id))) liked.add(id);
  $('artists-index').hidden = true;
  $('artist-page').hidden = false;
  renderPage();
  $('count').textContent = '';
  $('ar-name').focus();
}

async function closeArtist() {
  openName = null;
  page = null;
  $('artist-page').hidden = true;
  $('artists-index').hidden = false;
  await renderGrid();
}

export async function refreshArtists() {
  if (openName !== null) {
    try {
      await openArtist(openName);
      return;
    } catch {
      openName = null;
    }
  }
  await closeArtist();
}

/** The toolbar's search box, while the Artists view is shown. */
export function searchArtists(text) {
  state.search = text;
  if (openName === null) renderGrid().catch((e) => notify(errorText(e), 'error'));
}

export function initArtists({ showMessage }) {
  notify = showMessage;
  $('ar-back').addEventListener('click', () => closeArtist().catch((e) => notify(errorText(e), 'error')));
  $('artist-sort').addEventListener('change', (event) => {
    state.sort = event.target.value;
    renderGrid().catch((e) => notify(errorText(e), 'error'));
  });
}

// The only module that talks to Rust. Tests replace `window.__TAURI__` with a fake before it loads.

function core() {
  const tauri = window.__TAURI__;
  if (!tauri || !tauri.core) throw new Error('Sonare must run inside its app window');
  return tauri.core;
}

const call = (command, args) => core().invoke(command, args);

export const api = {
  overview: () => call('library_overview'),
  /** query: {search, sort, descending, offset, limit} → {total, rows} */
  tracks: (query) => call('list_tracks', { query }),
  albums: (search) => call('list_albums', { search }),
  failures: () => call('list_failures'),
  folders: () => call('list_folders'),
  addFolder: (path) => call('add_folder', { path }),
  pickFolder: () => call('pick_folder'),
  /** Rescans the library folders → the scan's report; progress comes as job events, and the
   *  analysis of what changed follows by itself. */
  scan: () => call('scan_library'),
  installDemo: () => call('install_demo'),
  /** The running job (scan, import or analysis). action: 'pause' | 'resume' | 'cancel'. */
  jobControl: (action) => call('job_control', { action }),
  /** Plays a library view (its search and sort) from row `index`. context: library | search | album … */
  playView: (query, index, context) => call('play_view', { query, index, context }),
  playAlbum: (album, albumArtist) => call('play_album', { album, albumArtist }),
  tracksByIds: (ids) => call('tracks_by_ids', { ids }),
  /** action: {action: 'toggle_pause' | 'next' | 'seek', seconds: …} and so on (see player_control). */
  control: (action) => call('player_control', { action }),
  refreshPlayer: () => call('player_refresh'),
  playTracks: (ids, index, context) => call('play_tracks', { ids, index, context }),
  /** → {track, analysis, top_tags: [[tag, probability]…]} */
  trackDetails: (id) => call('track_details', { id }),
  /** → [{track, similarity}] */
  similarTracks: (id, k = 20) => call('similar_tracks', { id, k }),
  /** → [{track, score}]: tracks for a free-text query, by text and sound tags together. */
  findTracks: (query, k = 50) => call('find_tracks', { query, k }),
  /** → [{track, cf, session, because}]: unplayed tracks by co-listening evidence. */
  forYou: (k = 30) => call('for_you', { k }),
  /** Opens a file picker and imports the files → {reports, errors, cancelled}, or null if nothing
   *  was picked; progress comes as `importing` job events.
   *  kind: 'history' | 'shared'; format: spotify | listenbrainz | lastfm | m3u | xspf | hetrec | … */
  importListeningData: (kind, format) => call('import_listening_data', { kind, format }),
  /** → {day, mode, blend, candidates, tracks: [{position, track, score, scores, reason_kind, reason,
   *  reason_track, feedback}]}: the day's Discover Daily (day null = today; refresh = make it again). */
  discoverDaily: (day = null, refresh = false) => call('discover_daily', { day, refresh }),
  /** → [{day, generated_at, tracks}], newest first. */
  discoverDays: () => call('discover_days'),
  /** verdict: 'like' | 'hide' | 'unhide'. */
  discoverFeedback: (trackId, verdict) => call('discover_feedback', { trackId, verdict }),
  /** Calls `onEvent` with every player event ({event: 'state' | 'track_changed' | …}). */
  onPlayerEvent: (onEvent) => window.__TAURI__.event.listen('player', (e) => onEvent(e.payload)),
  /** Calls `onEvent` with every job event, in order: fetching | scanning | importing (progress),
   *  scanned | imported (the stage's report), analysing | analysed, prepared; state after a pause,
   *  resume or cancel; failed {stage, message}. */
  onJobEvent: (onEvent) => window.__TAURI__.event.listen('job', (e) => onEvent(e.payload)),
};

/** Turns a command's `{kind, message}` rejection (or anything else) into readable text. */
export function errorText(err) {
  if (err && typeof err === 'object' && 'message' in err) return String(err.message);
  return String(err);
}

/** URL of a cover thumbnail served by the app's `cover:` scheme. */
export function coverUrl(file) {
  const name = encodeURIComponent(file);
  return navigator.userAgent.includes('Windows') ? `http://cover.localhost/${name}` : `cover://localhost/${name}`;
}

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
  /** → [{id, name, entries, unmatched, duration_s, covers, source, updated_at}] by name. */
  playlists: () => call('list_playlists'),
  /** → the summary with entries: [{position, track (null: not in the library), artist, title, location}]. */
  playlist: (id) => call('show_playlist', { id }),
  createPlaylist: (name, trackIds) => call('create_playlist', { name, trackIds }),
  renamePlaylist: (id, name) => call('rename_playlist', { id, name }),
  deletePlaylist: (id) => call('delete_playlist', { id }),
  duplicatePlaylist: (id) => call('duplicate_playlist', { id }),
  /** at: position (null: the end) → the new length. */
  addToPlaylist: (id, trackIds, at = null) => call('add_to_playlist', { id, trackIds, at }),
  removeFromPlaylist: (id, positions) => call('remove_from_playlist', { id, positions }),
  moveInPlaylist: (id, from, to) => call('move_in_playlist', { id, from, to }),
  /** Opens a save dialog and writes M3U8 or XSPF → {path, written, left_out}, or null if cancelled. */
  exportPlaylist: (id, name) => call('export_playlist', { id, name }),
  /** Saves a day's Discover Daily (null: today) as a playlist → its id. */
  saveDiscoverPlaylist: (day = null) => call('save_discover_playlist', { day }),
  /** sort: name | songs | albums | plays → [{name, songs, albums, plays, covers}]. */
  artists: (search = '', sort = 'name') => call('list_artists', { search, sort }),
  /** → {name, albums, appears_on, most_played: [{track, plays}], tracks, like_by_text, like_by_listeners}. */
  artist: (name) => call('artist_page', { name }),
  /** → [{track, play_id, started_at, heard_ms, end, source, context}], newest first. */
  recentPlays: (limit = 500) => call('recent_plays', { limit }),
  /** → [{track, liked_at}], most recently liked first. */
  likedTracks: () => call('liked_tracks'),
  /** → the ids among `ids` that are liked. */
  likedAmong: (ids) => call('liked_among', { ids }),
  /** → [{id, kind: artist | genre | folder, label, at}]. */
  exclusions: () => call('list_exclusions'),
  exclude: (kind, label) => call('exclude', { kind, label }),
  include: (id) => call('include', { id }),
  /** → [{day, slot, kind: 'daily' | 'rediscover', title, subtitle, tracks: [{track, reason_kind,
   *  reason, reason_track}]}]: today's Daily Mixes and Rediscover, the same all day. */
  dailyMixes: () => call('daily_mixes'),
  /** Saves today's mix `slot` as a playlist → its id. */
  saveMixPlaylist: (slot, name = null) => call('save_mix_playlist', { slot, name }),
  /** seeds: [{kind: 'track', id} | {kind: 'album', album, album_artist} | {kind: 'artist', name} |
   *  {kind: 'playlist', id}] → {title, tracks: [{track, reason_kind, reason}]}: a new radio's first tracks. */
  startRadio: (seeds) => call('start_radio', { seeds }),
  /** → the running radio's next tracks ({title, tracks}). */
  radioMore: () => call('radio_more'),
  /** → [{track, reason_kind, reason}]: `length` songs from `from` to `to` in small steps of sound. */
  pathBetween: (from, to, length) => call('path_between', { from, to, length }),
  /** → {settings: [{key, value, default, about}], data_dir, devices: [name], cores}. */
  settingsView: () => call('settings_view'),
  /** Sets one setting (checked by the core) → every setting's value; `reset` puts back the default. */
  setSetting: (key, value, reset = false) => call('set_setting', { key, value, reset }),
  /** Takes a folder out of the library (its tracks are kept as missing, with their history). */
  removeFolder: (path) => call('remove_folder', { path }),
  /** Marks every track to be analysed again and starts the analysis → tracks marked. */
  reanalyseAll: () => call('reanalyse_all'),
  /** A backup of the database into `folder` → {path, bytes, seconds}. */
  backupLibrary: (folder) => call('backup_library', { folder }),
  /** History, likes, hides, exclusions, settings and playlists into `folder` → counts. */
  exportLearned: (folder) => call('export_learned', { folder }),
  /** Reads back an export → {plays_added, verdicts, playlists_added, skipped_lines, …}. */
  restoreLearned: (folder) => call('restore_learned', { folder }),
  /** Calls `onEvent` with every player event ({event: 'state' | 'track_changed' | …}). */
  onPlayerEvent: (onEvent) => window.__TAURI__.event.listen('player', (e) => onEvent(e.payload)),
  /** Calls `onEvent` with every job event, in order: fetching | scanning | importing (progress),
   *  scanned | imported (the stage's report), analysing | analysed, embedding | embedded, prepared; state after a pause,
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

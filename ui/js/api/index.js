// The only module that talks to Rust. Tests replace `window.__TAURI__` with a fake before it loads.

function core() {
  const tauri = window.__TAURI__;
  if (!tauri || !tauri.core) throw new Error('Sonare must run inside its app window');
  return tauri.core;
}

const call = (command, args) => core().invoke(command, args);

/** Streams a job's progress events to `onEvent` through a Tauri channel. */
function channel(onEvent) {
  const ch = new (core().Channel)();
  ch.onmessage = onEvent;
  return ch;
}

export const api = {
  overview: () => call('library_overview'),
  /** query: {search, sort, descending, offset, limit} → {total, rows} */
  tracks: (query) => call('list_tracks', { query }),
  albums: (search) => call('list_albums', { search }),
  failures: () => call('list_failures'),
  folders: () => call('list_folders'),
  addFolder: (path) => call('add_folder', { path }),
  pickFolder: () => call('pick_folder'),
  scan: (onEvent) => call('scan_library', { onProgress: channel(onEvent) }),
  cancelScan: () => call('cancel_scan'),
  installDemo: (onEvent) => call('install_demo', { onProgress: channel(onEvent) }),
  /** Plays a library view (its search and sort) from row `index`. context: library | search | album … */
  playView: (query, index, context) => call('play_view', { query, index, context }),
  playAlbum: (album, albumArtist) => call('play_album', { album, albumArtist }),
  tracksByIds: (ids) => call('tracks_by_ids', { ids }),
  /** action: {action: 'toggle_pause' | 'next' | 'seek', seconds: …} and so on (see player_control). */
  control: (action) => call('player_control', { action }),
  refreshPlayer: () => call('player_refresh'),
  /** Calls `onEvent` with every player event ({event: 'state' | 'track_changed' | …}). */
  onPlayerEvent: (onEvent) => window.__TAURI__.event.listen('player', (e) => onEvent(e.payload)),
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

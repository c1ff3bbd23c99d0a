//! Library view queries on a 100,000-track database: one page (200 rows) at the top, middle and end of
//! every sort order, the total count, and search-as-you-type. Behind BENCHMARKS.md.
//!
//! Run: `cargo bench --bench library_query`

use std::time::{Duration, Instant};

use sonare::library::browse::{self as q, SortKey, TrackQuery};
use sonare::library::meta::TrackMeta;
use sonare::library::store::{self, FileFacts};

const TRACKS: usize = 100_000;
const PAGE: u32 = 200;

fn build(conn: &mut rusqlite::Connection) {
    let folder = store::add_folder(conn, "/music").unwrap();
    let words = [
        "Blue", "Night", "Río", "Ω", "夜", "Train", "Moon", "Song", "Love", "Rain",
    ];
    let tx = conn.transaction().unwrap();
    for i in 0..TRACKS {
        let meta = TrackMeta {
            title: format!("{} {} {i}", words[i % 10], words[(i / 10) % 10]),
            artist: format!("Artist {:04}", (i * 7919) % 4000),
            album: format!("Album {:05}", i / 12),
            track_no: Some((i % 12) as u32 + 1),
            year: Some(1950 + (i % 75) as i32),
            duration_ms: Some(90_000 + (i as u64 * 37) % 400_000),
            codec: "flac".into(),
            ..Default::default()
        };
        let path = format!("/music/{i}.flac");
        let fingerprint = format!("{i:032x}");
        let facts = FileFacts {
            path: &path,
            folder_id: folder,
            size: 1000,
            mtime_ns: 0,
            fingerprint: &fingerprint,
            cover_id: None,
        };
        store::insert_track(&tx, &facts, &meta).unwrap();
    }
    tx.commit().unwrap();
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> Duration {
    let mut best = Duration::MAX;
    for _ in 0..runs {
        let started = Instant::now();
        std::hint::black_box(f());
        best = best.min(started.elapsed());
    }
    best
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let mut conn = sonare::db::open(&dir.path().join("library.sqlite3")).unwrap();
    let started = Instant::now();
    build(&mut conn);
    println!(
        "built {TRACKS} tracks in {:.2} s",
        started.elapsed().as_secs_f64()
    );
    println!("| query | best of 5 |");
    println!("|---|---|");
    for sort in [
        SortKey::Artist,
        SortKey::Album,
        SortKey::Title,
        SortKey::Year,
        SortKey::Duration,
        SortKey::Added,
    ] {
        for (label, offset) in [
            ("top", 0),
            ("middle", TRACKS as u32 / 2),
            ("end", TRACKS as u32 - PAGE),
        ] {
            let query = TrackQuery {
                sort,
                offset,
                limit: Some(PAGE),
                ..Default::default()
            };
            let t = time(5, || q::list_tracks(&conn, &query).unwrap().len());
            println!(
                "| page of {PAGE}, sort {sort:?}, {label} | {:.1} ms |",
                t.as_secs_f64() * 1e3
            );
        }
    }
    let t = time(5, || {
        q::count_tracks(&conn, &TrackQuery::default()).unwrap()
    });
    println!("| count all | {:.1} ms |", t.as_secs_f64() * 1e3);
    for search in [
        "b",
        "blue",
        "blue night",
        "artist 0042",
        "夜",
        "no such words",
    ] {
        let query = TrackQuery {
            search: search.into(),
            limit: Some(PAGE),
            ..Default::default()
        };
        let t = time(5, || {
            (
                q::count_tracks(&conn, &query).unwrap(),
                q::list_tracks(&conn, &query).unwrap().len(),
            )
        });
        let hits = q::count_tracks(&conn, &query).unwrap();
        println!(
            "| search {search:?} ({hits} hits): count + first page | {:.1} ms |",
            t.as_secs_f64() * 1e3
        );
    }
}

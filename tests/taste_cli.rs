//! The taste commands of the CLI: the generic evaluation commands, imports, text search and similar
//! artists, recommendations for the listener.

mod common;

use std::path::Path;

use common::taste::{library, taste};
use common::{sonare_cli as run, stdout_ok as ok};
use serde_json::Value;

/// `sonare cf eval` on the split at k = 2, with `extra` arguments.
fn eval(train: &Path, test: &Path, extra: &[&str]) -> String {
    let mut args = vec![
        "cf",
        "eval",
        "--train",
        train.to_str().unwrap(),
        "--test",
        test.to_str().unwrap(),
        "--k",
        "2",
    ];
    args.extend_from_slice(extra);
    ok(&run(None, &args))
}

/// Two taste groups: a* users play items 1-5, b* users items 6-10; each user misses one item.
fn write_split(dir: &std::path::Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let (mut train, mut test) = (String::new(), String::new());
    for u in 0..20 {
        let (name, base) = if u % 2 == 0 {
            (format!("a{u}"), 1)
        } else {
            (format!("b{u}"), 6)
        };
        let held = base + (u / 2) % 5;
        for i in base..base + 5 {
            let line = format!("{name}\titem{i}\t{}\n", 1 + (i + u) % 3);
            if i == held {
                test.push_str(&line);
            } else {
                train.push_str(&line);
            }
        }
    }
    let (tr, te) = (dir.join("train.tsv"), dir.join("test.tsv"));
    std::fs::write(&tr, train).unwrap();
    std::fs::write(&te, test).unwrap();
    (tr, te)
}

#[test]
fn cf_recommend_writes_ranked_unseen_items_and_eval_prints_the_metrics() {
    let tmp = tempfile::tempdir().unwrap();
    let (train, test) = write_split(tmp.path());
    let users = tmp.path().join("users.txt");
    std::fs::write(&users, "a0\nb1\nnewcomer\n").unwrap();
    let recs = tmp.path().join("recs.tsv");
    for model in ["ease", "als", "rp3beta", "popular"] {
        ok(&run(
            None,
            &[
                "cf",
                "recommend",
                "--train",
                train.to_str().unwrap(),
                "--users",
                users.to_str().unwrap(),
                "--k",
                "3",
                "--out",
                recs.to_str().unwrap(),
                "--model",
                model,
                "--factors",
                "4",
            ],
        ));
        let text = std::fs::read_to_string(&recs).unwrap();
        let rows: Vec<Vec<&str>> = text.lines().map(|l| l.split('\t').collect()).collect();
        assert_eq!(rows.len(), 9, "{model}: {text}");
        let a0: Vec<&str> = rows.iter().filter(|r| r[0] == "a0").map(|r| r[1]).collect();
        let ranks: Vec<&str> = rows.iter().filter(|r| r[0] == "a0").map(|r| r[2]).collect();
        assert_eq!(ranks, ["1", "2", "3"]);
        // a0 trained on items 2-5 (item1 held out): nothing it played comes back.
        assert!(
            !a0.iter()
                .any(|i| ["item2", "item3", "item4", "item5"].contains(i)),
            "{model}: {a0:?}"
        );
        if model != "popular" {
            assert_eq!(a0[0], "item1", "{model}: {a0:?}");
        }
    }
    let out = eval(&train, &test, &[]);
    assert!(
        out.contains("Recall@2 1.0000") && out.contains("NDCG@2") && out.contains("HR@2 1.0000"),
        "{out}"
    );
    let json: Value =
        serde_json::from_str(&eval(&train, &test, &["--model", "popular", "--json"])).unwrap();
    assert_eq!(json["model"], "popular");
    assert_eq!(json["users"], 20);
    assert!(json["recall"].as_f64().unwrap() < 0.5, "{json}");
}

#[test]
fn cf_commands_name_the_bad_line_or_argument() {
    let tmp = tempfile::tempdir().unwrap();
    let (train, test) = write_split(tmp.path());
    let bad = tmp.path().join("bad.tsv");
    std::fs::write(&bad, "a\tx\t1\nb\ty\tlots\n").unwrap();
    let out = run(
        None,
        &[
            "cf",
            "eval",
            "--train",
            bad.to_str().unwrap(),
            "--test",
            test.to_str().unwrap(),
        ],
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.tsv:2") && err.contains("lots"), "{err}");
    let out = run(
        None,
        &[
            "cf",
            "eval",
            "--train",
            train.to_str().unwrap(),
            "--test",
            test.to_str().unwrap(),
            "--model",
            "svd",
        ],
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown model \"svd\""));
}

#[test]
fn imports_report_per_file_and_fail_only_the_bad_one() {
    let lib = library();
    let data = lib.db.parent().unwrap();
    let out = run(
        Some(data),
        &[
            "import",
            "history",
            taste("listenbrainz.jsonl").to_str().unwrap(),
            taste("spotify_extended.json").to_str().unwrap(),
            "--format",
            "spotify",
            "--json",
        ],
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("listenbrainz.jsonl is not a Spotify streaming history file"),
        "{err}"
    );
    assert!(err.contains("1 of 2 files could not be imported"), "{err}");
    let report: Value = serde_json::from_str(String::from_utf8_lossy(&out.stdout).trim()).unwrap();
    assert_eq!(report["imported"], 3);
    assert_eq!(report["skipped_lines"][0]["at"], "entry 3");
    let text = ok(&run(
        Some(data),
        &[
            "import",
            "history",
            taste("spotify_extended.json").to_str().unwrap(),
            "--format",
            "spotify",
        ],
    ));
    assert!(text.contains("already imported, nothing changed"), "{text}");
    let history = ok(&run(Some(data), &["history", "--json"]));
    assert_eq!(history.lines().count(), 2, "{history}");
}

#[test]
fn find_ranks_by_text_and_artists_like_uses_imported_tags() {
    let lib = library();
    let data = lib.db.parent().unwrap();
    let hits = ok(&run(Some(data), &["find", "french house", "--json"]));
    let first: Value = serde_json::from_str(hits.lines().next().unwrap()).unwrap();
    assert_eq!(first["artist"], "Daft Punk", "{hits}");
    let hits = ok(&run(Some(data), &["find", "90s", "--json"]));
    let first: Value = serde_json::from_str(hits.lines().next().unwrap()).unwrap();
    assert_eq!(first["artist"], "Björk", "{hits}");
    assert_eq!(
        hits.lines().count(),
        1,
        "only Björk's song is from the nineties: {hits}"
    );

    ok(&run(
        Some(data),
        &[
            "import",
            "shared",
            taste("hetrec").to_str().unwrap(),
            "--format",
            "hetrec",
        ],
    ));
    let similar = ok(&run(Some(data), &["artists-like", "daft punk", "--json"]));
    let first: Value = serde_json::from_str(similar.lines().next().unwrap()).unwrap();
    assert_eq!(first["artist"], "Björk", "{similar}");
    let out = run(Some(data), &["artists-like", "Nobody At All"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("no artist \"Nobody At All\""));

    let agreement: Value = serde_json::from_str(&ok(&run(
        Some(data),
        &["taste", "text-agreement", "--k", "1"],
    )))
    .unwrap();
    assert_eq!(agreement["artists"], 6, "{agreement}");
    // Artists that share tags share listeners; random pairs of this fixture share none.
    let (text, random) = (
        agreement["colisten_cosine_text_neighbours"]
            .as_f64()
            .unwrap(),
        agreement["colisten_cosine_random"].as_f64().unwrap(),
    );
    assert!(text > random + 0.3, "{agreement}");

    ok(&run(
        Some(data),
        &[
            "import",
            "history",
            taste("scrobbles.tsv").to_str().unwrap(),
            "--format",
            "lastfm",
        ],
    ));
    let recs = ok(&run(Some(data), &["taste", "for-me"]));
    assert!(
        recs.starts_with("# model: ease lambda 200") && recs.contains("on 7 shared listeners"),
        "{recs}"
    );
    assert!(
        recs.contains("The Beatles") && recs.contains("because you played Simon & Garfunkel"),
        "{recs}"
    );
}

//! Every CF model against one conformance suite, on small samples derived from real co-listening
//! data (`benches/cf_sample.py`), and tuning's choice on a planted case.

use std::path::PathBuf;

use sonare::cf::eval::{self, Choice, Interactions};
use sonare::cf::matrix::Csr;
use sonare::cf::model::{top_k, ModelSpec, Trained};
use sonare::cf::tune::{self, Recipe, TuneOptions};
use sonare::jobs::JobControl;

fn sample(name: &str) -> Interactions {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/cf")
        .join(name);
    let mut data = Interactions::default();
    eval::read_triples(&path, &mut data).unwrap();
    data
}

/// Every model, with settings that suit a few dozen listeners, and a blend of three.
fn recipes() -> Vec<Recipe> {
    let mut out: Vec<Recipe> = ModelSpec::NAMES
        .iter()
        .map(|n| {
            let mut spec = ModelSpec::by_name(n).unwrap();
            if let ModelSpec::Ease { lambda, .. } = &mut spec {
                *lambda = 10.0;
            }
            if let ModelSpec::Als { params, .. } = &mut spec {
                params.factors = 8;
            }
            Recipe::Single(spec)
        })
        .collect();
    let parts = out[..3]
        .iter()
        .zip([0.5, 0.3, 0.2])
        .map(|(r, w)| match r {
            Recipe::Single(s) => (w, *s),
            Recipe::Blend(_) => unreachable!(),
        })
        .collect();
    out.push(Recipe::Blend(parts));
    out
}

/// The sample with a listener who has one item and an item only that listener has.
fn with_singletons(data: &Interactions) -> Csr {
    let m = data.matrix();
    let mut triples = data.triples.clone();
    let (lone_user, lone_item) = (m.rows as u32, m.cols as u32);
    triples.push((lone_user, lone_item, 1.0));
    Csr::from_triples(m.rows + 1, m.cols + 1, &triples)
}

#[test]
fn every_model_ranks_only_unseen_items_deterministically_and_copes_with_singletons() {
    for file in ["hetrec-sample.tsv", "mpd-sample.tsv"] {
        let data = sample(file);
        let m = with_singletons(&data);
        for recipe in recipes() {
            let name = recipe.describe();
            let model = recipe.fit(&m).unwrap();
            let again = recipe.fit(&m).unwrap();
            for u in 0..m.rows {
                let scores = model.scores_for_user(u, &m);
                assert_eq!(scores.len(), m.cols, "{file} {name}");
                assert!(
                    scores.iter().all(|s| s.is_finite()),
                    "{file} {name} user {u}"
                );
                assert_eq!(
                    scores,
                    again.scores_for_user(u, &m),
                    "{file} {name}: same seed"
                );
                let seen = m.row(u).0;
                let top = top_k(&scores, 10, seen);
                assert_eq!(top.len(), 10.min(m.cols - seen.len()), "{file} {name}");
                assert!(top.iter().all(|i| seen.binary_search(i).is_err()));
            }
            // A new listener with one item is folded in; one with none gets finite scores.
            for items in [&[0u32][..], &[]] {
                let s = model.scores_for_new(items, &vec![3.0; items.len()]);
                assert!(
                    s.len() == m.cols && s.iter().all(|v| v.is_finite()),
                    "{name}"
                );
            }
        }
    }
}

#[test]
fn every_model_finds_held_out_items_better_than_popularity_on_real_listeners() {
    // The held-out protocol on the real-data samples: each learning model must beat the
    // most-popular floor (the samples are small, so by a margin, not by the datasets' figures).
    for file in ["hetrec-sample.tsv", "mpd-sample.tsv"] {
        let m = sample(file).matrix();
        let holdout = sonare::cf::holdout::Holdout::cut(&m, 1000, 3);
        let mean = |r: &Recipe| {
            let model = r.fit(&holdout.train).unwrap();
            let v = holdout.per_user(&model);
            v.iter().sum::<f64>() / v.len() as f64
        };
        let popular = mean(&Recipe::Single(ModelSpec::Popular));
        for recipe in recipes().into_iter().filter(|r| r.name() != "popular") {
            let score = mean(&recipe);
            assert!(
                score > popular,
                "{file}: {} {score:.3} vs popular {popular:.3}",
                recipe.describe()
            );
        }
    }
}

#[test]
fn recommend_never_returns_a_train_item() {
    let data = sample("hetrec-sample.tsv");
    let users: Vec<String> = (0..45).map(|u| format!("u{u}")).collect();
    for recipe in recipes() {
        let (lists, _) = eval::recommend(&data, &users, 20, &Choice::Fixed(recipe)).unwrap();
        for (user, items) in lists {
            let u = data.users.get(&user).unwrap();
            let seen: Vec<&str> = data
                .triples
                .iter()
                .filter(|t| t.0 == u)
                .map(|t| data.items.name(t.1))
                .collect();
            assert_eq!(items.len(), 20);
            assert!(items.iter().all(|i| !seen.contains(&i.as_str())), "{user}");
        }
    }
}

/// Two scenes of listeners (items 0-29 and 30-59) who also all play a few hits (60-64): the hits
/// are what popularity recommends, the scene is what the listener goes on to play.
fn planted() -> Csr {
    let mut rng = fastrand::Rng::with_seed(11);
    let mut t = vec![];
    for u in 0..200u32 {
        let base = if u % 2 == 0 { 0 } else { 30 };
        for i in 0..30 {
            if rng.f32() < 0.3 {
                t.push((u, base + i, 1.0 + rng.u32(0..5) as f32));
            }
        }
        for hit in 60..65 {
            if rng.f32() < 0.5 {
                t.push((u, hit, 1.0));
            }
        }
    }
    Csr::from_triples(200, 65, &t)
}

#[test]
fn tuning_picks_the_better_of_two_models_whichever_comes_first() {
    let knn = ModelSpec::by_name("item-knn").unwrap();
    let options = TuneOptions {
        blend: false,
        ..Default::default()
    };
    for order in [[ModelSpec::Popular, knn], [knn, ModelSpec::Popular]] {
        let tuned =
            tune::tune_among(&planted(), &order, &options, &JobControl::default(), |_| {}).unwrap();
        assert_eq!(tuned.winner.model, "item-knn", "{tuned:?}");
        let runner_up = tuned.runner_up.unwrap();
        assert_eq!(runner_up.model, "popular");
        assert!(tuned.winner.score > runner_up.score + 2.0 * runner_up.se);
    }
}

#[test]
fn tuning_reports_progress_obeys_cancel_and_refuses_too_little_data() {
    let control = JobControl::default();
    let mut seen = vec![];
    let tuned = tune::tune(&planted(), &TuneOptions::default(), &control, |p| {
        seen.push((p.done, p.total))
    })
    .unwrap();
    assert!(seen.windows(2).all(|w| w[0].0 <= w[1].0), "{seen:?}");
    assert_eq!(seen.last().map(|p| p.0), seen.last().map(|p| p.1));
    assert!(
        tuned.trials.len() >= 4,
        "every family was tried: {:?}",
        tuned.trials
    );
    let cancelled = JobControl::default();
    cancelled.cancel();
    let err = tune::tune(&planted(), &TuneOptions::default(), &cancelled, |_| {}).unwrap_err();
    assert!(matches!(err, tune::TuneError::Cancelled), "{err}");
    let tiny = Csr::from_triples(3, 4, &[(0, 0, 1.0), (1, 1, 1.0), (2, 2, 1.0)]);
    let err = tune::tune(&tiny, &TuneOptions::default(), &control, |_| {}).unwrap_err();
    assert!(err.to_string().contains("too little shared data"), "{err}");
    // Trained models of the trial kinds round-trip through the tuned recipe.
    let model: Trained = tuned.winner.recipe.fit(&planted()).unwrap();
    assert_eq!(model.scores_for_new(&[0], &[1.0]).len(), 65);
}

//! The workspace's one observer shape on ADELM and barrier estimation: stock observers
//! checkpoint, log and stop a mapping, and a mapping resumed from a stock checkpoint ends where an
//! uninterrupted one does.

use elm_ad::core::reference::Ising;
use elm_ad::prelude::*;

fn space() -> DiscreteSpace<Ising, Gibbs> {
    DiscreteSpace::new(Ising::new(4, 1.0, 0.0).unwrap(), Gibbs::default().with_temperature(1.5))
}

fn adelm() -> Adelm {
    Adelm::new(AdelmParams::default().with_iterations(30).with_burn_in(10).with_ad(AdParams::default().with_alpha(0.5)))
        .unwrap()
}

#[test]
fn a_stock_checkpoint_resumes_to_the_uninterrupted_record() {
    let dir = std::env::temp_dir().join(format!("elm-ad-observers-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("map.json");
    let full = adelm().map(&space(), &mut UniformLevels { sites: 16, levels: 2 }, 9, observe::nothing()).unwrap();
    // Checkpoint every 4 iterations, stop at 14: the last checkpoint holds iteration 12.
    let stopped = adelm()
        .map(
            &space(),
            &mut UniformLevels { sites: 16, levels: 2 },
            9,
            observe::both(observe::checkpoint_every(4, &path), observe::stop_at(14)),
        )
        .unwrap();
    assert_eq!(stopped.iterations_done, 14);
    let mut restored = AdelmRecord::<Vec<u8>>::load(&path).unwrap();
    assert_eq!(restored.iterations_done, 12);
    adelm()
        .resume(&space(), &mut UniformLevels { sites: 16, levels: 2 }, &mut restored, observe::log_every(10))
        .unwrap();
    assert_eq!(restored, full);
    // The last checkpoint is written at the end of a run too.
    adelm()
        .map(&space(), &mut UniformLevels { sites: 16, levels: 2 }, 9, observe::checkpoint_every(1000, &path))
        .unwrap();
    assert_eq!(AdelmRecord::<Vec<u8>>::load(&path).unwrap(), full);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_failed_checkpoint_stops_the_run_and_keeps_the_record() {
    let path = std::env::temp_dir().join("elm-ad-no-such-dir-for-observers").join("map.json");
    let record = adelm()
        .map(&space(), &mut UniformLevels { sites: 16, levels: 2 }, 9, observe::checkpoint_every(5, &path))
        .unwrap();
    // The save at iteration 5 failed: the run stopped there with its record in memory.
    assert_eq!(record.iterations_done, 5);
    assert!(Progress::summary(&record).starts_with("ADELM iteration 5/30"));
}

#[test]
fn the_last_iteration_is_read_from_the_record() {
    let mut reports = vec![];
    let record = adelm()
        .map(&space(), &mut UniformLevels { sites: 16, levels: 2 }, 9, |r: &AdelmRecord<Vec<u8>>| {
            reports.push(r.last_iteration().unwrap());
            Control::Continue
        })
        .unwrap();
    assert_eq!(reports.len(), 30);
    for (k, (it, m)) in reports.iter().zip(&record.minima).enumerate() {
        assert_eq!(it.iterations_done, k + 1);
        assert_eq!((it.energy, it.new_group, it.reached), (m.energy, m.barrier.is_none(), m.reached));
    }
    // A 4x4 Ising torus has two ground states: every minimum reached at least one group after
    // the first two.
    assert!(reports[2..].iter().all(|it| it.new_group || it.reached >= 1));
}

#[test]
fn barrier_estimation_takes_the_same_stock_observers() {
    // The two ground states and a two-stripe state (straight domain walls: a local minimum).
    let stripes: Vec<u8> = (0..16).map(|k| u8::from(k < 8)).collect();
    let minima = [vec![0u8; 16], vec![1u8; 16], stripes];
    let est = BarrierEstimation::default().with_alpha_start(2.0).with_bracketing(0.5).with_trials(4);
    let report = est.all_pairs_observed(&space(), &minima, 1, observe::stop_at(1)).unwrap();
    assert!(report.stopped);
    // Searches already running on other threads finish (on two threads here, at most 2 of the
    // 6); none starts after the stop, and the report says it stopped.
    let ran = report.directed.iter().flatten().count();
    assert!(ran >= 1 && (ran < 6 || rayon_threads() >= 6), "{ran} of 6 searches ran");
    assert!(report.summary().contains("stopped early"));
}

fn rayon_threads() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
}

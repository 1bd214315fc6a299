//! The magnetized Ising model of seed 000 Fig. 8: below `T_c` the field sweep opens a
//! hysteresis loop (metastability), above `T_c` it closes. Fixed seeds; tolerances stated.

use elm_core::reference::Ising;
use elm_examples::ising::{SweepParams, hysteresis_loop};

#[test]
fn the_loop_opens_below_the_critical_temperature_and_closes_above() {
    // A 16 x 16 lattice, 40 field steps per half loop, 30 sweeps per field.
    let p = SweepParams { side: 16, h_max: 1.5, steps: 40, sweeps: 30 };
    let cold = hysteresis_loop(1.5, &p, 7);
    let hot = hysteresis_loop(3.2, &p, 7);
    // Below T_c (2.269): a loop of area > 1 (the full square is 4 x 1.5 = 6; L = 32 gives 1.66),
    // a coercive field well away from 0, and the remanent magnetization within 0.03 of
    // Onsager's 0.9865.
    assert!(cold.area > 1.0, "T = 1.5: loop area {}", cold.area);
    assert!(cold.coercive_field.is_some_and(|h| h > 0.2), "T = 1.5: {:?}", cold.coercive_field);
    assert!((cold.remanence - Ising::onsager_magnetization(1.5)).abs() < 0.03, "{}", cold.remanence);
    // Above T_c: the curve is reversible up to sampling noise (area < 0.15, coercive field
    // within one field step, 0.075, of zero).
    assert!(hot.area.abs() < 0.15, "T = 3.2: loop area {}", hot.area);
    assert!(hot.coercive_field.is_some_and(|h| h.abs() < 0.075), "T = 3.2: {:?}", hot.coercive_field);
    // The magnetization follows the field: positive at +H_max, negative at -H_max, both ways.
    for l in [&cold, &hot] {
        assert!(l.down[0] > 0.5 && l.up[0] > 0.5 && l.down[40] < -0.5 && l.up[40] < -0.5);
    }
}

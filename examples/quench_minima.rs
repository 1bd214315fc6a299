use elm_core::{reference::LennardJones, Lbfgs, LocalMinimizer};
use rand::SeedableRng;
fn main() {
    let lj = LennardJones::new(13).unwrap();
    let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(13);
    for _ in 0..10 {
        let mut x = lj.random_configuration(&mut rng);
        let r = Lbfgs::default().with_gradient_tolerance(1e-8).minimize(&lj, &mut x).unwrap();
        println!("{r:?}");
    }
}

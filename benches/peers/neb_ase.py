"""ASE side of `cargo xtask peers` for elastic bands (issue 16, item 6).

Counts the energy+force evaluations ASE's climbing-image NEB needs on the Mueller-Brown surface,
with the protocol of `benches/src/bin/neb_evaluations.rs`: 11 images (ends included) on the
straight segment between two minima, spring constant 1, plain NEB until the largest image force
is at most 1e-3, then the climbing image until it is at most 1e-4. Each image is one atom moving
in the z = 0 plane (its z force is zero). Runs the ASE optimizers named on the command line
(FIRE, BFGS, LBFGS, MDMin; default FIRE), prints one line each, then `{"A-C": n, "C-B": n}`
for the optimizer with the fewest evaluations in total. Measured with ASE 3.29: FIRE 91 236
(climb not converged in 20 000 steps) and 89 305; LBFGS diverged on A-C (a climber at
E = 4.7e119 after 355 671 evaluations); BFGS had not finished A-C after 15 minutes.

    python benches/peers/neb_ase.py [FIRE LBFGS ...]        # needs `pip install ase`
"""

import json
import math
import sys

import numpy as np
from ase import Atoms
from ase.calculators.calculator import Calculator, all_changes

try:  # ASE >= 3.23
    from ase.mep import NEB
except ImportError:  # older ASE
    from ase.neb import NEB
from ase.optimize import BFGS, FIRE, LBFGS, MDMin

A = [-200.0, -100.0, -170.0, 15.0]
a = [-1.0, -1.0, -6.5, 0.7]
b = [0.0, 0.0, 11.0, 0.6]
c = [-10.0, -10.0, -6.5, 0.7]
X0 = [1.0, 0.0, -0.5, -1.0]
Y0 = [0.0, 0.5, 1.5, 1.0]

MINIMA = {
    "A": (-0.558223634633, 1.441725841800),
    "B": (0.623499404931, 0.028037758529),
    "C": (-0.050010822998, 0.466694104872),
}
STEPS = 20_000  # per phase; an optimizer that needs more is reported as not converged
SADDLES = {"A-C": -40.664843509, "C-B": -72.248940112}


def muller_brown(x, y):
    e, gx, gy = 0.0, 0.0, 0.0
    for k in range(4):
        dx, dy = x - X0[k], y - Y0[k]
        t = A[k] * math.exp(a[k] * dx * dx + b[k] * dx * dy + c[k] * dy * dy)
        e += t
        gx += t * (2 * a[k] * dx + b[k] * dy)
        gy += t * (b[k] * dx + 2 * c[k] * dy)
    return e, gx, gy


class MullerBrown(Calculator):
    implemented_properties = ["energy", "forces"]
    calls = 0

    def calculate(self, atoms=None, properties=("energy",), system_changes=all_changes):
        Calculator.calculate(self, atoms, properties, system_changes)
        MullerBrown.calls += 1
        x, y, _ = self.atoms.positions[0]
        e, gx, gy = muller_brown(x, y)
        self.results = {"energy": e, "forces": np.array([[-gx, -gy, 0.0]])}


def image(p):
    atoms = Atoms("H", positions=[[p[0], p[1], 0.0]])
    atoms.calc = MullerBrown()
    return atoms


def run(optimizer, start, end):
    images = []
    for k in range(11):
        t = k / 10
        images.append(image([(1 - t) * s + t * e for s, e in zip(start, end)]))
    MullerBrown.calls = 0
    neb = NEB(images, k=1.0, climb=False, method="improvedtangent")
    opt = optimizer(neb, logfile=None)
    opt.run(fmax=1e-3, steps=STEPS)
    neb.climb = True
    opt = optimizer(neb, logfile=None)
    converged = opt.run(fmax=1e-4, steps=STEPS)
    top = max(im.get_potential_energy() for im in images[1:-1])
    return MullerBrown.calls, converged, top


OPTIMIZERS = {"FIRE": FIRE, "BFGS": BFGS, "LBFGS": LBFGS, "MDMin": MDMin}


def main():
    results = {}
    chosen = sys.argv[1:] or ["FIRE"]
    for name in chosen:
        optimizer = OPTIMIZERS[name]
        counts = {}
        for pair in ["A-C", "C-B"]:
            s, e = pair.split("-")
            calls, converged, top = run(optimizer, MINIMA[s], MINIMA[e])
            counts[pair] = calls
            print(
                f"ASE {name:>5} {pair}: {calls:>7} evaluations, converged {converged}, "
                f"climber {top:.6f} (saddle {SADDLES[pair]:.6f})",
                file=sys.stderr,
            )
        results[name] = counts
    best = min(results, key=lambda n: sum(results[n].values()))
    print(f"ASE best: {best}", file=sys.stderr)
    print(json.dumps(results[best]))


if __name__ == "__main__":
    main()

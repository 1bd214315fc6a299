"""PyTorch peer of elm-ebm's learning iteration (seed 001 Alg. 1), for `cargo xtask peers`.

One iteration = a batch of 100 persistent chains, L = 100 Langevin steps x <- x - grad F(x) + eps z
(the authors' convention U = F / (eps^2 / 2), eps = 0.125), then one SGD step on
mean F(X+) - mean F(X-). float32, CPU, `--threads` intra-op threads (default 2).

Works:
  toy_mlp       the authors' toy network 2-32-64-64-64-1, LeakyReLU(0.05) (elm: Mlp::toy)
  convnet_32x32 3x3 conv to 32 channels, three 4x4 stride-2 convs doubling the channels, a linear
                scalar, ReLU (elm: ConvNet::new(1, 32, None)), on 1 x 32 x 32 inputs

Prints one JSON object {work: seconds per iteration (median of --repeats timed iterations)}.
Written for this project (not taken from the authors' code).
"""

import argparse
import json
import statistics
import time

import torch
from torch import nn


def toy_mlp():
    widths = [2, 32, 64, 64, 64]
    layers = []
    for a, b in zip(widths, widths[1:]):
        layers += [nn.Linear(a, b), nn.LeakyReLU(0.05)]
    layers.append(nn.Linear(64, 1))
    return nn.Sequential(*layers), (2,)


class ConvNet(nn.Module):
    def __init__(self, channels=1, side=32):
        super().__init__()
        self.shape = (channels, side, side)
        self.body = nn.Sequential(
            nn.Conv2d(channels, 32, 3, 1, 1), nn.ReLU(),
            nn.Conv2d(32, 64, 4, 2, 1), nn.ReLU(),
            nn.Conv2d(64, 128, 4, 2, 1), nn.ReLU(),
            nn.Conv2d(128, 256, 4, 2, 1), nn.ReLU(),
            nn.Flatten(), nn.Linear(256 * (side // 8) ** 2, 1),
        )

    def forward(self, x):
        return self.body(x)


def iteration(net, shape, bank, data, batch, steps, eps, opt):
    idx = torch.randperm(bank.shape[0])[:batch]
    x = bank[idx].clone().requires_grad_(True)
    for _ in range(steps):
        g = torch.autograd.grad(net(x).sum(), [x])[0]
        x.data += -g + eps * torch.randn_like(x)
    bank[idx] = x.detach()
    pos = data[torch.randperm(data.shape[0])[:batch]]
    loss = net(pos).mean() - net(x.detach()).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
    return float(loss)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=10)
    ap.add_argument("--steps", type=int, default=100)
    ap.add_argument("--works", default="toy_mlp,convnet_32x32")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    out = {}
    for work in args.works.split(","):
        if work == "toy_mlp":
            net, shape = toy_mlp()
            repeats = args.repeats
        else:
            net = ConvNet()
            shape = net.shape
            repeats = max(2, args.repeats // 5)
        bank = torch.rand((1000,) + shape) * 2 - 1
        data = torch.rand((1000,) + shape) * 2 - 1
        opt = torch.optim.SGD(net.parameters(), lr=1e-3)
        iteration(net, shape, bank, data, 100, args.steps, 0.125, opt)  # warm-up
        times = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            iteration(net, shape, bank, data, 100, args.steps, 0.125, opt)
            times.append(time.perf_counter() - t0)
        out[work] = statistics.median(times)
    print(json.dumps(out))


if __name__ == "__main__":
    main()

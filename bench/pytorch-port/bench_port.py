"""Times the reference author's PyTorch port (XifengGuo/CapsNet-Pytorch) the way bench/CapsNet.Bench times ours:
random data of MNIST shape, batch 100, 3 routings, fp32, its own model, loss and Adam step, then test-mode forward.

    python3 bench_port.py PATH_TO_CAPSNET_PYTORCH [--steps 30] [--warmup 3] [--batch_size 100] [--threads T]

Threads default to one per CPU, as libtorch's do in ours (Debian's PyTorch otherwise starts with one).

Only the port's model and loss are used; its torchvision import is stubbed (no data is loaded) and .cuda() is a
no-op so that its test-mode forward runs on the CPU.
"""
import argparse
import os
import statistics
import sys
import time
import types

import torch

parser = argparse.ArgumentParser()
parser.add_argument("port")
parser.add_argument("--steps", type=int, default=30)
parser.add_argument("--warmup", type=int, default=3)
parser.add_argument("--batch_size", type=int, default=100)
parser.add_argument("--threads", type=int, default=os.cpu_count())
args = parser.parse_args()
torch.set_num_threads(args.threads)

torchvision = types.ModuleType("torchvision")
torchvision.transforms = torchvision.datasets = None
sys.modules.setdefault("torchvision", torchvision)
torch.Tensor.cuda = lambda self, *a, **k: self
sys.path.insert(0, args.port)
from capsulenet import CapsuleNet, caps_loss  # noqa: E402

torch.manual_seed(1)
batch = args.batch_size
x = torch.rand(batch, 1, 28, 28)
labels = torch.randint(10, (batch,))
y = torch.zeros(batch, 10).scatter_(1, labels.view(-1, 1), 1.0)
model = CapsuleNet(input_size=[1, 28, 28], classes=10, routings=3)
optimizer = torch.optim.Adam(model.parameters(), lr=0.001)


def train_step():
    optimizer.zero_grad()
    y_pred, x_recon = model(x, y)
    caps_loss(y, y_pred, x, x_recon, 0.392).backward()
    optimizer.step()


def test_step():
    with torch.no_grad():
        model(x)


def median_seconds(step, train):
    model.train(train)
    for _ in range(args.warmup):
        step()
    times = []
    for _ in range(args.steps):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


print(f"PyTorch {torch.__version__}, {torch.get_num_threads()} threads, batch {batch}, {args.steps} timed steps after {args.warmup} warm-up")
train_seconds = median_seconds(train_step, True)
test_seconds = median_seconds(test_step, False)
print(f"train img/s: {batch / train_seconds:.1f}")
print(f"test img/s: {batch / test_seconds:.1f}")

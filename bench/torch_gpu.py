#!/usr/bin/env python3
"""PyTorch CUDA side of `npm run bench -- --gpu-quick` (bench/gpu.ts): the same cases, Adam lr 1e-3,
random data, timed after a warm-up with torch.cuda.synchronize(). First line: {"torch", "cuda"};
then one JSON line per case. Without CUDA it prints only the first line, with "cuda": false."""
import argparse, json, sys, time

p = argparse.ArgumentParser()
p.add_argument("--cases", default="mlp-b128,mlp-b1024,cnn-b128,wide-b500")
p.add_argument("--min-ms", type=float, default=2000)
p.add_argument("--reps", type=int, default=3)
a = p.parse_args()
try:
    import torch, torch.nn as nn
except Exception as e:  # no torch at all
    print(json.dumps({"torch": None, "cuda": False, "why": f"no torch: {e}"}))
    sys.exit(0)
if not torch.cuda.is_available():
    print(json.dumps({"torch": torch.__version__, "cuda": False, "why": "torch.cuda.is_available() is false"}))
    sys.exit(0)
dev = torch.device("cuda")
print(json.dumps({"torch": torch.__version__, "cuda": True, "device": torch.cuda.get_device_name(0)}))

def model(case):
    if case.startswith("mlp"):
        return nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10)), (1, 28, 28), 10, True
    if case.startswith("cnn"):
        return nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                             nn.Flatten(), nn.Linear(32 * 7 * 7, 128), nn.ReLU(), nn.Linear(128, 10)), (1, 28, 28), 10, True
    layers, d = [], 20
    for _ in range(5):
        layers += [nn.Linear(d, 1000), nn.ReLU()]
        d = 1000
    return nn.Sequential(*layers, nn.Linear(d, 1)), (20,), 1, False

for case in a.cases.split(","):
    batch = int(case.split("-b")[1])
    torch.manual_seed(0)
    net, shape, outs, classify = model(case)
    net = net.to(dev)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    x = torch.rand(4 * batch, *shape, device=dev)
    y = torch.randint(0, outs, (4 * batch,), device=dev) if classify else torch.rand(4 * batch, 1, device=dev) * 2 - 1
    loss_fn = nn.CrossEntropyLoss() if classify else nn.MSELoss()
    torch.cuda.reset_peak_memory_stats()
    i = 0
    def step():
        global i
        s = (i % 4) * batch
        i += 1
        opt.zero_grad()
        loss = loss_fn(net(x[s:s + batch]), y[s:s + batch])
        loss.backward()
        opt.step()
        return loss.item()  # a read-back a step, as the trainer does
    t = time.perf_counter()
    while (time.perf_counter() - t) * 1000 < a.min_ms / 2:
        step()
    runs = []
    for _ in range(a.reps):
        torch.cuda.synchronize()
        t, n = time.perf_counter(), 0
        while True:
            step()
            n += 1
            if (time.perf_counter() - t) * 1000 >= a.min_ms:
                break
        torch.cuda.synchronize()
        runs.append((time.perf_counter() - t) * 1000 / n)
    ms = sorted(runs)[len(runs) // 2]
    print(json.dumps({"case": case, "stepMs": ms, "samplesPerSec": 1000 * batch / ms,
                      "deviceMB": torch.cuda.max_memory_allocated() / 2 ** 20, "device": torch.cuda.get_device_name(0)}))

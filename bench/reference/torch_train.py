#!/usr/bin/python3
"""PyTorch eager reference for bench/train-speed: trains an ONNX classifier's graph, rebuilt as a torch
module whose forward runs the same operators in order, on Fashion-MNIST training images for one epoch at the
given batch size and threads (SGD with momentum, as the Bantam side), and prints images per second as JSON.
Reference only: Bantam itself never runs Python. Needs Debian's python3-torch and python3-onnx."""
import gzip
import json
import sys
import time

import numpy as np
import onnx
from onnx import numpy_helper
import torch
import torch.nn.functional as F


def attrs(node):
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


class OnnxModule(torch.nn.Module):
    def __init__(self, model):
        super().__init__()
        g = model.graph
        self.nodes = list(g.node)
        self.params = torch.nn.ParameterDict()
        self.names = {}
        for i, t in enumerate(g.initializer):
            key = "p%d" % i
            self.names[t.name] = key
            self.params[key] = torch.nn.Parameter(torch.from_numpy(numpy_helper.to_array(t).copy()))
        self.input = g.input[0].name
        self.output = g.output[0].name

    def forward(self, x):
        env = {self.input: x}
        for k, v in self.names.items():
            env[k] = self.params[v]
        for n in self.nodes:
            a = attrs(n)
            i = [env[name] if name else None for name in n.input]
            op = n.op_type
            if op == "Conv":
                pads = a.get("pads", [0, 0, 0, 0])
                y = F.conv2d(i[0], i[1], i[2] if len(i) > 2 else None, a.get("strides", [1, 1]),
                             pads[:2], a.get("dilations", [1, 1]), a.get("group", 1))
            elif op == "Relu":
                y = F.relu(i[0])
            elif op == "Add":
                y = i[0] + i[1]
            elif op == "MaxPool":
                pads = a.get("pads", [0, 0, 0, 0])
                y = F.max_pool2d(i[0], a["kernel_shape"], a.get("strides", a["kernel_shape"]), pads[:2])
            elif op == "GlobalAveragePool":
                y = i[0].mean(dim=(2, 3), keepdim=True)
            elif op == "Flatten":
                y = torch.flatten(i[0], a.get("axis", 1))
            elif op == "Gemm":
                w = i[1].t() if a.get("transB", 0) else i[1]
                y = i[0] @ w + i[2]
            elif op == "Clip":
                y = torch.clamp(i[0], float(i[1]), float(i[2]))
            else:
                raise SystemExit("reference: operator %s is not rebuilt" % op)
            env[n.output[0]] = y
        return env[self.output]


def images(path, n):
    with gzip.open(path + "/train-images-idx3-ubyte.gz") as f:
        f.read(16)
        x = np.frombuffer(f.read(n * 784), dtype=np.uint8).reshape(n, 1, 28, 28).astype(np.float32) / 255
    with gzip.open(path + "/train-labels-idx1-ubyte.gz") as f:
        f.read(8)
        y = np.frombuffer(f.read(n), dtype=np.uint8).astype(np.int64)
    return torch.from_numpy(x), torch.from_numpy(y)


def main():
    model, data, items, batch, threads, lr = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), \
        int(sys.argv[5]), float(sys.argv[6])
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    m = OnnxModule(onnx.load(model))
    x, y = images(data, items)
    opt = torch.optim.SGD(m.parameters(), lr=lr, momentum=0.9, weight_decay=0.0)
    perm = torch.randperm(items)
    start = time.perf_counter()
    loss_sum = 0.0
    for s in range(0, items, batch):
        idx = perm[s:s + batch]
        opt.zero_grad()
        loss = F.cross_entropy(m(x[idx]), y[idx])
        loss.backward()
        opt.step()
        loss_sum += loss.item() * len(idx)
    secs = time.perf_counter() - start
    print(json.dumps({"engine": "pytorch-eager", "torch": torch.__version__, "threads": torch.get_num_threads(),
                      "items": items, "batch": batch, "seconds": secs, "itemsPerSecond": items / secs,
                      "meanLoss": loss_sum / items}))


if __name__ == "__main__":
    main()

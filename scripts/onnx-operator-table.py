#!/usr/bin/env python3
"""Writes the opset 1..17 part of bantam-onnx's operator table (check/onnx-operators.txt) from the
schema registry of the onnx Python package (Debian: python3-onnx 1.12, whose newest opset is 17).
The lines for opsets 18 and later are kept by hand in the table file, below the generated part.

usage: /usr/bin/python3 scripts/onnx-operator-table.py > generated.txt
"""
from onnx import defs

TYPES = {1: "float", 2: "int", 3: "string", 4: "tensor", 5: "graph", 6: "floats", 7: "ints",
         8: "strings", 9: "tensors", 10: "graphs", 11: "sparse_tensor", 12: "sparse_tensors",
         13: "type_proto", 14: "type_protos"}

# Lower bounds that keep ONNX Runtime's kernels from dividing by zero or indexing out of range.
AT_LEAST = {"strides": 1, "dilations": 1, "kernel_shape": 1, "group": 1, "blocksize": 1,
            "pooled_shape": 1, "num_groups": 1, "offset_group": 1, "output_padding": 0}
NON_NEGATIVE_PADS_EXCEPT = {"Pad"}
LRN_SIZE = {"LRN"}


def bound(op, name):
    if name == "pads" and op not in NON_NEGATIVE_PADS_EXCEPT:
        return 0
    if name == "size" and op in LRN_SIZE:
        return 1
    return AT_LEAST.get(name)


def count(lo, hi):
    hi = "*" if hi >= 2**31 - 1 else str(hi)
    return str(lo) if str(lo) == hi else f"{lo}..{hi}"


def line(s):
    if s.deprecated:
        return f"{s.name} {s.since_version} deprecated"
    parts = [s.name, str(s.since_version), "in=" + count(s.min_input, s.max_input),
             "out=" + count(s.min_output, s.max_output)]
    for name in sorted(s.attributes):
        a = s.attributes[name]
        tok = f"{name}:{TYPES[int(a.type)]}"
        if a.required:
            tok += "!"
        b = bound(s.name, name)
        if b is not None and TYPES[int(a.type)] in ("int", "ints"):
            tok += f">={b}"
        parts.append(tok)
    return " ".join(parts)


def main():
    schemas = defs.get_all_schemas_with_history()
    print("domain ai.onnx")
    for s in sorted((s for s in schemas if s.domain == ""), key=lambda s: (s.name, s.since_version)):
        print(line(s))
    print()
    print("domain ai.onnx.ml")
    for name in sorted({s.name for s in schemas if s.domain == "ai.onnx.ml"}):
        print(f"{name} 1 *")


main()

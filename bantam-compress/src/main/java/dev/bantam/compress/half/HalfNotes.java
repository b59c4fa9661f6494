package dev.bantam.compress.half;

import dev.bantam.compress.Score;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The notes of a half-precision report: what computes where, what ONNX Runtime's CPU provider makes of it, bytes. */
final class HalfNotes {

    private HalfNotes() {
    }

    static void add(List<String> notes, HalfPrecisionConfig c, HalfRewriter.Result r, List<HalfNode> nodes, Score fidelity) {
        String type = c.type().label();
        long converted = r.tensors().stream().filter(HalfTensor::converted).count();
        notes.add(String.format(Locale.ROOT, "%d of %d float32 constants stored in %s: %.2f -> %.2f MiB", converted,
                r.tensors().size(), type, r.bytesBefore() / 1048576.0, r.bytesAfter() / 1048576.0));
        if (c.compute() == Compute.FLOAT) {
            notes.add("every operator computes in float32 as before; " + r.loadCasts() + " Casts widen weights to "
                    + "float32 and ONNX Runtime folds them when it loads the model: it then runs at float32's speed "
                    + "with float32 weights in memory (the file halves, not the memory)");
        } else {
            long half = nodes.stream().filter(HalfNode::half).count();
            Map<String, Integer> kept = new TreeMap<>();
            nodes.stream().filter(n -> !n.half()).forEach(n -> kept.merge(n.opType(), 1, Integer::sum));
            notes.add(String.format(Locale.ROOT, "%d of %d operators compute in %s; in float32: %s", half, nodes.size(),
                    type, kept.isEmpty() ? "none" : kept));
            notes.add(String.format(Locale.ROOT, "%d Casts of activations run at every inference (region borders%s); "
                    + "%d Casts of weights for float32 readers are folded at load", r.runtimeCasts(),
                    c.keepIoTypes() ? ", float32 inputs and outputs" : "", r.loadCasts()));
            long nativeKernels = nodes.stream().filter(n -> n.ortCpu() == OrtCpuKernels.Support.NATIVE).count();
            long casted = nodes.stream().filter(n -> n.ortCpu() == OrtCpuKernels.Support.CASTS).count();
            if (casted > 0) {
                notes.add(String.format(Locale.ROOT, "ONNX Runtime %s's CPU provider has %s kernels for %d of the %d "
                        + "half operators; around the other %d it inserts Casts and computes in float32: the model "
                        + "runs there, but no faster than float (half arithmetic is for GPU providers and CPUs that "
                        + "have it)", OrtCpuKernels.VERSION, type, nativeKernels, half, casted));
            }
        }
        if (!c.keepIoTypes()) {
            notes.add("graph inputs and outputs are " + type + ": callers feed and read " + type + " tensors");
        }
        if (fidelity != null) {
            notes.add(String.format(Locale.ROOT, "first output '%s' against the float model on %d evaluation items: "
                    + "mean cosine %.7f (min %.7f), SQNR %.1f dB%s", fidelity.output(), fidelity.items(),
                    fidelity.meanCosine(), fidelity.minCosine(), fidelity.sqnrDb(), fidelity.top1Agreement() == null
                            ? "" : String.format(Locale.ROOT, ", top-1 agreement %.4f", fidelity.top1Agreement())));
        }
    }
}

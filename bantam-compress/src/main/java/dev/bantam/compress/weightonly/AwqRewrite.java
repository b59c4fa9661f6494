package dev.bantam.compress.weightonly;

import dev.bantam.onnx.ProgressListener;
import dev.bantam.onnx.ir.DataType;
import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ir.Usage;
import dev.bantam.onnx.ir.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * AWQ on the graph: for each input read by quantized MatMul/Gemm layers, the scales {@link Awq#search} chooses
 * multiply those layers' weights, and x / s is made where it costs nothing at run time when it can be: folded
 * into the constant per-channel tail of x's producer (a LayerNormalization's γ and β, a Mul or Add by a constant
 * vector, a MatMul's constant weight columns; through Relu, which commutes with positive scales). That needs x to
 * be read by the group alone. Otherwise (a post-LN residual also reads x, a Gelu, a reshape of attention heads, a
 * graph input) one Mul by 1/s is inserted in front of the group, AWQ's "scaled activation".
 */
final class AwqRewrite {

    /** The layers with their scaled weights, and the Gram matrix of each one's new input, by its name. */
    record Result(List<BlockLayer> layers, Map<String, double[]> grams) {
    }

    private AwqRewrite() {
    }

    static Result apply(Graph g, List<BlockLayer> layers, Map<String, double[]> grams, BlockFormat f,
                        ProgressListener progress, List<String> notes) {
        Map<Value, List<BlockLayer>> groups = new LinkedHashMap<>();
        for (BlockLayer l : layers) {
            if (l.kind() == BlockLayer.Kind.MATMUL || l.kind() == BlockLayer.Kind.GEMM) { // Convs: clip search only
                groups.computeIfAbsent(l.data(), x -> new ArrayList<>()).add(l);
            }
        }
        Map<String, double[]> newGrams = new LinkedHashMap<>(grams);
        int folded = 0;
        int muls = 0;
        int unscaled = 0;
        double rtnLoss = 0;
        double awqLoss = 0;
        int done = 0;
        for (Map.Entry<Value, List<BlockLayer>> e : groups.entrySet()) {
            progress.progress("AWQ scale search", done++, groups.size());
            Value x = e.getKey();
            List<BlockLayer> group = e.getValue();
            double[] h = grams.get(x.name());
            if (h == null) {
                throw new IllegalStateException("no calibration rows reached " + group.getFirst().node().displayName());
            }
            int k = group.getFirst().k();
            Awq.Scaling sc = Awq.search(h, k, group.stream().map(BlockLayer::rows).toList(),
                    group.stream().map(BlockLayer::n).toList(), f);
            rtnLoss += sc.rtnLoss();
            awqLoss += sc.loss();
            if (sc.alpha() == 0) {
                unscaled++;
                continue;
            }
            Value scaledInput = divideInput(g, x, sc.s(), group);
            if (scaledInput == x) {
                folded++;
            } else {
                muls++;
            }
            newGrams.put(scaledInput.name(), Awq.scaledGram(h, k, sc.s()));
            for (BlockLayer l : group) {
                scaleWeight(g, l, sc.s());
            }
        }
        progress.progress("AWQ scale search", groups.size(), groups.size());
        notes.add(String.format(Locale.ROOT, "AWQ: %d inputs scaled (%d folded into their producer, %d by an inserted "
                + "Mul), %d left unscaled (alpha 0 was best); output error on the calibration rows %.4g of RTN's",
                folded + muls, folded, muls, unscaled, rtnLoss > 0 ? awqLoss / rtnLoss : 1.0));
        // every layer read again: a fold may have divided the weight columns of a layer quantized in this pass too
        List<BlockLayer> out = layers.stream().map(l -> BlockLayer.of(l.node(), new StringBuilder()).orElseThrow()).toList();
        return new Result(out, newGrams);
    }

    /** Makes the group read x / s; returns x itself when folded into its producer, else the inserted Mul's output. */
    private static Value divideInput(Graph g, Value x, float[] s, List<BlockLayer> group) {
        boolean groupOnly = !x.isGraphOutput() && x.uses().stream()
                .allMatch(u -> u.index() == 0 && group.stream().anyMatch(l -> l.node() == u.node()));
        Optional<List<Usage>> fold = groupOnly ? foldTargets(x, s.length) : Optional.empty();
        if (fold.isPresent()) {
            for (Usage u : fold.get()) {
                divideLastAxis(g, u, s);
            }
            return x;
        }
        float[] inv = new float[s.length];
        for (int i = 0; i < s.length; i++) {
            inv[i] = 1 / s[i];
        }
        Value iv = g.addInitializer(Tensor.ofFloats(g.uniqueName(x.name() + "_awq_inverse_scale"), inv, inv.length));
        Node mul = Node.of("Mul", List.of(x, iv), List.of(g.uniqueName(x.name() + "_awq_scaled")));
        g.insertBefore(group.getFirst().node(), mul);
        mul.output(0).setType(x.type());
        for (BlockLayer l : group) {
            l.node().replaceInput(0, mul.output(0));
        }
        return mul.output(0);
    }

    /**
     * The constant inputs that, each divided along its last axis by s, divide x by s: walking up from x through
     * Add (constant operand) and Relu to a LayerNormalization, a Mul by a constant, or a MatMul with a constant
     * weight. Empty when the producer chain is anything else or a value on it has other readers.
     */
    static Optional<List<Usage>> foldTargets(Value x, int k) {
        List<Usage> targets = new ArrayList<>();
        Value v = x;
        while (true) {
            Node p = v.producer();
            if (p == null || (v != x && v.uses().size() != 1) || !p.normalizedDomain().isEmpty()) {
                return Optional.empty();
            }
            switch (p.opType()) {
                case "LayerNormalization" -> {
                    if (!perChannel(p.input(1), k) || (p.inputs().size() > 2 && p.input(2) != null
                            && !perChannel(p.input(2), k))) {
                        return Optional.empty();
                    }
                    targets.add(new Usage(p, 1));
                    if (p.inputs().size() > 2 && p.input(2) != null) {
                        targets.add(new Usage(p, 2));
                    }
                    return Optional.of(targets);
                }
                case "Mul" -> {
                    int c = perChannel(p.input(1), k) ? 1 : perChannel(p.input(0), k) ? 0 : -1;
                    if (c < 0) {
                        return Optional.empty();
                    }
                    targets.add(new Usage(p, c));
                    return Optional.of(targets);
                }
                case "Add" -> {
                    int c = perChannel(p.input(1), k) ? 1 : perChannel(p.input(0), k) ? 0 : -1;
                    if (c < 0 || p.input(1 - c).constantValue().isPresent()) {
                        return Optional.empty();
                    }
                    targets.add(new Usage(p, c));
                    v = p.input(1 - c);
                }
                case "Relu" -> v = p.input(0);
                case "MatMul" -> {
                    Optional<Tensor> w = p.input(1).constantValue();
                    if (w.isEmpty() || w.get().dataType() != DataType.FLOAT || w.get().rank() != 2 || w.get().dim(1) != k) {
                        return Optional.empty();
                    }
                    targets.add(new Usage(p, 1));
                    return Optional.of(targets);
                }
                default -> {
                    return Optional.empty();
                }
            }
        }
    }

    /** A constant float tensor whose last axis is the k channels and whose other axes are 1. */
    private static boolean perChannel(Value v, int k) {
        if (v == null) {
            return false;
        }
        Optional<Tensor> t = v.constantValue();
        if (t.isEmpty() || t.get().dataType() != DataType.FLOAT || t.get().rank() < 1 || t.get().dim(t.get().rank() - 1) != k) {
            return false;
        }
        return t.get().elementCount() == k;
    }

    /** The constant read at {@code use}, divided along its last axis by s, as a new initializer read there only. */
    private static void divideLastAxis(Graph g, Usage use, float[] s) {
        Value v = use.node().input(use.index());
        Tensor t = v.constantValue().orElseThrow();
        float[] a = t.toFloatArray();
        for (int i = 0; i < a.length; i++) {
            a[i] /= s[i % s.length];
        }
        use.node().replaceInput(use.index(), g.addInitializer(Tensor.ofFloats(g.uniqueName(v.name() + "_awq"), a,
                t.dims())));
    }

    /** Makes the layer read s·W (rows of input channels scaled) from a new initializer. */
    private static void scaleWeight(Graph g, BlockLayer l, float[] s) {
        float[] w = l.weight().toFloatArray();
        int k = l.k();
        for (int i = 0; i < w.length; i++) {
            w[i] *= s[l.transposed() ? i % k : i / l.n()];
        }
        Value old = l.node().input(l.weightInput());
        l.node().replaceInput(l.weightInput(), g.addInitializer(Tensor.ofFloats(g.uniqueName(old.name() + "_awq"), w,
                l.weight().dims())));
        if (old.uses().isEmpty() && old.initializer() != null) {
            g.removeInitializer(old);
        }
    }
}

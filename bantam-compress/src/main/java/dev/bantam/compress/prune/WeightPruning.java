package dev.bantam.compress.prune;

import dev.bantam.compress.CompressionContext;
import dev.bantam.compress.Decision;
import dev.bantam.compress.Technique;
import dev.bantam.compress.stats.ActivationStatistics;
import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.SparseTensor;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ir.Value;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Unstructured and N:M weight pruning: magnitude (per layer, or global by LAMP), Wanda, SparseGPT
 * ({@link SparsityMethod}); the zeros stored sparsely where that is smaller. Data-aware methods read each layer's
 * input Gram matrix (a convolution's patch Gram matrix) from one calibration run of the unpruned model.
 */
public final class WeightPruning implements Technique<SparsityConfig, SparsityReport> {

    @Override
    public SparsityConfig defaults() {
        return SparsityConfig.defaults();
    }

    @Override
    public boolean needsData(SparsityConfig config) {
        return config.method().needsData();
    }

    @Override
    public SparsityReport apply(Model model, SparsityConfig config, CompressionContext context) {
        Graph g = model.graph();
        List<Decision> decisions = new ArrayList<>();
        List<LayerMatrix> layers = layers(g, config, decisions);
        if (layers.isEmpty()) {
            boolean inBodies = g.graphsRecursive().stream().skip(1).flatMap(x -> x.nodes().stream())
                    .anyMatch(n -> SparsityConfig.SUPPORTED.contains(n.opType()));
            throw new IllegalArgumentException("nothing to prune: no Conv, Gemm or MatMul with a constant float weight of "
                    + config.scope().minWeightSize() + "+ values is in scope" + (inBodies ? " in the main graph (the "
                    + "model's weighted layers are inside If/Loop/Scan bodies, which weight pruning does not enter)"
                    : decisions.isEmpty() ? "" : " (" + decisions.getFirst().node() + ": " + decisions.getFirst().reason()
                    + ")"));
        }
        List<String> notes = new ArrayList<>();
        Map<LayerMatrix, double[]> pruned = new LinkedHashMap<>();
        Map<LayerMatrix, double[]> original = new LinkedHashMap<>();
        for (LayerMatrix l : layers) {
            original.put(l, l.read());
            pruned.put(l, original.get(l).clone());
        }
        if (config.global()) {
            globalMagnitude(pruned, config.sparsity());
        } else if (!config.method().needsData()) {
            layers.forEach(l -> prune(l, pruned.get(l), null, config));
        } else {
            List<List<LayerMatrix>> stages = config.sequential() ? stages(layers) : List.of(layers);
            for (List<LayerMatrix> stage : stages) {
                Map<LayerMatrix, double[]> grams = grams(model, stage, config, context);
                for (LayerMatrix l : stage) {
                    prune(l, pruned.get(l), grams.get(l), config);
                    float[] w = l.layout(pruned.get(l));
                    long[] dims = l.node().input(1).constantValue().orElseThrow().dims();
                    ChannelRemoval.replaceConstant(g, l.node(), 1, nm -> Tensor.ofFloats(nm, w, dims), "_pruned");
                }
            }
            notes.add(stages.size() == 1 ? "input Gram matrices of " + layers.size() + " layers from one calibration run "
                    + "of the unpruned model" : "input Gram matrices stage by stage: " + stages.size() + " calibration "
                    + "runs, each on the model with the earlier stages pruned");
        }
        List<SparseLayer> out = new ArrayList<>();
        long[] bytes = new long[2];
        for (LayerMatrix l : layers) {
            out.add(write(g, l, original.get(l), pruned.get(l), config.sparseStorage(), bytes));
            decisions.add(Decision.applied(l.node().displayName(), l.node().opType(), String.format(java.util.Locale.ROOT,
                    "%.1f%% zeros (%s)", 100 * out.getLast().sparsity(), config.method().label())));
        }
        out.sort(Comparator.comparingDouble(SparseLayer::sqnrDb));
        long zeros = out.stream().mapToLong(s -> Math.round(s.sparsity() * s.shape().stream().reduce(1L, (a, b) -> a * b)))
                .sum();
        long total = out.stream().mapToLong(s -> s.shape().stream().reduce(1L, (a, b) -> a * b)).sum();
        notes.add(0, String.format(java.util.Locale.ROOT, "%d layers, %.1f%% of their weights zero%s", layers.size(),
                100.0 * zeros / total, config.nm() ? " (" + config.n() + ":" + config.m() + " along the inputs)" : ""));
        return new SparsityReport(config, out, decisions, notes, bytes[0], bytes[1]);
    }

    private static List<LayerMatrix> layers(Graph g, SparsityConfig c, List<Decision> decisions) {
        List<LayerMatrix> out = new ArrayList<>();
        Set<Value> seen = new HashSet<>();
        for (Node n : g) {
            if (!SparsityConfig.SUPPORTED.contains(n.opType()) || !n.normalizedDomain().isEmpty()) {
                continue;
            }
            String why = c.scope().whyNot(n);
            LayerMatrix l = why == null ? LayerMatrix.of(n).orElse(null) : null;
            if (why == null && l == null) {
                why = "no constant 2-D float weight this pruning handles (grouped or non-2-D convolution, transA, "
                        + "a product of activations)";
            }
            if (why == null && (long) l.k() * l.n() < c.scope().minWeightSize()) {
                why = "weight smaller than " + c.scope().minWeightSize() + " values";
            }
            if (why == null && !seen.add(n.input(1))) {
                why = "weight shared with a layer already pruned";
            }
            if (why == null && c.nm() && l.k() % c.m() != 0) {
                why = "its " + l.k() + " inputs are not a multiple of " + c.m();
            }
            if (why != null) {
                decisions.add(Decision.skipped(n.displayName(), n.opType(), why));
            } else {
                out.add(l);
            }
        }
        return out;
    }

    /** Each layer's input Gram matrix (a convolution's patch Gram matrix), from one calibration run of the model as it is now. */
    private static Map<LayerMatrix, double[]> grams(Model model, List<LayerMatrix> layers, SparsityConfig c,
                                                    CompressionContext context) {
        if (context.calibrationData().isEmpty()) {
            throw new IllegalArgumentException(c.method().label() + " reads the layers' inputs on calibration data "
                    + "(--data SPEC); magnitude pruning needs none");
        }
        ActivationStatistics request = new ActivationStatistics();
        for (LayerMatrix l : layers) {
            String x = l.node().input(0).name();
            if (l.geometry() == null) {
                request.withGram(x, -1);
            } else {
                request.withPatchGram(x, l.geometry());
            }
        }
        ActivationStatistics stats = context.collect(model, request, c.calibration());
        Map<LayerMatrix, double[]> out = new LinkedHashMap<>();
        for (LayerMatrix l : layers) {
            String x = l.node().input(0).name();
            out.put(l, l.geometry() == null ? stats.gram(x).matrix() : stats.patchGram(x, l.geometry()).matrix());
        }
        return out;
    }

    /**
     * Layers in stages: a layer's stage is one more than the latest stage of the layers upstream of its input (Q, K
     * and V reading one input share a stage; the attention output's projection comes after them), so that each stage
     * can be calibrated on the model with every earlier stage pruned.
     */
    static List<List<LayerMatrix>> stages(List<LayerMatrix> layers) {
        Map<Node, Integer> stage = new LinkedHashMap<>();
        Map<Node, LayerMatrix> byNode = new LinkedHashMap<>();
        layers.forEach(l -> byNode.put(l.node(), l));
        List<List<LayerMatrix>> out = new ArrayList<>();
        for (LayerMatrix l : layers) {
            int s = 0;
            java.util.ArrayDeque<Value> todo = new java.util.ArrayDeque<>(List.of(l.node().input(0)));
            Set<Value> seen = new HashSet<>();
            while (!todo.isEmpty()) {
                Value v = todo.pop();
                Node p = v == null || !seen.add(v) ? null : v.producer();
                if (p == null) {
                    continue;
                }
                if (stage.containsKey(p)) {
                    s = Math.max(s, stage.get(p) + 1);
                    continue;
                }
                p.inputs().forEach(todo::push);
            }
            stage.put(l.node(), s);
            while (out.size() <= s) {
                out.add(new ArrayList<>());
            }
            out.get(s).add(l);
        }
        out.removeIf(List::isEmpty);
        return out;
    }

    private static void prune(LayerMatrix l, double[] w, double[] gram, SparsityConfig c) {
        int keep = c.nm() ? c.n() : 0;
        switch (c.method()) {
            case MAGNITUDE -> {
                double[] s = SparseMasks.magnitude(w);
                if (c.nm()) {
                    SparseMasks.nOfM(w, s, l.k(), l.n(), keep, c.m());
                } else {
                    SparseMasks.perLayer(w, s, c.sparsity());
                }
            }
            case WANDA -> {
                double[] s = SparseMasks.wanda(w, l.k(), l.n(), gram);
                if (c.nm()) {
                    SparseMasks.nOfM(w, s, l.k(), l.n(), keep, c.m());
                } else {
                    SparseMasks.perOutput(w, s, l.k(), l.n(), c.sparsity());
                }
            }
            case SPARSEGPT -> SparseGpt.prune(w, l.k(), l.n(), gram, c.sparsity(), keep, c.nm() ? c.m() : 0,
                    c.blockSize(), c.damping());
        }
    }

    /** One LAMP threshold over every layer: the lowest-scored {@code sparsity} of all weights zeroed. */
    private static void globalMagnitude(Map<LayerMatrix, double[]> pruned, double sparsity) {
        Map<LayerMatrix, double[]> scores = new LinkedHashMap<>();
        int total = 0;
        for (Map.Entry<LayerMatrix, double[]> e : pruned.entrySet()) {
            scores.put(e.getKey(), SparseMasks.lamp(e.getValue()));
            total += e.getValue().length;
        }
        double[] all = new double[total];
        int at = 0;
        for (double[] s : scores.values()) {
            System.arraycopy(s, 0, all, at, s.length);
            at += s.length;
        }
        Arrays.sort(all);
        int drop = (int) Math.floor(sparsity * total + 1e-9);
        double threshold = drop == 0 ? Double.NEGATIVE_INFINITY : all[drop - 1];
        long budget = drop;
        for (Map.Entry<LayerMatrix, double[]> e : pruned.entrySet()) {
            double[] s = scores.get(e.getKey());
            double[] w = e.getValue();
            for (int i = 0; i < w.length && budget > 0; i++) {
                if (s[i] <= threshold) {
                    w[i] = 0;
                    budget--;
                }
            }
        }
    }

    /** Writes the pruned weight back (sparse when asked and smaller) and reports it; bytes[0..1] grow by its sizes. */
    private static SparseLayer write(Graph g, LayerMatrix l, double[] before, double[] after, boolean sparseStorage,
                                     long[] bytes) {
        Node n = l.node();
        Tensor t = n.input(1).constantValue().orElseThrow();
        float[] w = l.layout(after);
        double signal = 0;
        double noise = 0;
        long zeros = 0;
        for (int i = 0; i < before.length; i++) {
            signal += before[i] * before[i];
            double e = before[i] - (float) after[i];
            noise += e * e;
        }
        for (float x : w) {
            zeros += x == 0 ? 1 : 0;
        }
        long dense = (long) w.length * 4;
        long nnz = w.length - zeros;
        boolean sparse = sparseStorage && nnz * 12 < dense;
        bytes[0] += dense;
        bytes[1] += sparse ? nnz * 12 : dense;
        String name = n.input(1).name();
        if (sparse) {
            storeSparse(g, n, w, t.dims());
        } else {
            ChannelRemoval.replaceConstant(g, n, 1, nm -> Tensor.ofFloats(nm, w, t.dims()), "_pruned");
        }
        return new SparseLayer(name, n.displayName(), n.opType(), Arrays.stream(t.dims()).boxed().toList(),
                (double) zeros / w.length, sparse, noise == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(signal / noise));
    }

    /** The weight becomes a sparse initializer: its non-zeros, their positions in the flattened tensor (int64, ascending). */
    private static void storeSparse(Graph g, Node n, float[] w, long[] dims) {
        Value old = n.input(1);
        String name = g.initializer(old.name()) == old && old.uses().size() == 1 ? old.name()
                : g.uniqueName(old.name() + "_sparse");
        int nnz = 0;
        for (float x : w) {
            nnz += x == 0 ? 0 : 1;
        }
        float[] values = new float[nnz];
        long[] indices = new long[nnz];
        int j = 0;
        for (int i = 0; i < w.length; i++) {
            if (w[i] != 0) {
                values[j] = w[i];
                indices[j++] = i;
            }
        }
        Value sv = new Value(g.uniqueName(name + "_tmp"));
        n.replaceInput(1, sv);
        if (name.equals(old.name())) {
            g.removeInitializer(old);
        }
        sv.setName(name);
        g.addSparseInitializer(sv, new SparseTensor(Tensor.ofFloats(name, values, nnz), Tensor.ofLongs("", indices, nnz), dims));
    }
}

package dev.bantam.compress.share;

import dev.bantam.compress.CompressionContext;
import dev.bantam.compress.Decision;
import dev.bantam.compress.Granularity;
import dev.bantam.compress.Sqnr;
import dev.bantam.compress.Technique;
import dev.bantam.compress.stats.ActivationStatistics;
import dev.bantam.onnx.ir.DataType;
import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ir.Value;
import dev.bantam.onnx.ops.WeightLayout;
import dev.bantam.onnx.ops.WeightLayouts;
import dev.bantam.onnx.optimize.DeadCodeElimination;
import dev.bantam.onnx.optimize.OpsetUpgrade;
import dev.bantam.onnx.pass.PassManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Weight sharing and logarithmic quantization: each selected weight becomes a codebook (k-means centroids,
 * uniform levels, or power-of-two levels) and the index of each weight's value, packed into 2, 4 or 8 bits
 * ({@link CodebookStorage}). Identical tensors are encoded once and shared by their readers. Needs no data.
 * The file shrinks by the index width; ONNX Runtime decodes the weights when it loads the model, so memory and
 * speed at run time are those of float32.
 */
public final class WeightSharing implements Technique<WeightSharingConfig, WeightSharingReport> {

    private static final Set<String> PRODUCTS = Set.of("Conv", "ConvTranspose", "Gemm", "MatMul");

    /** The weights read by a group of nodes, identical in every element. */
    private record Group(Tensor weight, WeightLayout layout, List<Node> readers) {
    }

    @Override
    public WeightSharingConfig defaults() {
        return WeightSharingConfig.defaults();
    }

    @Override
    public boolean needsData(WeightSharingConfig config) {
        return config.dataAware();
    }

    @Override
    public WeightSharingReport apply(Model model, WeightSharingConfig config, CompressionContext context) {
        List<String> notes = new ArrayList<>();
        List<Decision> decisions = new ArrayList<>();
        Graph g = model.graph();
        List<Group> groups = groups(select(g, config, decisions));
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("nothing to share: no " + String.join("/", config.scope().opTypes())
                    + " node with a constant float weight is selected" + (decisions.isEmpty() ? ""
                    : " (" + decisions.getFirst().node() + ": " + decisions.getFirst().reason() + ")"));
        }
        Map<Group, double[]> importance = config.dataAware() ? importance(model, groups, config, context, notes)
                : Map.of();
        raiseOpset(model, notes);
        long before = 0;
        long after = 0;
        List<SharedTensor> tensors = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            SharedTensor t = share(g, groups.get(i), i, importance.get(groups.get(i)), config);
            tensors.add(t);
            before += t.bytesBefore();
            after += t.bytesAfter();
        }
        long shared = groups.stream().filter(x -> x.readers().size() > 1).count();
        if (shared > 0) {
            notes.add(shared + " weights are read by several nodes and were encoded once");
        }
        notes.add("codebooks and packed indices are decoded by constant nodes that ONNX Runtime folds at load: the file "
                + "shrinks, memory and speed at run time stay those of float32 weights");
        new DeadCodeElimination().run(model);
        tensors.sort(Comparator.comparingDouble(SharedTensor::sqnrDb));
        return new WeightSharingReport(config, tensors, decisions, notes, before, after);
    }

    /** The nodes whose weight to share, in graph order, with a decision for each node of a type in scope. */
    private static List<Node> select(Graph g, WeightSharingConfig c, List<Decision> decisions) {
        List<Node> chosen = new ArrayList<>();
        for (Node n : g) {
            if (!n.normalizedDomain().isEmpty() || !c.scope().opTypes().contains(n.opType())) {
                continue;
            }
            String why = c.scope().whyNot(n);
            Tensor w = WeightLayouts.weight(n).orElse(null);
            if (why == null && (w == null || w.dataType() != DataType.FLOAT)) {
                why = "no constant float32 weight";
            } else if (why == null && w.elementCount() < c.scope().minWeightSize()) {
                why = "weight smaller than " + c.scope().minWeightSize() + " elements";
            } else if (why == null && c.granularity() == Granularity.PER_BLOCK && blockedShape(n, w, c) == null) {
                why = "per-block scales need each channel's (an embedding: each row's) weights to be a multiple of "
                        + c.blockSize() + " in a 2-D weight or one with the output channels first";
            } else if (why == null && !smaller(n, w, c)) {
                why = "its codebook and indices would not be smaller than the float weight";
            }
            if (why != null) {
                decisions.add(Decision.skipped(n.displayName(), n.opType(), why));
            } else {
                chosen.add(n);
            }
        }
        for (Node n : c.scope().firstAndLast(chosen.stream().filter(x -> PRODUCTS.contains(x.opType())).toList())) {
            chosen.remove(n);
            decisions.add(Decision.skipped(n.displayName(), n.opType(), "first or last weighted layer (keepFirstLast)"));
        }
        chosen.forEach(n -> decisions.add(Decision.applied(n.displayName(), n.opType(), "weights shared")));
        return chosen;
    }

    private static boolean smaller(Node n, Tensor w, WeightSharingConfig c) {
        if (c.granularity() == Granularity.PER_BLOCK) {
            long blocks = w.elementCount() / c.blockSize();
            return CodebookStorage.storedBytes(w.elementCount(), 1, c.levels()) + 4 * blocks < w.storedByteSize();
        }
        int channels = c.granularity() == Granularity.PER_CHANNEL
                ? (int) w.dim(WeightLayouts.of(n).orElseThrow().outputAxis()) : 1;
        return CodebookStorage.storedBytes(w.elementCount(), channels, c.levels()) < w.storedByteSize();
    }

    /** Nodes grouped by identical weights (the same initializer, or equal shapes and values). */
    private static List<Group> groups(List<Node> nodes) {
        Map<Integer, List<Group>> byHash = new LinkedHashMap<>();
        List<Group> out = new ArrayList<>();
        for (Node n : nodes) {
            WeightLayout layout = WeightLayouts.of(n).orElseThrow();
            Tensor w = layout.weight(n).orElseThrow();
            float[] v = w.toFloatArray();
            int hash = 31 * Arrays.hashCode(w.dims()) + Arrays.hashCode(v);
            Group same = null;
            for (Group gr : byHash.getOrDefault(hash, List.of())) {
                if (Arrays.equals(gr.weight().dims(), w.dims()) && Arrays.equals(gr.weight().toFloatArray(), v)) {
                    same = gr;
                }
            }
            if (same != null) {
                same.readers().add(n);
            } else {
                Group gr = new Group(w, layout, new ArrayList<>(List.of(n)));
                byHash.computeIfAbsent(hash, k -> new ArrayList<>()).add(gr);
                out.add(gr);
            }
        }
        return out;
    }

    /**
     * Per weight, the mean square of the input channel it multiplies (its layer's first reader's input), from one
     * calibration run; embedding tables, whose input is indices, count every weight alike.
     */
    private static Map<Group, double[]> importance(Model model, List<Group> groups, WeightSharingConfig c,
                                                   CompressionContext context, List<String> notes) {
        ActivationStatistics request = new ActivationStatistics();
        Map<Group, String> inputs = new LinkedHashMap<>();
        for (Group gr : groups) {
            Node n = gr.readers().getFirst();
            WeightLayout l = gr.layout();
            int axis = inputChannelAxis(n, l);
            if (axis != Integer.MIN_VALUE) {
                String x = n.input(l.dataInput()).name();
                request.withChannelMoments(x, axis);
                inputs.put(gr, x);
            }
        }
        ActivationStatistics stats = context.collect(model, request, c.calibration());
        notes.add("weights weighted by their input channel's mean square over " + stats.items() + " calibration items");
        Map<Group, double[]> out = new LinkedHashMap<>();
        inputs.forEach((gr, x) -> out.put(gr, perWeight(gr, stats.channelMoments(x).meanSquare())));
        return out;
    }

    /** The channel axis of a layer's data input, or MIN_VALUE when its weights multiply no input channel. */
    private static int inputChannelAxis(Node n, WeightLayout l) {
        return switch (l.kind()) {
            case CONV, CONV_TRANSPOSE -> 1;
            case GEMM -> n.intAttribute("transA", 0) == 0 ? -1 : Integer.MIN_VALUE;
            case MATMUL -> -1;
            case MATMUL_LEFT -> -2;
            case EMBEDDING -> Integer.MIN_VALUE;
        };
    }

    /** Each weight element's importance: its input channel's mean square (plus a floor, so none is zero). */
    private static double[] perWeight(Group gr, double[] meanSquare) {
        Tensor w = gr.weight();
        long[] d = w.dims();
        WeightLayout l = gr.layout();
        long innerIn = stride(d, l.inputAxis());
        long innerOut = stride(d, l.outputAxis());
        double mean = java.util.Arrays.stream(meanSquare).average().orElse(1);
        double floor = Math.max(mean * 1e-6, Double.MIN_NORMAL);
        int groups = l.kind() == WeightLayout.Kind.CONV ? l.groups() : 1;
        double[] h = new double[(int) w.elementCount()];
        for (int i = 0; i < h.length; i++) {
            int c = (int) ((i / innerIn) % d[l.inputAxis()]);
            if (groups > 1) {
                int m = (int) ((i / innerOut) % d[l.outputAxis()]);
                c += (int) (m / (d[0] / groups) * d[1]);
            }
            h[i] = (c < meanSquare.length ? meanSquare[c] : mean) + floor;
        }
        return h;
    }

    private static long stride(long[] dims, int axis) {
        long s = 1;
        for (int a = axis + 1; a < dims.length; a++) {
            s *= dims[a];
        }
        return s;
    }

    /** The decoding operators (integer Div and Mod, Slice with inputs) need opset 11. */
    private static void raiseOpset(Model model, List<String> notes) {
        long opset = model.opsetVersion("").orElseThrow(() -> new IllegalArgumentException("the model imports no ai.onnx opset"));
        long needed = 11;
        if (opset < needed) {
            PassManager.once(List.of(new OpsetUpgrade(needed))).run(model);
            notes.add("opset raised from " + opset + " to " + needed + " (the decoding operators need it)");
        }
    }

    /**
     * Whether blocks run along rows of the weight's first axis: output channels on axis 0 (each channel's
     * reduction weights contiguous), or an embedding table (each token's vector).
     */
    static boolean rowBlocks(WeightLayout l) {
        return l.outputAxis() == 0 || l.kind() == WeightLayout.Kind.EMBEDDING;
    }

    /**
     * The weight reshaped so each block has an axis of its own, or null when blocks do not fit: [M, R/bs, bs] for
     * {@link #rowBlocks row blocks}, [K/bs, bs, N] for a 2-D weight with output columns (each column's K weights
     * down axis 0).
     */
    static long[] blockedShape(Node n, Tensor w, WeightSharingConfig c) {
        WeightLayout l = WeightLayouts.of(n).orElseThrow();
        int axis = l.outputAxis();
        long[] d = w.dims();
        long bs = c.blockSize();
        if (rowBlocks(l) && (w.elementCount() / d[0]) % bs == 0) {
            return new long[] {d[0], w.elementCount() / d[0] / bs, bs};
        }
        if (d.length == 2 && axis == 1 && d[0] % bs == 0) {
            return new long[] {d[0] / bs, bs, d[1]};
        }
        return null;
    }

    private static SharedTensor share(Graph g, Group group, int id, double[] importance, WeightSharingConfig c) {
        if (c.granularity() == Granularity.PER_BLOCK) {
            return BlockSharing.share(g, group.weight(), group.layout(), group.readers(), id, c);
        }
        Tensor w = group.weight();
        float[] values = w.toFloatArray();
        long[] dims = w.dims();
        int axis = c.granularity() == Granularity.PER_CHANNEL ? group.layout().outputAxis() : -1;
        ChannelSlices slices = new ChannelSlices(dims, axis);
        int levels = c.levels();
        float[] books = new float[slices.count() * levels];
        float[][] parts = slices.split(values);
        double[][] weights = importance == null ? null : slices.split(importance);
        int[][] local = new int[parts.length][];
        for (int ch = 0; ch < parts.length; ch++) {
            CodebookFit.Fit fit = CodebookFit.fit(parts[ch], weights == null ? null : weights[ch], c);
            local[ch] = fit.index();
            double[] l = fit.levels();
            for (int j = 0; j < levels; j++) { // fewer distinct values than levels: the last one repeats
                books[ch * levels + j] = (float) l[Math.min(j, l.length - 1)];
            }
            if (c.codebook() == Codebook.UNIFORM) { // levels (q - z) * s, as an affine quantizer holds them
                float scale = (float) (l.length > 1 ? (l[l.length - 1] - l[0]) / (l.length - 1) : 1);
                int zero = (int) Math.round(-l[0] / scale);
                for (int j = 0; j < levels; j++) {
                    books[ch * levels + j] = (j - zero) * scale;
                }
            }
        }
        int[] index = slices.join(local);
        int[][] channelOfElement = new int[parts.length][];
        for (int ch = 0; ch < parts.length; ch++) {
            channelOfElement[ch] = new int[parts[ch].length];
            java.util.Arrays.fill(channelOfElement[ch], ch);
        }
        int[] channel = slices.join(channelOfElement);
        float[] decoded = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            decoded[i] = books[channel[i] * levels + index[i]];
        }
        Node first = group.readers().getFirst();
        String base = first.input(group.layout().weightInput()).name();
        CodebookStorage storage = new CodebookStorage(g, base, id);
        long initializersBefore = g.initializers().stream().mapToLong(v -> v.initializer().storedByteSize()).sum();
        Value shared = storage.gather(first, dims, axis, levels, books, index);
        long added = g.initializers().stream().mapToLong(v -> v.initializer().storedByteSize()).sum() - initializersBefore;
        List<String> readers = new ArrayList<>();
        for (Node n : group.readers()) {
            n.replaceInput(WeightLayouts.of(n).orElseThrow().weightInput(), shared);
            readers.add(n.displayName());
        }
        return new SharedTensor(base, first.displayName(), first.opType(), Arrays.stream(dims).boxed().toList(),
                c.codebook(), levels, CodebookStorage.indexBits(levels), c.granularity(), readers, Sqnr.of(values, decoded),
                w.storedByteSize(), added);
    }
}

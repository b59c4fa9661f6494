package dev.bantam.compress.weightonly;

import dev.bantam.compress.CompressionContext;
import dev.bantam.compress.Decision;
import dev.bantam.compress.Sqnr;
import dev.bantam.compress.Technique;
import dev.bantam.compress.quantize.AlreadyQuantized;
import dev.bantam.compress.stats.ActivationStatistics;
import dev.bantam.compress.stats.GramMatrix;
import dev.bantam.onnx.ir.DataType;
import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.OpsetId;
import dev.bantam.onnx.ir.Shape;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ir.Value;
import dev.bantam.onnx.ir.ValueType;
import dev.bantam.onnx.optimize.DeadCodeElimination;
import dev.bantam.onnx.optimize.OpsetUpgrade;
import dev.bantam.onnx.pass.PassManager;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Weight-only quantization in blocks (the llama.cpp / MatMulNBits family): each selected weight is cut into
 * blocks along its reduction axis and rounded to {@code bits} per weight by RTN, HQQ or GPTQ, then written as
 * MatMulNBits / GatherBlockQuantized or as a blocked DequantizeLinear. Activations stay float. GPTQ asks the
 * context for the Gram matrix of every quantized layer's input; the others need no data.
 */
public final class WeightOnlyQuantization implements Technique<WeightOnlyConfig, WeightOnlyReport> {

    /** Rows per GPTQ lazy batch, as in the paper. */
    private static final int LAZY_BATCH = 128;

    @Override
    public WeightOnlyConfig defaults() {
        return WeightOnlyConfig.defaults();
    }

    @Override
    public boolean needsData(WeightOnlyConfig config) {
        return config.algorithm().needsData();
    }

    @Override
    public WeightOnlyReport apply(Model model, WeightOnlyConfig c, CompressionContext context) {
        AlreadyQuantized.refuse(model);
        List<Decision> decisions = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<BlockLayer> layers = select(model.graph(), c, decisions);
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("nothing to quantize: no " + String.join("/", c.scope().opTypes())
                    + " node with a constant float weight is selected" + (decisions.isEmpty() ? ""
                    : " (" + decisions.getFirst().node() + ": " + decisions.getFirst().reason() + ")"));
        }
        Map<String, double[]> grams = c.algorithm().needsData() ? grams(model, layers, c, context, notes) : Map.of();
        if (c.algorithm() == WeightOnlyAlgorithm.AWQ) {
            AwqRewrite.Result awq = AwqRewrite.apply(model.graph(), layers, grams, c.blockFormat(), context.progress(),
                    notes);
            layers = awq.layers();
            grams = awq.grams();
        }
        if (c.format() == WeightOnlyFormat.DEQUANTIZE_LINEAR) {
            raiseOpset(model, notes);
        }
        Map<String, Gptq.Hessian> hessians = new LinkedHashMap<>();
        List<WeightOnlyTensor> tensors = !c.mixedWidths()
                ? streamLayers(model.graph(), layers, c, grams, hessians, context, notes)
                : mixedWidths(model, layers, c, grams, hessians, context, notes);
        long before = tensors.stream().mapToLong(WeightOnlyTensor::bytesBefore).sum();
        long after = tensors.stream().mapToLong(WeightOnlyTensor::bytesAfter).sum();
        formatNotes(model, c, layers, notes);
        new DeadCodeElimination().run(model);
        tensors.sort(Comparator.comparingDouble(WeightOnlyTensor::sqnrDb));
        return new WeightOnlyReport(c, tensors, decisions, notes, before, after);
    }

    /**
     * Every layer rounded and written before the next one is read, its weight's file pages then dropped: memory
     * holds one layer's work and the output so far, whatever the model's size (data-free layers go by slabs).
     */
    private static List<WeightOnlyTensor> streamLayers(Graph g, List<BlockLayer> layers, WeightOnlyConfig c,
                                                       Map<String, double[]> grams, Map<String, Gptq.Hessian> hessians,
                                                       CompressionContext context, List<String> notes) {
        List<WeightOnlyTensor> out = new ArrayList<>();
        BlockFormat f = c.blockFormat();
        for (BlockLayer l : layers) {
            context.progress().progress("quantize weights to " + f.bits() + " bits", out.size(), layers.size());
            WeightOnlyAlgorithm used = dataFreeAlgorithm(l, c, f);
            if (used != null) {
                Slabs.Result r = Slabs.quantize(l, f, used == WeightOnlyAlgorithm.HQQ);
                out.add(written(g, l, new Rounded(r.weights(), used), c, r.sqnrDb(), null, context));
            } else {
                out.add(write(g, l, round(l, c, f, grams, hessians, notes), c, grams.get(l.gramKey()), context));
            }
            l.weight().dropPages();
        }
        context.progress().progress("quantize weights to " + f.bits() + " bits", layers.size(), layers.size());
        return out;
    }

    /** {@code --target-size} / {@code --min-fidelity}: every layer at both widths, the widths chosen, then written. */
    private static List<WeightOnlyTensor> mixedWidths(Model model, List<BlockLayer> layers, WeightOnlyConfig c,
                                                      Map<String, double[]> grams, Map<String, Gptq.Hessian> hessians,
                                                      CompressionContext context, List<String> notes) {
        Map<BlockLayer, Rounded> low = round(layers, c, c.blockFormat(), grams, hessians, context, notes);
        BlockFormat high = new BlockFormat(8, c.blockSize(), c.symmetric());
        Map<BlockLayer, Rounded> eight = round(layers, c, high, grams, hessians, context, notes);
        Map<BlockLayer, Rounded> chosen = BitsSearch.choose(model, low, eight, c, context, notes);
        List<WeightOnlyTensor> out = new ArrayList<>();
        for (Map.Entry<BlockLayer, Rounded> e : chosen.entrySet()) {
            out.add(write(model.graph(), e.getKey(), e.getValue(), c, grams.get(e.getKey().gramKey()), context));
        }
        return out;
    }

    /** The data-free algorithm that rounds {@code l}, or null when a data-aware one does (it has a Gram matrix). */
    private static WeightOnlyAlgorithm dataFreeAlgorithm(BlockLayer l, WeightOnlyConfig c, BlockFormat f) {
        if (!c.algorithm().needsData()) {
            return c.algorithm();
        }
        if (l.hasGram()) {
            return null;
        }
        return f.symmetric() ? WeightOnlyAlgorithm.RTN : WeightOnlyAlgorithm.HQQ; // tables and grouped Convs
    }

    /** The com.microsoft import MatMulNBits needs, and what the format means at run time. */
    private static void formatNotes(Model model, WeightOnlyConfig c, List<BlockLayer> layers, List<String> notes) {
        if (c.format() == WeightOnlyFormat.DECODE_AT_LOAD) {
            notes.add("the weights are decoded by constant nodes that ONNX Runtime folds at load: the file shrinks, "
                    + "memory and speed at run time stay those of float32 weights");
        }
        if (c.format() == WeightOnlyFormat.MATMUL_NBITS && model.opsetVersion(NBitsWriter.MS).isEmpty()) {
            model.opsetImports().add(new OpsetId(NBitsWriter.MS, 1));
        }
        if (c.format() == WeightOnlyFormat.MATMUL_NBITS) {
            notes.add("MatMulNBits may be slower than float where ONNX Runtime's float kernels are fast (measured on "
                    + "MiniLM at batch 1, 2 AVX-512 cores: 0.64-0.97x); compare with bantam bench, and use format "
                    + "decode-at-load for float speed with the same file size");
        }
        if (c.format() == WeightOnlyFormat.DEQUANTIZE_LINEAR
                && layers.stream().anyMatch(l -> l.kind() == BlockLayer.Kind.CONV)) {
            notes.add("ONNX Runtime runs a Conv whose weight comes from a DequantizeLinear without its prepacked "
                    + "kernels (Fashion-MNIST resnet at batch 64, 2 cores: 0.43x float); format decode-at-load keeps "
                    + "float speed (1.02x) for a larger file (0.21x against 0.16x)");
        }
        if (c.format() == WeightOnlyFormat.MATMUL_NBITS && c.bits() != 4 && !(c.bits() == 8 && c.accuracyLevel() == 4)) {
            notes.add("ONNX Runtime's fast MatMulNBits kernels take 4 bits, or 8 at accuracy level 4; " + c.bits()
                    + "-bit weights at accuracy level " + c.accuracyLevel() + " are dequantized on every run (slow)");
        }
    }

    /** The layers to quantize, with a decision for every node of a type in scope. */
    private static List<BlockLayer> select(Graph g, WeightOnlyConfig c, List<Decision> decisions) {
        List<BlockLayer> chosen = new ArrayList<>();
        for (Node n : g) {
            if (!n.normalizedDomain().isEmpty() || !c.scope().opTypes().contains(n.opType())) {
                continue;
            }
            StringBuilder whyNot = new StringBuilder();
            String why = c.scope().whyNot(n);
            BlockLayer l = why != null ? null : BlockLayer.of(n, whyNot).orElse(null);
            if (why == null && l == null) {
                why = whyNot.toString();
            } else if (why == null && l.weight().elementCount() < c.scope().minWeightSize()) {
                why = "weight smaller than " + c.scope().minWeightSize() + " elements";
            } else if (why == null && l.kind() == BlockLayer.Kind.GATHER) {
                why = tableRefusal(l, c);
            } else if (why == null && l.kind() == BlockLayer.Kind.CONV && c.format() == WeightOnlyFormat.MATMUL_NBITS) {
                why = "a Conv weight needs format dequantize-linear or decode-at-load (MatMulNBits multiplies matrices)";
            }
            if (why != null) {
                decisions.add(Decision.skipped(n.displayName(), n.opType(), why));
            } else {
                chosen.add(l);
            }
        }
        List<Node> products = chosen.stream().filter(l -> l.kind() != BlockLayer.Kind.GATHER).map(BlockLayer::node).toList();
        for (Node n : c.scope().firstAndLast(products)) {
            chosen.removeIf(l -> l.node() == n);
            decisions.add(Decision.skipped(n.displayName(), n.opType(), "first or last weighted layer (keepFirstLast)"));
        }
        chosen.forEach(l -> decisions.add(Decision.applied(l.node().displayName(), l.node().opType(),
                c.bits() + "-bit blocks of " + c.blockSize())));
        return chosen;
    }

    /** Why an embedding table cannot be stored in blocks in this config, or null. */
    private static String tableRefusal(BlockLayer l, WeightOnlyConfig c) {
        if (c.format() == WeightOnlyFormat.DECODE_AT_LOAD) {
            return null;
        }
        if (c.format() != WeightOnlyFormat.MATMUL_NBITS) {
            return "a table as DequantizeLinear would be dequantized whole on every run; GatherBlockQuantized needs "
                    + "format matmul-nbits";
        }
        if (c.bits() != 4 && c.bits() != 8) {
            return "GatherBlockQuantized stores 4 or 8 bits";
        }
        if (l.k() % c.blockSize() != 0) {
            return "rows of " + l.k() + " are not a multiple of the block size " + c.blockSize();
        }
        return null;
    }

    /** The Gram matrix of every quantized product layer's input (a Conv's: of its patches), from one calibration run. */
    private static Map<String, double[]> grams(Model model, List<BlockLayer> layers, WeightOnlyConfig c,
                                               CompressionContext context, List<String> notes) {
        ActivationStatistics request = new ActivationStatistics();
        Map<String, BlockLayer> byKey = new LinkedHashMap<>();
        for (BlockLayer l : layers) {
            if (l.hasGram() && byKey.putIfAbsent(l.gramKey(), l) == null) {
                if (l.geometry() != null) {
                    request.withPatchGram(l.data().name(), l.geometry());
                } else {
                    request.withGram(l.data().name(), -1);
                }
            }
        }
        ActivationStatistics stats = context.collect(model, request, c.calibration());
        Map<String, double[]> out = new LinkedHashMap<>();
        long rows = 0;
        for (Map.Entry<String, BlockLayer> e : byKey.entrySet()) {
            BlockLayer l = e.getValue();
            if (l.geometry() != null) {
                out.put(e.getKey(), stats.patchGram(l.data().name(), l.geometry()).matrix());
                continue;
            }
            GramMatrix gm = stats.gram(l.data().name());
            if (gm.width() > 0) {
                out.put(e.getKey(), gm.matrix());
                rows = Math.max(rows, gm.rows());
            }
        }
        notes.add(c.algorithm().label().toUpperCase(java.util.Locale.ROOT) + ": input Gram matrices from " + stats.items()
                + " calibration items (" + rows + " input rows per layer)");
        return out;
    }

    /** A layer's weights rounded to blocks, and the algorithm that did it. */
    record Rounded(BlockQuantized weights, WeightOnlyAlgorithm algorithm) {
    }

    /**
     * Every layer rounded to {@code f} by the config's algorithm (tables data-free); {@code hessians} caches GPTQ's
     * prepared Hessian per input, for every layer reading it and every width.
     */
    private static Map<BlockLayer, Rounded> round(List<BlockLayer> layers, WeightOnlyConfig c, BlockFormat f,
                                                  Map<String, double[]> grams, Map<String, Gptq.Hessian> hessians,
                                                  CompressionContext context, List<String> notes) {
        Map<BlockLayer, Rounded> out = new LinkedHashMap<>();
        for (BlockLayer l : layers) {
            context.progress().progress("quantize weights to " + f.bits() + " bits", out.size(), layers.size());
            out.put(l, round(l, c, f, grams, hessians, notes));
        }
        return out;
    }

    /** One layer rounded to {@code f} by the config's algorithm (tables and grouped Convs data-free). */
    private static Rounded round(BlockLayer l, WeightOnlyConfig c, BlockFormat f, Map<String, double[]> grams,
                                 Map<String, Gptq.Hessian> hessians, List<String> notes) {
        WeightOnlyAlgorithm free = dataFreeAlgorithm(l, c, f);
        if (free != null) {
            return new Rounded(DataFree.quantize(l.columns(), l.k(), l.n(), f, free == WeightOnlyAlgorithm.HQQ), free);
        }
        double[] gram = grams.get(l.gramKey());
        if (gram == null) {
            throw new IllegalStateException("no calibration rows reached " + l.node().displayName());
        }
        BlockQuantized q;
        if (c.algorithm() == WeightOnlyAlgorithm.GPTQ) {
            Gptq.Hessian h = hessians.computeIfAbsent(l.gramKey(), y -> Gptq.prepare(gram, l.k(), c.actOrder(),
                    c.damping()));
            Gptq.Result r = Gptq.quantize(l.rows(), l.n(), h, f, LAZY_BATCH);
            q = r.weights();
            if (r.deadInputs() > 0 && f.bits() == c.bits()) {
                notes.add(l.node().displayName() + ": " + r.deadInputs() + " input channels were 0 on every "
                        + "calibration row; their weights were set to 0");
            }
        } else {
            q = Awq.roundClipped(l.columns(), l.k(), l.n(), f, gram);
        }
        return new Rounded(q, c.algorithm());
    }

    /** Rewrites the layer to read its rounded weights; what it did. */
    private static WeightOnlyTensor write(Graph g, BlockLayer l, Rounded r, WeightOnlyConfig c, double[] gram,
                                          CompressionContext context) {
        float[] columns = l.columns();
        float[] stored = r.weights().columns();
        Double outputSqnr = gram == null ? null : outputSqnr(columns, stored, l.k(), l.n(), gram);
        return written(g, l, r, c, Sqnr.of(columns, stored), outputSqnr, context);
    }

    /** Rewrites the layer to read its rounded weights; what it did, with the SQNRs given. */
    private static WeightOnlyTensor written(Graph g, BlockLayer l, Rounded r, WeightOnlyConfig c, double sqnrDb,
                                           Double outputSqnr, CompressionContext context) {
        BlockFormat f = r.weights().format();
        String base = l.weight().name();
        long bytesAfter = 0;
        for (Value v : write(g, l, r.weights(), c, base)) {
            bytesAfter += v.initializer().storedByteSize();
            g.setInitializer(v, context.keep(v.initializer())); // the new codes and scales wait for the save off the heap
        }
        return new WeightOnlyTensor(base, l.node().displayName(), l.node().opType(),
                java.util.Arrays.stream(l.weight().dims()).boxed().toList(), f.bits(), f.blockSize(), f.symmetric(),
                r.algorithm().label(), c.format().label(), sqnrDb, outputSqnr, l.weight().storedByteSize(), bytesAfter);
    }

    /** Rewrites the layer to read {@code q}; the initializers it added. */
    static List<Value> write(Graph g, BlockLayer l, BlockQuantized q, WeightOnlyConfig c, String base) {
        Node n = l.node();
        Set<Value> before = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        before.addAll(g.initializers());
        if (c.format() == WeightOnlyFormat.DEQUANTIZE_LINEAR) {
            n.replaceInput(l.weightInput(), convShape(g, l, BlockedDqWriter.dequantize(g, n, q, l.transposed(), base), base));
        } else if (c.format() == WeightOnlyFormat.DECODE_AT_LOAD) {
            n.replaceInput(l.weightInput(), convShape(g, l, LoadDecodeWriter.dequantize(g, n, q, l.transposed(), base), base));
        } else {
            Node r = l.kind() == BlockLayer.Kind.GATHER ? NBitsWriter.gather(g, n, l.data(), q, base)
                    : NBitsWriter.matMul(g, n, l.data(), q, l.bias(), c.accuracyLevel(), base);
            r.output(0).setType(n.output(0).type());
            n.output(0).replaceKeepingOutputName(r.output(0), "_replaced");
            g.remove(n, true);
        }
        return g.initializers().stream().filter(v -> !before.contains(v)).toList();
    }

    /** A Conv's weight [O, C/group, kh, …] from its blocked [O, k] form; other layers' weights as they are. */
    private static Value convShape(Graph g, BlockLayer l, Value blocked, String base) {
        if (l.kind() != BlockLayer.Kind.CONV) {
            return blocked;
        }
        long[] dims = l.weight().dims();
        Value shape = g.addInitializer(Tensor.ofLongs(g.uniqueName(base + "_shape"), dims, dims.length));
        Node r = g.insertBefore(l.node(), Node.of("Reshape", List.of(blocked, shape), List.of(g.uniqueName(base + "_conv"))));
        r.output(0).setType(ValueType.tensor(DataType.FLOAT, Shape.of(dims)));
        return r.output(0);
    }

    /** 10·log10(Σ wᵀHw / Σ ΔᵀHΔ) over the columns: the SQNR of x·W on the calibration rows. */
    static double outputSqnr(float[] columns, float[] stored, int k, int n, double[] h) {
        float[] delta = new float[columns.length];
        for (int i = 0; i < delta.length; i++) {
            delta[i] = columns[i] - stored[i];
        }
        double signal = OutputError.ofColumns(h, k, columns, n);
        double noise = OutputError.ofColumns(h, k, delta, n);
        return 10 * Math.log10(Math.max(signal, 1e-30) / Math.max(noise, 1e-30));
    }

    private static void raiseOpset(Model model, List<String> notes) {
        long opset = model.opsetVersion("").orElseThrow(() -> new IllegalArgumentException("the model imports no ai.onnx opset"));
        if (opset < 21) {
            PassManager.once(List.of(new OpsetUpgrade(21))).run(model);
            notes.add("opset raised from " + opset + " to 21 (blocked DequantizeLinear needs it)");
        }
    }
}

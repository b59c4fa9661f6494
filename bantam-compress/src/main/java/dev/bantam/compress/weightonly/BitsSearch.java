package dev.bantam.compress.weightonly;

import dev.bantam.compress.CompressionContext;
import dev.bantam.compress.Score;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.OpsetId;
import dev.bantam.onnx.ir.serde.OnnxSerde;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Mixed bit-widths from a sensitivity scan: every layer is rounded to the low width alone, the model scored against
 * the original on evaluation data (loss = 1 − mean cosine of the first output), and then, from every layer at the
 * low width, layers are raised to 8 bits by the most loss per extra byte first while the weights stay within the
 * target size, or, with a fidelity target, until the layers left at the low width add up to at most 1 − target
 * and the whole model, scored, meets it (more layers raised, half the rest at a time, while it does not). Sizes are of the serialized model (the file, weights inline), so the target bounds the file.
 * Losses of different layers are taken to add up, which holds for small ones.
 */
final class BitsSearch {

    private record Candidate(BlockLayer layer, double loss, long extraBytes) {
    }

    private BitsSearch() {
    }

    static Map<BlockLayer, WeightOnlyQuantization.Rounded> choose(Model model,
            Map<BlockLayer, WeightOnlyQuantization.Rounded> low, Map<BlockLayer, WeightOnlyQuantization.Rounded> high,
            WeightOnlyConfig c, CompressionContext context, List<String> notes) {
        if (context.evaluationData().isEmpty()) {
            throw new IllegalArgumentException(WeightOnlyConfig.NAME + ": a size or fidelity target needs evaluation data "
                    + "(--eval-data) to score each layer on, kept apart from calibration");
        }
        byte[] original = OnnxSerde.toBytes(model);
        List<Node> order = model.graph().nodes();
        long total = original.length;
        long size = total;
        List<Candidate> candidates = new ArrayList<>();
        int scored = 0;
        for (Map.Entry<BlockLayer, WeightOnlyQuantization.Rounded> e : low.entrySet()) {
            BlockLayer l = e.getKey();
            Model copy = OnnxSerde.read(original);
            if (copy.opsetVersion(NBitsWriter.MS).isEmpty()) {
                copy.opsetImports().add(new OpsetId(NBitsWriter.MS, 1));
            }
            Node twin = copy.graph().nodes().get(order.indexOf(l.node()));
            BlockLayer t = BlockLayer.of(twin, new StringBuilder()).orElseThrow();
            WeightOnlyQuantization.write(copy.graph(), t, e.getValue().weights(), c, l.weight().name());
            Score s = context.score(model, copy, c.scoreItems());
            long lowBytes = bytes(e.getValue().weights(), l, c.format());
            long highBytes = bytes(high.get(l).weights(), l, c.format());
            size += lowBytes - l.weight().storedByteSize();
            candidates.add(new Candidate(l, Math.max(0, 1 - s.meanCosine()), highBytes - lowBytes));
            context.progress().progress("sensitivity scan", ++scored, low.size());
        }
        long target = c.targetSize() == null ? Long.MAX_VALUE : (long) Math.floor(c.targetSize() * total);
        Map<BlockLayer, WeightOnlyQuantization.Rounded> out = new LinkedHashMap<>(low);
        if (size > target) {
            notes.add(String.format(Locale.ROOT, "target size %.3f of the input not reached: every layer at %d bits "
                    + "already takes %.3f", c.targetSize(), c.bits(), (double) size / total));
            return out;
        }
        candidates.sort(Comparator.comparingDouble((Candidate x) -> -x.loss() / Math.max(1, x.extraBytes()))
                .thenComparing(x -> x.layer().node().displayName()));
        List<Candidate> fitting = new ArrayList<>();
        long fitSize = size;
        for (Candidate x : candidates) {
            if (fitSize + x.extraBytes() <= target && x.loss() > 0) {
                fitSize += x.extraBytes();
                fitting.add(x);
            }
        }
        int raise = c.minFidelity() == null ? fitting.size() : estimatedRaises(fitting, candidates, c.minFidelity());
        Double measured = null;
        for (int round = 0; ; round++) {
            for (Candidate x : fitting.subList(0, raise)) {
                out.put(x.layer(), high.get(x.layer()));
            }
            if (c.minFidelity() == null) {
                break;
            }
            measured = score(model, original, order, out, c, context);
            if (measured >= c.minFidelity() || raise == fitting.size() || round == MAX_CHECKS) {
                break;
            }
            raise = Math.min(fitting.size(), raise + Math.max(1, (fitting.size() - raise + 1) / 2));
        }
        for (Candidate x : fitting.subList(0, raise)) {
            size += x.extraBytes();
        }
        List<String> raised = fitting.subList(0, raise).stream().map(x -> x.layer().node().displayName()).toList();
        Candidate worst = candidates.stream().max(Comparator.comparingDouble(Candidate::loss)).orElseThrow();
        notes.add(String.format(Locale.ROOT, "sensitivity scan: %d layers scored alone at %d bits on %d evaluation "
                + "items (worst: %s, loss %.2e); %d raised to 8 bits, the model %.3f of the input%s",
                scored, c.bits(), c.scoreItems(), worst.layer().node().displayName(), worst.loss(), raised.size(),
                (double) size / total, c.targetSize() == null ? "" : String.format(Locale.ROOT, " (target %.3f)",
                        c.targetSize())));
        if (measured != null) {
            notes.add(String.format(Locale.ROOT, "fidelity target %s %s: mean cosine %.6f on the scoring items",
                    c.minFidelity(), measured >= c.minFidelity() ? "met" : "NOT met (every layer that fits is at 8 "
                    + "bits)", measured));
        }
        if (!raised.isEmpty()) {
            notes.add("at 8 bits: " + String.join(", ", raised));
        }
        return out;
    }

    /** Scores of the whole model with every layer rounded as chosen: at most this many after the first. */
    private static final int MAX_CHECKS = 6;

    /**
     * How many of {@code fitting} (in order) to raise so that the losses of the layers left at the low width, taken
     * to add up, stay within 1 − minFidelity.
     */
    private static int estimatedRaises(List<Candidate> fitting, List<Candidate> all, double minFidelity) {
        double loss = all.stream().mapToDouble(Candidate::loss).sum();
        int raise = 0;
        while (raise < fitting.size() && 1 - loss < minFidelity) {
            loss -= fitting.get(raise++).loss();
        }
        return raise;
    }

    /** Mean cosine of the model with every layer written as {@code chosen}, against the original. */
    private static double score(Model model, byte[] original, List<Node> order,
                                Map<BlockLayer, WeightOnlyQuantization.Rounded> chosen, WeightOnlyConfig c,
                                CompressionContext context) {
        Model copy = OnnxSerde.read(original);
        if (copy.opsetVersion(NBitsWriter.MS).isEmpty()) {
            copy.opsetImports().add(new OpsetId(NBitsWriter.MS, 1));
        }
        List<Node> twins = copy.graph().nodes();
        for (Map.Entry<BlockLayer, WeightOnlyQuantization.Rounded> e : chosen.entrySet()) {
            Node twin = twins.get(order.indexOf(e.getKey().node()));
            BlockLayer t = BlockLayer.of(twin, new StringBuilder()).orElseThrow();
            WeightOnlyQuantization.write(copy.graph(), t, e.getValue().weights(), c, e.getKey().weight().name());
        }
        return context.score(model, copy, c.scoreItems()).meanCosine();
    }

    /** Bytes a layer's rounded weights take when written in {@code format}. */
    static long bytes(BlockQuantized q, BlockLayer l, WeightOnlyFormat format) {
        BlockFormat f = q.format();
        long scales = 4L * q.n() * q.blocks();
        if (format == WeightOnlyFormat.DECODE_AT_LOAD) {
            int b = f.bits() == 3 ? 4 : f.bits();
            return Packing.bytes((long) q.n() * q.paddedK(), b) + scales + (long) q.n() * q.blocks();
        }
        if (format == WeightOnlyFormat.DEQUANTIZE_LINEAR) {
            int container = f.bits() > 4 ? 8 : 4;
            return Packing.bytes((long) q.k() * q.n(), container) + scales
                    + (f.symmetric() ? 0 : Packing.bytes((long) q.n() * q.blocks(), container));
        }
        long codes = l.kind() == BlockLayer.Kind.GATHER ? (long) q.n() * Packing.bytes(q.k(), f.bits())
                : (long) q.n() * q.blocks() * f.blockSize() * f.bits() / 8;
        long zeros = f.symmetric() ? 0 : (long) q.n() * Packing.bytes(q.blocks(), f.bits());
        return codes + scales + zeros;
    }
}

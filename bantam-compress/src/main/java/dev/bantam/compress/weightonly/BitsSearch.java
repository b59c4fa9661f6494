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
 * target size. Sizes are of the serialized model (the file, weights inline), so the target bounds the file.
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
            throw new IllegalArgumentException(WeightOnlyConfig.NAME + ": a target size needs evaluation data "
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
        long target = (long) Math.floor(c.targetSize() * total);
        Map<BlockLayer, WeightOnlyQuantization.Rounded> out = new LinkedHashMap<>(low);
        if (size > target) {
            notes.add(String.format(Locale.ROOT, "target size %.3f of the input not reached: every layer at %d bits "
                    + "already takes %.3f", c.targetSize(), c.bits(), (double) size / total));
            return out;
        }
        candidates.sort(Comparator.comparingDouble((Candidate x) -> -x.loss() / Math.max(1, x.extraBytes()))
                .thenComparing(x -> x.layer().node().displayName()));
        List<String> raised = new ArrayList<>();
        for (Candidate x : candidates) {
            if (size + x.extraBytes() <= target && x.loss() > 0) {
                size += x.extraBytes();
                out.put(x.layer(), high.get(x.layer()));
                raised.add(x.layer().node().displayName());
            }
        }
        Candidate worst = candidates.stream().max(Comparator.comparingDouble(Candidate::loss)).orElseThrow();
        notes.add(String.format(Locale.ROOT, "sensitivity scan: %d layers scored alone at %d bits on %d evaluation "
                + "items (worst: %s, loss %.2e); %d raised to 8 bits, the model %.3f of the input (target %.3f)",
                scored, c.bits(), c.scoreItems(), worst.layer().node().displayName(), worst.loss(), raised.size(),
                (double) size / total, c.targetSize()));
        if (!raised.isEmpty()) {
            notes.add("at 8 bits: " + String.join(", ", raised));
        }
        return out;
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

package dev.bantam.compress.prune;

import dev.bantam.compress.CompressionContext;
import dev.bantam.compress.Score;
import dev.bantam.compress.Scorer;
import dev.bantam.compress.stats.ActivationStatistics;
import dev.bantam.onnx.infer.ShapeInference;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.serde.OnnxSerde;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Non-uniform structured pruning to a MACs target: starting from the whole model, each step removes {@code multiple}
 * more channels (the least important) from one space: the space whose step costs the least accuracy per MAC saved,
 * every candidate pruned, refit and scored on held-out items against the unpruned model; until the MACs have fallen
 * by the target. A candidate's MACs are the unpruned model's per layer (measured once) scaled by the share of the
 * layer's weight that remains. The refit statistics are gathered once and each layer's least squares solved once per
 * removal ({@link Refit}'s cache).
 */
final class MacSearch {

    private MacSearch() {
    }

    /** One step taken: the space, its channels after, the loss and the MACs after. */
    record Step(String space, long channels, double loss, long macs) {
    }

    /** The removal found and the steps that led to it. */
    record Result(Map<Integer, TreeSet<Long>> removed, List<Step> steps, int scored, long macsBefore, long macsAfter) {
    }

    static Result search(Model model, List<ChannelSpace> spaces, PruneConfig c, CompressionContext context,
                         ActivationStatistics stats) {
        Map<String, Long> macs = context.macsByNode(model);
        if (macs.isEmpty()) {
            throw new IllegalArgumentException(PruneConfig.NAME + ": a MACs target needs data the model runs on (--data "
                    + "SPEC), to count the MACs of each layer");
        }
        long total = macs.values().stream().mapToLong(Long::longValue).sum();
        Map<String, Long> weights = weightSizes(model);
        byte[] prepared = OnnxSerde.toBytes(model);
        Map<Integer, int[]> order = new LinkedHashMap<>();
        Map<Integer, Long> removing = new LinkedHashMap<>();
        for (ChannelSpace s : spaces) {
            if (s.prunable() && s.size() > c.multiple()) {
                double[] scores = c.importance().scores(s);
                order.put(s.id(), SparseMasks.lowestFirst(scores, 0, 1, scores.length));
                removing.put(s.id(), 0L);
            }
        }
        Map<String, float[]> cache = new HashMap<>();
        List<Step> steps = new ArrayList<>();
        long current = total;
        double loss = 0;
        int scored = 0;
        long goal = (long) Math.ceil(total * (1 - c.macReduction()));
        try (Scorer scorer = context.scorer(model, c.scoreItems())) {
            while (current > goal) {
                Step best = null;
                int bestSpace = -1;
                long bestRemove = 0;
                double bestRate = Double.POSITIVE_INFINITY;
                for (ChannelSpace s : spaces) {
                    Long now = removing.get(s.id());
                    if (now == null) {
                        continue;
                    }
                    long keep = s.size() - now;
                    long next = Math.max(1, (keep - 1) / c.multiple() * c.multiple()); // the next multiple below
                    if (next >= keep || s.size() - next > Math.floor(s.size() * c.maxSpaceRatio() + 1e-9)) {
                        continue;
                    }
                    Map<Integer, Long> trial = new LinkedHashMap<>(removing);
                    trial.put(s.id(), s.size() - next);
                    Model m = build(prepared, trial, order, stats, c, cache);
                    long after = macs(m, macs, weights);
                    double l = lossOf(scorer.score(m));
                    scored++;
                    // the total is not known in advance: report the share of the MACs target reached
                    context.progress().progress("prune search", Math.max(0, total - current), Math.max(1, total - goal));
                    double rate = (l - loss) / Math.max(1, current - after);
                    if (after < current && rate < bestRate) {
                        bestRate = rate;
                        best = new Step(s.label(), next, l, after);
                        bestSpace = s.id();
                        bestRemove = s.size() - next;
                    }
                }
                if (best == null) {
                    break; // no space can lose more
                }
                removing.put(bestSpace, bestRemove);
                steps.add(best);
                current = best.macs();
                loss = best.loss();
            }
        }
        Map<Integer, TreeSet<Long>> removed = new LinkedHashMap<>();
        removing.forEach((id, k) -> {
            if (k > 0) {
                removed.put(id, first(order.get(id), k));
            }
        });
        return new Result(removed, steps, scored, total, current);
    }

    /** A copy of the prepared model with {@code removing} channels of each space removed (refit first when asked). */
    private static Model build(byte[] prepared, Map<Integer, Long> removing, Map<Integer, int[]> order,
                               ActivationStatistics stats, PruneConfig c, Map<String, float[]> cache) {
        Model m = OnnxSerde.read(prepared);
        new ShapeInference().run(m);
        List<ChannelSpace> spaces = ChannelAnalysis.analyze(m.graph());
        Map<ChannelSpace, TreeSet<Long>> removal = new LinkedHashMap<>();
        for (ChannelSpace s : spaces) {
            Long k = removing.get(s.id());
            if (k != null && k > 0) {
                removal.put(s, first(order.get(s.id()), k));
            }
        }
        if (c.refit() && stats != null) {
            Refit.apply(m, removal, stats, c.damping(), c.biasCompensation(), cache);
        }
        ChannelRemoval.remove(m, removal);
        return m;
    }

    private static TreeSet<Long> first(int[] order, long k) {
        TreeSet<Long> out = new TreeSet<>();
        for (int i = 0; i < k; i++) {
            out.add((long) order[i]);
        }
        return out;
    }

    /** Weight elements of each product node (by its first output name), whose share scales its MACs. */
    private static Map<String, Long> weightSizes(Model m) {
        Map<String, Long> out = new HashMap<>();
        for (Node n : m.graph()) {
            if (n.inputs().size() > 1 && n.input(1) != null && n.outputs().size() > 0 && n.output(0) != null) {
                n.input(1).constantValue().ifPresent(t -> out.put(n.output(0).name(), t.elementCount()));
            }
        }
        return out;
    }

    private static long macs(Model m, Map<String, Long> before, Map<String, Long> weightsBefore) {
        Map<String, Long> now = weightSizes(m);
        long total = 0;
        for (Map.Entry<String, Long> e : before.entrySet()) {
            Long w0 = weightsBefore.get(e.getKey());
            Long w1 = now.get(e.getKey());
            total += w0 == null || w1 == null || w0 == 0 ? e.getValue() : Math.round((double) e.getValue() * w1 / w0);
        }
        return total;
    }

    /** 1 − mean cosine, plus the top-1 drop when the items are labelled. */
    static double lossOf(Score s) {
        double drop = s.referenceTop1() != null && s.candidateTop1() != null ? s.referenceTop1() - s.candidateTop1() : 0;
        return (1 - s.meanCosine()) + drop;
    }

    /** The steps as report notes. */
    static List<String> notes(Result r, PruneConfig c) {
        List<String> out = new ArrayList<>();
        out.add(String.format(Locale.ROOT, "MACs target -%.0f%%: %,d -> %,d (-%.1f%%) in %d steps, %d candidates scored",
                100 * c.macReduction(), r.macsBefore(), r.macsAfter(), 100.0 * (r.macsBefore() - r.macsAfter())
                        / r.macsBefore(), r.steps().size(), r.scored()));
        for (Step s : r.steps()) {
            out.add(String.format(Locale.ROOT, "  step: %s to %d channels, loss %.4f, MACs %,d", s.space(), s.channels(),
                    s.loss(), s.macs()));
        }
        return out;
    }
}

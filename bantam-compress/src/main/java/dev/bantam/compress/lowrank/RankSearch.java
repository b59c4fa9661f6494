package dev.bantam.compress.lowrank;

import dev.bantam.compress.CompressionContext;
import dev.bantam.compress.Macs;
import dev.bantam.compress.Score;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.serde.OnnxSerde;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Ranks from a sensitivity scan: every layer is factorized alone at a few candidate ranks, each candidate is
 * scored against the original on evaluation data (loss = 1 − mean cosine of the outputs) and its MACs counted;
 * then, from all layers at full rank, the step (a layer to its next lower candidate) with the most MACs saved
 * per loss added is taken, again and again, until the model's MACs have fallen by the target. Losses of
 * different layers are assumed to add up, which holds for small ones.
 */
final class RankSearch {

    private static final double[] FRACTIONS = {0.125, 0.25, 0.375, 0.5, 0.625, 0.75};

    /** One layer at one rank: MACs saved and loss added, each compared with the original model. */
    private record Option(int rank, long saved, double loss) {
    }

    private RankSearch() {
    }

    static Map<Layer, Integer> choose(Model model, Map<Layer, Factors> svds, LowRankConfig c,
                                      CompressionContext context, List<String> notes) {
        if (context.evaluationData().isEmpty()) {
            throw new IllegalArgumentException(LowRankConfig.NAME + ": sensitivity ranks need evaluation data "
                    + "(--eval-data), kept apart from calibration");
        }
        byte[] original = OnnxSerde.toBytes(model);
        Macs total = context.macs(model).orElseThrow(() -> new IllegalArgumentException(
                "sensitivity ranks need MACs counted on one item of data"));
        List<Node> order = model.graph().nodes();
        Map<Layer, List<Option>> options = new LinkedHashMap<>();
        int scored = 0;
        int all = svds.entrySet().stream().mapToInt(e -> candidates(e.getKey(), e.getValue(), c.rank()).size()).sum();
        for (Map.Entry<Layer, Factors> e : svds.entrySet()) {
            Layer l = e.getKey();
            List<Option> list = new ArrayList<>();
            for (int r : candidates(l, e.getValue(), c.rank())) {
                Model copy = OnnxSerde.read(original);
                Node same = copy.graph().nodes().get(order.indexOf(l.node()));
                Layer twin = (Layer) Layer.of(same, c.conv());
                LayerRewriter.rewrite(twin, e.getValue().factors(r), r);
                Score s = context.score(model, copy, c.rank().scoreItems());
                long saved = total.total() - context.macs(copy).orElseThrow().total();
                list.add(new Option(r, saved, Math.max(0, 1 - s.meanCosine())));
                context.progress().progress("sensitivity scan", ++scored, all);
            }
            options.put(l, list);
        }
        Map<Layer, Integer> ranks = greedy(options, (long) Math.ceil(c.rank().macReduction() * total.total()));
        long saved = ranks.entrySet().stream().mapToLong(e -> options.get(e.getKey()).stream()
                .filter(o -> o.rank() == e.getValue()).findFirst().orElseThrow().saved()).sum();
        notes.add(String.format(Locale.ROOT, "sensitivity scan: %d candidates scored on %d evaluation items; ranks "
                + "chosen to remove %.1f%% of %,d MACs per item (target %.1f%%)", scored, c.rank().scoreItems(),
                100.0 * saved / total.total(), total.total(), 100 * c.rank().macReduction()));
        return ranks;
    }

    /** Candidate ranks that make the layer smaller, fractions of its full rank rounded to the multiple. */
    private static List<Integer> candidates(Layer l, Factors f, RankRule rule) {
        TreeSet<Integer> ranks = new TreeSet<>();
        for (double fr : FRACTIONS) {
            int r = rule.round((int) Math.round(fr * f.fullRank()), f.fullRank());
            if (r <= l.breakEven()) {
                ranks.add(r);
            }
        }
        return new ArrayList<>(ranks.descendingSet());
    }

    /** Steps with the most MACs saved per loss first, until the target is reached. */
    private static Map<Layer, Integer> greedy(Map<Layer, List<Option>> options, long target) {
        Map<Layer, Integer> step = new LinkedHashMap<>(); // index of the chosen option, -1 = full rank
        options.keySet().forEach(l -> step.put(l, -1));
        long saved = 0;
        while (saved < target) {
            Layer best = null;
            double bestValue = -1;
            for (Map.Entry<Layer, List<Option>> e : options.entrySet()) {
                int i = step.get(e.getKey());
                if (i + 1 >= e.getValue().size()) {
                    continue;
                }
                Option now = i < 0 ? new Option(Integer.MAX_VALUE, 0, 0) : e.getValue().get(i);
                Option next = e.getValue().get(i + 1);
                long gain = next.saved() - now.saved();
                double cost = Math.max(next.loss() - now.loss(), 1e-12);
                double value = gain / cost;
                if (gain > 0 && value > bestValue) {
                    bestValue = value;
                    best = e.getKey();
                }
            }
            if (best == null) {
                break; // every layer at its lowest candidate: the target cannot be reached by factorizing
            }
            int i = step.get(best) + 1;
            step.put(best, i);
            saved += options.get(best).get(i).saved() - (i == 0 ? 0 : options.get(best).get(i - 1).saved());
        }
        Map<Layer, Integer> out = new LinkedHashMap<>();
        step.forEach((l, i) -> {
            if (i >= 0) {
                out.put(l, options.get(l).get(i).rank());
            }
        });
        return out;
    }
}

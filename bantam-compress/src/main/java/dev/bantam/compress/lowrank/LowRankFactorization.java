package dev.bantam.compress.lowrank;

import dev.bantam.compress.CompressionContext;
import dev.bantam.compress.Decision;
import dev.bantam.compress.Technique;
import dev.bantam.compress.stats.ActivationStatistics;
import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.optimize.DeadCodeElimination;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Low-rank factorization of MatMul, Gemm and Conv layers (plain or data-aware SVD, channel or spatial for
 * convolutions), at ranks chosen by energy, parameter ratio, a fixed rank, or a sensitivity scan. A layer is
 * factorized only where its rank pays off: fewer parameters than the layer had.
 */
public final class LowRankFactorization implements Technique<LowRankConfig, LowRankReport> {

    @Override
    public LowRankConfig defaults() {
        return LowRankConfig.defaults();
    }

    @Override
    public boolean needsData(LowRankConfig config) {
        return config.dataAware();
    }

    @Override
    public LowRankReport apply(Model model, LowRankConfig config, CompressionContext context) {
        List<Decision> decisions = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<Layer> layers = select(model.graph(), config, decisions);
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("nothing to factorize: no " + String.join("/", config.scope().opTypes())
                    + " layer with a constant float weight is selected" + (decisions.isEmpty() ? ""
                    : " (" + decisions.getFirst().node() + ": " + decisions.getFirst().reason() + ")"));
        }
        Map<Layer, Factors> svds = factorizations(model, layers, config, context, notes);
        Map<Layer, Integer> ranks = config.rank().method() == RankMethod.SENSITIVITY
                ? RankSearch.choose(model, svds, config, context, notes) : ranks(svds, config.rank());
        Map<String, Long> macsBefore = context.macsByNode(model);
        Map<Layer, List<Node>> replacements = new LinkedHashMap<>();
        List<FactorizedLayer> done = new ArrayList<>();
        for (Map.Entry<Layer, Factors> e : svds.entrySet()) {
            Layer l = e.getKey();
            Node n = l.node();
            Integer r = ranks.get(l);
            if (r == null || r > l.breakEven()) {
                decisions.add(Decision.skipped(n.displayName(), n.opType(), r == null ? "kept at full rank"
                        : "rank " + r + " would not make the layer smaller (it pays off up to rank " + l.breakEven() + ")"));
                continue;
            }
            Factors f = e.getValue();
            String tensor = n.input(1).name();
            long before = macsBefore.getOrDefault(n.output(0).name(), -1L);
            replacements.put(l, LayerRewriter.rewrite(l, f.factors(r), r));
            done.add(new FactorizedLayer(tensor, n.displayName(), n.opType(),
                    Arrays.stream(l.weight().dims()).boxed().toList(), l.form(), r, f.fullRank(), f.energyKept(r),
                    f.dataAware(), f.sqnrDb(r), l.parametersBefore(), l.parametersAfter(r), before, -1));
            decisions.add(Decision.applied(n.displayName(), n.opType(), String.format(Locale.ROOT,
                    "rank %d of %d (%s)", r, f.fullRank(), l.form().name().toLowerCase(Locale.ROOT))));
        }
        new DeadCodeElimination().run(model);
        done = withMacsAfter(done, replacements, context.macsByNode(model));
        done.sort(Comparator.comparingDouble(FactorizedLayer::sqnrDb));
        return new LowRankReport(config, done, decisions, notes);
    }

    /** Each layer's MACs after: the sum over the nodes that replaced it (-1 when not counted). */
    private static List<FactorizedLayer> withMacsAfter(List<FactorizedLayer> done, Map<Layer, List<Node>> replacements,
                                                       Map<String, Long> macs) {
        List<FactorizedLayer> out = new ArrayList<>();
        List<List<Node>> nodes = new ArrayList<>(replacements.values());
        for (int i = 0; i < done.size(); i++) {
            FactorizedLayer f = done.get(i);
            long after = macs.isEmpty() ? -1 : nodes.get(i).stream().mapToLong(x -> macs.getOrDefault(x.output(0).name(), 0L)).sum();
            out.add(new FactorizedLayer(f.tensor(), f.node(), f.opType(), f.shape(), f.form(), f.rank(), f.fullRank(),
                    f.energyKept(), f.dataAware(), f.sqnrDb(), f.parametersBefore(), f.parametersAfter(), f.macsBefore(),
                    after));
        }
        return out;
    }

    private static List<Layer> select(Graph g, LowRankConfig c, List<Decision> decisions) {
        List<Layer> out = new ArrayList<>();
        for (Node n : g) {
            if (!n.normalizedDomain().isEmpty() || !c.scope().opTypes().contains(n.opType())) {
                continue;
            }
            String why = c.scope().whyNot(n);
            Object layer = why == null ? Layer.of(n, c.conv()) : why;
            if (layer instanceof Layer l && l.weight().elementCount() < c.scope().minWeightSize()) {
                layer = "weight smaller than " + c.scope().minWeightSize() + " elements";
            }
            if (layer instanceof Layer l) {
                out.add(l);
            } else {
                decisions.add(Decision.skipped(n.displayName(), n.opType(), (String) layer));
            }
        }
        List<Node> nodes = out.stream().map(Layer::node).toList();
        for (Node n : c.scope().firstAndLast(nodes)) {
            out.removeIf(l -> l.node() == n);
            decisions.add(Decision.skipped(n.displayName(), n.opType(), "first or last weighted layer (keepFirstLast)"));
        }
        return out;
    }

    /** Each layer's SVD, whitened by its input covariance when data-aware (spatial SVD is always plain). */
    private static Map<Layer, Factors> factorizations(Model model, List<Layer> layers, LowRankConfig c,
                                                            CompressionContext context, List<String> notes) {
        ActivationStatistics stats = null;
        if (c.dataAware()) {
            ActivationStatistics request = new ActivationStatistics();
            for (Layer l : layers) {
                String x = l.node().input(0).name();
                switch (l.form()) {
                    case MATRIX -> request.withGram(x, -1);
                    case CHANNEL -> request.withPatchGram(x, l.geometry());
                    case SPATIAL -> { }
                }
            }
            stats = context.collect(model, request, c.calibration());
            notes.add("whitened by input covariances from " + stats.items() + " calibration items");
        }
        Map<Layer, Factors> out = new LinkedHashMap<>();
        int damped = 0;
        for (Layer l : layers) {
            double[] gram = null;
            if (stats != null && l.form() != FactorizedLayer.Form.SPATIAL) {
                String x = l.node().input(0).name();
                gram = l.form() == FactorizedLayer.Form.MATRIX ? stats.gram(x).matrix()
                        : stats.patchGram(x, l.geometry()).matrix();
            }
            Factors f = l.form() == FactorizedLayer.Form.TUCKER ? Tucker.of(l.weight())
                    : Factorization.of(l.matrix(), l.k(), l.n(), gram, c.damping());
            damped += f.damping() > 0 ? 1 : 0;
            out.put(l, f);
        }
        if (damped > 0) {
            notes.add(damped + " input covariances were singular and were damped before whitening");
        }
        return out;
    }

    /** Ranks by energy, ratio or a fixed value, rounded to the multiple. */
    private static Map<Layer, Integer> ranks(Map<Layer, Factors> svds, RankRule rule) {
        Map<Layer, Integer> out = new LinkedHashMap<>();
        svds.forEach((l, f) -> {
            int full = f.fullRank();
            int r = switch (rule.method()) {
                case ENERGY -> f.rankForEnergy(rule.energy());
                case RATIO -> (int) Math.floor(rule.ratio() * l.breakEven());
                case FIXED -> rule.rank();
                case SENSITIVITY -> throw new IllegalStateException("sensitivity ranks come from the scan");
            };
            out.put(l, rule.round(r, full));
        });
        return out;
    }
}

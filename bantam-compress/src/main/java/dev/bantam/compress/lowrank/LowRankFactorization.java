package dev.bantam.compress.lowrank;

import dev.bantam.compress.CompressionContext;
import dev.bantam.compress.Decision;
import dev.bantam.compress.ModelPiece;
import dev.bantam.compress.Technique;
import dev.bantam.compress.stats.ActivationStatistics;
import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.optimize.DeadCodeElimination;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

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
        Map<String, long[]> shapes = timingShapes(model, svds.keySet(), config, context);
        Map<Layer, List<Node>> replacements = new LinkedHashMap<>();
        List<Model> pieces = new ArrayList<>();
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
            if (!shapes.isEmpty()) {
                pieces.add(ModelPiece.cut(model, List.of(n), shapes));
            }
            replacements.put(l, LayerRewriter.rewrite(l, f.factors(r), r));
            done.add(new FactorizedLayer(tensor, n.displayName(), n.opType(),
                    Arrays.stream(l.weight().dims()).boxed().toList(), l.form(), r, f.fullRank(), f.energyKept(r),
                    f.dataAware(), f.sqnrDb(r), l.parametersBefore(), l.parametersAfter(r), before, -1, null, null));
            decisions.add(Decision.applied(n.displayName(), n.opType(), String.format(Locale.ROOT,
                    "rank %d of %d (%s)", r, f.fullRank(), l.form().name().toLowerCase(Locale.ROOT))));
        }
        new DeadCodeElimination().run(model);
        if (!shapes.isEmpty()) {
            replacements.values().forEach(nodes -> pieces.add(ModelPiece.cut(model, nodes, shapes)));
        }
        List<Double> ms = pieces.isEmpty() ? List.of() : context.time(pieces).orElse(List.of());
        done = withCosts(done, replacements, context.macsByNode(model), ms);
        done.sort(Comparator.comparingDouble(FactorizedLayer::sqnrDb));
        if (!ms.isEmpty()) {
            notes.add(timingNote(done, config.timingBatch()));
        }
        return new LowRankReport(config, done, decisions, notes, ms.isEmpty() ? 0 : config.timingBatch());
    }

    /** The shapes of the layers' inputs at the timing batch, or none when layers are not timed. */
    private static Map<String, long[]> timingShapes(Model model, Set<Layer> layers, LowRankConfig config,
                                                    CompressionContext context) {
        if (config.timingBatch() == 0) {
            return Map.of();
        }
        Set<String> inputs = new HashSet<>();
        layers.forEach(l -> inputs.add(l.node().input(0).name()));
        return context.shapes(model, config.timingBatch(), inputs).orElse(Map.of());
    }

    /** Each layer's MACs after (the sum over the nodes that replaced it; -1 when not counted) and its times. */
    private static List<FactorizedLayer> withCosts(List<FactorizedLayer> done, Map<Layer, List<Node>> replacements,
                                                   Map<String, Long> macs, List<Double> ms) {
        List<FactorizedLayer> out = new ArrayList<>();
        List<List<Node>> nodes = new ArrayList<>(replacements.values());
        for (int i = 0; i < done.size(); i++) {
            long after = macs.isEmpty() ? -1 : nodes.get(i).stream().mapToLong(x -> macs.getOrDefault(x.output(0).name(), 0L)).sum();
            out.add(done.get(i).withCosts(after, ms.isEmpty() ? null : ms.get(i), ms.isEmpty() ? null : ms.get(done.size() + i)));
        }
        return out;
    }

    private static String timingNote(List<FactorizedLayer> done, int batch) {
        double before = done.stream().mapToDouble(FactorizedLayer::msBefore).sum();
        double after = done.stream().mapToDouble(FactorizedLayer::msAfter).sum();
        long slower = done.stream().filter(f -> f.msAfter() > f.msBefore()).count();
        return String.format(Locale.ROOT, "timed alone in ONNX Runtime at batch %d, the factorized layers take %.2f ms "
                + "instead of %.2f (%.2fx)%s", batch, after, before, before / after, slower == 0 ? ""
                : "; " + slower + " of " + done.size() + " layers are slower than before");
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

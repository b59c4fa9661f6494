package dev.bantam.compress.half;

import dev.bantam.compress.CompressionContext;
import dev.bantam.compress.Decision;
import dev.bantam.compress.Score;
import dev.bantam.compress.Technique;
import dev.bantam.compress.stats.ActivationStatistics;
import dev.bantam.compress.stats.MagnitudeHistogram;
import dev.bantam.onnx.infer.ShapeInference;
import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.Value;
import dev.bantam.onnx.ir.serde.OnnxSerde;
import dev.bantam.onnx.optimize.DeadCodeElimination;
import dev.bantam.onnx.optimize.OpsetUpgrade;
import dev.bantam.onnx.pass.PassManager;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * FP16 and BF16 conversion with mixed precision: float32 weights stored in the half type (the file about halves),
 * and, with {@link Compute#HALF}, operators computing in it where that is safe, measured and loadable; the rest
 * stay float32, with Casts only at the borders of half regions ({@link PrecisionPlan}, {@link HalfRewriter}). With
 * evaluation data the result is scored against the float model, and a {@code minFidelity} that is not met sends the
 * operators most at risk, then the weights with the lowest SQNR, back to float32, doubling their number each try.
 */
public final class HalfPrecision implements Technique<HalfPrecisionConfig, HalfPrecisionReport> {

    private static final String FALLBACK = "returned to float32 to meet minFidelity";

    /** The first ai.onnx opset whose Cast takes bfloat16. */
    static final long BF16_OPSET = 13;

    @Override
    public HalfPrecisionConfig defaults() {
        return HalfPrecisionConfig.defaults();
    }

    @Override
    public boolean needsData(HalfPrecisionConfig config) {
        return config.dataAware();
    }

    @Override
    public HalfPrecisionReport apply(Model model, HalfPrecisionConfig config, CompressionContext context) {
        long opset = requireConvertible(model);
        if (config.minFidelity() != null && context.evaluationData().isEmpty()) {
            throw new IllegalArgumentException(HalfPrecisionConfig.NAME + ": minFidelity needs evaluation data "
                    + "(--eval-data), kept apart from calibration");
        }
        new ShapeInference().run(model);
        List<String> notes = new ArrayList<>();
        Map<String, MagnitudeHistogram> measured = config.dataAware() ? measure(model, config, context, notes) : null;
        boolean scoring = context.evaluationData().isPresent();
        boolean loading = config.compute() == Compute.HALF && context.loadsModels();
        if (!scoring && !loading) {
            Attempt a = attempt(model, config, measured, new HalfTensors(config.type()), Map.of(), Set.of());
            if (config.compute() == Compute.HALF && config.target() == Target.ANY) {
                notes.add("not loaded in a runtime here (this context has none): target any was not checked against "
                        + "ONNX Runtime's CPU provider");
            }
            return report(model, config, a, null, notes, opset);
        }
        return onCopies(model, config, opset, measured, context, notes);
    }

    /**
     * Converts copies of the model until one loads (half compute) and meets {@code minFidelity} (with evaluation
     * data), then makes it the model's graph: a refusal leaves the model as it was.
     */
    private static HalfPrecisionReport onCopies(Model model, HalfPrecisionConfig config, long opset,
                                                Map<String, MagnitudeHistogram> measured, CompressionContext context,
                                                List<String> notes) {
        boolean scoring = context.evaluationData().isPresent();
        boolean loading = config.compute() == Compute.HALF && context.loadsModels();
        byte[] original = OnnxSerde.toBytes(model);
        Model reference = scoring ? OnnxSerde.read(original) : null;
        Map<Node, String> forced = new LinkedHashMap<>();
        Set<String> keptWeights = new java.util.HashSet<>();
        for (int step = 0; ; step++) {
            Model candidate = OnnxSerde.read(original);
            new ShapeInference().run(candidate);
            Attempt a = attempt(candidate, config, measured, new HalfTensors(config.type()),
                    sameNodes(candidate, model, forced), keptWeights);
            if (loading) {
                requireLoads(candidate, config, context);
            }
            Score s = scoring ? context.score(reference, candidate, config.scoreItems()) : null;
            List<Object> risks = config.minFidelity() == null || s.meanCosine() >= config.minFidelity()
                    ? List.of() : atRisk(a, model, forced, keptWeights);
            if (risks.isEmpty()) {
                fallbackNotes(notes, config, s, step, forced.size(), keptWeights.size());
                model.setGraph(candidate.graph());
                model.opsetImports().clear();
                model.opsetImports().addAll(candidate.opsetImports());
                return report(model, config, a, s, notes, opset);
            }
            int take = 1 << step;
            for (Object r : risks.subList(0, Math.min(take, risks.size()))) {
                if (r instanceof Node n) {
                    forced.put(n, FALLBACK);
                } else {
                    keptWeights.add((String) r);
                }
            }
        }
    }

    private static void fallbackNotes(List<String> notes, HalfPrecisionConfig c, Score s, int step, int operators,
                                      int weights) {
        if (c.minFidelity() != null && s.meanCosine() < c.minFidelity()) {
            notes.add(String.format(Locale.ROOT, "minFidelity %.6f not met: %.6f with nothing left to return to float32",
                    c.minFidelity(), s.meanCosine()));
        }
        if (step > 0) {
            notes.add(String.format(Locale.ROOT, "minFidelity %.6f: %d operators and %d weights returned to float32 over "
                    + "%d tries", c.minFidelity(), operators, weights, step + 1));
        }
    }

    /** Refuses a conversion the context's runtime (ONNX Runtime's CPU provider) cannot load. */
    private static void requireLoads(Model candidate, HalfPrecisionConfig c, CompressionContext context) {
        context.loadError(candidate).ifPresent(e -> {
            String why = e.contains("message: ") ? e.substring(e.indexOf("message: ") + 9) : e;
            throw new IllegalArgumentException(HalfPrecisionConfig.NAME + ": ONNX Runtime's CPU provider cannot load the "
                    + c.type().label() + " model (" + why.strip() + ")" + (c.target() == Target.ANY ? "; target ort-cpu "
                    + "keeps half arithmetic on the operators it has kernels for" : ""));
        });
    }

    /** One plan and rewrite. */
    private record Attempt(PrecisionPlan plan, HalfRewriter.Result result, Map<Node, Integer> order) {
    }

    private static Attempt attempt(Model m, HalfPrecisionConfig c, Map<String, MagnitudeHistogram> measured,
                                   HalfTensors constants, Map<Node, String> forced, Set<String> keptWeights) {
        Map<Node, Integer> order = new java.util.IdentityHashMap<>();
        for (Node n : m.graph()) {
            order.put(n, order.size());
        }
        raiseOpsetForBf16(m, c);
        Graph g = m.graph();
        PrecisionPlan plan = PrecisionPlan.of(g, c, m.opsetVersion("").orElseThrow(), measured, constants, forced,
                keptWeights);
        HalfRewriter.Result r = HalfRewriter.rewrite(g, plan, constants, keptWeights);
        new DeadCodeElimination().run(m);
        return new Attempt(plan, r, order);
    }

    /** BF16 Casts need ai.onnx opset 13 (Cast-9 does not take bfloat16): older models are raised to it first. */
    private static void raiseOpsetForBf16(Model m, HalfPrecisionConfig c) {
        if (c.type() == HalfType.BF16 && m.opsetVersion("").orElseThrow() < BF16_OPSET) {
            PassManager.once(List.of(new OpsetUpgrade(BF16_OPSET))).run(m);
            new ShapeInference().run(m);
        }
    }

    /**
     * What to return to float32 next, most at risk first, as nodes of {@code model} (the original, so they stay
     * the same across tries) and weight names: arithmetic operators computing in the half type by how close their
     * measured values came to the type's limits (graph order without measurements), then converted weights by SQNR.
     */
    private static List<Object> atRisk(Attempt a, Model model, Map<Node, String> forced,
                                       Set<String> keptWeights) {
        List<Node> originals = model.graph().nodes();
        List<Map.Entry<Node, PrecisionPlan.Choice>> half = a.plan().choices().entrySet().stream()
                .filter(e -> e.getValue().half() && !a.plan().form(e.getKey()).movement() && a.order().containsKey(e.getKey()))
                .toList();
        List<Object> out = new ArrayList<>();
        float limit = a.plan().config().type().maxFinite();
        half.stream().sorted(Comparator.comparingDouble((Map.Entry<Node, PrecisionPlan.Choice> e) -> -risk(e.getValue(), limit))
                        .thenComparingInt(e -> a.order().get(e.getKey())))
                .map(e -> originals.get(a.order().get(e.getKey()))).filter(n -> !forced.containsKey(n)).forEach(out::add);
        a.result().tensors().stream().filter(HalfTensor::converted).sorted(Comparator.comparingDouble(HalfTensor::sqnrDb))
                .map(HalfTensor::tensor).filter(t -> !keptWeights.contains(t)).forEach(out::add);
        return out;
    }

    private static double risk(PrecisionPlan.Choice c, float limit) {
        return (c.maxAbs() == null ? 0 : c.maxAbs() / limit) + (c.belowNormal() == null ? 0 : c.belowNormal());
    }

    /** {@code forced}'s nodes (of the original model) as the nodes at the same places of {@code copy}. */
    private static Map<Node, String> sameNodes(Model copy, Model original, Map<Node, String> forced) {
        if (forced.isEmpty()) {
            return Map.of();
        }
        List<Node> o = original.graph().nodes();
        List<Node> c = copy.graph().nodes();
        Map<Node, String> out = new java.util.IdentityHashMap<>();
        forced.forEach((n, why) -> out.put(c.get(o.indexOf(n)), why));
        return out;
    }

    /** The model's ai.onnx opset, after refusing what cannot be converted. */
    private static long requireConvertible(Model model) {
        long opset = model.opsetVersion("").orElseThrow(() -> new IllegalArgumentException(
                "the model imports no ai.onnx opset"));
        if (opset < 6) {
            throw new IllegalArgumentException(HalfPrecisionConfig.NAME + ": ai.onnx opset " + opset + " is older than "
                    + "6, the first whose Cast takes a type number; raise it first (bantam optimize --target-opset 13)");
        }
        for (Node n : model.graph()) {
            if (!n.subgraphs().isEmpty()) {
                throw new IllegalArgumentException(HalfPrecisionConfig.NAME + ": " + n.displayName() + " (" + n.opType()
                        + ") holds a subgraph; models with If, Loop or Scan are not converted");
            }
        }
        boolean anyFloat = model.graph().initializers().stream().anyMatch(PrecisionPlan::isFloat);
        for (Node n : model.graph()) {
            anyFloat |= n.outputs().stream().anyMatch(PrecisionPlan::isFloat);
        }
        if (!anyFloat && model.graph().inputs().stream().noneMatch(PrecisionPlan::isFloat)) {
            throw new IllegalArgumentException(HalfPrecisionConfig.NAME + ": nothing to convert: the model has no "
                    + "float32 tensor");
        }
        return opset;
    }

    /** Magnitudes of every float activation a half form reads or writes, on calibration data. */
    private static Map<String, MagnitudeHistogram> measure(Model model, HalfPrecisionConfig c, CompressionContext context,
                                                           List<String> notes) {
        ActivationStatistics request = new ActivationStatistics();
        for (Node n : model.graph()) {
            if (!PrecisionPlan.considered(n) || HalfOps.of(n).isEmpty()) {
                continue;
            }
            for (Value v : PrecisionPlan.halfValues(n, HalfOps.of(n).orElseThrow())) {
                if (v.constantValue().isEmpty()) {
                    request.withMagnitudes(v.name());
                }
            }
        }
        ActivationStatistics stats = context.collect(model, request, c.calibration());
        notes.add("magnitudes of " + request.names().size() + " float activations measured on " + stats.items()
                + " calibration items");
        Map<String, MagnitudeHistogram> out = new LinkedHashMap<>();
        request.names().forEach(name -> out.put(name, stats.magnitudes(name)));
        return out;
    }

    private static HalfPrecisionReport report(Model model, HalfPrecisionConfig c, Attempt a, Score fidelity,
                                              List<String> notes, long opsetBefore) {
        if (model.opsetVersion("").orElseThrow() > opsetBefore) {
            notes.add("ai.onnx opset raised from " + opsetBefore + " to " + BF16_OPSET + " (Cast takes bfloat16 from 13)");
        }
        long opset = model.opsetVersion("").orElseThrow();
        List<HalfNode> nodes = new ArrayList<>();
        List<Decision> decisions = new ArrayList<>();
        List<HalfTensor> tensors = a.result().tensors().stream().sorted(Comparator.comparing((HalfTensor t) -> !t.converted())
                .thenComparing(t -> t.overflow() == 0 && t.flushed() == 0).thenComparingDouble(HalfTensor::sqnrDb)).toList();
        if (c.compute() == Compute.HALF) {
            a.plan().choices().forEach((n, ch) -> {
                nodes.add(new HalfNode(n.displayName(), n.opType(), ch.half(), ch.reason(), ch.maxAbs(), ch.belowNormal(),
                        ch.half() ? OrtCpuKernels.support(n.opType(), c.type(), opset) : null));
                decisions.add(new Decision(n.displayName(), n.opType(), ch.half(), ch.reason()));
            });
        } else {
            for (HalfTensor t : tensors) {
                decisions.add(new Decision(t.node(), t.opType(), t.converted(), t.converted()
                        ? "weight '" + t.tensor() + "' stored in " + c.type().label() : t.reason()));
            }
        }
        HalfNotes.add(notes, c, a.result(), nodes, fidelity);
        return new HalfPrecisionReport(c, tensors, nodes, decisions, notes, a.result().runtimeCasts(),
                a.result().loadCasts(), a.result().bytesBefore(), a.result().bytesAfter(), fidelity);
    }
}

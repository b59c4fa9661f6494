package dev.bantam.compress.quantize;

import dev.bantam.compress.AccuracyGuard;
import dev.bantam.compress.CompressionContext;
import dev.bantam.compress.Decision;
import dev.bantam.compress.Granularity;
import dev.bantam.compress.GuardResult;
import dev.bantam.compress.Scorer;
import dev.bantam.compress.SpeedGuardResult;
import dev.bantam.compress.Sqnr;
import dev.bantam.compress.Technique;
import dev.bantam.compress.WeightNumerics;
import dev.bantam.compress.quantize.calibrate.Range;
import dev.bantam.compress.quantize.calibrate.RangeEstimator;
import dev.bantam.compress.stats.ActivationStatistics;
import dev.bantam.compress.stats.Histogram;
import dev.bantam.onnx.ir.DataType;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.Value;
import dev.bantam.onnx.ir.serde.OnnxSerde;
import dev.bantam.onnx.optimize.DeadCodeElimination;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import java.util.TreeSet;

/**
 * Static INT8 quantization: weights and activations, activation ranges calibrated on data. One call: the
 * pre-steps ({@link PreSteps}) and the plan ({@link StaticPlan}: which nodes become integer arithmetic, which
 * activations need a range), then the context runs the prepared model on calibration data and returns a
 * histogram of every planned activation, then ranges are chosen and the graph rewritten: QDQ
 * (QuantizeLinear/DequantizeLinear around each quantized node, which ONNX Runtime fuses into integer kernels)
 * or the QOperator format (QLinearConv, QLinearMatMul, QGemm, QLinearAdd, ...).
 */
public final class StaticQuantization implements Technique<StaticQuantizeConfig, QuantizeReport> {

    @Override
    public StaticQuantizeConfig defaults() {
        return StaticQuantizeConfig.defaults();
    }

    @Override
    public boolean needsData(StaticQuantizeConfig config) {
        return true;
    }

    @Override
    public QuantizeReport apply(Model model, StaticQuantizeConfig config, CompressionContext context) {
        AlreadyQuantized.refuse(model);
        if (config.guard().enabled()) {
            context = context.holdOut(config.guard().items());
        }
        if (context.calibrationData().isEmpty()) {
            throw new IllegalArgumentException(name() + " needs calibration data (e.g. --data fmnist:,split=train)");
        }
        List<String> notes = PreSteps.run(model);
        if (config.perChannel() && model.opsetVersion("").orElse(0L) < PreSteps.MIN_OPSET) {
            WeightNumerics w = config.weights();
            config = config.withWeights(new WeightNumerics(w.bits(), w.signed(), w.symmetric(), Granularity.PER_TENSOR,
                    w.blockSize()));
        }
        StaticPlan.refuseUnknownNames(model.graph(), config);
        StaticPlan plan = new StaticPlan(model.graph(), config);
        if (plan.groups().isEmpty()) {
            String first = plan.decisions.isEmpty() ? "" : " (" + plan.decisions.getFirst().node() + ": "
                    + plan.decisions.getFirst().reason() + (plan.decisions.size() > 1 ? ", ..." : "") + ")";
            throw new IllegalArgumentException("nothing to quantize: no " + String.join("/",
                    new TreeSet<>(StaticQuantizeConfig.WEIGHTED_OPS)) + " node with a constant float weight is selected" + first);
        }
        AccuracyGuard guard = config.guard();
        ActivationStatistics request = new ActivationStatistics();
        // the same values are exposed whatever the guards decide or a recorded recipe keeps float: exposing others
        // changes which operators ONNX Runtime fuses, and so the statistics, in the last bits
        StaticPlan all = config.keptFloat().isEmpty() ? plan : new StaticPlan(model.graph(), config.withKeptFloat(List.of()));
        all.calibrationNamesForSubsets().forEach(request::withHistogram);
        SmoothQuant.request(all, request);
        ActivationStatistics stats = context.collect(model, request, config.calibration().settings());
        notes.add("calibrated on " + stats.items() + " items of " + context.calibrationData().get());
        Set<String> unreached = plan.unreached(n -> stats.histogram(n).count() + stats.histogram(n).nonFiniteCount() > 0);
        if (!unreached.isEmpty()) {
            plan = new StaticPlan(model.graph(), config, Set.of(), Map.of(), unreached);
            notes.add(unreached.size() + " weighted layers in If/Loop/Scan bodies the calibration data never ran stay "
                    + "float (e.g. " + unreached.iterator().next() + ")");
            if (plan.groups().isEmpty()) {
                throw new IllegalArgumentException("nothing to quantize: the calibration data never ran the bodies "
                        + "that hold the model's weighted layers (e.g. " + unreached.iterator().next() + ")");
            }
        }
        boolean accuracy = guard.enabled() && context.evaluationData().isPresent();
        boolean speed = config.speed().enabled() && context.loadsModels();
        if (guard.enabled() && !accuracy) {
            notes.add("accuracy guard not run: the context has no evaluation data to score on");
        }
        if (!accuracy && !speed) {
            return rewrite(model, plan, stats, notes, null, null, WeightCache.NONE);
        }
        return guarded(model, plan, stats, notes, context, accuracy, speed, unreached);
    }

    /**
     * Quantized copies of the prepared model, built from the same statistics, scored (accuracy guard) and timed
     * (speed guard); then the model itself rewritten with the groups they returned to float.
     */
    private QuantizeReport guarded(Model model, StaticPlan plan, ActivationStatistics stats, List<String> notes,
                                   CompressionContext context, boolean accuracy, boolean speed,
                                   Set<String> unreached) {
        AccuracyGuard guard = plan.config.guard();
        byte[] prepared; // the copies leave out large doc strings: a 20 MB one in every candidate adds up
        try {
            prepared = dev.bantam.onnx.io.LargeDocStrings.without(model, () -> OnnxSerde.toBytes(model));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Model reference = OnnxSerde.read(prepared);
        StaticQuantizeConfig c = plan.config;
        WeightCache cache = WeightCache.create();
        BiFunction<StaticQuantizeConfig, StaticGuard.Variant, StaticGuard.Candidate> copy = (cfg, v) -> {
            Model m = OnnxSerde.read(prepared);
            new dev.bantam.onnx.infer.ShapeInference().run(m); // the plan reads inferred types, which a copy lacks
            return new StaticGuard.Candidate(m, rewrite(m, new StaticPlan(m.graph(), cfg, v.keptFloat(), v.choices(), unreached),
                    stats, new ArrayList<>(), null, null, cache));
        };
        List<StaticGuard.Group> groups = plan.groups().stream().map(n -> new StaticGuard.Group(n.displayName(),
                n.opType(), plan.groupActivations(n.displayName()))).toList();
        try (Scorer scorer = accuracy ? context.scorer(reference, guard.items()) : null) {
            StaticGuard.Outcome o = !accuracy ? null : StaticGuard.search(groups, v -> copy.apply(c, v), scorer, guard,
                    context.evaluationData().get(), context.progress());
            GuardResult g = o == null ? null : o.result();
            Map<String, RangeChoice> choices = o == null ? Map.of() : o.variant().choices();
            BiFunction<StaticQuantizeConfig, Set<String>, StaticGuard.Candidate> build =
                    (cfg, kept) -> copy.apply(cfg, new StaticGuard.Variant(kept, choices));
            Set<String> kept = new LinkedHashSet<>(g == null ? List.of() : g.keptFloat());
            SpeedStep step = !speed ? new SpeedStep(null, c, g) : speedGuard(new Copies(build, reference, prepared.length),
                    groups, kept, g, c, scorer, accuracy, notes, model, context);
            SpeedGuardResult s = step.result();
            StaticQuantizeConfig written = step.written();
            g = step.guard();
            QuantizeReport r = rewrite(model, new StaticPlan(model.graph(), written, kept, choices, unreached), stats, notes, g, s,
                    cache);
            return g == null && s == null ? r : withConfig(r, replayable(written, kept, choices));
        }
    }

    /** The copies the speed guard times: the builder, the float model, and the prepared model's size in bytes. */
    private record Copies(BiFunction<StaticQuantizeConfig, Set<String>, StaticGuard.Candidate> build, Model reference,
                          long bytes) {
    }

    /** What the speed guard did: its result, the config (layout) to write, and the accuracy guard's result after it. */
    private record SpeedStep(SpeedGuardResult result, StaticQuantizeConfig written, GuardResult guard) {
    }

    /**
     * The speed guard after the accuracy guard: layouts and groups timed, the groups it returns to float added to
     * {@code kept}, unless the mix breaks the accuracy budget (int8 next to float can flip a decision all-int8 kept:
     * accuracy comes before speed).
     */
    private static SpeedStep speedGuard(Copies copies, List<StaticGuard.Group> groups, Set<String> kept, GuardResult g,
                                        StaticQuantizeConfig c, Scorer scorer, boolean accuracy, List<String> notes,
                                        Model model, CompressionContext context) {
        AccuracyGuard guard = c.guard();
        List<String> int8 = groups.stream().map(StaticGuard.Group::name).filter(n -> !kept.contains(n)).toList();
        boolean room = copies.bytes() * 5 <= StaticSpeedGuard.MAX_COPY_BYTES;
        List<Layouts.Layout> layouts = !room ? List.of() : Layouts.alternatives(c,
                model.opsetVersion("").orElse(0L) >= PreSteps.MIN_OPSET);
        Predicate<Model> accurate = m -> !accuracy || guard.holds(scorer.score(m));
        StaticSpeedGuard.Outcome so = StaticSpeedGuard.search(int8, kept, c, layouts, copies.build(), accurate,
                copies.reference(), copies.bytes(), context).orElse(null);
        if (so == null) {
            return new SpeedStep(null, c, g);
        }
        SpeedGuardResult s = so.result();
        StaticQuantizeConfig written = so.config();
        refuseIfSlower(s, int8.size(), context);
        if (s.keptFloat().isEmpty() && written == c) {
            return new SpeedStep(s, written, g);
        }
        Set<String> mixed = new LinkedHashSet<>(kept);
        mixed.addAll(s.keptFloat());
        GuardResult after = g == null ? null : g.rescored(scorer.score(copies.build().apply(written, mixed).model()), guard);
        if (after == null || after.holds() || s.keptFloat().isEmpty()) {
            kept.addAll(s.keptFloat());
            return new SpeedStep(s, written, after);
        }
        notes.add("the speed guard's return of " + s.keptFloat().size() + " groups to float broke the accuracy budget ("
                + guard.describe() + "); they stay int8");
        s = s.withoutReturns();
        if (s.speedup() < 1) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, "static INT8 does not make this "
                    + "model faster: %.2fx float at batch %d with every group int8, and the groups whose return to float made it "
                    + "faster broke the accuracy budget (%s); nothing written. --allow-slower writes the all-int8 model",
                    s.speedup(), s.batch(), guard.describe()));
        }
        return new SpeedStep(s, written, g.rescored(scorer.score(copies.build().apply(written, kept).model()), guard));
    }

    private static void refuseIfSlower(SpeedGuardResult s, int int8Groups, CompressionContext context) {
        if (s != null && s.keptFloat().size() == int8Groups) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, "static INT8 does not make "
                    + "this model faster: %.2fx float at batch %d with every group int8 (%s), and no mix of groups or other "
                    + "layout ran faster than float (medians of interleaved rounds on %s); nothing written. "
                    + "--allow-slower writes it anyway, --speed-batch N times another batch, and weight-only or "
                    + "dynamic quantization make it smaller", s.floatMs() / s.allMs(), s.batch(), s.layout(),
                    context.evaluationData().or(context::calibrationData).orElse("the data")));
        }
    }

    /**
     * The config that gives this result again without searching: the guards' decisions become part of it (the
     * groups kept in float, the calibration methods chosen per activation, the layout the speed guard timed
     * fastest) and the speed guard is off, since timings vary from run to run. The accuracy guard
     * stays on: on the same data the model it is given holds at the first score, so the result is the same, and on
     * other data it guards again. Reports, and so the recipe a model records, carry this config, so
     * {@code compress --recipe-from} rewrites the model byte for byte.
     */
    private static StaticQuantizeConfig replayable(StaticQuantizeConfig c, Set<String> keptFloat,
                                                   Map<String, RangeChoice> choices) {
        Set<String> kept = new LinkedHashSet<>(c.keptFloat());
        kept.addAll(keptFloat);
        Map<String, String> labels = new java.util.TreeMap<>();
        choices.forEach((name, choice) -> labels.put(name, choice.label()));
        return c.withKeptFloat(new ArrayList<>(kept)).withCalibration(c.calibration().withPerActivation(labels))
                .withSpeed(c.speed().withEnabled(false));
    }

    private static QuantizeReport withConfig(QuantizeReport r, StaticQuantizeConfig c) {
        return new QuantizeReport(r.technique(), c, r.tensors(), r.decisions(), r.notes(), r.floatBytes(),
                r.quantizedBytes(), r.calibrationItems(), r.guard(), r.speedGuard());
    }

    private QuantizeReport rewrite(Model model, StaticPlan plan, ActivationStatistics stats, List<String> notes,
                                   GuardResult guard, SpeedGuardResult speed, WeightCache cache) {
        StaticQuantizeConfig config = plan.config;
        if (config.smoothQuantAlpha() > 0) {
            notes.addAll(SmoothQuant.apply(plan, stats, config.smoothQuantAlpha()));
        }
        Map<Value, String> sources = new LinkedHashMap<>();
        for (Value v : plan.activations) {
            sources.put(v, plan.rangeSource(v).name());
        }
        QdqWriter w = new QdqWriter(plan);
        Map<Value, Value> replaced = w.removeFolded();
        Map<Value, QuantParams> params = new LinkedHashMap<>();
        List<QuantizedTensor> tensors = new ArrayList<>();
        for (Value v : plan.activations) {
            if (replaced.containsKey(v)) {
                continue;
            }
            Value same = plan.sameRangeAs.get(v);
            if (same != null) {
                params.put(v, params.get(replaced.getOrDefault(same, same)));
                continue;
            }
            Histogram h = stats.histogram(sources.get(v));
            if (h.count() == 0) {
                throw new IllegalArgumentException(h.nonFiniteCount() > 0
                        ? "calibration saw only NaN or infinite values of " + sources.get(v) + " (" + h.nonFiniteCount()
                        + " of them); check the calibration data"
                        : "calibration saw no values of " + sources.get(v) + "; give calibration data that reaches it");
            }
            if (h.nonFiniteCount() > 0) {
                notes.add(sources.get(v) + ": " + h.nonFiniteCount() + " of " + (h.count() + h.nonFiniteCount())
                        + " calibration values were NaN or infinite and were left out of its range");
            }
            RangeChoice choice = plan.rangeChoices.getOrDefault(v.name(), RangeChoice.of(config.calibration()));
            Range r = plan.rangeOverride.containsKey(v) ? plan.rangeOverride.get(v)
                    : RangeEstimator.estimate(h, choice.method(), choice.percentile(), 256);
            QuantParams p = QuantParams.forRange(r.lo(), r.hi(), config.activations().type(),
                    config.activations().symmetric());
            params.put(v, p);
            tensors.add(activationReport(config, v, p, h, r, choice));
        }
        tensors.addAll(w.quantizeWeights(params, cache));
        w.insertActivationPairs(params);
        long floatBytes = w.floatBytes;
        long quantizedBytes = w.quantizedBytes;
        for (Node g : plan.gathers) {
            dev.bantam.onnx.ir.Tensor table = g.input(0).constantValue().orElseThrow();
            floatBytes += table.storedByteSize();
            quantizedBytes += table.elementCount();
            tensors.add(EmbeddingQuantizer.quantize(g.graph(), g, table, config.perChannel(),
                    config.weights().signed() ? QuantType.INT8 : QuantType.UINT8, cache));
        }
        if (config.format() == StaticQuantizeConfig.Format.QOPERATOR) {
            notes.addAll(QOperatorLowering.lower(model));
        }
        notes.addAll(plan.notes);
        new DeadCodeElimination().run(model);
        tensors.sort(Comparator.comparingDouble(QuantizedTensor::sqnrDb));
        List<Decision> decisions = plan.decisions;
        return new QuantizeReport(name(), config, tensors, decisions, notes, floatBytes, quantizedBytes,
                stats.items(), guard, speed);
    }

    private static QuantizedTensor activationReport(StaticQuantizeConfig config, Value v, QuantParams p, Histogram h,
                                                    Range r, RangeChoice choice) {
        Node producer = v.producer();
        QuantScheme scheme = new QuantScheme(p.type().dataType(), 8, config.activations().symmetric(),
                Granularity.PER_TENSOR, -1, DataType.FLOAT,
                choice.method(), r.lo(), r.hi());
        return new QuantizedTensor(v.name(), producer == null ? "(graph input)" : producer.displayName(),
                producer == null ? "input" : producer.opType(), TensorKind.ACTIVATION, List.of(), scheme,
                p.scale(), p.scale(), p.zeroPoint(), r.clippedFraction(), expectedSqnr(h, p));
    }

    /** SQNR (dB) of the activation under these parameters, estimated from its histogram. */
    static double expectedSqnr(Histogram h, QuantParams p) {
        Sqnr sqnr = new Sqnr();
        double rounding = (double) p.scale() * p.scale() / 12;
        double lo = p.low();
        double hi = p.high();
        for (int i = 0; i < Histogram.BINS; i++) {
            long c = h.countAt(i);
            if (c == 0) {
                continue;
            }
            double x = Math.max(h.min(), Math.min(h.max(), h.edge(i) + h.binWidth() / 2));
            sqnr.add(c, x, x < lo ? (lo - x) * (lo - x) : x > hi ? (x - hi) * (x - hi) : rounding);
        }
        return sqnr.db();
    }
}

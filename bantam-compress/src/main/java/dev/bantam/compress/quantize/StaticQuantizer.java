package dev.bantam.compress.quantize;

import dev.bantam.compress.quantize.calibrate.ActivationStats;
import dev.bantam.compress.quantize.calibrate.Histogram;
import dev.bantam.compress.quantize.calibrate.Range;
import dev.bantam.compress.quantize.calibrate.RangeEstimator;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.Value;
import dev.bantam.onnx.optimize.DeadCodeElimination;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Static INT8 quantization: weights and activations, with activation ranges calibrated on data. Two steps,
 * because calibration runs the model in between:
 *
 * <pre>
 *   StaticQuantizer.Prepared p = StaticQuantizer.prepare(model, config);   // pre-steps, plan
 *   ActivationStats stats = p.newStats();
 *   ... run the prepared model on calibration data, passing p.calibrationNames() to stats ...
 *   QuantizeReport r = p.apply(stats);                                     // rewrite the model
 * </pre>
 *
 * The output uses the QDQ format (QuantizeLinear/DequantizeLinear around each quantized node, which
 * ONNX Runtime fuses into integer kernels) or, on request, the QOperator format (QLinearConv, QLinearMatMul,
 * QGemm, QLinearAdd, ...).
 */
public final class StaticQuantizer {

    private StaticQuantizer() {
    }

    /** Applies the pre-steps to {@code model} (in place) and plans the quantization. */
    public static Prepared prepare(Model model, QuantizeConfig config) {
        if (config.mode() != QuantizeConfig.Mode.STATIC) {
            throw new IllegalArgumentException("StaticQuantizer needs a static configuration");
        }
        DynamicQuantizer.refuseQuantized(model);
        List<String> notes = PreSteps.run(model);
        StaticPlan plan = new StaticPlan(model.graph(), config);
        if (plan.weighted.isEmpty() && plan.gathers.isEmpty()) {
            throw new IllegalArgumentException("nothing to quantize: no " + String.join("/", QuantizeConfig.WEIGHTED_OPS)
                    + " node with a constant float weight is selected" + (plan.leftInFloat.isEmpty() ? ""
                    : " (" + plan.leftInFloat.get(0) + (plan.leftInFloat.size() > 1 ? ", ..." : "") + ")"));
        }
        return new Prepared(model, config, plan, notes);
    }

    /** A model after the pre-steps, waiting for its calibration statistics. */
    public static final class Prepared {
        private final Model model;
        private final QuantizeConfig config;
        private final StaticPlan plan;
        private final List<String> notes;
        private boolean applied;

        private Prepared(Model model, QuantizeConfig config, StaticPlan plan, List<String> notes) {
            this.model = model;
            this.config = config;
            this.plan = plan;
            this.notes = notes;
        }

        /** The model calibration must run: the input after the pre-steps. */
        public Model model() {
            return model;
        }

        /** Activations (value names of {@link #model()}) whose statistics are needed. */
        public Set<String> calibrationNames() {
            Set<String> names = new LinkedHashSet<>(plan.calibrationNames());
            names.addAll(SmoothQuant.inputsToObserve(plan));
            return names;
        }

        /** An empty statistics collector for exactly the activations this plan needs. */
        public ActivationStats newStats() {
            return new ActivationStats(calibrationNames(), SmoothQuant.inputsToObserve(plan));
        }

        /** Quantizes the model with the collected statistics; the plan can be applied once. */
        public QuantizeReport apply(ActivationStats stats) {
            if (applied) {
                throw new IllegalStateException("this plan was already applied");
            }
            applied = true;
            List<String> left = new ArrayList<>(notes);
            if (config.smoothQuantAlpha() > 0) {
                left.addAll(SmoothQuant.apply(plan, stats, config.smoothQuantAlpha()));
            }
            Map<Value, String> sources = new LinkedHashMap<>();
            for (Value v : plan.activations) {
                sources.put(v, plan.rangeSource(v).name());
            }
            QdqWriter w = new QdqWriter(plan);
            Map<Value, Value> replaced = w.removeFolded();
            Map<Value, QuantParams> params = new LinkedHashMap<>();
            List<LayerReport> layers = new ArrayList<>();
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
                    throw new IllegalArgumentException("calibration saw no values of " + sources.get(v)
                            + "; give calibration data that reaches it");
                }
                Range r = plan.rangeOverride.containsKey(v) ? plan.rangeOverride.get(v)
                        : RangeEstimator.estimate(h, config.calibration(), config.percentile(), 256);
                QuantParams p = QuantParams.forRange(r.lo(), r.hi(), config.activationType(), config.symmetricActivations());
                params.put(v, p);
                layers.add(activationReport(v, p, h, r));
            }
            layers.addAll(w.quantizeWeights(params));
            w.insertActivationPairs(params);
            for (Node g : plan.gathers) {
                layers.add(DynamicQuantizer.quantizeGather(plan.graph, g, g.input(0).constantValue().orElseThrow()));
            }
            if (config.format() == QuantizeConfig.Format.QOPERATOR) {
                left.addAll(QOperatorLowering.lower(model));
            }
            left.addAll(plan.leftInFloat);
            new DeadCodeElimination().run(model);
            layers.sort(Comparator.comparingDouble(LayerReport::sqnrDb));
            return new QuantizeReport(config.describe(), layers, left, w.floatBytes, w.quantizedBytes);
        }

        private LayerReport activationReport(Value v, QuantParams p, Histogram h, Range r) {
            Node producer = v.producer();
            String scheme = String.format(Locale.ROOT, "%s %s per tensor (%s, range %.4g..%.4g)",
                    p.type().label(), config.symmetricActivations() ? "symmetric" : "asymmetric",
                    config.calibration().label(), r.lo(), r.hi());
            return new LayerReport(producer == null ? "(graph input)" : producer.displayName(),
                    producer == null ? "input" : producer.opType(), v.name(), "activation", List.of(), scheme,
                    p.scale(), p.scale(), p.zeroPoint(), r.clippedFraction(), expectedSqnr(h, p));
        }
    }

    /** SQNR (dB) of the activation under these parameters, estimated from its histogram. */
    static double expectedSqnr(Histogram h, QuantParams p) {
        double signal = 0;
        double noise = 0;
        double rounding = (double) p.scale() * p.scale() / 12;
        double lo = p.low();
        double hi = p.high();
        for (int i = 0; i < Histogram.BINS; i++) {
            long c = h.countAt(i);
            if (c == 0) {
                continue;
            }
            double x = Math.max(h.min(), Math.min(h.max(), h.edge(i) + h.binWidth() / 2));
            signal += c * x * x;
            noise += c * (x < lo ? (lo - x) * (lo - x) : x > hi ? (x - hi) * (x - hi) : rounding);
        }
        return 10 * Math.log10(Math.max(signal, 1e-30) / Math.max(noise, 1e-30));
    }
}

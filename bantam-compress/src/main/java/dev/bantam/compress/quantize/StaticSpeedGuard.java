package dev.bantam.compress.quantize;

import dev.bantam.compress.CompressionContext;
import dev.bantam.compress.SpeedGuard;
import dev.bantam.compress.SpeedGuardResult;
import dev.bantam.onnx.ir.Model;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The speed guard's search: int8 only where it pays. The float model, the model with every allowed group in int8
 * and, when the model is small enough to hold that many copies, the same with each group alone back in float are
 * timed side by side on real data; every group whose return to float made the model faster beyond noise goes
 * back to float, and the result is timed again against the float model and the all-int8 one, and the fastest
 * kept. When even that is slower than float beyond noise, the caller is told: every group would be float.
 */
final class StaticSpeedGuard {

    /** A time ratio within this of 1 is noise on these machines (medians of interleaved rounds). */
    static final double NOISE = 0.03;
    /** Copies of the model held at once for per-group timing, in bytes of the prepared model's file. */
    static final long MAX_COPY_BYTES = 512L << 20;
    /** More groups than this are not timed one by one. */
    static final int MAX_GROUPS = 32;

    private StaticSpeedGuard() {
    }

    /**
     * @param int8      the groups the accuracy guard left in int8, in graph order
     * @param keptFloat the groups the accuracy guard returned to float
     * @param build     a candidate with the named groups in float
     * @param reference the float model
     * @return what was measured (every int8 group kept float when no mix beats float), or empty when the
     *         context cannot time models on data
     */
    static Optional<SpeedGuardResult> search(List<String> int8, Set<String> keptFloat,
                                             Function<Set<String>, StaticGuard.Candidate> build, Model reference,
                                             long modelBytes, SpeedGuard guard, CompressionContext context) {
        if (int8.isEmpty() || !context.loadsModels()) {
            return Optional.empty();
        }
        boolean perGroup = int8.size() > 1 && int8.size() <= MAX_GROUPS
                && modelBytes * (int8.size() + 2) <= MAX_COPY_BYTES;
        List<Model> models = new ArrayList<>();
        models.add(reference);
        models.add(build.apply(keptFloat).model());
        if (perGroup) {
            for (String g : int8) {
                models.add(build.apply(with(keptFloat, Set.of(g))).model());
            }
        }
        Optional<double[]> first = context.timeOnData(models, guard.batch());
        if (first.isEmpty()) {
            return Optional.empty();
        }
        double[] t = first.get();
        models.clear();
        List<SpeedGuardResult.GroupTime> times = new ArrayList<>();
        List<String> slower = new ArrayList<>();
        for (int i = 0; perGroup && i < int8.size(); i++) {
            times.add(new SpeedGuardResult.GroupTime(int8.get(i), t[i + 2]));
            if (t[i + 2] < t[1] * (1 - NOISE)) {
                slower.add(int8.get(i));
            }
        }
        double floatMs = t[0];
        double allMs = t[1];
        List<String> returned = List.of();
        double resultMs = allMs;
        // every group faster alone in float says nothing about the whole: all of them in float is the float model,
        // so the choice is then between all-int8 and float alone
        if (!slower.isEmpty() && slower.size() < int8.size()) {
            double[] again = context.timeOnData(List.of(reference, build.apply(keptFloat).model(),
                    build.apply(with(keptFloat, new LinkedHashSet<>(slower))).model()), guard.batch()).orElseThrow();
            floatMs = again[0];
            allMs = again[1];
            resultMs = again[1];
            if (again[2] < again[1]) {
                returned = slower;
                resultMs = again[2];
            }
        }
        if (floatMs / resultMs < 1 - NOISE) {
            return Optional.of(new SpeedGuardResult(guard.batch(), floatMs, allMs, floatMs, int8, times));
        }
        return Optional.of(new SpeedGuardResult(guard.batch(), floatMs, allMs, resultMs, returned, times));
    }

    private static Set<String> with(Set<String> a, Set<String> b) {
        Set<String> out = new LinkedHashSet<>(a);
        out.addAll(b);
        return out;
    }
}

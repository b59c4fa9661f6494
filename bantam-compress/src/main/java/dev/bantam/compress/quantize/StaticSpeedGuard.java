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
import java.util.function.BiFunction;
import java.util.function.Predicate;

/**
 * The speed guard's search: int8 only where it pays, in the layout that runs fastest. The float model, the model
 * with every allowed group in int8 in the config's layout and in each {@link Layouts#alternatives alternative}
 * one, and, when the model is small enough to hold that many copies, the same with each group alone back in float
 * are timed side by side on real data. A layout faster than the config's beyond noise (and within the accuracy
 * budget) replaces it, and the groups are timed again in it. Every group whose return to float made the model
 * faster beyond noise goes back to float, and the result is timed again against the float model and the all-int8
 * one, and the fastest kept. When even that is not measured faster than float, the caller is told: every group
 * would be float. (Noise decides group by group; for the whole model, int8 within noise of float is refused: an
 * independent timing of a model the guard measured at 0.976x read 0.964x.)
 */
final class StaticSpeedGuard {

    /** A time ratio within this of 1 is noise on these machines (medians of interleaved rounds). */
    static final double NOISE = 0.03;
    /** Copies of the model held at once for per-group timing, in bytes of the prepared model's file. */
    static final long MAX_COPY_BYTES = 512L << 20;
    /** More groups than this are not timed one by one. */
    static final int MAX_GROUPS = 32;

    /** What was measured, and the config (layout) the model is to be written in. */
    record Outcome(SpeedGuardResult result, StaticQuantizeConfig config) {
    }

    private StaticSpeedGuard() {
    }

    /**
     * @param int8      the groups the accuracy guard left in int8, in graph order
     * @param keptFloat the groups the accuracy guard returned to float
     * @param build     a candidate in a config's layout with the named groups in float
     * @param accurate  whether a candidate in another layout still meets the accuracy budget
     * @param reference the float model
     * @return what was measured (every int8 group kept float when no mix beats float), or empty when the
     *         context cannot time models on data
     */
    static Optional<Outcome> search(List<String> int8, Set<String> keptFloat, StaticQuantizeConfig config,
                                    List<Layouts.Layout> alternatives,
                                    BiFunction<StaticQuantizeConfig, Set<String>, StaticGuard.Candidate> build,
                                    Predicate<Model> accurate, Model reference, long modelBytes,
                                    CompressionContext context) {
        if (int8.isEmpty() || !context.loadsModels()) {
            return Optional.empty();
        }
        SpeedGuard guard = config.speed();
        boolean perGroup = int8.size() > 1 && int8.size() <= MAX_GROUPS
                && modelBytes * (int8.size() + 2 + alternatives.size()) <= MAX_COPY_BYTES;
        List<Model> models = variants(int8, keptFloat, config, build, reference, perGroup);
        alternatives = loadable(alternatives, keptFloat, build, context, models);
        Optional<double[]> first = context.timeOnData(models, guard.batch());
        if (first.isEmpty()) {
            return Optional.empty();
        }
        double[] t = first.get();
        int alt0 = models.size() - alternatives.size();
        List<SpeedGuardResult.LayoutTime> layouts = new ArrayList<>();
        layouts.add(new SpeedGuardResult.LayoutTime(Layouts.label(config), t[1], null));
        int best = -1;
        for (int i = 0; i < alternatives.size(); i++) {
            double ms = t[alt0 + i];
            Boolean ok = null;
            if (ms < t[1] * (1 - NOISE) && (best < 0 || ms < t[alt0 + best])) {
                ok = accurate.test(models.get(alt0 + i));
                if (ok) {
                    best = i;
                }
            }
            layouts.add(new SpeedGuardResult.LayoutTime(alternatives.get(i).label(), ms, ok));
        }
        models.clear();
        if (best >= 0) {
            double bestMs = t[alt0 + best];
            config = alternatives.get(best).config();
            t = perGroup ? context.timeOnData(variants(int8, keptFloat, config, build, reference, true), guard.batch())
                    .orElseThrow() : new double[] {t[0], bestMs};
        }
        return Optional.of(new Outcome(decide(int8, keptFloat, config, build, reference, perGroup, t, layouts, context),
                config));
    }

    /**
     * The alternatives this model can be written in and ONNX Runtime loads (a layout the rewrite or the runtime
     * refuses for some operator is left out, not an error: the config's own layout is still there); their models
     * are added to {@code models}.
     */
    private static List<Layouts.Layout> loadable(List<Layouts.Layout> alternatives, Set<String> keptFloat,
                                                 BiFunction<StaticQuantizeConfig, Set<String>, StaticGuard.Candidate> build,
                                                 CompressionContext context, List<Model> models) {
        List<Layouts.Layout> out = new ArrayList<>();
        for (Layouts.Layout a : alternatives) {
            try {
                Model m = build.apply(a.config(), keptFloat).model();
                if (context.loadError(m).isEmpty()) {
                    out.add(a);
                    models.add(m);
                }
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // not writable in this layout
            }
        }
        return out;
    }

    /** The float model, all allowed groups int8 in {@code config}'s layout, and each group alone back in float. */
    private static List<Model> variants(List<String> int8, Set<String> keptFloat, StaticQuantizeConfig config,
                                        BiFunction<StaticQuantizeConfig, Set<String>, StaticGuard.Candidate> build,
                                        Model reference, boolean perGroup) {
        List<Model> models = new ArrayList<>();
        models.add(reference);
        models.add(build.apply(config, keptFloat).model());
        if (perGroup) {
            for (String g : int8) {
                models.add(build.apply(config, with(keptFloat, Set.of(g))).model());
            }
        }
        return models;
    }

    /** The groups that go back to float, from the times {@code t} of {@link #variants}. */
    private static SpeedGuardResult decide(List<String> int8, Set<String> keptFloat, StaticQuantizeConfig config,
                                           BiFunction<StaticQuantizeConfig, Set<String>, StaticGuard.Candidate> build,
                                           Model reference, boolean perGroup, double[] t,
                                           List<SpeedGuardResult.LayoutTime> layouts, CompressionContext context) {
        int batch = config.speed().batch();
        String layout = Layouts.label(config);
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
            double[] again = context.timeOnData(List.of(reference, build.apply(config, keptFloat).model(),
                    build.apply(config, with(keptFloat, new LinkedHashSet<>(slower))).model()), batch).orElseThrow();
            floatMs = again[0];
            allMs = again[1];
            resultMs = again[1];
            if (again[2] < again[1]) {
                returned = slower;
                resultMs = again[2];
            }
        }
        if (floatMs / resultMs < 1) { // quantizing for speed: int8 is kept only when measured faster than float
            return new SpeedGuardResult(batch, floatMs, allMs, floatMs, int8, times, layout, layouts);
        }
        return new SpeedGuardResult(batch, floatMs, allMs, resultMs, returned, times, layout, layouts);
    }

    private static Set<String> with(Set<String> a, Set<String> b) {
        Set<String> out = new LinkedHashSet<>(a);
        out.addAll(b);
        return out;
    }
}

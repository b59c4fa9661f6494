package dev.bantam.compress.quantize;

import dev.bantam.compress.AccuracyGuard;
import dev.bantam.compress.CalibrationChoice;
import dev.bantam.compress.GroupSensitivity;
import dev.bantam.compress.GuardResult;
import dev.bantam.compress.Score;
import dev.bantam.compress.Scorer;
import dev.bantam.onnx.ProgressListener;
import dev.bantam.onnx.ir.Model;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The accuracy guard's search: score the fully quantized model on held-out data; when it breaks the budget (or an
 * analysis is asked for), measure every group's sensitivity (only it quantized; all but it quantized) on the first
 * {@value #SENSITIVITY_ITEMS} items; then, for the {@value #CALIBRATION_TRIALS} most sensitive groups, try the
 * other calibration methods on their activations and keep whichever lowers the output error most; then, if the
 * budget still breaks, return groups to float, most sensitive first, doubling the count until it holds and
 * bisecting back to the fewest that keep it. Every candidate is built from the same calibration statistics, so a
 * group's range never depends on which others are float; candidates are scored once each.
 */
final class StaticGuard {

    /** Items the sensitivity of each group is measured on (the ranking); decisions are scored on all of them. */
    static final int SENSITIVITY_ITEMS = 32;
    /** Most sensitive groups whose activations get other calibration methods tried before any goes to float. */
    static final int CALIBRATION_TRIALS = 3;

    /** A quantized copy of the model and the report of its rewrite. */
    record Candidate(Model model, QuantizeReport report) {
    }

    /** A group: its anchor's display name and operator type, and the activations its quantization sets. */
    record Group(String name, String opType, List<String> activations) {
    }

    /** What a candidate is made of: the groups kept in float and the activations calibrated another way. */
    record Variant(Set<String> keptFloat, Map<String, RangeChoice> choices) {

        Variant {
            keptFloat = java.util.Collections.unmodifiableSet(new TreeSet<>(keptFloat));
            choices = java.util.Collections.unmodifiableMap(new TreeMap<>(choices));
        }
    }

    private record Key(Variant variant, int items) {
    }

    private final List<Group> groups;
    private final Function<Variant, Candidate> build;
    private final Scorer scorer;
    private final AccuracyGuard guard;
    private final ProgressListener progress;
    private final Map<Key, Score> scores = new HashMap<>();
    private final Map<Variant, Long> savings = new HashMap<>();

    private StaticGuard(List<Group> groups, Function<Variant, Candidate> build, Scorer scorer, AccuracyGuard guard,
                        ProgressListener progress) {
        this.groups = List.copyOf(groups);
        this.build = build;
        this.scorer = scorer;
        this.guard = guard;
        this.progress = progress;
    }

    /**
     * @param build  a candidate with the variant's groups kept in float and its activations calibrated its way
     * @param scorer scores candidates against the float model on the held-out data
     * @return the guard's result; {@link #choices} gives the calibration the result was scored with
     */
    static Outcome search(List<Group> groups, Function<Variant, Candidate> build, Scorer scorer, AccuracyGuard guard,
                          String data, ProgressListener progress) {
        return new StaticGuard(groups, build, scorer, guard, progress).run(data);
    }

    /** The guard's result and the variant of the model it scored last (the one to write). */
    record Outcome(GuardResult result, Variant variant) {
    }

    private Outcome run(String data) {
        Variant none = new Variant(Set.of(), Map.of());
        progress.progress("accuracy guard", 0, 1);
        Score full = scoreOf(none);
        boolean fullHolds = guard.holds(full);
        List<GroupSensitivity> sensitivity = !fullHolds || guard.analyse() ? analyse() : List.of();
        List<String> order = sensitivity.stream().map(GroupSensitivity::group).toList();
        List<CalibrationChoice> changes = new ArrayList<>();
        Map<String, RangeChoice> choices = fullHolds ? Map.of() : chooseCalibration(order, full, changes);
        int keep = guard.holds(scoreOf(new Variant(Set.of(), choices))) ? 0 : fewestThatHold(order, choices);
        Variant kept = new Variant(prefix(order, keep), choices);
        Score result = scoreOf(kept);
        GuardResult r = new GuardResult(guard.describe(), groups.size(), data, full, result, guard.holds(result),
                new ArrayList<>(prefix(order, keep)), sensitivity, changes, scores.size(),
                savings.get(none) - savings.get(kept));
        return new Outcome(r, kept);
    }

    /** Per group, most sensitive first (graph order among equals), on the first {@link #SENSITIVITY_ITEMS} items. */
    private List<GroupSensitivity> analyse() {
        int items = guard.items() <= SENSITIVITY_ITEMS * 3 / 2 ? guard.items() : SENSITIVITY_ITEMS;
        double fullLoss = guard.loss(scoreOf(new Variant(Set.of(), Map.of()), items));
        Set<String> all = new LinkedHashSet<>();
        groups.forEach(g -> all.add(g.name()));
        List<GroupSensitivity> out = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            Group g = groups.get(i);
            progress.progress("sensitivity", i, groups.size());
            Score allBut = scoreOf(new Variant(Set.of(g.name()), Map.of()), items);
            Set<String> others = new LinkedHashSet<>(all);
            others.remove(g.name());
            Score only = scoreOf(new Variant(others, Map.of()), items);
            double alone = guard.loss(only);
            double recovery = fullLoss - guard.loss(allBut);
            out.add(new GroupSensitivity(g.name(), g.opType(), only, allBut, alone, recovery, (alone + recovery) / 2));
        }
        progress.progress("sensitivity", groups.size(), groups.size());
        List<GroupSensitivity> sorted = new ArrayList<>(out);
        sorted.sort(Comparator.comparingDouble(GroupSensitivity::sensitivity).reversed());
        return sorted;
    }

    /**
     * For the most sensitive groups in turn, the calibration method for their activations that gives the lowest loss
     * with every group quantized (the config's method unless another one is better); stops once the budget holds.
     */
    private Map<String, RangeChoice> chooseCalibration(List<String> order, Score full, List<CalibrationChoice> changes) {
        Map<String, Group> byName = new HashMap<>();
        groups.forEach(g -> byName.put(g.name(), g));
        Map<String, RangeChoice> choices = new LinkedHashMap<>();
        double loss = guard.loss(full);
        List<Group> tried = order.stream().map(byName::get).filter(g -> !g.activations().isEmpty())
                .limit(CALIBRATION_TRIALS).toList();
        int step = 0;
        for (Group g : tried) {
            RangeChoice best = null;
            double bestLoss = loss;
            for (RangeChoice c : RangeChoice.TRIALS) {
                progress.progress("calibration trials", step++, (long) tried.size() * RangeChoice.TRIALS.size());
                Map<String, RangeChoice> trial = new LinkedHashMap<>(choices);
                g.activations().forEach(a -> trial.put(a, c));
                double l = guard.loss(scoreOf(new Variant(Set.of(), trial)));
                if (l < bestLoss) {
                    bestLoss = l;
                    best = c;
                }
            }
            if (best != null) {
                RangeChoice chosen = best;
                g.activations().forEach(a -> choices.put(a, chosen));
                changes.add(new CalibrationChoice(g.name(), g.activations(), best.label(), loss, bestLoss));
                loss = bestLoss;
            }
            if (loss <= 1) {
                break;
            }
        }
        return choices;
    }

    /** The fewest of the most sensitive groups whose return to float meets the budget (all of them if none do). */
    private int fewestThatHold(List<String> order, Map<String, RangeChoice> choices) {
        int failing = 0;
        int holding = order.size();
        int steps = 2 * (32 - Integer.numberOfLeadingZeros(Math.max(1, order.size() - 1)));
        int step = 0;
        for (int k = 1; k < order.size(); k *= 2) {
            progress.progress("groups back to float", ++step, steps);
            if (guard.holds(scoreOf(new Variant(prefix(order, k), choices)))) {
                holding = k;
                break;
            }
            failing = k;
        }
        while (holding - failing > 1) {
            int mid = (failing + holding) >>> 1;
            progress.progress("groups back to float", Math.min(++step, steps), steps);
            if (guard.holds(scoreOf(new Variant(prefix(order, mid), choices)))) {
                holding = mid;
            } else {
                failing = mid;
            }
        }
        return holding;
    }

    private static Set<String> prefix(List<String> order, int k) {
        return new LinkedHashSet<>(order.subList(0, k));
    }

    private Score scoreOf(Variant v) {
        return scoreOf(v, Integer.MAX_VALUE);
    }

    private Score scoreOf(Variant v, int items) {
        Key key = new Key(v, Math.min(items, guard.items()));
        Score s = scores.get(key);
        if (s == null) {
            Candidate c = build.apply(v);
            s = key.items() == guard.items() ? scorer.score(c.model()) : scorer.score(c.model(), key.items());
            scores.put(key, s);
            savings.put(v, c.report().floatBytes() - c.report().quantizedBytes());
        }
        return s;
    }
}

package dev.bantam.compress.quantize;

import dev.bantam.compress.AccuracyGuard;
import dev.bantam.compress.GroupSensitivity;
import dev.bantam.compress.GuardResult;
import dev.bantam.compress.Score;
import dev.bantam.onnx.ProgressListener;
import dev.bantam.onnx.ir.Model;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The accuracy guard's search over groups: score the fully quantized model on held-out data; when it breaks the
 * budget (or an analysis is asked for), measure every group's sensitivity (only it quantized; all but it
 * quantized); then return groups to float, most sensitive first, doubling the count until the budget holds and
 * bisecting back to the fewest that keep it. Every candidate is built from the same calibration statistics, so
 * a group's range never depends on which others are float; candidates are scored once each.
 */
final class StaticGuard {

    /** A quantized copy of the model and the report of its rewrite. */
    record Candidate(Model model, QuantizeReport report) {
    }

    /** A group: its anchor's display name and operator type. */
    record Group(String name, String opType) {
    }

    private final List<Group> groups;
    private final Function<Set<String>, Candidate> build;
    private final Function<Model, Score> score;
    private final AccuracyGuard guard;
    private final ProgressListener progress;
    private final Map<Set<String>, Score> scores = new HashMap<>();
    private final Map<Set<String>, Long> savings = new HashMap<>();

    private StaticGuard(List<Group> groups, Function<Set<String>, Candidate> build, Function<Model, Score> score,
                        AccuracyGuard guard, ProgressListener progress) {
        this.groups = List.copyOf(groups);
        this.build = build;
        this.score = score;
        this.guard = guard;
        this.progress = progress;
    }

    /**
     * @param build  a candidate with the named groups kept in float
     * @param score  a candidate's score against the float model on the held-out data
     * @return the groups to keep in float (in the order they were returned) and what was measured
     */
    static GuardResult search(List<Group> groups, Function<Set<String>, Candidate> build, Function<Model, Score> score,
                              AccuracyGuard guard, String data, ProgressListener progress) {
        return new StaticGuard(groups, build, score, guard, progress).run(data);
    }

    private GuardResult run(String data) {
        Set<String> none = Set.of();
        Score full = scoreOf(none);
        boolean fullHolds = guard.holds(full);
        List<GroupSensitivity> sensitivity = !fullHolds || guard.analyse() ? analyse(full) : List.of();
        List<String> order = sensitivity.stream().map(GroupSensitivity::group).toList();
        int keep = fullHolds ? 0 : fewestThatHold(order);
        Set<String> kept = prefix(order, keep);
        Score result = scoreOf(kept);
        return new GuardResult(guard.describe(), groups.size(), data, full, result, guard.holds(result), new ArrayList<>(kept),
                sensitivity, scores.size(), savings.get(none) - savings.get(kept));
    }

    /** Per group, most sensitive first (graph order among equals). */
    private List<GroupSensitivity> analyse(Score full) {
        double fullLoss = guard.loss(full);
        Set<String> all = new LinkedHashSet<>();
        groups.forEach(g -> all.add(g.name()));
        List<GroupSensitivity> out = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            Group g = groups.get(i);
            progress.progress("sensitivity", i, groups.size());
            Score allBut = scoreOf(Set.of(g.name()));
            Set<String> others = new LinkedHashSet<>(all);
            others.remove(g.name());
            Score only = scoreOf(others);
            double alone = guard.loss(only);
            double recovery = fullLoss - guard.loss(allBut);
            out.add(new GroupSensitivity(g.name(), g.opType(), only, allBut, alone, recovery, (alone + recovery) / 2));
        }
        progress.progress("sensitivity", groups.size(), groups.size());
        List<GroupSensitivity> sorted = new ArrayList<>(out);
        sorted.sort(Comparator.comparingDouble(GroupSensitivity::sensitivity).reversed());
        return sorted;
    }

    /** The fewest of the most sensitive groups whose return to float meets the budget (all of them if none do). */
    private int fewestThatHold(List<String> order) {
        int failing = 0;
        int holding = order.size();
        for (int k = 1; k < order.size(); k *= 2) {
            if (guard.holds(scoreOf(prefix(order, k)))) {
                holding = k;
                break;
            }
            failing = k;
        }
        while (holding - failing > 1) {
            int mid = (failing + holding) >>> 1;
            if (guard.holds(scoreOf(prefix(order, mid)))) {
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

    private Score scoreOf(Set<String> keptFloat) {
        Set<String> key = new TreeSet<>(keptFloat);
        Score s = scores.get(key);
        if (s == null) {
            Candidate c = build.apply(keptFloat);
            s = score.apply(c.model());
            scores.put(key, s);
            savings.put(key, c.report().floatBytes() - c.report().quantizedBytes());
        }
        return s;
    }
}

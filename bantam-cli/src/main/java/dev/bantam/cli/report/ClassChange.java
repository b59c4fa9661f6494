package dev.bantam.cli.report;

import dev.bantam.runtime.eval.EvalResult;
import dev.bantam.runtime.eval.ModelReport;
import dev.bantam.runtime.metrics.Accuracy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** A class whose recall changed from the reference (the first model) to the candidate (the last). */
record ClassChange(String name, long support, double before, double after) {

    double drop() {
        return before - after;
    }

    /** The classes whose recall the candidate lost, the largest loss first; empty without a labeled reference. */
    static List<ClassChange> recallLost(EvalResult r) {
        if (r.models().size() < 2) {
            return List.of();
        }
        ModelReport ref = r.models().getFirst();
        ModelReport cand = r.models().getLast();
        if (ref.accuracy() == null || cand.accuracy() == null) {
            return List.of();
        }
        Map<Integer, Accuracy.ClassResult> after = cand.accuracy().perClass().stream()
                .collect(Collectors.toMap(Accuracy.ClassResult::label, Function.identity()));
        List<ClassChange> out = new ArrayList<>();
        for (Accuracy.ClassResult c : ref.accuracy().perClass()) {
            Accuracy.ClassResult a = after.get(c.label());
            double recall = a == null ? 0 : a.recall();
            if (c.support() > 0 && recall < c.recall()) {
                out.add(new ClassChange(c.name(), c.support(), c.recall(), recall));
            }
        }
        out.sort(Comparator.comparingDouble(ClassChange::drop).reversed().thenComparing(ClassChange::name));
        return out;
    }
}

package dev.bantam.onnx.check;

import dev.bantam.onnx.ir.Attribute;
import dev.bantam.onnx.ir.AttributeValue;
import dev.bantam.onnx.ir.DataType;
import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ir.Value;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Optional;

/**
 * Finds Loop nodes that provably never end: the condition is always true (absent or a constant true, and the
 * body passes it through unchanged or gives a constant true) and the trip count is absent or so large that the
 * loop cannot finish (ONNX Runtime would spin until the process is killed). ONNX allows such loops; no model
 * that is meant to be run has one, and the ops that read a model (calibration, evaluation) would hang on it.
 */
final class LoopChecks {

    /** A constant trip count at or above this many iterations counts as endless (about 18 min at 1 ns each). */
    static final long ENDLESS_TRIPS = 1L << 40;

    private LoopChecks() {
    }

    static void check(Node n, String at, List<Issue> issues) {
        if (!n.isStandard("Loop")) {
            return;
        }
        Graph body = n.attribute("body").map(Attribute::value).filter(v -> v instanceof AttributeValue.GraphValue)
                .map(v -> ((AttributeValue.GraphValue) v).value()).orElse(null);
        if (body == null || body.inputs().size() < 2 || body.outputs().isEmpty()) {
            return;
        }
        Value cond = n.inputs().size() > 1 ? n.input(1) : null;
        if (cond != null && !alwaysTrue(cond)) {
            return;
        }
        if (!keepsGoing(body.outputs().get(0), body.inputs().get(1))) {
            return;
        }
        Value trips = n.inputs().isEmpty() ? null : n.input(0);
        if (trips == null) {
            issues.add(new Issue(Issue.Severity.ERROR, at, "the Loop never ends: it has no trip count and its "
                    + "condition is always true"));
            return;
        }
        Optional<Long> count = trips.constantValue().flatMap(LoopChecks::scalarInt64);
        if (count.isPresent() && count.get() >= ENDLESS_TRIPS) {
            issues.add(new Issue(Issue.Severity.ERROR, at, "the Loop runs " + count.get() + " iterations ("
                    + ModelChecker.quote(trips.name()) + ") and its condition is always true: it would not end"));
        }
    }

    /** The body's condition output stays true: it is the condition input, through Identity nodes, or a constant true. */
    private static boolean keepsGoing(Value out, Value condIn) {
        Value v = out;
        for (int hops = 0; hops < 10_000 && v != null; hops++) {
            if (v == condIn) {
                return true;
            }
            if (v.constantValue().isPresent()) {
                return alwaysTrue(v);
            }
            Node p = v.producer();
            if (p == null || !p.isStandard("Identity") || p.inputs().isEmpty()) {
                return false;
            }
            v = p.input(0);
        }
        return false;
    }

    private static boolean alwaysTrue(Value v) {
        Optional<Tensor> t = v.constantValue();
        if (t.isEmpty() || t.get().dataType() != DataType.BOOL) {
            return false;
        }
        try {
            Tensor c = t.get();
            if (c.elementCount() != 1 || c.storedByteSize() != 1) {
                return false;
            }
            return c.bytes().get(ValueLayout.JAVA_BYTE, 0) != 0;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static Optional<Long> scalarInt64(Tensor t) {
        try {
            if (t.dataType() != DataType.INT64 || t.elementCount() != 1 || t.storedByteSize() != 8) {
                return Optional.empty();
            }
            return Optional.of(t.bytes().getAtIndex(Tensor.LONG_LE, 0));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}

package dev.bantam.train.student;

import dev.bantam.onnx.inspect.ModelSummaries;
import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Value;
import dev.bantam.onnx.optimize.DeadCodeElimination;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A shallower student from a teacher: the chosen blocks are bypassed (what read a block's output reads its input
 * instead) and their nodes and weights removed. The rest keeps the teacher's weights, the usual start for
 * distilling a layer-dropped student (e.g. every other transformer layer).
 */
public final class LayerDropping {

    /** What was dropped: the layers kept and dropped by index, and the parameters before and after. */
    public record Result(List<Integer> kept, List<Integer> dropped, long parametersBefore, long parametersAfter) {
    }

    private LayerDropping() {
    }

    /** The indexes "every-other" drops among {@code blocks}: the second, fourth, ... (the first is always kept). */
    public static Set<Integer> everyOther(List<Blocks.Block> blocks) {
        Set<Integer> drop = new TreeSet<>();
        for (int k = 1; k < blocks.size(); k += 2) {
            drop.add(blocks.get(k).index());
        }
        return drop;
    }

    /** False only when both shapes are known and differ. */
    private static boolean sameShape(Value a, Value b) {
        if (!(a.type() instanceof dev.bantam.onnx.ir.ValueType.TensorType ta)
                || !(b.type() instanceof dev.bantam.onnx.ir.ValueType.TensorType tb)
                || ta.shape() == null || tb.shape() == null) {
            return true;
        }
        if (ta.shape().dims().size() != tb.shape().dims().size()) {
            return false;
        }
        for (int i = 0; i < ta.shape().dims().size(); i++) {
            if (ta.shape().dims().get(i) instanceof dev.bantam.onnx.ir.Dim.Fixed fa
                    && tb.shape().dims().get(i) instanceof dev.bantam.onnx.ir.Dim.Fixed fb && fa.value() != fb.value()) {
                return false;
            }
        }
        return true;
    }

    public static Result drop(Model model, Set<Integer> drop) {
        Graph g = model.graph();
        List<Blocks.Block> blocks = Blocks.of(g);
        Set<Integer> known = new TreeSet<>();
        blocks.forEach(b -> known.add(b.index()));
        if (!known.containsAll(drop)) {
            Set<Integer> unknown = new TreeSet<>(drop);
            unknown.removeAll(known);
            throw new IllegalArgumentException("no layers " + unknown + " (the model has layers " + known + ")");
        }
        if (drop.containsAll(known)) {
            throw new IllegalArgumentException("dropping every layer " + known + " leaves no layer");
        }
        new dev.bantam.onnx.infer.ShapeInference().run(model);
        for (Blocks.Block b : blocks) {
            if (drop.contains(b.index()) && !sameShape(b.input(), b.output())) {
                throw new IllegalArgumentException("layer " + b.index() + " turns " + b.input().type() + " into "
                        + b.output().type() + ": bypassing it would break the graph (only layers that keep the "
                        + "shape can be dropped)");
            }
        }
        long before = ModelSummaries.parameters(model).count();
        Map<Value, Value> replaced = new HashMap<>();
        List<Integer> kept = new ArrayList<>();
        for (Blocks.Block b : blocks) {
            if (!drop.contains(b.index())) {
                kept.add(b.index());
                continue;
            }
            Value in = replaced.getOrDefault(b.input(), b.input());
            if (b.output().isGraphOutput()) {
                b.output().replaceKeepingOutputName(in, "_dropped");
            } else {
                b.output().replaceAllUsesWith(in, false);
            }
            replaced.put(b.output(), in);
        }
        new DeadCodeElimination().run(model);
        return new Result(kept, List.copyOf(new TreeSet<>(drop)), before, ModelSummaries.parameters(model).count());
    }
}

package dev.bantam.onnx.ops;

import dev.bantam.onnx.ir.Node;
import java.util.Map;
import java.util.Set;

/**
 * Which inputs of standard operators give a shape, axes or sizes rather than data: ONNX shape inference reads
 * their values when they are constant. ONNX Runtime cannot read such a value from an external data file while it
 * loads a model ("Cannot parse data from external tensors"), so the writer keeps them inline. The conditions of If
 * and Loop belong here too: ONNX Runtime folds an If on a constant condition while it loads, and reads an external
 * condition relative to its working folder instead of the model's (found by fuzzing; the model loads from its
 * own folder and fails from any other).
 */
public final class ShapeInputs {

    private static final Map<String, Set<Integer>> TABLE = Map.ofEntries(
            Map.entry("Reshape", Set.of(1)),
            Map.entry("Expand", Set.of(1)),
            Map.entry("Tile", Set.of(1)),
            Map.entry("ConstantOfShape", Set.of(0)),
            Map.entry("Slice", Set.of(1, 2, 3, 4)),
            Map.entry("Pad", Set.of(1, 3)),
            Map.entry("Resize", Set.of(1, 2, 3)),
            Map.entry("Upsample", Set.of(1)),
            Map.entry("Squeeze", Set.of(1)),
            Map.entry("Unsqueeze", Set.of(1)),
            Map.entry("Split", Set.of(1)),
            Map.entry("TopK", Set.of(1)),
            Map.entry("OneHot", Set.of(1)),
            Map.entry("Range", Set.of(0, 1, 2)),
            Map.entry("CenterCropPad", Set.of(1)),
            Map.entry("Col2Im", Set.of(1, 2)),
            Map.entry("ReduceSum", Set.of(1)),
            Map.entry("ReduceMean", Set.of(1)),
            Map.entry("ReduceMax", Set.of(1)),
            Map.entry("ReduceMin", Set.of(1)),
            Map.entry("ReduceProd", Set.of(1)),
            Map.entry("ReduceL1", Set.of(1)),
            Map.entry("ReduceL2", Set.of(1)),
            Map.entry("ReduceLogSum", Set.of(1)),
            Map.entry("ReduceLogSumExp", Set.of(1)),
            Map.entry("ReduceSumSquare", Set.of(1)),
            Map.entry("Loop", Set.of(0, 1)),
            Map.entry("If", Set.of(0)),
            Map.entry("STFT", Set.of(1, 3)),
            Map.entry("DFT", Set.of(1, 2)));

    private ShapeInputs() {
    }

    /** True when input {@code index} of {@code n} is read by shape inference (a shape, axes, sizes or counts). */
    public static boolean isShapeInput(Node n, int index) {
        if (!n.isStandard(n.opType())) {
            return false;
        }
        Set<Integer> inputs = TABLE.get(n.opType());
        return inputs != null && inputs.contains(index);
    }
}

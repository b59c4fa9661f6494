package dev.bantam.onnx.optimize;

import dev.bantam.onnx.ir.Attribute;
import dev.bantam.onnx.ir.AttributeValue;
import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.Node;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The default-domain operator changes between opsets 1 and 23 that a node must be converted across, by operator and
 * the opset version that made the change (from the ONNX operator changelog). A version of an operator that is not
 * here only added types, or attributes whose defaults keep the old meaning, and needs no conversion; the versions
 * themselves come from the checker's operator table. Each conversion is checked in ONNX Runtime against the ONNX
 * backend node tests ({@code OpsetUpgradeNodeTest}).
 */
final class OpsetChanges {

    private static final Map<String, OpsetChange> CHANGES = build();

    private OpsetChanges() {
    }

    /** The change of {@code op} at opset {@code version}, or null when that version needs no conversion. */
    static OpsetChange at(String op, int version) {
        return CHANGES.get(op + "@" + version);
    }

    private static Map<String, OpsetChange> build() {
        Map<String, OpsetChange> m = new HashMap<>();
        for (String op : List.of("Add", "Sub", "Mul", "Div", "Pow", "And", "Or", "Xor", "Equal", "Greater", "Less")) {
            m.put(op + "@7", OpsetChange.of(MeaningChanges::legacyBroadcastRefusal, MeaningChanges::dropLegacyBroadcast));
        }
        m.put("Gemm@7", OpsetChange.always((n, g) -> n.removeAttribute("broadcast")));
        m.put("PRelu@7", OpsetChange.impossible("before opset 7 PRelu broadcast its slope by its own rule"));
        m.put("Concat@4", OpsetChange.always((n, g) -> {
            if (n.attribute("axis").isEmpty()) {
                n.setAttribute(Attribute.ofInt("axis", 1));
            }
        }));
        m.put("Reshape@5", OpsetChange.always((n, g) -> AttributeInputs.ints(n, g, "shape", 1)));
        m.put("Cast@6", OpsetChange.impossible("before opset 6 its 'to' attribute named the type as a string"));
        m.put("Tile@6", OpsetChange.impossible("before opset 6 Tile took its repeats per axis from two inputs"));
        m.put("Upsample@7", OpsetChange.impossible("before opset 7 Upsample scaled only height and width"));
        m.put("Upsample@9", OpsetChange.always((n, g) -> AttributeInputs.floats(n, g, "scales", 1)));
        m.put("Upsample@10", OpsetChange.rename("Resize", n -> null, (n, g) -> {
        }));
        m.put("Resize@11", OpsetChange.of(ResizeChanges::refusal10to11, ResizeChanges::apply10to11));
        m.put("Resize@13", OpsetChange.of(ResizeChanges::refusal11to13, ResizeChanges::apply11to13));
        m.put("Scatter@11", OpsetChange.rename("ScatterElements", n -> null, (n, g) -> {
        }));
        m.put("TopK@10", OpsetChange.always((n, g) -> AttributeInputs.intValue(n, g, "k", 1, 1, 1)));
        m.put("Pad@2", OpsetChange.always((n, g) -> n.attribute("paddings").ifPresent(a -> {
            n.removeAttribute("paddings");
            n.setAttribute(Attribute.of("pads", a.value()));
        })));
        m.put("Pad@11", OpsetChange.of(n -> AttributeInputs.floatScalarsRefusal(n, 0f, "value"), (n, g) -> {
            AttributeInputs.ints(n, g, "pads", 1);
            AttributeInputs.scalarLikeInput(n, g, "value", 2, 0f);
        }));
        m.put("Clip@11", OpsetChange.of(OpsetChanges::clipRefusal, (n, g) -> {
            AttributeInputs.scalarLikeInput(n, g, "min", 1, null);
            AttributeInputs.scalarLikeInput(n, g, "max", 2, null);
        }));
        m.put("Slice@10", OpsetChange.always((n, g) -> {
            AttributeInputs.ints(n, g, "starts", 1);
            AttributeInputs.ints(n, g, "ends", 2);
            AttributeInputs.ints(n, g, "axes", 3);
        }));
        m.put("Dropout@7", OpsetChange.always((n, g) -> n.removeAttribute("is_test")));
        m.put("Dropout@10", OpsetChange.of(n -> MeaningChanges.used(n, 1)
                ? "its mask output changes from the data's type to bool at opset 10" : null, (n, g) -> {
                }));
        m.put("Dropout@12", OpsetChange.always((n, g) -> AttributeInputs.scalarLikeInput(n, g, "ratio", 1, null)));
        m.put("BatchNormalization@7", OpsetChange.always((n, g) -> n.removeAttribute("is_test")));
        m.put("BatchNormalization@9", OpsetChange.of(MeaningChanges::batchNormSpatialRefusal,
                (n, g) -> n.removeAttribute("spatial")));
        m.put("BatchNormalization@14", OpsetChange.of(MeaningChanges::batchNormTrainingRefusal, (n, g) -> {
        }));
        for (String op : List.of("Softmax", "LogSoftmax", "Hardmax")) {
            m.put(op + "@13", OpsetChange.always(MeaningChanges::flattenedSoftmax));
        }
        for (String op : List.of("Squeeze", "Unsqueeze", "ReduceSum")) {
            m.put(op + "@13", OpsetChange.always((n, g) -> AttributeInputs.ints(n, g, "axes", 1)));
        }
        for (String op : List.of("ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceSumSquare", "ReduceL1",
                "ReduceL2", "ReduceLogSum", "ReduceLogSumExp")) {
            m.put(op + "@18", OpsetChange.always((n, g) -> AttributeInputs.ints(n, g, "axes", 1)));
        }
        m.put("Split@13", OpsetChange.always((n, g) -> AttributeInputs.ints(n, g, "split", 1)));
        m.put("Split@18", OpsetChange.always(MeaningChanges::splitOutputCount));
        m.put("Scan@9", OpsetChange.impossible("Scan-8 had a batch axis and sequence lengths, which Scan-9 replaced "
                + "by scan axes"));
        m.put("RoiAlign@16", OpsetChange.always(MeaningChanges::roiAlignCoordinates));
        m.put("GridSample@20", OpsetChange.always(MeaningChanges::gridSampleModes));
        m.put("DFT@20", OpsetChange.always((n, g) -> AttributeInputs.intValue(n, g, "axis", 1, 2)));
        m.put("GroupNormalization@21", OpsetChange.impossible("its scale and bias are per group before opset 21 and "
                + "per channel from it"));
        return Map.copyOf(m);
    }

    /** Clip-6 bounds become inputs of the data's type; converted for float32 data. */
    private static String clipRefusal(Node n) {
        return n.attribute("min").isPresent() || n.attribute("max").isPresent()
                ? AttributeInputs.floatScalarsRefusal(n, Float.NaN, "min", "max") : null;
    }
}

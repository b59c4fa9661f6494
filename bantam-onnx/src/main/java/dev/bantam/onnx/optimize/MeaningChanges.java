package dev.bantam.onnx.optimize;

import dev.bantam.onnx.ir.Attribute;
import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.Value;
import dev.bantam.onnx.ir.ValueType;
import java.util.List;

/** Conversions across opset changes that changed what an attribute or a default means. */
final class MeaningChanges {

    private MeaningChanges() {
    }

    /**
     * Before opset 13, Softmax, LogSoftmax and Hardmax (axis a) work on the input flattened to 2-D at a, from 13 on
     * axis a alone. The same for the last axis; otherwise the old meaning is kept exactly with
     * Flatten(a) -> op(-1) -> Reshape(to the input's shape).
     */
    static void flattenedSoftmax(Node n, Graph g) {
        long axis = n.intAttribute("axis", 1);
        Value x = n.input(0);
        boolean lastAxis = axis == -1 || x.type() instanceof ValueType.TensorType t && t.shape() != null
                && axis == t.shape().rank() - 1;
        if (lastAxis) {
            return;
        }
        Node shape = Node.of("Shape", List.of(x), List.of(Rewiring.freshName(g, x.name() + "_shape")));
        Node flat = Node.of("Flatten", List.of(x), List.of(Rewiring.freshName(g, x.name() + "_2d")),
                Attribute.ofInt("axis", axis));
        g.insertBefore(n, shape);
        g.insertBefore(n, flat);
        n.replaceInput(0, flat.output(0));
        n.setAttribute(Attribute.ofInt("axis", -1));
        Value out = n.output(0);
        Node reshape = Node.of("Reshape", List.of(), List.of(Rewiring.freshName(g, out.name() + "_nd")));
        g.insertAfter(n, reshape);
        out.replaceAllUsesWith(reshape.output(0), false);
        reshape.appendInput(out);
        reshape.appendInput(shape.output(0));
        if (out.isGraphOutput()) {
            g.replaceOutputKeepingName(out, reshape.output(0), "_2d");
        }
    }

    /**
     * Opset 7 replaced the broadcast/axis attributes of the arithmetic and comparison operators by numpy broadcasting.
     * Legacy broadcasting without an axis aligns the second input with the first's trailing axes, as numpy does.
     */
    static String legacyBroadcastRefusal(Node n) {
        return n.intAttribute("broadcast", 0) != 0 && n.attribute("axis").isPresent()
                ? "it broadcasts its second input along axis " + n.intAttribute("axis", 0)
                + " (opset 6 and older), which numpy broadcasting from opset 7 does not express"
                : null;
    }

    static void dropLegacyBroadcast(Node n, Graph g) {
        n.removeAttribute("broadcast");
        n.removeAttribute("axis");
    }

    /** Whether the node's optional output {@code i} exists and is read or is a graph output. */
    static boolean used(Node n, int i) {
        if (n.outputs().size() <= i || n.output(i) == null) {
            return false;
        }
        Value v = n.output(i);
        return !v.uses().isEmpty() || v.isGraphOutput();
    }

    /** BatchNormalization-9 dropped {@code spatial}; spatial=0 (per-element statistics) has no later form. */
    static String batchNormSpatialRefusal(Node n) {
        return n.intAttribute("spatial", 1) == 0 ? "spatial=0 (statistics per element, not per channel) was removed at "
                + "opset 9" : null;
    }

    /** From opset 14 BatchNormalization gives its running statistics only in training mode. */
    static String batchNormTrainingRefusal(Node n) {
        for (int i = 1; i < n.outputs().size(); i++) {
            if (used(n, i)) {
                return "it gives training statistics (output " + i + "), which opset 14 gives only in training mode";
            }
        }
        return null;
    }

    /** Split-18 needs num_outputs when no split sizes are given. */
    static void splitOutputCount(Node n, Graph g) {
        if (n.inputs().size() < 2 || n.input(1) == null) {
            n.setAttribute(Attribute.ofInt("num_outputs", n.outputs().size()));
        }
    }

    /** RoiAlign-16 added coordinate_transformation_mode with default half_pixel; before it was output_half_pixel. */
    static void roiAlignCoordinates(Node n, Graph g) {
        if (n.attribute("coordinate_transformation_mode").isEmpty()) {
            n.setAttribute(Attribute.ofString("coordinate_transformation_mode", "output_half_pixel"));
        }
    }

    /** GridSample-20 renamed the modes bilinear and bicubic to linear and cubic. */
    static void gridSampleModes(Node n, Graph g) {
        String mode = ResizeChanges.string(n, "mode", "bilinear");
        n.setAttribute(Attribute.ofString("mode", switch (mode) {
            case "bilinear" -> "linear";
            case "bicubic" -> "cubic";
            default -> mode;
        }));
    }
}

package dev.bantam.onnx.optimize;

import dev.bantam.onnx.ir.Attribute;
import dev.bantam.onnx.ir.AttributeValue;
import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.Tensor;
import java.nio.charset.StandardCharsets;

/**
 * Upsample and Resize across their opset changes. Upsample-7 takes its scales as an attribute, Upsample-9 as an
 * input; Resize-10 replaced it with the same meaning. Resize-10 maps output to input coordinates asymmetrically
 * (x / scale) and, in nearest mode, truncates when a scale enlarges and rounds up when it shrinks (ONNX Runtime's
 * rule; the spec left it open); Resize-11 says both explicitly and takes a region-of-interest input before the
 * scales. Resize-13 dropped the coordinate mode tf_half_pixel_for_nn, which half_pixel with a shifted nearest rounding
 * reproduces: (x + 0.5) / s rounded down is half_pixel rounded half up, and rounded half down is half_pixel rounded up.
 */
final class ResizeChanges {

    private ResizeChanges() {
    }

    static String mode(Node n) {
        return string(n, "mode", "nearest");
    }

    static String string(Node n, String attr, String dflt) {
        return n.attribute(attr).map(a -> new String(((AttributeValue.StringValue) a.value()).value(),
                StandardCharsets.UTF_8)).orElse(dflt);
    }

    /** The scales of an Upsample or a Resize-10 (attribute or constant input 1), or null when not constant. */
    static float[] scales(Node n) {
        var a = n.attribute("scales");
        if (a.isPresent()) {
            return ((AttributeValue.FloatsValue) a.get().value()).value();
        }
        return n.inputs().size() > 1 ? Rewiring.constant(n.input(1)).map(Tensor::toFloatArray).orElse(null) : null;
    }

    /** Resize-10 to 11: why the nearest rounding cannot be kept, or null. */
    static String refusal10to11(Node n) {
        String mode = mode(n);
        if (!mode.equals("nearest")) {
            return null;
        }
        float[] s = scales(n);
        if (s == null && !n.opType().equals("Upsample")) {
            return "its scales are not constant, and Resize-10 rounds nearest pixels down when a scale enlarges and up "
                    + "when it shrinks";
        }
        return s != null && nearestMode10(s) == null ? "it enlarges some axes and shrinks others, and Resize-10 rounds nearest pixels "
                + "down for the first and up for the second, which no single nearest_mode of Resize-11 does" : null;
    }

    private static String nearestMode10(float[] scales) {
        boolean up = true;
        boolean down = true;
        for (float s : scales) {
            up &= s >= 1;
            down &= s <= 1;
        }
        return up ? "floor" : down ? "ceil" : null;
    }

    /** Resize-10 to 11: an empty region of interest before the scales, the coordinate and rounding rules made explicit. */
    static void apply10to11(Node n, Graph g) {
        boolean nearest = mode(n).equals("nearest");
        float[] s = scales(n);
        // Upsample, the only node planned without constant scales, never shrinks
        String rounding = !nearest ? null : s == null ? "floor" : nearestMode10(s);
        var scales = n.input(1);
        n.replaceInput(1, g.addInitializer(Tensor.ofFloats(AttributeInputs.name(g, n, "roi"), new float[0], 0)));
        n.appendInput(scales);
        n.setAttribute(Attribute.ofString("coordinate_transformation_mode", "asymmetric"));
        if (nearest) {
            n.setAttribute(Attribute.ofString("nearest_mode", rounding));
        }
    }

    /** Resize-11 to 13: why tf_half_pixel_for_nn cannot be rewritten, or null. */
    static String refusal11to13(Node n) {
        if (!string(n, "coordinate_transformation_mode", "half_pixel").equals("tf_half_pixel_for_nn")) {
            return null;
        }
        if (!mode(n).equals("nearest")) {
            return "its coordinate mode tf_half_pixel_for_nn was removed at opset 13 and has no equivalent in "
                    + mode(n) + " mode";
        }
        String rounding = string(n, "nearest_mode", "round_prefer_floor");
        return halfPixelRounding(rounding) == null ? "its coordinate mode tf_half_pixel_for_nn was removed at opset 13, "
                + "and with nearest_mode " + rounding + " no half_pixel rounding gives the same pixels" : null;
    }

    private static String halfPixelRounding(String tfRounding) {
        return switch (tfRounding) {
            case "floor" -> "round_prefer_ceil";
            case "round_prefer_floor" -> "ceil";
            default -> null;
        };
    }

    static void apply11to13(Node n, Graph g) {
        if (string(n, "coordinate_transformation_mode", "half_pixel").equals("tf_half_pixel_for_nn")) {
            n.setAttribute(Attribute.ofString("coordinate_transformation_mode", "half_pixel"));
            n.setAttribute(Attribute.ofString("nearest_mode",
                    halfPixelRounding(string(n, "nearest_mode", "round_prefer_floor"))));
        }
    }
}

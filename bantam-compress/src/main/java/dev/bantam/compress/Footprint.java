package dev.bantam.compress;

import dev.bantam.onnx.inspect.ModelSummaries;
import dev.bantam.onnx.ir.Model;

/**
 * The size and cost of a model: parameters (every number its initializers and Constant nodes store, as
 * {@code bantam inspect} counts them: quantization scales and zero points included), the bytes they take, and
 * multiply-accumulates per item (null when not measured: counting them takes one run on real input).
 */
public record Footprint(long parameters, long parameterBytes, Macs macs) {

    /** Counts {@code model}'s parameters; {@code macs} may be null. */
    public static Footprint of(Model model, Macs macs) {
        ModelSummaries.Parameters p = ModelSummaries.parameters(model);
        return new Footprint(p.count(), p.bytes(), macs);
    }
}

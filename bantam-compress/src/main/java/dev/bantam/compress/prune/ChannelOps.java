package dev.bantam.compress.prune;

import java.util.Set;

/**
 * How each operator treats the channel axis of the values it reads, for {@link ChannelAnalysis}: which ones pass
 * channels through unchanged, which combine operands channel by channel. Weighted layers (which axis of the weight
 * is the channel) come from the weight-layout table, {@link dev.bantam.onnx.ops.WeightLayouts}. An operator in
 * neither set and without a rule of its own in the analysis freezes the channels it reads: nothing is assumed
 * element-wise.
 */
final class ChannelOps {

    private ChannelOps() {
    }

    /** One input, one output of the same shape, each channel computed from the same channel alone. */
    static final Set<String> UNARY = Set.of("Relu", "LeakyRelu", "Elu", "Selu", "Celu", "Sigmoid", "HardSigmoid",
            "HardSwish", "Tanh", "Softplus", "Softsign", "Gelu", "Erf", "Exp", "Log", "Neg", "Abs", "Sqrt", "Reciprocal",
            "Identity", "Dropout", "Mish", "Sin", "Cos", "Floor", "Ceil", "Round", "Sign", "ThresholdedRelu", "Clip");

    /** Pooling over the spatial axes: channel i of the output is channel i of the input. */
    static final Set<String> POOLING = Set.of("MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool", "LpPool",
            "GlobalLpPool");

    /** Element-wise with broadcasting: the operands' channel axes are coupled (a residual Add, an SE gate's Mul). */
    static final Set<String> BINARY = Set.of("Add", "Sub", "Mul", "Div", "Max", "Min", "Sum", "Mean", "PRelu");

    /** Operators whose extra inputs must be constant scalars for the first input's channels to pass through. */
    static boolean scalarExtras(String op) {
        return op.equals("Clip");
    }
}

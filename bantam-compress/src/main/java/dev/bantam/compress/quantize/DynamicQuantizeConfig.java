package dev.bantam.compress.quantize;

import dev.bantam.compress.Granularity;
import dev.bantam.compress.NodeScope;
import dev.bantam.compress.TechniqueConfig;
import dev.bantam.compress.WeightNumerics;
import java.util.Set;

/**
 * Dynamic INT8: weights quantized now, activations at run time (DynamicQuantizeLinear).
 *
 * @param scope   which nodes: operator types among {@link #SUPPORTED} (MatMul, Gather, LSTM, GRU and RNN by default;
 *                Gemm and Conv on request, ONNX Runtime runs dynamic Conv no faster than float), exclusions,
 *                first/last, minimum weight size
 * @param weights 8 or 7 bits, int8 or uint8, symmetric, per tensor or per output channel (embedding tables:
 *                per row)
 */
public record DynamicQuantizeConfig(NodeScope scope, WeightNumerics weights) implements TechniqueConfig {

    public static final String NAME = "quantize-dynamic";

    /** What dynamic mode can quantize. */
    public static final Set<String> SUPPORTED = Set.of("MatMul", "Gather", "Gemm", "Conv", "LSTM", "GRU", "RNN");

    /** What it quantizes by default. */
    public static final Set<String> DEFAULT_OPS = Set.of("MatMul", "Gather", "LSTM", "GRU", "RNN");

    public DynamicQuantizeConfig {
        if (scope == null || weights == null) {
            throw new IllegalArgumentException(NAME + ": scope and weights are required");
        }
        scope.requireSupported(SUPPORTED, NAME);
        weights.requireInt8(NAME);
    }

    /**
     * MatMul and recurrent (LSTM, GRU, RNN) weights and embedding tables of 1,024 elements or more; symmetric int8 weights in full 8 bits, one
     * scale per output column (embedding tables: per row), as ONNX Runtime's own quantizer does.
     */
    public static DynamicQuantizeConfig defaults() {
        return new DynamicQuantizeConfig(NodeScope.of(DEFAULT_OPS, 1024), WeightNumerics.int8PerChannel());
    }

    @Override
    public String technique() {
        return NAME;
    }

    public boolean perChannel() {
        return weights.granularity() == Granularity.PER_CHANNEL;
    }

    public DynamicQuantizeConfig withScope(NodeScope s) {
        return new DynamicQuantizeConfig(s, weights);
    }

    public DynamicQuantizeConfig withWeights(WeightNumerics w) {
        return new DynamicQuantizeConfig(scope, w);
    }
}

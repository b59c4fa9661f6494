package dev.bantam.compress.half;

import dev.bantam.compress.Decision;
import dev.bantam.compress.Score;
import dev.bantam.compress.TechniqueReport;
import java.util.List;

/**
 * What the half-precision conversion did: every float32 constant (those stored in the half type first, lowest SQNR
 * first; then those left in float32, overflowing or flushed ones first), where every operator with float values computes and why, the Casts it placed, the bytes of the
 * constants before and after, and, with evaluation data, how close the result's first output stays to the float
 * model's.
 *
 * @param runtimeCasts Casts of activations, run at every inference (region borders, graph inputs and outputs)
 * @param loadCasts    Casts of constants to float32 for float32 readers; ONNX Runtime folds them when it loads
 *                     the model
 * @param fidelity     the converted model scored against the float one (null without evaluation data)
 */
public record HalfPrecisionReport(HalfPrecisionConfig config, List<HalfTensor> tensors, List<HalfNode> nodes,
                                  List<Decision> decisions, List<String> notes, int runtimeCasts, int loadCasts,
                                  long bytesBefore, long bytesAfter, Score fidelity) implements TechniqueReport {

    public HalfPrecisionReport {
        tensors = List.copyOf(tensors);
        nodes = List.copyOf(nodes);
        decisions = List.copyOf(decisions);
        notes = List.copyOf(notes);
    }

    @Override
    public String technique() {
        return HalfPrecisionConfig.NAME;
    }

    /** Operators computing in the half type. */
    public long halfNodes() {
        return nodes.stream().filter(HalfNode::half).count();
    }
}

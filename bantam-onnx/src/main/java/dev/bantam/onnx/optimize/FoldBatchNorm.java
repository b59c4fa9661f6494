package dev.bantam.onnx.optimize;

import dev.bantam.onnx.ir.AttributeValue;
import dev.bantam.onnx.ir.DataType;
import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ir.Value;
import dev.bantam.onnx.ops.WeightLayout;
import dev.bantam.onnx.ops.WeightLayouts;
import dev.bantam.onnx.rewrite.RewriteRule;
import java.util.Optional;
import java.util.Set;

/**
 * Folds an inference-mode BatchNormalization into the Conv, ConvTranspose or Gemm before it:
 * {@code W' = W * s}, {@code b' = (b - mean) * s + beta} with {@code s = scale / sqrt(var + eps)} per output
 * channel. Applies only when the producer's output feeds nothing but the BatchNormalization and every
 * weight is a float32 constant.
 */
public final class FoldBatchNorm implements RewriteRule {

    @Override
    public String name() {
        return "fold-batch-norm";
    }

    @Override
    public Set<String> anchors() {
        return Set.of("BatchNormalization");
    }

    @Override
    public String check(Node bn, Model model) {
        if (bn.outputs().size() > 1 && bn.outputs().stream().skip(1).anyMatch(v -> v != null && (!v.uses().isEmpty() || v.isGraphOutput()))) {
            return "BatchNormalization in training mode (running statistics are used)";
        }
        if (bn.attribute("spatial").map(a -> ((AttributeValue.IntValue) a.value()).value()).orElse(1L) == 0) {
            return "BatchNormalization with spatial=0 (per-element statistics)";
        }
        if (bn.attribute("training_mode").map(a -> ((AttributeValue.IntValue) a.value()).value()).orElse(0L) != 0) {
            return "BatchNormalization in training mode";
        }
        Value x = bn.input(0);
        Node prev = x == null ? null : x.producer();
        if (prev == null || !prev.normalizedDomain().isEmpty()
                || !Set.of("Conv", "ConvTranspose", "Gemm").contains(prev.opType())) {
            return "input is not produced by Conv, ConvTranspose or Gemm";
        }
        if (Rewiring.soleUser(x) != bn) {
            return "the " + prev.opType() + " output has other consumers";
        }
        for (int i = 1; i <= 4; i++) {
            if (floats(bn.input(i)).isEmpty()) {
                return "BatchNormalization parameter " + i + " is not a float32 constant";
            }
        }
        Optional<Tensor> w = floats(prev.input(1));
        if (w.isEmpty() || (prev.input(2) != null && floats(prev.input(2)).isEmpty())) {
            return prev.opType() + " weights are not float32 constants";
        }
        if (prev.opType().equals("Gemm") && (w.get().rank() != 2 || prev.intAttribute("transA", 0) != 0)) {
            return "Gemm with transA or non-2D weights";
        }
        if (prev.opType().equals("ConvTranspose") && prev.intAttribute("group", 0) != 1) {
            return "grouped ConvTranspose";
        }
        if (WeightLayouts.of(prev).isEmpty()) {
            return prev.opType() + " without a weight layout";
        }
        if (WeightLayouts.of(prev).get().outputChannels(w.get()) != bn.input(1).constantValue().get().elementCount()) {
            return "channel count of the weights and the BatchNormalization differ";
        }
        return null;
    }

    @Override
    public String rewrite(Node bn, Model model) {
        Node prev = bn.input(0).producer();
        Graph g = prev.graph();
        float[] scale = bn.input(1).constantValue().get().toFloatArray();
        float[] beta = bn.input(2).constantValue().get().toFloatArray();
        float[] mean = bn.input(3).constantValue().get().toFloatArray();
        float[] var = bn.input(4).constantValue().get().toFloatArray();
        float eps = bn.attribute("epsilon").map(a -> ((AttributeValue.FloatValue) a.value()).value()).orElse(1e-5f);
        Tensor wt = prev.input(1).constantValue().get();
        int c = scale.length;
        double[] s = new double[c];
        for (int i = 0; i < c; i++) {
            s[i] = scale[i] / Math.sqrt((double) var[i] + eps);
        }
        float[] w = wt.toFloatArray();
        scaleWeights(prev, wt, w, s);
        float[] b = prev.input(2) == null ? new float[c] : prev.input(2).constantValue().get().toFloatArray();
        float[] nb = new float[c];
        for (int i = 0; i < c; i++) {
            nb[i] = (float) ((b[i] - mean[i]) * s[i] + beta[i]);
        }
        String wName = Rewiring.freshName(g, prev.input(1).name() + "_bn");
        Value newW = g.addInitializer(Tensor.ofFloats(wName, w, wt.dims()));
        Value newB = g.addInitializer(Tensor.ofFloats(Rewiring.freshName(g, wName + "_bias"), nb, c));
        prev.replaceInput(1, newW);
        if (prev.input(2) == null) {
            while (prev.inputs().size() < 3) {
                prev.appendInput(null);
            }
        }
        prev.replaceInput(2, newB);
        Value out = bn.output(0);
        if (!Rewiring.bypass(out, prev.output(0))) {
            return "kept " + bn.displayName() + " (its output is also the producer's)";
        }
        g.remove(bn, true);
        return "folded " + bn.displayName() + " into " + prev.displayName();
    }

    /** Multiplies every weight by its output channel's factor; the channel axis comes from the layout table. */
    private static void scaleWeights(Node prev, Tensor wt, float[] w, double[] s) {
        WeightLayout layout = WeightLayouts.of(prev).orElseThrow();
        long[] d = wt.dims();
        int axis = layout.outputAxis();
        long inner = 1;
        for (int k = axis + 1; k < d.length; k++) {
            inner *= d[k];
        }
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (w[i] * s[(int) ((i / inner) % d[axis])]);
        }
    }

    static Optional<Tensor> floats(Value v) {
        return Rewiring.constant(v).filter(t -> t.dataType() == DataType.FLOAT);
    }
}

package dev.bantam.train.graph;

import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.Usage;
import dev.bantam.onnx.ir.Value;
import java.util.Arrays;
import java.util.SplittableRandom;

/** Fresh values for a weight, by the role its first weighted use gives it (as PyTorch's default layer init). */
final class Reinit {

    private Reinit() {
    }

    static float[] values(Value v, long[] dims, SplittableRandom rng) {
        int n = (int) Arrays.stream(dims).reduce(1, (a, b) -> a * b);
        float[] out = new float[n];
        for (Usage u : v.uses()) {
            Node node = u.node();
            switch (node.opType()) {
                case "Conv", "ConvTranspose", "Gemm", "MatMul" -> {
                    uniform(out, 1 / Math.sqrt(fanIn(node)), rng);
                    return out;
                }
                case "BatchNormalization", "LayerNormalization", "InstanceNormalization" -> {
                    Arrays.fill(out, u.index() == 1 ? 1f : 0f);
                    return out;
                }
                case "Gather" -> {
                    for (int i = 0; i < n; i++) {
                        out[i] = (float) (rng.nextGaussian() * 0.02);
                    }
                    return out;
                }
                case "Add", "Sub" -> {
                    Node producer = node.input(1 - u.index()).producer();
                    if (producer != null && (producer.opType().equals("MatMul") || producer.opType().equals("Conv"))) {
                        uniform(out, 1 / Math.sqrt(fanIn(producer)), rng);
                    }
                    return out;
                }
                case "Mul", "Div" -> {
                    Arrays.fill(out, 1f);
                    return out;
                }
                default -> { }
            }
        }
        return out;
    }

    /** The number of inputs each output of a layer sums over. */
    private static long fanIn(Node n) {
        Value w = n.input(1);
        long[] d = shape(w);
        if (d == null) {
            return 1;
        }
        return switch (n.opType()) {
            case "Conv" -> Arrays.stream(d).skip(1).reduce(1, (a, b) -> a * b);
            case "ConvTranspose" -> d[0] * Arrays.stream(d).skip(2).reduce(1, (a, b) -> a * b);
            case "Gemm" -> n.intAttribute("transB", 0) == 1 ? d[1] : d[0];
            default -> d.length >= 2 ? d[d.length - 2] : d[0];
        };
    }

    private static long[] shape(Value w) {
        if (w.initializer() != null) {
            return w.initializer().dims();
        }
        return w.constantValue().map(t -> t.dims()).orElse(null);
    }

    private static void uniform(float[] out, double bound, SplittableRandom rng) {
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) ((rng.nextDouble() * 2 - 1) * bound);
        }
    }
}

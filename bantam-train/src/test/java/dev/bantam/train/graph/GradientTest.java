package dev.bantam.train.graph;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.GradientCollector;
import dev.bantam.compress.testing.Graphs;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Value;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Gradients of the translated graph match central finite differences, on small graphs built in code: for a
 * loss sum(output · R) with fixed random R, a handful of coordinates of every weight are perturbed by ±h and
 * the difference quotient is compared with the backward pass.
 */
class GradientTest {

    static Stream<Arguments> graphs() {
        Map<String, Supplier<Model>> m = new java.util.LinkedHashMap<>();
        m.put("conv-relu-pool", Graphs::convReluPool);
        m.put("gemm", Graphs::gemm);
        m.put("residual-add", Graphs::residualAdd);
        m.put("concat", Graphs::concat);
        m.put("se-block", Graphs::seBlock);
        m.put("depthwise-bn", Graphs::depthwiseBlock);
        m.put("feed-forward", Graphs::feedForward);
        m.put("layer-norms", Graphs::twoLayerNormsSharingGammaBeta);
        m.put("softmax", Graphs::softmaxOverChannels);
        m.put("strided-asymmetric-dilated", Graphs::stridedConvsAndGemm);
        m.put("constant-weights-clip", Graphs::constantWeightsAndClip);
        m.put("conv-transpose", Graphs::convTranspose);
        return m.entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("graphs")
    void gradientsMatchFiniteDifferences(String name, Supplier<Model> build) {
        Model model = build.get();
        Random r = new Random(3);
        try (TrainableGraph g = TrainableGraph.of(model, n -> true, ai.djl.ndarray.types.DataType.FLOAT64);
             NDManager data = NDManager.newBaseManager()) {
            Map<String, NDArray> feeds = new HashMap<>();
            for (Value in : model.graph().inputs()) {
                if (g.inputs().contains(in.name())) {
                    long[] dims = ((dev.bantam.onnx.ir.ValueType.TensorType) in.type()).shape().dims().stream().mapToLong(d -> d instanceof
                            dev.bantam.onnx.ir.Dim.Fixed f ? f.value() : 2).toArray();
                    feeds.put(in.name(), data.randomNormal(new ai.djl.ndarray.types.Shape(dims)).toType(ai.djl.ndarray.types.DataType.FLOAT64, false));
                }
            }
            NDArray weights;
            try (NDManager step = data.newSubManager()) {
                NDArray out = g.forward(step, feeds, false, List.of()).values().iterator().next();
                weights = data.randomNormal(out.getShape()).toType(ai.djl.ndarray.types.DataType.FLOAT64, false);
            }
            try (NDManager step = data.newSubManager()) {
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    gc.backward(loss(g, step, feeds, weights));
                }
                for (Map.Entry<String, NDArray> p : g.parameters().entrySet()) {
                    NDArray grad = p.getValue().getGradient();
                    grad.attach(step);
                    double[] analytic = grad.toDoubleArray();
                    NDArray flat = p.getValue().reshape(-1);
                    flat.attach(step);
                    for (int k = 0; k < 4; k++) {
                        int i = r.nextInt(analytic.length);
                        double fd = difference(g, data, feeds, weights, flat, i, 1e-6);
                        double tol = 1e-4 * Math.max(Math.abs(analytic[i]), Math.abs(fd)) + 1e-6;
                        assertTrue(Math.abs(fd - analytic[i]) <= tol, name + " " + p.getKey() + "[" + i
                                + "]: backward " + analytic[i] + ", finite difference " + fd);
                    }
                }
            }
        }
    }

    private static NDArray loss(TrainableGraph g, NDManager step, Map<String, NDArray> feeds, NDArray weights) {
        NDArray out = g.forward(step, feeds, false, List.of()).values().iterator().next();
        return out.mul(weights).sum();
    }

    private static double difference(TrainableGraph g, NDManager data, Map<String, NDArray> feeds, NDArray weights,
            NDArray flat, int i, double h) {
        double x = flat.getDouble(i);
        double[] f = new double[2];
        for (int s = 0; s < 2; s++) {
            flat.set(new NDIndex(i), x + (s == 0 ? h : -h));
            try (NDManager step = data.newSubManager()) {
                f[s] = loss(g, step, feeds, weights).getDouble();
            }
        }
        flat.set(new NDIndex(i), x);
        return (f[0] - f[1]) / (2 * h);
    }
}

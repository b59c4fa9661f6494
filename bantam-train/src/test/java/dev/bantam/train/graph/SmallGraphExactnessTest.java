package dev.bantam.train.graph;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.bantam.compress.testing.Graphs;
import dev.bantam.onnx.io.ModelIO;
import dev.bantam.onnx.ir.Attribute;
import dev.bantam.onnx.ir.DataType;
import dev.bantam.onnx.ir.Dim;
import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.OpsetId;
import dev.bantam.onnx.ir.Shape;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ir.Value;
import dev.bantam.onnx.ir.ValueType;
import dev.bantam.onnx.testing.Ort;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Small graphs built in code, the operators the engine has no direct kernel for among them (ConvTranspose with
 * stride, padding and groups; PRelu; Pad in three modes; Tile), run translated and in ONNX Runtime: the same
 * outputs within 1e-5 of the output's largest magnitude.
 */
class SmallGraphExactnessTest {

    @TempDir
    static Path dir;

    static Stream<Arguments> graphs() {
        Map<String, Supplier<Model>> m = new LinkedHashMap<>();
        m.put("conv-transpose", Graphs::convTranspose);
        m.put("conv-transpose-strided-grouped", () -> single("ConvTranspose", new long[] {2, 4, 5, 5},
                List.of(new long[] {4, 3, 3, 3}, new long[] {6}), Attribute.ofInts("strides", 2, 2),
                Attribute.ofInts("pads", 1, 0, 0, 1), Attribute.ofInts("output_padding", 1, 0),
                Attribute.ofInt("group", 2)));
        m.put("prelu", () -> single("PRelu", new long[] {2, 3, 4, 4}, List.of(new long[] {3, 1, 1})));
        m.put("pad-constant", () -> pad("constant", 1, 2, 0, 1));
        m.put("pad-reflect", () -> pad("reflect", 2, 1, 1, 2));
        m.put("pad-edge", () -> pad("edge", 0, 3, 2, 1));
        m.put("tile", () -> {
            Model t = single("Tile", new long[] {2, 3, 4}, List.of());
            Graph g = t.graph();
            Node n = g.nodes().get(0);
            n.appendInput(g.addInitializer(Tensor.ofLongs("reps", new long[] {1, 2, 3}, 3)));
            return t;
        });
        m.put("se-block", Graphs::seBlock);
        m.put("strided-asymmetric-dilated", Graphs::stridedConvsAndGemm);
        m.put("depthwise-bn", Graphs::depthwiseBlock);
        m.put("layer-norms", Graphs::twoLayerNormsSharingGammaBeta);
        return m.entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    private static Model pad(String mode, long... p) {
        Model t = single("Pad", new long[] {2, 3, 5, 6}, List.of(), Attribute.ofString("mode", mode));
        Graph g = t.graph();
        g.nodes().get(0).appendInput(g.addInitializer(Tensor.ofLongs("pads", new long[] {0, 0, p[0], p[1], 0, 0,
            p[2], p[3]}, 8)));
        return t;
    }

    /** One node on input x, with seeded weights of the given shapes as its further inputs. */
    private static Model single(String op, long[] in, List<long[]> weights, Attribute... attrs) {
        Graph g = new Graph("g");
        Value x = new Value("x", ValueType.tensor(DataType.FLOAT, Shape.of(in)));
        g.addInput(x);
        Random r = new Random(5);
        List<Value> inputs = new java.util.ArrayList<>(List.of(x));
        int k = 0;
        for (long[] d : weights) {
            int n = (int) java.util.Arrays.stream(d).reduce(1, (a, b) -> a * b);
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                v[i] = (float) r.nextGaussian() * 0.3f;
            }
            inputs.add(g.addInitializer(Tensor.ofFloats("w" + k++, v, d)));
        }
        Node node = g.append(Node.of(op, inputs, List.of("y"), attrs));
        g.addOutput(node.output(0));
        Model m = new Model(g);
        m.setIrVersion(8L);
        m.opsetImports().add(new OpsetId("", 13));
        return m;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("graphs")
    void sameAsOnnxRuntime(String name, Supplier<Model> build) throws Exception {
        Model model = build.get();
        Path file = dir.resolve(name + ".onnx");
        ModelIO.save(model, file);
        Map<String, Tensor> inputs = new HashMap<>();
        Random r = new Random(11);
        for (Value in : model.graph().inputs()) {
            if (in.initializer() != null) {
                continue;
            }
            long[] dims = ((ValueType.TensorType) in.type()).shape().dims().stream()
                    .mapToLong(d -> d instanceof Dim.Fixed f ? f.value() : 2).toArray();
            float[] v = new float[(int) java.util.Arrays.stream(dims).reduce(1, (a, b) -> a * b)];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) r.nextGaussian();
            }
            inputs.put(in.name(), Tensor.ofFloats(in.name(), v, dims));
        }
        Map<String, Ort.Output> expected = Ort.run(file, inputs);
        try (TrainableGraph g = TrainableGraph.of(ModelIO.load(file), n -> true);
             NDManager step = NDManager.newBaseManager()) {
            Map<String, NDArray> feeds = new HashMap<>();
            inputs.forEach((k, t) -> feeds.put(k, Constants.of(step, t)));
            Map<String, NDArray> out = g.forward(step, feeds, false, List.of());
            for (Map.Entry<String, Ort.Output> e : expected.entrySet()) {
                float[] want = new float[e.getValue().bytes().length / 4];
                ByteBuffer.wrap(e.getValue().bytes()).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(want);
                NDArray got = out.get(e.getKey());
                assertTrue(java.util.Arrays.equals(e.getValue().shape(), got.getShape().getShape()), name + " shape "
                        + got.getShape() + " vs " + java.util.Arrays.toString(e.getValue().shape()));
                float[] g2 = got.toFloatArray();
                double scale = 0;
                double worst = 0;
                for (int i = 0; i < want.length; i++) {
                    scale = Math.max(scale, Math.abs(want[i]));
                    worst = Math.max(worst, Math.abs(want[i] - g2[i]));
                }
                assertTrue(worst <= 1e-5 * scale, name + ": max difference " + worst + " of " + scale);
            }
        }
    }
}

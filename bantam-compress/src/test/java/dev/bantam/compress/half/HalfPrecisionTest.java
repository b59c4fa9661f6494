package dev.bantam.compress.half;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtSession;
import dev.bantam.compress.CompressionContext;
import dev.bantam.compress.testing.Runs;
import dev.bantam.onnx.check.ModelChecker;
import dev.bantam.onnx.io.ModelIO;
import dev.bantam.onnx.ir.Attribute;
import dev.bantam.onnx.ir.DataType;
import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.OpsetId;
import dev.bantam.onnx.ir.Shape;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ir.Value;
import dev.bantam.onnx.ir.ValueType;
import dev.bantam.onnx.ir.serde.OnnxSerde;
import dev.bantam.onnx.testing.Ort;
import dev.bantam.onnx.testing.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The conversion on graphs built here and on the Fashion-MNIST models, without data: where Casts go (only at the
 * borders of half regions, one per value, none reading a Cast), what the graph's inputs and outputs become, which
 * constants stay float32 and why, that ONNX Runtime loads every result and computes what the float model computes,
 * and folds the weights' Casts at load.
 */
class HalfPrecisionTest {

    @TempDir
    Path dir;

    private static final HalfPrecisionConfig HALF_ANY = HalfPrecisionConfig.defaults().withCompute(Compute.HALF)
            .withTarget(Target.ANY);

    @Test
    void aHalfRegionIsCastOnlyAtTheGraphsFloatInputAndOutput() {
        Model m = convStack();
        float[] expected = Runs.run(m, feeds(m));
        HalfPrecisionReport r = convert(m, HALF_ANY);
        List<Node> casts = nodes(m, "Cast");
        assertEquals(2, casts.size(), "one Cast in, one out: " + Runs.counts(m));
        assertEquals(2, r.runtimeCasts());
        assertEquals(0, r.loadCasts());
        assertEquals(DataType.FLOAT, elementType(m.graph().inputs().getFirst()));
        assertEquals(DataType.FLOAT, elementType(m.graph().outputs().getFirst()));
        assertEquals("y", m.graph().outputs().getFirst().name(), "the output keeps its name");
        for (Node c : casts) {
            assertFalse(c.input(0).producer() != null && c.input(0).producer().isStandard("Cast"), "no Cast reads a Cast");
        }
        assertTrue(m.graph().initializers().stream().allMatch(v -> v.initializer().dataType() == DataType.FLOAT16));
        assertEquals(r.nodes().size(), r.halfNodes(), "every operator computes in fp16: " + r.nodes());
        assertEquals(List.of(), ModelChecker.check(m).errors());
        assertTrue(Runs.cosine(expected, Runs.run(m, feeds(m))) > 0.9999, "ONNX Runtime runs it close to float");
    }

    @Test
    void withoutKeepIoTypesTheInterfaceIsHalfAndNoCastIsPlaced() throws Exception {
        Model m = convStack();
        float[] expected = Runs.run(m, feeds(m));
        convert(m, HALF_ANY.withKeepIoTypes(false));
        assertEquals(List.of(), nodes(m, "Cast"));
        assertEquals(DataType.FLOAT16, elementType(m.graph().inputs().getFirst()));
        assertEquals(DataType.FLOAT16, elementType(m.graph().outputs().getFirst()));
        Tensor x = feeds(convStack()).get("x");
        float[] v = x.toFloatArray();
        java.lang.foreign.MemorySegment h = java.lang.foreign.Arena.ofAuto().allocate(2L * v.length);
        for (int i = 0; i < v.length; i++) {
            h.setAtIndex(Tensor.SHORT_LE, i, Float.floatToFloat16(v[i]));
        }
        Ort.Output out;
        try (OrtSession.SessionOptions o = Ort.options(); OrtSession s = Ort.env().createSession(OnnxSerde.toBytes(m), o)) {
            out = Ort.run(s, Map.of("x", Tensor.ofBytes("x", DataType.FLOAT16, x.dims(), h))).get("y");
        }
        assertEquals(DataType.FLOAT16, out.type());
        float[] actual = Tensor.ofBytes("y", DataType.FLOAT16, out.shape(), java.lang.foreign.MemorySegment.ofArray(out.bytes()))
                .toFloatArray();
        assertTrue(Runs.cosine(expected, actual) > 0.9999);
    }

    @Test
    void constantsBeyondTheRangeOrFlushedToZeroKeepTheirOperatorsInFloat() {
        Graph g = new Graph("g");
        Value x = input(g, "x", 2, 8);
        Value big = g.addInitializer(Tensor.ofFloats("big", new float[] {1e6f}));
        Value eps = g.addInitializer(Tensor.ofFloats("eps", new float[] {1e-12f}));
        Value h = op(g, "Relu", List.of(op(g, "MatMul", List.of(x, weight(g, "w1", 8, 8)))));
        Value scaled = op(g, "Mul", List.of(h, big));
        Value shifted = op(g, "Add", List.of(scaled, eps));
        Value y = op(g, "Relu", List.of(op(g, "MatMul", List.of(op(g, "Tanh", List.of(shifted)), weight(g, "w2", 8, 8)))));
        Model m = model(g, 13, y);
        HalfPrecisionReport r = convert(m, HALF_ANY);
        assertTrue(reason(r, "Mul").contains("'big' holds 1.000e+06, beyond fp16's largest value"), reason(r, "Mul"));
        assertTrue(reason(r, "Add").contains("'eps' would keep only 0.0 dB in fp16 (1 non-zero elements flush to zero"),
                reason(r, "Add"));
        assertFalse(half(r, "Mul") || half(r, "Add"));
        assertTrue(half(r, "Tanh") && half(r, "MatMul"), r.nodes().toString());
        assertEquals(DataType.FLOAT, m.graph().initializer("big").initializer().dataType(), "kept float32");
        assertEquals(List.of(), ModelChecker.check(m).errors());
        assertTrue(Runs.run(m, feedsOf(m)).length > 0, "loads and runs");
    }

    @Test
    void withoutDataSensitiveOperatorsStayFloatAndSmallRegionsAreNotWorthTheirCasts() {
        Graph g = new Graph("g");
        Value x = input(g, "x", 2, 32);
        Value e = op(g, "Exp", List.of(op(g, "MatMul", List.of(x, weight(g, "w1", 32, 32)))));
        Value y = op(g, "MatMul", List.of(e, weight(g, "w2", 32, 32)));
        Model m = model(g, 13, y);
        HalfPrecisionReport r = convert(m, HALF_ANY);
        assertTrue(reason(r, "Exp").contains("numerically sensitive and nothing was measured"), reason(r, "Exp"));
        assertFalse(r.nodes().stream().anyMatch(HalfNode::half), "a lone MatMul between two Casts is not worth them");
        assertTrue(r.nodes().stream().filter(n -> n.opType().equals("MatMul"))
                .allMatch(n -> n.reason().contains("would need 2 Casts at its borders")), r.nodes().toString());
        assertEquals(0, r.runtimeCasts());
        assertEquals(2, r.loadCasts(), "the weights are still stored in fp16");
    }

    @Test
    void aCastFromIntegersBecomesACastToHalfAndConstantNodesAndConstantOfShapeConvert() {
        Graph g = new Graph("g");
        Value x = input(g, "x", 2, 8);
        Value ids = new Value("mask", ValueType.tensor(DataType.INT64, Shape.of(2, 8)));
        g.addInput(ids);
        Value mask = op(g, "Cast", List.of(ids), Attribute.ofInt("to", DataType.FLOAT.code()));
        Node c = g.append(Node.of("Constant", List.of(), List.of("w"), Attribute.ofTensor("value",
                weight(new Graph("t"), "", 8, 8).initializer())));
        Value shape = g.addInitializer(Tensor.ofLongs("shape", new long[] {2, 8}, 2));
        Value zeros = op(g, "ConstantOfShape", List.of(shape), Attribute.ofTensor("value",
                Tensor.ofFloats("", new float[] {0.5f}, 1)));
        Value h = op(g, "Add", List.of(op(g, "Add", List.of(op(g, "MatMul", List.of(x, c.output(0))), mask)), zeros));
        Value y = op(g, "Tanh", List.of(op(g, "Relu", List.of(h))));
        Model m = model(g, 13, y);
        float[] expected = Runs.run(m, feedsOf(m));
        HalfPrecisionReport r = convert(m, HALF_ANY);
        Node cast = nodes(m, "Cast").stream().filter(n -> n.input(0).name().equals("mask")).findFirst().orElseThrow();
        assertEquals(DataType.FLOAT16.code(), cast.intAttribute("to", 0), "the mask's Cast casts to fp16 itself");
        assertEquals(3, nodes(m, "Cast").size(), "that Cast, the float input x's and the output's: " + Runs.counts(m));
        assertEquals(2, r.runtimeCasts(), "two placed, none for the mask");
        Node constant = nodes(m, "Constant").getFirst();
        assertEquals(DataType.FLOAT16, constant.output(0).constantValue().orElseThrow().dataType());
        Node cos = nodes(m, "ConstantOfShape").getFirst();
        assertEquals(DataType.FLOAT16, ((dev.bantam.onnx.ir.AttributeValue.TensorValue) cos.attribute("value").orElseThrow()
                .value()).value().dataType());
        assertEquals(r.nodes().size(), r.halfNodes(), r.nodes().toString());
        assertTrue(Runs.cosine(expected, Runs.run(m, feedsOf(m))) > 0.9999);
    }

    @Test
    void bf16ComputesInFloatWhereOnnxRuntimeHasNoKernelAndStillHalvesTheWeights() throws Exception {
        Model m = ModelIO.load(TestData.repoModel("fmnist/cnn.onnx"));
        float[] expected = Runs.run(m, feedsOf(m));
        HalfPrecisionReport r = convert(m, HalfPrecisionConfig.defaults().withType(HalfType.BF16).withCompute(Compute.HALF));
        for (HalfNode n : r.nodes()) {
            assertFalse(n.half(), n.toString());
            assertTrue(n.reason().contains("no bf16 " + n.opType() + " kernel of its own")
                    || n.reason().contains(n.opType() + " takes bf16 from ai.onnx opset")
                    || n.reason().contains("float32 operators"), n.toString());
        }
        assertTrue(reason(r, "Relu").contains("no bf16 Relu kernel of its own (it refuses such a model)"), reason(r, "Relu"));
        assertTrue(r.tensors().stream().filter(HalfTensor::converted).count() >= 3);
        assertTrue(r.bytesAfter() < 0.51 * r.bytesBefore(), r.bytesAfter() + " of " + r.bytesBefore());
        assertTrue(Runs.cosine(expected, Runs.run(m, feedsOf(m))) > 0.9999, "ONNX Runtime loads and runs it");
    }

    @Test
    void bf16RaisesAnOlderOpsetToTheFirstWhoseCastTakesIt() {
        Model m = convStack(11);
        float[] expected = Runs.run(m, feeds(m));
        HalfPrecisionReport r = convert(m, HalfPrecisionConfig.defaults().withType(HalfType.BF16));
        assertEquals(13, m.opsetVersion("").orElseThrow());
        assertTrue(r.notes().contains("ai.onnx opset raised from 11 to 13 (Cast takes bfloat16 from 13)"), r.notes().toString());
        assertEquals(DataType.BFLOAT16, m.graph().initializer("c2").initializer().dataType());
        assertTrue(Runs.cosine(expected, Runs.run(m, feeds(m))) > 0.9999, "ONNX Runtime loads and runs it");
    }

    @Test
    void storedWeightsAreWidenedByCastsOnnxRuntimeFoldsAtLoad() throws Exception {
        Path input = TestData.repoModel("fmnist/resnet.onnx");
        Map<String, Integer> plain = Runs.counts(ModelIO.load(optimizedByOrt(input, "plain")));
        for (HalfType t : HalfType.values()) {
            Model m = ModelIO.load(input);
            HalfPrecisionReport r = convert(m, HalfPrecisionConfig.defaults().withType(t));
            assertEquals(0, r.runtimeCasts());
            assertEquals(r.tensors().stream().filter(HalfTensor::converted).count(), r.loadCasts());
            Path out = dir.resolve(t + ".onnx");
            ModelIO.save(m, out);
            assertTrue(Files.size(out) <= 0.52 * Files.size(input), t + ": " + Files.size(out));
            assertEquals(plain, Runs.counts(ModelIO.load(optimizedByOrt(out, t.label()))),
                    t + ": the Casts are folded away, ONNX Runtime runs the original graph");
        }
    }

    @Test
    void theSameInputGivesTheSameBytesAndSubgraphsAreRefused() {
        byte[] a = OnnxSerde.toBytes(converted(convStack()));
        byte[] b = OnnxSerde.toBytes(converted(convStack()));
        assertArrayEquals(a, b);
        Graph g = new Graph("g");
        Value cond = new Value("c", ValueType.tensor(DataType.BOOL, Shape.of()));
        g.addInput(cond);
        Graph branch = new Graph("b");
        Node iff = g.append(Node.of("If", List.of(cond), List.of("y"), Attribute.of("then_branch",
                new dev.bantam.onnx.ir.AttributeValue.GraphValue(branch)), Attribute.of("else_branch",
                new dev.bantam.onnx.ir.AttributeValue.GraphValue(new Graph("e")))));
        Model m = model(g, 13, iff.output(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> convert(m, HALF_ANY));
        assertTrue(e.getMessage().contains("holds a subgraph; models with If, Loop or Scan are not converted"),
                e.getMessage());
    }

    @Test
    void theConfigRefusesWhatCannotWork() {
        HalfPrecisionConfig d = HalfPrecisionConfig.defaults();
        assertThrows(IllegalArgumentException.class, () -> d.withDataAware(true));
        assertThrows(IllegalArgumentException.class, () -> d.withMinFidelity(1.5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new HalfPrecision().apply(convStack(), d.withMinFidelity(0.99), CompressionContext.withoutData()));
        assertTrue(e.getMessage().contains("minFidelity needs evaluation data"), e.getMessage());
    }

    private Model converted(Model m) {
        convert(m, HALF_ANY);
        return m;
    }

    static HalfPrecisionReport convert(Model m, HalfPrecisionConfig c) {
        return new HalfPrecision().apply(m, c, CompressionContext.withoutData());
    }

    private Path optimizedByOrt(Path model, String name) throws Exception {
        Path optimized = dir.resolve(name + "-ort.onnx");
        try (OrtSession.SessionOptions o = Ort.options()) {
            o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.BASIC_OPT);
            o.setOptimizedModelFilePath(optimized.toString());
            Ort.env().createSession(model.toString(), o).close();
        }
        return optimized;
    }

    /** Conv → Relu → Conv → Relu → GlobalAveragePool → Flatten → Gemm, opset 13. */
    static Model convStack() {
        return convStack(13);
    }

    static Model convStack(long opset) {
        Graph g = new Graph("g");
        Value x = input(g, "x", 2, 3, 8, 8);
        Value a = op(g, "Relu", List.of(op(g, "Conv", List.of(x, weight(g, "c1", 16, 3, 3, 3), weight(g, "b1", 16)),
                Attribute.ofInts("pads", 1, 1, 1, 1))));
        Value b = op(g, "Relu", List.of(op(g, "Conv", List.of(a, weight(g, "c2", 16, 16, 3, 3), weight(g, "b2", 16)))));
        Value f = op(g, "Flatten", List.of(op(g, "GlobalAveragePool", List.of(b))));
        Value y = op(g, "Gemm", List.of(f, weight(g, "fc", 10, 16), weight(g, "fcb", 10)), Attribute.ofInt("transB", 1));
        y.setName("y");
        return model(g, opset, y);
    }

    static Value input(Graph g, String name, long... dims) {
        Value v = new Value(name, ValueType.tensor(DataType.FLOAT, Shape.of(dims)));
        g.addInput(v);
        return v;
    }

    static Value weight(Graph g, String name, long... dims) {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        Random random = new Random(name.hashCode());
        float[] w = new float[(int) n];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (random.nextGaussian() * 0.3);
        }
        return g.addInitializer(Tensor.ofFloats(name, w, dims));
    }

    static Value op(Graph g, String type, List<Value> inputs, Attribute... attrs) {
        return g.append(Node.of(type, inputs, List.of(g.uniqueName(type.toLowerCase())), attrs)).output(0);
    }

    static Model model(Graph g, long opset, Value... outputs) {
        for (Value o : outputs) {
            g.addOutput(o);
        }
        Model m = new Model(g);
        m.setIrVersion(8L);
        m.opsetImports().add(new OpsetId("", opset));
        return m;
    }

    private static Map<String, Tensor> feeds(Model m) {
        return Runs.feeds(m, 3, 2);
    }

    /** Feeds for every input: random floats, or zeros and ones for integer inputs. */
    static Map<String, Tensor> feedsOf(Model m) {
        Map<String, Tensor> f = new java.util.LinkedHashMap<>();
        Random r = new Random(5);
        for (Value in : m.graph().inputs()) {
            long[] dims = ((ValueType.TensorType) in.type()).shape().dims().stream()
                    .mapToLong(d -> d instanceof dev.bantam.onnx.ir.Dim.Fixed x ? x.value() : 2).toArray();
            int count = (int) java.util.Arrays.stream(dims).reduce(1, (a, b) -> a * b);
            if (elementType(in) == DataType.INT64) {
                long[] v = new long[count];
                for (int i = 0; i < count; i++) {
                    v[i] = r.nextInt(2);
                }
                f.put(in.name(), Tensor.ofLongs(in.name(), v, dims));
            } else {
                float[] v = new float[count];
                for (int i = 0; i < count; i++) {
                    v[i] = r.nextFloat() * 2 - 1;
                }
                f.put(in.name(), Tensor.ofFloats(in.name(), v, dims));
            }
        }
        return f;
    }

    static DataType elementType(Value v) {
        return ((ValueType.TensorType) v.type()).elementType();
    }

    private static List<Node> nodes(Model m, String op) {
        return m.graph().nodes().stream().filter(n -> n.isStandard(op)).toList();
    }

    private static String reason(HalfPrecisionReport r, String op) {
        return r.nodes().stream().filter(n -> n.opType().equals(op)).findFirst().orElseThrow().reason();
    }

    private static boolean half(HalfPrecisionReport r, String op) {
        return r.nodes().stream().filter(n -> n.opType().equals(op)).allMatch(HalfNode::half);
    }
}

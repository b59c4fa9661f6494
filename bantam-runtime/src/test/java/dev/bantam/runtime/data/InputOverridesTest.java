package dev.bantam.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bantam.onnx.ProgressListener;
import dev.bantam.onnx.io.ModelIO;
import dev.bantam.onnx.ir.DataType;
import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.OpsetId;
import dev.bantam.onnx.ir.Shape;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ir.Value;
import dev.bantam.onnx.ir.ValueType;
import dev.bantam.runtime.DataException;
import dev.bantam.runtime.InputInfo;
import dev.bantam.runtime.RuntimeOptions;
import dev.bantam.runtime.eval.EvalConfig;
import dev.bantam.runtime.eval.EvalResult;
import dev.bantam.runtime.eval.Evaluator;
import dev.bantam.runtime.eval.Task;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11: inputs that no data kind describes, as a voice-activity model has them: a scalar sample rate and a
 * recurrent state [2, batch, 8] whose first axis is not the items'.
 */
class InputOverridesTest {

    private static final List<InputInfo> INPUTS = List.of(new InputInfo("x", DataType.FLOAT, new long[] {-1, 4}),
            new InputInfo("sr", DataType.INT64, new long[0]), new InputInfo("state", DataType.FLOAT, new long[] {2, -1, 8}));

    @TempDir
    Path dir;

    @Test
    void constantsAndZerosAreFedBesideSyntheticInputs() {
        DataSource s = DataSpec.open("synthetic:6,input.sr=16000,input.state=zeros:2x1x8", model(), INPUTS);
        Batch b = s.batch(0, 3);
        assertArrayEquals(new long[] {3, 4}, b.feeds().get("x").dims());
        assertArrayEquals(new long[0], b.feeds().get("sr").dims());
        assertArrayEquals(new long[] {16000}, b.feeds().get("sr").toLongArray());
        assertArrayEquals(new long[] {2, 3, 8}, b.feeds().get("state").dims(), "size 1 on the dynamic axis follows the batch");
        assertArrayEquals(new float[48], b.feeds().get("state").toFloatArray());
        assertTrue(s.describe().contains("sr=16000"), s.describe());
    }

    @Test
    void zerosFollowTheBatchOnlyOnTheOneDynamicAxisGivenAsOne() {
        long[] declared = {2, -1, 8};
        assertArrayEquals(new long[] {2, 5, 8}, InputOverrides.batched(new long[] {2, 1, 8}, declared, 5));
        assertArrayEquals(new long[] {2, 4, 8}, InputOverrides.batched(new long[] {2, 4, 8}, declared, 5), "given 4: kept");
        assertArrayEquals(new long[] {1, 1, 8}, InputOverrides.batched(new long[] {1, 1, 8}, new long[] {-1, -1, 8}, 5),
                "two dynamic axes: which is the batch is not known, kept as given");
        assertArrayEquals(new long[] {2, 1, 8}, InputOverrides.batched(new long[] {2, 1, 8}, new long[] {2, 1, 8}, 5));
    }

    @Test
    void syntheticItemsAlongAnotherAxis() {
        Batch b = DataSpec.open("synthetic:6,input.sr=8000,input.state=axis:1", model(), INPUTS).batch(0, 3);
        assertArrayEquals(new long[] {2, 3, 8}, b.feeds().get("state").dims());
    }

    @Test
    void npzArraysSlicedAlongTheirItemAxis() throws Exception {
        float[] state = new float[2 * 5 * 8];
        for (int i = 0; i < state.length; i++) {
            state[i] = i;
        }
        Path npz = npz(dir.resolve("d.npz"), "x", "(5, 4)", new float[20], "state", "(2, 5, 8)", state);
        Batch b = DataSpec.open("npy:" + npz + ",input.sr=16000,input.state=axis:1", model(), INPUTS).batch(1, 2);
        Tensor s = b.feeds().get("state");
        assertArrayEquals(new long[] {2, 2, 8}, s.dims());
        float[] got = s.toFloatArray();
        assertEquals(8, got[0], "state[0, 1, 0]");
        assertEquals(40 + 8, got[16], "state[1, 1, 0]");
        assertEquals(40 + 23, got[31], "state[1, 2, 7]");
        assertArrayEquals(new long[] {16000}, b.feeds().get("sr").toLongArray());
    }

    @Test
    void badOverridesAreOneLineNamingTheKey() throws Exception {
        String[][] cases = {
                {"synthetic:2,input.nope=1", "input.nope=1 names no input of the model (x, sr, state)"},
                {"synthetic:2,input.sr=1.5", "input.sr=1.5 is not a whole number, and input 'sr' is int64[]"},
                {"synthetic:2,input.sr=loud", "input.sr=loud is not a number, zeros:AxBxC or axis:K"},
                {"synthetic:2,input.sr=1,input.state=zeros:2x1", "input.state=zeros:2x1 has rank 2, input 'state' is float[2,?,8]"},
                {"synthetic:2,input.sr=1,input.state=zeros:3x1x8", "does not fit input 'state', which is float[2,?,8]"},
                {"synthetic:2,input.sr=1,input.x=axis:5", "input.x=axis:5 is out of range: input 'x' has rank 2"},
                {"synthetic:2", "input 'sr': synthetic data needs a tensor type with a known rank and an item axis"},
        };
        for (String[] c : cases) {
            DataException e = assertThrows(DataException.class, () -> DataSpec.open(c[0], model(), INPUTS), c[0]);
            assertEquals(1, e.getMessage().lines().count(), e.getMessage());
            assertTrue(e.getMessage().contains(c[1]), "'" + e.getMessage() + "' should say '" + c[1] + "'");
        }
        Path npz = npz(dir.resolve("both.npz"), "x", "(5, 4)", new float[20], "sr", "(1,)", new float[1]);
        DataException e = assertThrows(DataException.class, () -> DataSpec.open("npy:" + npz + ",input.sr=1,"
                + "input.state=zeros:2x1x8", model(), INPUTS));
        assertTrue(e.getMessage().contains("input 'sr' is both in both.npz and given by input.sr"), e.getMessage());
    }

    /** The whole way through ONNX Runtime: a model that reads all three inputs evaluates against itself. */
    @Test
    void aStatefulModelEvaluatesWithOverrides() throws Exception {
        Path p = dir.resolve("m.onnx");
        ModelIO.save(model(), p);
        EvalResult r = Evaluator.run(new EvalConfig(p, p, "synthetic:4,input.sr=16000,input.state=zeros:2x1x8",
                Task.RAW, 1, RuntimeOptions.threads(1), 0.7), ProgressListener.NONE);
        assertEquals(4, r.items());
        assertEquals(1.0, r.models().getLast().fidelity().getFirst().meanCosine(), 1e-9);
    }

    /** y = x · sr (as float) + sum(state): reads every input. */
    private static Model model() {
        Graph g = new Graph("stateful");
        Value x = new Value("x", ValueType.tensor(DataType.FLOAT, Shape.of(-1, 4)));
        Value sr = new Value("sr", ValueType.tensor(DataType.INT64, Shape.of()));
        Value state = new Value("state", ValueType.tensor(DataType.FLOAT, Shape.of(2, -1, 8)));
        g.addInput(x);
        g.addInput(sr);
        g.addInput(state);
        Value rate = g.append(Node.of("Cast", List.of(sr), List.of("rate"),
                dev.bantam.onnx.ir.Attribute.ofInt("to", 1))).output(0);
        Value scaled = g.append(Node.of("Mul", List.of(x, rate), List.of("scaled"))).output(0);
        Value total = g.append(Node.of("ReduceSum", List.of(state), List.of("total"),
                dev.bantam.onnx.ir.Attribute.ofInt("keepdims", 0))).output(0);
        g.addOutput(g.append(Node.of("Add", List.of(scaled, total), List.of("y"))).output(0));
        Model m = new Model(g);
        m.setIrVersion(8L);
        m.opsetImports().add(new OpsetId("", 17));
        return m;
    }

    private static Path npz(Path p, String n1, String s1, float[] v1, String n2, String s2, float[] v2) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            for (Object[] a : new Object[][] {{n1, s1, v1}, {n2, s2, v2}}) {
                float[] v = (float[]) a[2];
                ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                for (float f : v) {
                    b.putFloat(f);
                }
                z.putNextEntry(new ZipEntry(a[0] + ".npy"));
                z.write(BadDataTest.npy("<f4", (String) a[1], b.array()));
                z.closeEntry();
            }
        }
        return Files.write(p, bytes.toByteArray());
    }
}

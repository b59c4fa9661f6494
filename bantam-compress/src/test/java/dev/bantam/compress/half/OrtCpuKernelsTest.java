package dev.bantam.compress.half;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
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
import dev.bantam.onnx.testing.Ort;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Measures again what {@link OrtCpuKernels} says of ONNX Runtime's CPU provider: a one-node model per operator in
 * each half type, loaded, and the graph ONNX Runtime made of it read back. A kernel of its own leaves no Cast; FP16
 * without one gets Casts inserted; BF16 without one is refused. Fails when an ONNX Runtime upgrade changes it.
 */
class OrtCpuKernelsTest {

    @TempDir
    Path dir;

    /** An operator with the inputs it needs: float inputs of these shapes, then int64 constants. */
    private record Probe(String op, long[][] floats, long[][] ints, Attribute... attributes) {
    }

    private static final long[] V = {2, 3};

    private static List<Probe> probes() {
        List<Probe> p = new ArrayList<>();
        for (String op : List.of("Relu", "Sigmoid", "Tanh", "Exp", "Sqrt", "Erf", "Softmax", "Identity", "Flatten",
                "Sign", "Round", "IsNaN", "Clip")) {
            p.add(new Probe(op, new long[][] {V}, new long[0][]));
        }
        for (String op : List.of("Add", "Mul", "Sub", "Div", "Max", "Min", "Concat")) {
            p.add(new Probe(op, new long[][] {V, V}, new long[0][], op.equals("Concat") ? new Attribute[] {
                Attribute.ofInt("axis", 0)} : new Attribute[0]));
        }
        p.add(new Probe("MatMul", new long[][] {V, {3, 4}}, new long[0][]));
        p.add(new Probe("Gemm", new long[][] {V, {3, 4}}, new long[0][]));
        p.add(new Probe("Conv", new long[][] {{1, 2, 5, 5}, {3, 2, 3, 3}}, new long[0][]));
        p.add(new Probe("GlobalAveragePool", new long[][] {{1, 2, 4, 4}}, new long[0][]));
        p.add(new Probe("LayerNormalization", new long[][] {V, {3}, {3}}, new long[0][]));
        p.add(new Probe("Transpose", new long[][] {V}, new long[0][]));
        p.add(new Probe("Reshape", new long[][] {V}, new long[][] {{3, 2}}));
        p.add(new Probe("Unsqueeze", new long[][] {V}, new long[][] {{0}}));
        p.add(new Probe("Squeeze", new long[][] {{1, 3}}, new long[][] {{0}}));
        p.add(new Probe("Gather", new long[][] {{4, 3}}, new long[][] {{1, 2}}));
        p.add(new Probe("Slice", new long[][] {{4, 3}}, new long[][] {{0}, {2}, {0}}));
        p.add(new Probe("Expand", new long[][] {{1, 3}}, new long[][] {{2, 3}}));
        return p;
    }

    @Test
    void theTableIsWhatOnnxRuntimeDoes() throws Exception {
        List<String> differences = new ArrayList<>();
        for (long opset : new long[] {13, 17}) {
            for (HalfType t : HalfType.values()) {
                for (Probe p : probes()) {
                    OrtCpuKernels.Support measured = measure(p, t, opset);
                    OrtCpuKernels.Support table = OrtCpuKernels.support(p.op(), t, opset);
                    if (measured != table) {
                        differences.add(p.op() + " " + t + " opset " + opset + ": measured " + measured + ", table " + table);
                    }
                }
            }
        }
        assertEquals(List.of(), differences);
    }

    private OrtCpuKernels.Support measure(Probe p, HalfType t, long opset) throws Exception {
        Graph g = new Graph("g");
        List<Value> inputs = new ArrayList<>();
        for (int i = 0; i < p.floats().length; i++) {
            Value v = new Value("x" + i, ValueType.tensor(t.dataType(), Shape.of(p.floats()[i])));
            g.addInput(v);
            inputs.add(v);
        }
        for (int i = 0; i < p.ints().length; i++) {
            inputs.add(g.addInitializer(Tensor.ofLongs("i" + i, p.ints()[i], p.ints()[i].length)));
        }
        Node n = g.append(Node.of(p.op(), inputs, List.of("y"), p.attributes()));
        g.addOutput(n.output(0));
        Model m = new Model(g);
        m.setIrVersion(8L);
        m.opsetImports().add(new OpsetId("", opset));
        Path in = dir.resolve(p.op() + t + opset + ".onnx");
        Path out = dir.resolve(p.op() + t + opset + "-ort.onnx");
        ModelIO.save(m, in);
        try (OrtSession.SessionOptions o = Ort.options()) {
            o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.BASIC_OPT);
            o.setOptimizedModelFilePath(out.toString());
            Ort.env().createSession(in.toString(), o).close();
        } catch (OrtException e) {
            return OrtCpuKernels.Support.NONE;
        }
        boolean casts = ModelIO.load(out).graph().nodes().stream().anyMatch(x -> x.isStandard("Cast"));
        return casts ? OrtCpuKernels.Support.CASTS : OrtCpuKernels.Support.NATIVE;
    }
}

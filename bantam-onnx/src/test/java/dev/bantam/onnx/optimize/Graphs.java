package dev.bantam.onnx.optimize;

import dev.bantam.onnx.io.ModelIO;
import dev.bantam.onnx.ir.DataType;
import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.OpsetId;
import dev.bantam.onnx.ir.Shape;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ir.Value;
import dev.bantam.onnx.ir.ValueType;
import dev.bantam.onnx.testing.Ort;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

/** Small graphs built in code for pass tests, and a check that a pass kept their outputs. */
final class Graphs {

    private Graphs() {
    }

    static Model model(Graph g, long opset) {
        Model m = new Model(g);
        m.setIrVersion(8L);
        m.opsetImports().add(new OpsetId("", opset));
        return m;
    }

    static Value input(Graph g, String name, long... dims) {
        Value v = new Value(name, ValueType.tensor(DataType.FLOAT, Shape.of(dims)));
        g.addInput(v);
        return v;
    }

    static Value weight(Graph g, String name, long... dims) {
        int n = 1;
        for (long d : dims) {
            n *= (int) d;
        }
        float[] v = new float[n];
        Random r = new Random(name.hashCode());
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return g.addInitializer(Tensor.ofFloats(name, v, dims));
    }

    static Tensor randomInput(String name, long... dims) {
        int n = 1;
        for (long d : dims) {
            n *= (int) d;
        }
        float[] v = new float[n];
        Random r = new Random(11);
        for (int i = 0; i < n; i++) {
            v[i] = r.nextFloat() * 2 - 1;
        }
        return Tensor.ofFloats(name, v, dims);
    }

    /** Runs {@code model} in ONNX Runtime (through a temporary file). */
    static Map<String, Ort.Output> run(Model model, Map<String, Tensor> feeds) throws Exception {
        Path dir = Files.createTempDirectory("bantam-pass");
        Path p = dir.resolve("m.onnx");
        ModelIO.save(model, p);
        try {
            return Ort.run(p, feeds);
        } finally {
            Files.deleteIfExists(p);
            Files.deleteIfExists(dir);
        }
    }

    static long count(Model m, String op) {
        return m.graph().nodes().stream().filter(n -> n.opType().equals(op)).count();
    }
}

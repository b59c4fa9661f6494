package dev.bantam.compress.testing;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.bantam.onnx.ir.Dim;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ir.Value;
import dev.bantam.onnx.ir.ValueType;
import dev.bantam.onnx.ir.serde.OnnxSerde;
import dev.bantam.onnx.testing.Ort;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/** Running small in-memory models in ONNX Runtime for tests, and comparing their outputs. */
public final class Runs {

    private Runs() {
    }

    /** Random inputs in [-1, 1] for every graph input, {@code n} items. */
    public static Map<String, Tensor> feeds(Model m, long seed, int n) {
        Random r = new Random(seed);
        Map<String, Tensor> f = new LinkedHashMap<>();
        for (Value in : m.graph().inputs()) {
            long[] dims = ((ValueType.TensorType) in.type()).shape().dims().stream()
                    .mapToLong(d -> d instanceof Dim.Fixed x ? x.value() : n).toArray();
            dims[0] = n;
            int count = (int) Arrays.stream(dims).reduce(1, (x, y) -> x * y);
            float[] v = new float[count];
            for (int i = 0; i < count; i++) {
                v[i] = r.nextFloat() * 2 - 1;
            }
            f.put(in.name(), Tensor.ofFloats(in.name(), v, dims));
        }
        return f;
    }

    /** The first output of {@code m} on {@code feeds}, as floats. */
    public static float[] run(Model m, Map<String, Tensor> feeds) {
        try (OrtSession.SessionOptions o = Ort.options();
             OrtSession s = Ort.env().createSession(OnnxSerde.toBytes(m), o)) {
            Ort.Output out = Ort.run(s, feeds).values().iterator().next();
            float[] v = new float[out.bytes().length / 4];
            MemorySegment.copy(MemorySegment.ofArray(out.bytes()), Tensor.FLOAT_LE, 0, v, 0, v.length);
            return v;
        } catch (OrtException | Ort.Unsupported e) {
            throw new IllegalStateException(e);
        }
    }

    public static Map<String, Integer> counts(Model m) {
        Map<String, Integer> c = new TreeMap<>();
        m.graph().forEach(n -> c.merge(n.opType(), 1, Integer::sum));
        return c;
    }

    public static double cosine(float[] a, float[] b) {
        double dot = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            aa += a[i] * a[i];
            bb += b[i] * b[i];
        }
        return dot / Math.sqrt(aa * bb);
    }
}

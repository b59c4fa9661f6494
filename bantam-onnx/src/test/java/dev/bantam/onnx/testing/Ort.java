package dev.bantam.onnx.testing;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.bantam.onnx.ir.DataType;
import dev.bantam.onnx.ir.Tensor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Runs models in ONNX Runtime for tests and compares outputs. */
public final class Ort {

    /** One output: its type, shape and raw little-endian bytes (or strings). */
    public record Output(DataType type, long[] shape, byte[] bytes, String[] strings) {

        public boolean sameAs(Output o) {
            return type == o.type && Arrays.equals(shape, o.shape) && Arrays.equals(bytes, o.bytes)
                    && Arrays.equals(strings, o.strings);
        }
    }

    /** ONNX Runtime cannot take this input from Java; the reason goes into the test's list. */
    public static final class Unsupported extends Exception {
        public Unsupported(String message) {
            super(message);
        }
    }

    private Ort() {
    }

    public static OrtEnvironment env() {
        return OrtEnvironment.getEnvironment(ai.onnxruntime.OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
    }

    public static OrtSession.SessionOptions options() throws OrtException {
        OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        o.setIntraOpNumThreads(1);
        o.setInterOpNumThreads(1);
        o.setSessionLogLevel(ai.onnxruntime.OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
        return o;
    }

    /** Runs {@code model} (a file) on {@code inputs}, returning tensor outputs by name. */
    public static Map<String, Output> run(Path model, Map<String, Tensor> inputs) throws OrtException, Unsupported {
        try (OrtSession.SessionOptions o = options();
             OrtSession s = env().createSession(model.toString(), o)) {
            return run(s, inputs);
        }
    }

    public static Map<String, Output> run(OrtSession s, Map<String, Tensor> inputs) throws OrtException, Unsupported {
        Map<String, OnnxTensor> feeds = new LinkedHashMap<>();
        try {
            for (var e : inputs.entrySet()) {
                feeds.put(e.getKey(), toOrt(e.getValue()));
            }
            Map<String, Output> out = new LinkedHashMap<>();
            try (OrtSession.Result r = s.run(feeds)) {
                for (var e : r) {
                    out.put(e.getKey(), fromOrt(e.getValue()));
                }
            }
            return out;
        } finally {
            feeds.values().forEach(OnnxTensor::close);
        }
    }

    public static OnnxTensor toOrt(Tensor t) throws OrtException, Unsupported {
        long[] shape = t.dims();
        if (t.dataType() == DataType.STRING) {
            List<byte[]> v = t.strings();
            String[] s = new String[v.size()];
            for (int i = 0; i < s.length; i++) {
                s[i] = new String(v.get(i), StandardCharsets.UTF_8);
            }
            return OnnxTensor.createTensor(env(), s, shape);
        }
        OnnxJavaType jt = switch (t.dataType()) {
            case FLOAT -> OnnxJavaType.FLOAT;
            case DOUBLE -> OnnxJavaType.DOUBLE;
            case INT8 -> OnnxJavaType.INT8;
            case INT16 -> OnnxJavaType.INT16;
            case INT32 -> OnnxJavaType.INT32;
            case INT64 -> OnnxJavaType.INT64;
            case UINT8 -> OnnxJavaType.UINT8;
            case BOOL -> OnnxJavaType.BOOL;
            case FLOAT16 -> OnnxJavaType.FLOAT16;
            case BFLOAT16 -> OnnxJavaType.BFLOAT16;
            default -> throw new Unsupported("the ONNX Runtime Java API cannot create " + t.dataType() + " tensors");
        };
        MemorySegment b = t.bytes();
        ByteBuffer buf = ByteBuffer.allocateDirect((int) b.byteSize()).order(ByteOrder.nativeOrder());
        MemorySegment.copy(b, 0, MemorySegment.ofBuffer(buf), 0, b.byteSize());
        return OnnxTensor.createTensor(env(), buf, shape, jt);
    }

    static Output fromOrt(OnnxValue v) throws OrtException, Unsupported {
        if (!(v instanceof OnnxTensor t)) {
            throw new Unsupported("output is a " + v.getType() + ", which this test does not compare");
        }
        TensorInfo info = t.getInfo();
        long[] shape = info.getShape();
        DataType type = DataType.valueOf(info.onnxType.name().replace("ONNX_TENSOR_ELEMENT_DATA_TYPE_", ""));
        if (type == DataType.STRING) {
            String[] flat = flattenStrings(t.getValue());
            return new Output(type, shape, null, flat);
        }
        ByteBuffer bb = t.getByteBuffer();
        byte[] bytes = new byte[bb.remaining()];
        bb.get(bytes);
        return new Output(type, shape, bytes, null);
    }

    private static String[] flattenStrings(Object o) {
        List<String> out = new ArrayList<>();
        flatten(o, out);
        return out.toArray(String[]::new);
    }

    private static void flatten(Object o, List<String> out) {
        if (o instanceof String s) {
            out.add(s);
        } else if (o instanceof Object[] a) {
            for (Object x : a) {
                flatten(x, out);
            }
        }
    }

    /** Null when {@code actual} matches {@code expected} within the ONNX backend tolerance, else why not. */
    public static String compare(Tensor expected, Output actual, double rtol, double atol) {
        if (expected.dataType() != actual.type()) {
            return "type " + actual.type() + ", expected " + expected.dataType();
        }
        if (!Arrays.equals(expected.dims(), actual.shape())) {
            return "shape " + Arrays.toString(actual.shape()) + ", expected " + Arrays.toString(expected.dims());
        }
        if (expected.dataType() == DataType.STRING) {
            List<byte[]> e = expected.strings();
            for (int i = 0; i < e.size(); i++) {
                if (!new String(e.get(i), StandardCharsets.UTF_8).equals(actual.strings()[i])) {
                    return "string " + i + " differs";
                }
            }
            return null;
        }
        MemorySegment e = expected.bytes();
        MemorySegment a = MemorySegment.ofArray(actual.bytes());
        if (e.byteSize() != a.byteSize()) {
            return "byte size " + a.byteSize() + ", expected " + e.byteSize();
        }
        if (!expected.dataType().isFloatingPoint() || expected.dataType().bitWidth() <= 8) {
            long m = e.mismatch(a);
            return m < 0 ? null : "byte " + m + " differs";
        }
        int n = (int) expected.elementCount() * (expected.dataType() == DataType.COMPLEX64 ? 2 : 1);
        for (int i = 0; i < n; i++) {
            double x = element(expected.dataType(), e, i);
            double y = element(expected.dataType(), a, i);
            if (Double.isNaN(x) && Double.isNaN(y) || x == y) {
                continue;
            }
            if (!(Math.abs(x - y) <= atol + rtol * Math.abs(x))) {
                return "element " + i + " is " + y + ", expected " + x;
            }
        }
        return null;
    }

    private static double element(DataType t, MemorySegment s, int i) {
        return switch (t) {
            case FLOAT, COMPLEX64 -> s.getAtIndex(Tensor.FLOAT_LE, i);
            case DOUBLE, COMPLEX128 -> s.getAtIndex(Tensor.DOUBLE_LE, i);
            case FLOAT16 -> Float.float16ToFloat(s.getAtIndex(Tensor.SHORT_LE, i));
            case BFLOAT16 -> Float.intBitsToFloat((s.getAtIndex(Tensor.SHORT_LE, i) & 0xffff) << 16);
            default -> s.get(ValueLayout.JAVA_BYTE, i);
        };
    }
}

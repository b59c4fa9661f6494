package dev.bantam.runtime;

import dev.bantam.compress.half.HalfType;
import dev.bantam.onnx.ir.DataType;
import dev.bantam.onnx.ir.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Checks feeds against a model's inputs: names, element types, ranks and fixed dimensions. */
final class FeedCheck {

    private FeedCheck() {
    }

    /**
     * Float32 feeds of float16 or bfloat16 inputs rounded to them (to nearest, as the model's own Cast would round a
     * float32 input), so data made for the float model feeds its half-precision conversion. Other feeds as given.
     */
    static Map<String, Tensor> roundToHalfInputs(List<InputInfo> inputs, Map<String, Tensor> feeds) {
        Map<String, Tensor> out = null;
        for (InputInfo in : inputs) {
            Tensor t = feeds.get(in.name());
            HalfType half = in.type() == DataType.FLOAT16 ? HalfType.FP16 : in.type() == DataType.BFLOAT16 ? HalfType.BF16 : null;
            if (half != null && t != null && t.dataType() == DataType.FLOAT) {
                if (out == null) {
                    out = new java.util.LinkedHashMap<>(feeds);
                }
                float[] v = t.toFloatArray();
                java.lang.foreign.MemorySegment seg = java.lang.foreign.Arena.ofAuto().allocate(2L * v.length, 8);
                for (int i = 0; i < v.length; i++) {
                    seg.setAtIndex(Tensor.SHORT_LE, i, half.encode(v[i]));
                }
                out.put(in.name(), Tensor.ofBytes(t.name(), in.type(), t.dims(), seg));
            }
        }
        return out == null ? feeds : out;
    }

    static void check(List<InputInfo> inputs, Map<String, Tensor> feeds) {
        for (InputInfo in : inputs) {
            Tensor t = feeds.get(in.name());
            if (t == null) {
                throw new DataException("input '" + in.name() + "': the model expects " + in.describe()
                        + " but the data provides none (it provides " + feeds.keySet() + "); give it in the data spec, "
                        + "e.g. input." + in.name() + "=0 or input." + in.name() + "=zeros:AxB");
            }
            long[] want = in.shape();
            long[] got = t.dims();
            boolean ok = t.dataType() == in.type() && want.length == got.length;
            for (int i = 0; ok && i < want.length; i++) {
                ok = want[i] < 0 || want[i] == got[i];
            }
            if (!ok) {
                throw new DataException("input '" + in.name() + "': the model expects " + in.describe()
                        + ", got " + t.dataType().name().toLowerCase() + Arrays.toString(got).replace(" ", ""));
            }
        }
        for (String name : feeds.keySet()) {
            if (inputs.stream().noneMatch(i -> i.name().equals(name))) {
                throw new DataException("input '" + name + "' is not an input of the model (its inputs: "
                        + inputs.stream().map(InputInfo::name).toList() + ")");
            }
        }
    }
}

package dev.bantam.onnx.optimize;

import dev.bantam.onnx.ir.DataType;
import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ir.Value;
import dev.bantam.onnx.pass.Pass;
import dev.bantam.onnx.pass.PassResult;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Makes initializers with identical type, shape and bytes one initializer. */
public final class DeduplicateInitializers implements Pass {

    @Override
    public String name() {
        return "deduplicate-initializers";
    }

    @Override
    public PassResult run(Model model) {
        int merged = 0;
        long bytes = 0;
        for (Graph g : model.graph().graphsRecursive()) {
            Map<String, List<Value>> byKey = new HashMap<>();
            for (Value v : g.initializers()) {
                Tensor t = v.initializer();
                if (v.isGraphInput() || v.isGraphOutput() || t.dataType() == DataType.STRING) {
                    continue;
                }
                MemorySegment b = t.bytes();
                String key = t.dataType() + Arrays.toString(t.dims()) + ":" + hash(b);
                List<Value> same = byKey.computeIfAbsent(key, k -> new ArrayList<>());
                Value twin = same.stream().filter(o -> o.initializer().bytes().mismatch(b) < 0).findFirst().orElse(null);
                if (twin == null) {
                    same.add(v);
                } else {
                    v.replaceAllUsesWith(twin, false);
                    g.removeInitializer(v);
                    merged++;
                    bytes += b.byteSize();
                }
            }
        }
        return PassResult.of(merged == 0 ? List.of() : List.of("merged " + merged + " duplicate initializers ("
                + bytes + " bytes)"));
    }

    private static long hash(MemorySegment b) {
        long h = 1125899906842597L;
        long n = b.byteSize();
        long step = Math.max(1, n / 4096);
        for (long i = 0; i < n; i += step) {
            h = 31 * h + b.get(java.lang.foreign.ValueLayout.JAVA_BYTE, i);
        }
        return h ^ n;
    }
}

package dev.bantam.train.loop;

import dev.bantam.onnx.ir.Dim;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Value;
import dev.bantam.onnx.ir.ValueType;
import dev.bantam.runtime.InputInfo;
import java.util.ArrayList;
import java.util.List;

/** A model's graph inputs (those not backed by an initializer) as data sources expect them; -1 for a free axis. */
public final class ModelInputs {

    private ModelInputs() {
    }

    public static List<InputInfo> of(Model m) {
        List<InputInfo> out = new ArrayList<>();
        for (Value v : m.graph().inputs()) {
            if (v.initializer() != null || !(v.type() instanceof ValueType.TensorType t)) {
                continue;
            }
            long[] dims = t.shape() == null ? new long[0]
                    : t.shape().dims().stream().mapToLong(d -> d instanceof Dim.Fixed f ? f.value() : -1).toArray();
            out.add(new InputInfo(v.name(), t.elementType(), dims));
        }
        return out;
    }
}

package dev.bantam.onnx.check;

import dev.bantam.onnx.ir.DataType;
import dev.bantam.onnx.ir.ExternalLocation;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ir.TensorData;
import java.util.Arrays;
import java.util.List;

/** Checks that a tensor's stored data agrees with its shape and type, without reading the data. */
final class TensorChecks {

    private TensorChecks() {
    }

    static void check(Tensor t, String where, List<Issue> issues) {
        for (long d : t.dims()) {
            if (d < 0) {
                issues.add(error(where, "tensor has a negative dimension " + Arrays.toString(t.dims())));
                return;
            }
        }
        if (t.details().hasSegment() || t.dataType() == DataType.UNDEFINED) {
            return;
        }
        long count;
        try {
            count = t.elementCount();
        } catch (ArithmeticException e) {
            issues.add(error(where, "tensor shape " + Arrays.toString(t.dims()) + " overflows"));
            return;
        }
        if (t.data() instanceof TensorData.External e) {
            ExternalLocation loc = e.location();
            if (loc.effectiveOffset() + loc.effectiveLength() > loc.source().size()) {
                issues.add(error(where, "external data at offset " + loc.effectiveOffset() + " length "
                        + loc.effectiveLength() + " lies outside '" + loc.location() + "' (" + loc.source().size()
                        + " bytes)"));
                return;
            }
        }
        if (t.dataType() == DataType.STRING) {
            int n = t.data() instanceof TensorData.Strings s ? s.values().size() : 0;
            if (n != count) {
                issues.add(error(where, "STRING tensor " + Arrays.toString(t.dims()) + " holds " + n
                        + " strings, expected " + count));
            }
            return;
        }
        long expected = t.dataType().byteSize(count);
        long stored = t.storedByteSize();
        if (stored != expected) {
            issues.add(error(where, "tensor " + t.dataType() + Arrays.toString(t.dims()) + " needs " + expected
                    + " bytes but holds " + stored));
        }
    }

    private static Issue error(String where, String message) {
        return new Issue(Issue.Severity.ERROR, where, message);
    }
}

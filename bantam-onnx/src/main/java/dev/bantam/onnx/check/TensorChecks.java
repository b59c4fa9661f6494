package dev.bantam.onnx.check;

import dev.bantam.onnx.ir.DataType;
import dev.bantam.onnx.ir.ExternalLocation;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ir.TensorData;
import java.util.Arrays;
import java.util.List;

/**
 * Checks that a tensor has a data type and that its stored data agrees with its shape and type, without reading the
 * data. Sizes are computed with overflow checks: a shape whose byte count wraps around must not pass as empty.
 */
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
        if (t.dataType() == DataType.UNDEFINED) {
            issues.add(error(where, "tensor has no data type (data_type 0, UNDEFINED)"));
            return;
        }
        if (t.details().hasSegment()) {
            return;
        }
        long count;
        long expected;
        try {
            count = t.elementCount();
            expected = t.dataType() == DataType.STRING ? 0
                    : Math.addExact(Math.multiplyExact(count, t.dataType().bitWidth()), 7) / 8;
        } catch (ArithmeticException e) {
            issues.add(error(where, "tensor shape " + Arrays.toString(t.dims()) + " of " + t.dataType()
                    + " needs more bytes than a 64-bit count can hold"));
            return;
        }
        if (t.data() instanceof TensorData.External e) {
            ExternalLocation loc = e.location();
            if (loc.effectiveOffset() < 0 || loc.effectiveLength() > loc.source().size() - loc.effectiveOffset()) {
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

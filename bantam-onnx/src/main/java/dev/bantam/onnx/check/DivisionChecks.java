package dev.bantam.onnx.check;

import dev.bantam.onnx.ir.DataType;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ir.Value;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Optional;

/**
 * Finds integer Div and Mod nodes that a constant makes trap: a constant divisor holding 0, or a constant
 * dividend holding the type's minimum where a constant divisor holds -1. The processor raises SIGFPE for both,
 * which kills ONNX Runtime's process (it folds constants at session creation, so even loading the model does).
 */
final class DivisionChecks {

    /** Broadcast positions compared one by one up to this many; beyond, any MIN and any -1 count as meeting. */
    private static final long MAX_PAIRS = 1 << 24;

    private DivisionChecks() {
    }

    static void check(Node n, String at, List<Issue> issues) {
        boolean div = n.isStandard("Div");
        boolean mod = n.isStandard("Mod") && n.intAttribute("fmod", 0) == 0;
        if (!div && !mod || n.inputs().size() < 2 || n.input(1) == null) {
            return;
        }
        Value b = n.input(1);
        Optional<Tensor> divisor = b.constantValue().filter(DivisionChecks::readableInteger);
        if (divisor.isEmpty()) {
            return;
        }
        Tensor d = divisor.get();
        if (find(d, 0) >= 0) {
            issues.add(new Issue(Issue.Severity.ERROR, at, "integer " + n.opType() + " by the constant '" + b.name()
                    + "', which holds 0: division by zero"));
            return;
        }
        Value a = n.input(0);
        long min = d.dataType() == DataType.INT64 ? Long.MIN_VALUE : d.dataType() == DataType.INT32
                ? Integer.MIN_VALUE : 0;
        if (min == 0 || a == null || find(d, -1) < 0) {
            return;
        }
        Optional<Tensor> dividend = a.constantValue().filter(t -> readableInteger(t) && t.dataType() == d.dataType());
        if (dividend.isPresent() && find(dividend.get(), min) >= 0 && meet(dividend.get(), min, d)) {
            issues.add(new Issue(Issue.Severity.ERROR, at, "integer " + n.opType() + " of the constant '" + a.name()
                    + "', which holds " + d.dataType() + "_MIN, by the constant '" + b.name()
                    + "', which holds -1 there: the quotient overflows"));
        }
    }

    /** True for a tensor of an integer type whose stored bytes match its shape, so its elements can be read. */
    private static boolean readableInteger(Tensor t) {
        if (!(switch (t.dataType()) {
            case INT8, UINT8, INT16, UINT16, INT32, UINT32, INT64, UINT64 -> true;
            default -> false;
        })) {
            return false;
        }
        try {
            return t.storedByteSize() == t.expectedByteSize() && t.elementCount() <= Integer.MAX_VALUE;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static long element(Tensor t, MemorySegment s, long i) {
        return switch (t.dataType()) {
            case INT8 -> s.get(ValueLayout.JAVA_BYTE, i);
            case UINT8 -> s.get(ValueLayout.JAVA_BYTE, i) & 0xff;
            case INT16 -> s.getAtIndex(Tensor.SHORT_LE, i);
            case UINT16 -> s.getAtIndex(Tensor.SHORT_LE, i) & 0xffff;
            case INT32 -> s.getAtIndex(Tensor.INT_LE, i);
            case UINT32 -> s.getAtIndex(Tensor.INT_LE, i) & 0xffffffffL;
            default -> s.getAtIndex(Tensor.LONG_LE, i);
        };
    }

    /** The first position holding {@code value}, or -1. */
    private static long find(Tensor t, long value) {
        MemorySegment s = t.bytes();
        long n = t.elementCount();
        for (long i = 0; i < n; i++) {
            if (element(t, s, i) == value) {
                return i;
            }
        }
        return -1;
    }

    /** True when, under broadcasting, some position of {@code a} holding {@code min} meets a -1 of {@code b}. */
    private static boolean meet(Tensor a, long min, Tensor b) {
        long[] shape = broadcast(a.dims(), b.dims());
        if (shape == null) {
            return false;
        }
        long total = 1;
        for (long d : shape) {
            total *= d;
        }
        if (total > MAX_PAIRS) {
            return true;
        }
        MemorySegment sa = a.bytes();
        MemorySegment sb = b.bytes();
        for (long i = 0; i < total; i++) {
            if (element(a, sa, offset(i, shape, a.dims())) == min && element(b, sb, offset(i, shape, b.dims())) == -1) {
                return true;
            }
        }
        return false;
    }

    /** The broadcast shape of two shapes, or null when they do not broadcast. */
    private static long[] broadcast(long[] x, long[] y) {
        int r = Math.max(x.length, y.length);
        long[] out = new long[r];
        for (int i = 0; i < r; i++) {
            long dx = i < r - x.length ? 1 : x[i - (r - x.length)];
            long dy = i < r - y.length ? 1 : y[i - (r - y.length)];
            if (dx != dy && dx != 1 && dy != 1) {
                return null;
            }
            out[i] = dx == 1 ? dy : dx;
        }
        return out;
    }

    /** The position in a tensor of shape {@code dims} that broadcast position {@code i} of {@code shape} reads. */
    private static long offset(long i, long[] shape, long[] dims) {
        long off = 0;
        long stride = 1;
        for (int k = shape.length - 1, j = dims.length - 1; k >= 0; k--, j--) {
            long coord = i % shape[k];
            i /= shape[k];
            if (j >= 0) {
                off += (dims[j] == 1 ? 0 : coord) * stride;
                stride *= dims[j];
            }
        }
        return off;
    }
}

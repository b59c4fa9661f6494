package dev.bantam.onnx.reference;

import dev.bantam.onnx.ir.DataType;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.LongBinaryOperator;

/** Element-wise operators with broadcasting, computed in double (floats) or long (integers). */
final class ElementwiseOps {

    private ElementwiseOps() {
    }

    static NdArray binary(String op, NdArray a, NdArray b) {
        long[] shape = Broadcast.shape(a.shape(), b.shape());
        int[] ia = Broadcast.indices(a.shape(), shape);
        int[] ib = Broadcast.indices(b.shape(), shape);
        int n = ia.length;
        boolean compare = switch (op) {
            case "Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual", "And", "Or", "Xor" -> true;
            default -> false;
        };
        if (NdArray.isFloat(a.type())) {
            DoubleBinaryOperator f = floatOp(op);
            double[] out = new double[n];
            long[] cmp = compare ? new long[n] : null;
            for (int i = 0; i < n; i++) {
                double v = f.applyAsDouble(a.getDouble(ia[i]), b.getDouble(ib[i]));
                if (compare) {
                    cmp[i] = (long) v;
                } else {
                    out[i] = round(a.type(), v);
                }
            }
            return compare ? NdArray.ofLongs(DataType.BOOL, shape, cmp) : NdArray.ofDoubles(a.type(), shape, out);
        }
        LongBinaryOperator f = intOp(op);
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = f.applyAsLong(a.getLong(ia[i]), b.getLong(ib[i]));
        }
        return NdArray.ofLongs(compare ? DataType.BOOL : a.type(), shape, out);
    }

    private static DoubleBinaryOperator floatOp(String op) {
        return switch (op) {
            case "Add" -> Double::sum;
            case "Sub" -> (x, y) -> x - y;
            case "Mul" -> (x, y) -> x * y;
            case "Div" -> (x, y) -> x / y;
            case "Pow" -> Math::pow;
            case "Max" -> (x, y) -> Double.isNaN(x) || Double.isNaN(y) ? Double.NaN : Math.max(x, y);
            case "Min" -> (x, y) -> Double.isNaN(x) || Double.isNaN(y) ? Double.NaN : Math.min(x, y);
            case "Equal" -> (x, y) -> x == y ? 1 : 0;
            case "Less" -> (x, y) -> x < y ? 1 : 0;
            case "Greater" -> (x, y) -> x > y ? 1 : 0;
            case "LessOrEqual" -> (x, y) -> x <= y ? 1 : 0;
            case "GreaterOrEqual" -> (x, y) -> x >= y ? 1 : 0;
            default -> throw new UnsupportedOperationException(op);
        };
    }

    private static LongBinaryOperator intOp(String op) {
        return switch (op) {
            case "Add" -> Long::sum;
            case "Sub" -> (x, y) -> x - y;
            case "Mul" -> (x, y) -> x * y;
            case "Div" -> (x, y) -> {
                if (y == 0) {
                    throw new UnsupportedOperationException("integer division by zero");
                }
                return x / y;
            };
            case "Max" -> Math::max;
            case "Min" -> Math::min;
            case "Equal" -> (x, y) -> x == y ? 1 : 0;
            case "Less" -> (x, y) -> x < y ? 1 : 0;
            case "Greater" -> (x, y) -> x > y ? 1 : 0;
            case "LessOrEqual" -> (x, y) -> x <= y ? 1 : 0;
            case "GreaterOrEqual" -> (x, y) -> x >= y ? 1 : 0;
            case "And" -> (x, y) -> (x != 0 && y != 0) ? 1 : 0;
            case "Or" -> (x, y) -> (x != 0 || y != 0) ? 1 : 0;
            case "Xor" -> (x, y) -> ((x != 0) ^ (y != 0)) ? 1 : 0;
            default -> throw new UnsupportedOperationException(op);
        };
    }

    static NdArray unary(String op, NdArray a) {
        int n = a.size();
        if (op.equals("Not")) {
            long[] out = new long[n];
            for (int i = 0; i < n; i++) {
                out[i] = a.getLong(i) == 0 ? 1 : 0;
            }
            return NdArray.ofLongs(DataType.BOOL, a.shape(), out);
        }
        if (!NdArray.isFloat(a.type())) {
            long[] out = new long[n];
            for (int i = 0; i < n; i++) {
                long x = a.getLong(i);
                out[i] = switch (op) {
                    case "Neg" -> -x;
                    case "Abs" -> Math.abs(x);
                    case "Relu" -> Math.max(0, x);
                    case "Identity" -> x;
                    default -> throw new UnsupportedOperationException(op + " on integers");
                };
            }
            return NdArray.ofLongs(a.type(), a.shape(), out);
        }
        DoubleUnaryOperator f = switch (op) {
            case "Neg" -> x -> -x;
            case "Abs" -> Math::abs;
            case "Sqrt" -> Math::sqrt;
            case "Reciprocal" -> x -> 1 / x;
            case "Exp" -> Math::exp;
            case "Log" -> Math::log;
            case "Relu" -> x -> Math.max(0, x);
            case "Floor" -> Math::floor;
            case "Ceil" -> Math::ceil;
            case "Identity" -> x -> x;
            default -> throw new UnsupportedOperationException(op);
        };
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = round(a.type(), f.applyAsDouble(a.getDouble(i)));
        }
        return NdArray.ofDoubles(a.type(), a.shape(), out);
    }

    static NdArray cast(NdArray a, DataType to) {
        int n = a.size();
        if (NdArray.isFloat(to)) {
            double[] out = new double[n];
            for (int i = 0; i < n; i++) {
                out[i] = round(to, a.getDouble(i));
            }
            return NdArray.ofDoubles(to, a.shape(), out);
        }
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            if (NdArray.isFloat(a.type())) {
                double x = a.getDouble(i);
                if (to == DataType.BOOL) {
                    out[i] = x != 0 ? 1 : 0;
                    continue;
                }
                if (Double.isNaN(x) || Double.isInfinite(x)) {
                    throw new UnsupportedOperationException("casting NaN or infinity to an integer");
                }
                out[i] = wrap(to, (long) x);
            } else {
                out[i] = to == DataType.BOOL ? (a.getLong(i) != 0 ? 1 : 0) : wrap(to, a.getLong(i));
            }
        }
        return NdArray.ofLongs(to, a.shape(), out);
    }

    static NdArray where(NdArray c, NdArray x, NdArray y) {
        long[] shape = Broadcast.shape(Broadcast.shape(c.shape(), x.shape()), y.shape());
        int[] ic = Broadcast.indices(c.shape(), shape);
        int[] ix = Broadcast.indices(x.shape(), shape);
        int[] iy = Broadcast.indices(y.shape(), shape);
        int n = ic.length;
        if (NdArray.isFloat(x.type())) {
            double[] out = new double[n];
            for (int i = 0; i < n; i++) {
                out[i] = c.getLong(ic[i]) != 0 ? x.getDouble(ix[i]) : y.getDouble(iy[i]);
            }
            return NdArray.ofDoubles(x.type(), shape, out);
        }
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = c.getLong(ic[i]) != 0 ? x.getLong(ix[i]) : y.getLong(iy[i]);
        }
        return NdArray.ofLongs(x.type(), shape, out);
    }

    private static long wrap(DataType t, long v) {
        return switch (t) {
            case INT32 -> (int) v;
            case INT16 -> (short) v;
            case INT8 -> (byte) v;
            case UINT8 -> v & 0xff;
            case UINT16 -> v & 0xffff;
            case UINT32 -> v & 0xffffffffL;
            default -> v;
        };
    }

    /** Rounds a double result to the precision of {@code t}, as the runtime computing in that type would. */
    static double round(DataType t, double v) {
        return switch (t) {
            case FLOAT -> (float) v;
            case FLOAT16 -> Float.float16ToFloat(Float.floatToFloat16((float) v));
            default -> v;
        };
    }
}

package dev.bantam.onnx.reference;

import java.util.List;

/**
 * How many elements an operator's result will hold, computed from its inputs before anything is allocated, for
 * the operators whose result can be far larger than their inputs. Saturates at {@code Long.MAX_VALUE}.
 */
final class ResultBound {

    private ResultBound() {
    }

    static long of(String op, dev.bantam.onnx.ir.Node n, List<NdArray> in) {
        return switch (op) {
            case "Range" -> range(in);
            case "ConstantOfShape" -> count(ReferenceEvaluator.longs(in.get(0)));
            case "Expand" -> count(broadcast(in.get(0).shape(), ReferenceEvaluator.longs(in.get(1))));
            case "Add", "Sub", "Mul", "Div", "Pow", "Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual", "And",
                 "Or", "Xor", "Where", "Max", "Min", "Sum" -> {
                long[] shape = in.getFirst().shape();
                for (int i = 1; i < in.size(); i++) {
                    shape = broadcast(shape, in.get(i).shape());
                }
                yield count(shape);
            }
            case "Gather" -> {
                NdArray a = in.get(0);
                long axis = n.intAttribute("axis", 0);
                int ax = (int) (axis < 0 ? axis + a.rank() : axis);
                if (ax < 0 || ax >= a.rank()) {
                    throw new IllegalArgumentException("Gather axis " + axis + " is outside rank " + a.rank());
                }
                long slice = a.shape()[ax] == 0 ? 0 : a.size() / a.shape()[ax];
                yield saturatingMultiply(in.get(1).size(), slice);
            }
            default -> in.stream().filter(a -> a != null).mapToLong(NdArray::size).sum();
        };
    }

    private static long range(List<NdArray> in) {
        NdArray start = in.get(0);
        if (NdArray.isFloat(start.type())) {
            double s = start.getDouble(0);
            double d = in.get(2).getDouble(0);
            double c = Math.ceil((in.get(1).getDouble(0) - s) / d);
            if (Double.isNaN(c) || Double.isInfinite(c)) {
                throw new IllegalArgumentException("Range from " + s + " by " + d + " has no finite length");
            }
            return c >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) Math.max(0, c);
        }
        long s = start.getLong(0);
        long d = in.get(2).getLong(0);
        if (d == 0) {
            throw new IllegalArgumentException("Range delta 0");
        }
        java.math.BigInteger span = java.math.BigInteger.valueOf(in.get(1).getLong(0)).subtract(java.math.BigInteger.valueOf(s));
        java.math.BigInteger[] qr = span.divideAndRemainder(java.math.BigInteger.valueOf(d));
        java.math.BigInteger c = qr[1].signum() != 0 ? qr[0].add(java.math.BigInteger.ONE) : qr[0];
        return c.signum() <= 0 ? 0 : c.bitLength() >= 63 ? Long.MAX_VALUE : c.longValue();
    }

    /** NumPy broadcasting of two shapes; a target dimension of -1 or less is refused. */
    private static long[] broadcast(long[] a, long[] b) {
        for (long d : b) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension " + d);
            }
        }
        return Broadcast.shape(a, b);
    }

    private static long count(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension " + d);
            }
            n = saturatingMultiply(n, d);
        }
        return n;
    }

    private static long saturatingMultiply(long a, long b) {
        long hi = Math.multiplyHigh(a, b);
        long lo = a * b;
        return hi != 0 || lo < 0 ? Long.MAX_VALUE : lo;
    }
}

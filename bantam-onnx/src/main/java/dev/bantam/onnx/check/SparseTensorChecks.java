package dev.bantam.onnx.check;

import dev.bantam.onnx.ir.DataType;
import dev.bantam.onnx.ir.SparseTensor;
import dev.bantam.onnx.ir.Tensor;
import java.util.Arrays;
import java.util.List;

/**
 * Checks a sparse tensor in COO form: values 1-D, INT64 indices of shape [NNZ] (positions in the flattened dense
 * tensor) or [NNZ, rank], and every index inside the dense shape. ONNX Runtime writes each value where its index
 * points without checking, so an index outside the shape corrupts memory.
 */
final class SparseTensorChecks {

    private SparseTensorChecks() {
    }

    static void check(SparseTensor st, String where, List<Issue> issues) {
        int before = issues.size();
        TensorChecks.check(st.values(), where + " (values)", issues);
        TensorChecks.check(st.indices(), where + " (indices)", issues);
        if (issues.size() > before) {
            return;
        }
        long[] dims = st.dims();
        long size = denseSize(dims);
        if (size < 0) {
            issues.add(error(where, "sparse tensor has an invalid dense shape " + Arrays.toString(dims)));
            return;
        }
        Tensor values = st.values();
        Tensor indices = st.indices();
        if (values.rank() != 1) {
            issues.add(error(where, "sparse tensor values must be 1-D, not of shape "
                    + Arrays.toString(values.dims())));
            return;
        }
        long nnz = values.dim(0);
        boolean linear = Arrays.equals(indices.dims(), new long[] {nnz});
        boolean coordinates = Arrays.equals(indices.dims(), new long[] {nnz, dims.length});
        if (nnz > 0 && indices.dataType() != DataType.INT64) {
            issues.add(error(where, "sparse tensor indices are " + indices.dataType() + "; they must be INT64"));
        } else if (!linear && !coordinates) {
            issues.add(error(where, "sparse tensor has " + nnz + " values but indices of shape "
                    + Arrays.toString(indices.dims()) + "; expected [" + nnz + "] or [" + nnz + ", " + dims.length
                    + "]"));
        } else if (nnz > 0) {
            checkIndices(indices.toLongArray(), linear, dims, size, where, issues);
        }
    }

    private static void checkIndices(long[] idx, boolean linear, long[] dims, long size, String where,
                                     List<Issue> issues) {
        for (int i = 0; i < idx.length; i++) {
            long bound = linear ? size : dims[i % dims.length];
            if (idx[i] < 0 || idx[i] >= bound) {
                long position = linear ? i : i / dims.length;
                issues.add(error(where, "sparse tensor index " + idx[i] + " of value " + position
                        + " lies outside the dense shape " + Arrays.toString(dims)));
                return;
            }
        }
    }

    /** The element count of the dense shape, or -1 when a dimension is negative or the count overflows. */
    private static long denseSize(long[] dims) {
        long n = 1;
        try {
            for (long d : dims) {
                if (d < 0) {
                    return -1;
                }
                n = Math.multiplyExact(n, d);
            }
        } catch (ArithmeticException e) {
            return -1;
        }
        return n;
    }

    private static Issue error(String where, String message) {
        return new Issue(Issue.Severity.ERROR, where, message);
    }
}

package dev.bantam.onnx.ir;

/** A sparse tensor in COO form: non-zero values, their indices, and the dense shape. */
public record SparseTensor(Tensor values, Tensor indices, long[] dims) {

    public SparseTensor {
        dims = dims.clone();
    }

    @Override
    public long[] dims() {
        return dims.clone();
    }
}

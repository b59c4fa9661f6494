package dev.bantam.compress.weightonly;

/**
 * A weight matrix stored in blocks, in column form: {@code n} columns (a MatMul's output channels, or an
 * embedding table's rows) of {@code k} weights each along the reduction axis, cut into blocks of the format's
 * size, the last zero-padded. Codes are unsigned, one per byte here (packing happens when the graph is written).
 *
 * @param codes  [n][blocks · blockSize] codes; padding holds each block's zero point, so it reads back as 0
 * @param scales [n][blocks]
 * @param zeros  [n][blocks] zero points (all the midpoint when symmetric)
 */
public record BlockQuantized(BlockFormat format, int k, int n, byte[] codes, float[] scales, byte[] zeros) {

    public int blocks() {
        return format.blocks(k);
    }

    /** Codes per column, padding included. */
    public int paddedK() {
        return blocks() * format.blockSize();
    }

    public int code(int column, int i) {
        return codes[column * paddedK() + i] & 0xff;
    }

    public BlockParams params(int column, int block) {
        int b = column * blocks() + block;
        return new BlockParams(scales[b], zeros[b] & 0xff);
    }

    /** The weight at (column, i) as stored. */
    public float value(int column, int i) {
        return params(column, i / format.blockSize()).value(code(column, i));
    }

    /** The stored weights in column form, [n][k]. */
    public float[] columns() {
        float[] out = new float[n * k];
        for (int c = 0; c < n; c++) {
            for (int i = 0; i < k; i++) {
                out[c * k + i] = value(c, i);
            }
        }
        return out;
    }

    /** An empty matrix to fill. */
    static BlockQuantized allocate(BlockFormat f, int k, int n) {
        int blocks = f.blocks(k);
        return new BlockQuantized(f, k, n, new byte[n * blocks * f.blockSize()], new float[n * blocks],
                new byte[n * blocks]);
    }

    /** Sets the parameters of (column, block) and fills the block's padding with its zero point. */
    void setParams(int column, int block, BlockParams p) {
        int b = column * blocks() + block;
        scales[b] = p.scale();
        zeros[b] = (byte) p.zero();
        int bs = format.blockSize();
        for (int i = Math.max(k, block * bs); i < (block + 1) * bs; i++) {
            codes[column * paddedK() + i] = (byte) p.zero();
        }
    }

    void setCode(int column, int i, int code) {
        codes[column * paddedK() + i] = (byte) code;
    }
}

package dev.bantam.compress.quantize;

import dev.bantam.onnx.ir.DataType;
import java.util.Locale;

/** An 8-bit integer type a tensor is quantized to. */
public enum QuantType {
    INT8(-128, 127, DataType.INT8), UINT8(0, 255, DataType.UINT8);

    private final int min;
    private final int max;
    private final DataType dataType;

    QuantType(int min, int max, DataType dataType) {
        this.min = min;
        this.max = max;
        this.dataType = dataType;
    }

    public int min() {
        return min;
    }

    public int max() {
        return max;
    }

    public DataType dataType() {
        return dataType;
    }

    /** The zero point of a symmetric range: 0 for int8, 128 for uint8. */
    public int symmetricZeroPoint() {
        return this == INT8 ? 0 : 128;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}

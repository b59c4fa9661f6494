package dev.bantam.compress.quantize;

import dev.bantam.onnx.ir.Tensor;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.zip.CRC32C;

/**
 * Quantized weights kept across the copies a guard builds of one model: a weight with the same name, shape and
 * contents (CRC-32C), quantized the same way, gives the same values, so only the first copy pays for it. The
 * contents are part of the key because a copy may change a weight under its name's stem (SmoothQuant scales a
 * MatMul's weight by what the plan of that copy quantizes). {@link #NONE} computes every time (a single rewrite).
 */
final class WeightCache {

    static final WeightCache NONE = new WeightCache(false);

    private final boolean keeps;
    private final Map<String, Object> values = new HashMap<>();

    private WeightCache(boolean keeps) {
        this.keeps = keeps;
    }

    static WeightCache create() {
        return new WeightCache(true);
    }

    /** The value for {@code tensor} quantized as {@code how} says (every parameter of the quantization), made once. */
    @SuppressWarnings("unchecked")
    <T> T get(Tensor tensor, String how, Supplier<T> make) {
        if (!keeps) {
            return make.get();
        }
        CRC32C crc = new CRC32C();
        crc.update(tensor.bytes().asByteBuffer());
        String key = tensor.name() + " " + Arrays.toString(tensor.dims()) + " " + tensor.dataType() + " "
                + Long.toHexString(crc.getValue()) + " " + how;
        return (T) values.computeIfAbsent(key, k -> make.get());
    }
}

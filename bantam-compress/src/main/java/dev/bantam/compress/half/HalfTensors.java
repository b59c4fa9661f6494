package dev.bantam.compress.half;

import dev.bantam.compress.Sqnr;
import dev.bantam.onnx.ir.DataType;
import dev.bantam.onnx.ir.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Float32 constants rounded to a half type, each once: the rounded tensor and what the rounding did to it (SQNR,
 * values that overflowed to infinity, non-zero values flushed to zero, the largest magnitude). A constant is
 * {@link Conversion#faithful() faithful} in the type when nothing overflows and its SQNR stays at 40 dB or more
 * (FP16 rounding alone gives about 70 dB, BF16 about 50; a scalar epsilon of 1e-12 flushed to zero gives 0).
 */
final class HalfTensors {

    /** The least SQNR a constant may keep through the rounding. */
    static final double MIN_SQNR_DB = 40;

    /**
     * @param half     the rounded tensor, same name and shape
     * @param sqnrDb   how much of the tensor the rounding kept
     * @param overflow elements beyond the type's largest finite value (they would become infinite)
     * @param flushed  non-zero elements that become zero
     * @param maxAbs   the largest magnitude
     * @param changed  elements the rounding changed (none: the tensor is exact in the type, zeros included)
     */
    record Conversion(Tensor half, double sqnrDb, long overflow, long flushed, float maxAbs, long changed) {

        boolean faithful() {
            return overflow == 0 && (changed == 0 || sqnrDb >= MIN_SQNR_DB);
        }
    }

    private final HalfType type;
    private final Map<Tensor, Conversion> done = new IdentityHashMap<>();

    HalfTensors(HalfType type) {
        this.type = type;
    }

    /** {@code t} (float32) rounded to the type. */
    Conversion of(Tensor t) {
        return done.computeIfAbsent(t, this::convert);
    }

    private Conversion convert(Tensor t) {
        if (t.dataType() != DataType.FLOAT) {
            throw new IllegalArgumentException("tensor '" + t.name() + "' is " + t.dataType() + ", not float32");
        }
        float[] v = t.toFloatArray();
        MemorySegment out = Arena.ofAuto().allocate(2L * v.length, 8);
        Sqnr sqnr = new Sqnr();
        long overflow = 0;
        long flushed = 0;
        long changed = 0;
        float maxAbs = 0;
        for (int i = 0; i < v.length; i++) {
            short bits = type.encode(v[i]);
            out.setAtIndex(Tensor.SHORT_LE, i, bits);
            float r = type.decode(bits);
            if (Float.isInfinite(r) && Float.isFinite(v[i])) {
                overflow++;
            } else {
                sqnr.add(v[i], r);
            }
            if (Float.floatToIntBits(r) != Float.floatToIntBits(v[i])) {
                changed++;
            }
            if (r == 0 && v[i] != 0) {
                flushed++;
            }
            maxAbs = Math.max(maxAbs, Math.abs(v[i]));
        }
        Tensor half = new Tensor(t.name(), type.dataType(), t.dims(), new dev.bantam.onnx.ir.TensorData.Raw(out),
                t.details());
        return new Conversion(half, sqnr.db(), overflow, flushed, maxAbs, changed);
    }

    /** Why a constant stays float32 in the type, with the numbers; null when it converts faithfully. */
    String whyNot(String name, Conversion c) {
        if (c.overflow() > 0) {
            return String.format(java.util.Locale.ROOT, "'%s' holds %.4g, beyond %s's largest value %.6g (%d elements "
                    + "would be infinite)", name, c.maxAbs(), type.label(), type.maxFinite(), c.overflow());
        }
        if (!c.faithful()) {
            return String.format(java.util.Locale.ROOT, "'%s' would keep only %.1f dB in %s (%d non-zero elements "
                    + "flush to zero; %.0f dB is the least)", name, c.sqnrDb(), type.label(), c.flushed(), MIN_SQNR_DB);
        }
        return null;
    }
}

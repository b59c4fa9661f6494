package dev.bantam.runtime.metrics;

import java.util.Arrays;

/**
 * Whether a sequence model ([items, positions, classes] scores, e.g. a CTC text recognizer) still reads the same:
 * the fraction of positions whose best class is unchanged, and the fraction of items whose greedy CTC decoding
 * (best class per position, repeats merged, blanks dropped) is identical to the reference's.
 */
public final class SequenceAgreement {

    private final int blank;
    private long positions;
    private long positionsAgreeing;
    private long items;
    private long itemsAgreeing;

    /** @param blank the class index of the CTC blank (0 for most recognizers) */
    public SequenceAgreement(int blank) {
        if (blank < 0) {
            throw new IllegalArgumentException("the blank class must be >= 0, got " + blank);
        }
        this.blank = blank;
    }

    /** Adds items of {@code count} × {@code steps} × {@code classes} scores, row-major, both arrays alike. */
    public void add(float[] reference, float[] candidate, int count, int steps, int classes) {
        if (classes == 0 || steps == 0) {
            return;
        }
        int[] r = new int[steps];
        int[] c = new int[steps];
        for (int i = 0; i < count; i++) {
            for (int t = 0; t < steps; t++) {
                int off = (i * steps + t) * classes;
                r[t] = argmax(reference, off, classes);
                c[t] = argmax(candidate, off, classes);
                positionsAgreeing += r[t] == c[t] ? 1 : 0;
            }
            positions += steps;
            items++;
            itemsAgreeing += Arrays.equals(decode(r, blank), decode(c, blank)) ? 1 : 0;
        }
    }

    /** Greedy CTC decoding of a best-class path: repeats merged, then blanks dropped. */
    public static int[] decode(int[] path, int blank) {
        int[] out = new int[path.length];
        int n = 0;
        int previous = -1;
        for (int k : path) {
            if (k != previous && k != blank) {
                out[n++] = k;
            }
            previous = k;
        }
        return Arrays.copyOf(out, n);
    }

    static int argmax(float[] v, int off, int n) {
        int best = 0;
        for (int j = 1; j < n; j++) {
            if (v[off + j] > v[off + best]) {
                best = j;
            }
        }
        return best;
    }

    /** Null when nothing was added. */
    public Result result() {
        return items == 0 ? null : new Result((double) positionsAgreeing / positions, (double) itemsAgreeing / items,
                positions, items);
    }

    /**
     * @param positionAgreement fraction of positions whose best class equals the reference's
     * @param decodeAgreement   fraction of items whose greedy CTC decoding equals the reference's
     */
    public record Result(double positionAgreement, double decodeAgreement, long positions, long items) {
    }
}

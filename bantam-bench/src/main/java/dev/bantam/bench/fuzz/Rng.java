package dev.bantam.bench.fuzz;

import java.util.List;
import java.util.SplittableRandom;

/** The generators' one source of randomness: a seeded SplittableRandom with the few draws they need. */
final class Rng {

    private final SplittableRandom r;

    Rng(long seed) {
        r = new SplittableRandom(seed);
    }

    int below(int n) {
        return r.nextInt(n);
    }

    int between(int lo, int hiInclusive) {
        return r.nextInt(lo, hiInclusive + 1);
    }

    long nextLong() {
        return r.nextLong();
    }

    boolean chance(double p) {
        return r.nextDouble() < p;
    }

    float nextFloat() {
        return (float) (r.nextDouble() * 2 - 1);
    }

    <T> T pick(List<T> items) {
        return items.get(r.nextInt(items.size()));
    }

    @SafeVarargs
    final <T> T pickOf(T... items) {
        return items[r.nextInt(items.length)];
    }

    /** An integer from a hostile spread: small, boundary, negative and huge values. */
    long hostileLong() {
        return pickOf(0L, 1L, -1L, 2L, 3L, 7L, 255L, 256L, 65_535L, -2L, 1L << 31, (1L << 31) - 1, -(1L << 31),
                1L << 32, 1L << 40, 1L << 62, Long.MAX_VALUE, Long.MIN_VALUE, (long) between(-100, 100));
    }

    /** The seed of case {@code index} in a campaign of seed {@code seed}: a SplitMix64 step, so ranges never overlap. */
    static long caseSeed(long seed, long index) {
        long z = seed * 0x9E3779B97F4A7C15L + index * 0xBF58476D1CE4E5B9L + 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}

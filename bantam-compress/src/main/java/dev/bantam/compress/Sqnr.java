package dev.bantam.compress;

/**
 * Signal-to-quantization-noise ratio, in dB: 10·log10(Σx² / Σ(x - x̂)²). Every technique reports how much of
 * a tensor it kept this one way.
 */
public final class Sqnr {

    private double signal;
    private double noise;

    /** Adds one value and its approximation. */
    public void add(double original, double approximation) {
        double e = original - approximation;
        signal += original * original;
        noise += e * e;
    }

    /** Adds {@code count} values equal to {@code original}, each with squared error {@code squaredError}. */
    public void add(long count, double original, double squaredError) {
        signal += count * original * original;
        noise += count * squaredError;
    }

    /** Adds sums of x² and of (x − x̂)² computed elsewhere (a block at a time, say). */
    public void addSums(double signalSum, double noiseSum) {
        signal += signalSum;
        noise += noiseSum;
    }

    /** Adds another's sums (to merge parts computed apart). */
    public void add(Sqnr other) {
        signal += other.signal;
        noise += other.noise;
    }

    public double db() {
        return 10 * Math.log10(Math.max(signal, 1e-30) / Math.max(noise, 1e-30));
    }

    /** The SQNR of {@code approximation} against {@code original}, element by element. */
    public static double of(float[] original, float[] approximation) {
        Sqnr s = new Sqnr();
        for (int i = 0; i < original.length; i++) {
            s.add(original[i], approximation[i]);
        }
        return s.db();
    }
}

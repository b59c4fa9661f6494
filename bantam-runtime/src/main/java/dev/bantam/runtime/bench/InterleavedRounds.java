package dev.bantam.runtime.bench;

import dev.bantam.onnx.ProgressListener;
import dev.bantam.runtime.InferenceSession;
import dev.bantam.runtime.metrics.Percentiles;
import java.util.Arrays;
import java.util.List;

/**
 * Side-by-side timing of prepared runs: rounds in which every model runs its count of times, the order reversed
 * every other round (so drift hits all alike), the median of each round kept, and each model's median of its
 * rounds the answer. The one loop behind the speed check and the speed guard.
 */
final class InterleavedRounds {

    private InterleavedRounds() {
    }

    /**
     * Runs per round so that a round of the model lasts about {@code roundNanos}, after {@code warmup} runs; one
     * count for all (from the slowest) when {@code shared}.
     */
    static int[] runsPerRound(List<InferenceSession.PreparedFeeds> feeds, int warmup, long roundNanos, boolean shared) {
        int[] runs = new int[feeds.size()];
        long slowest = 1;
        for (int i = 0; i < runs.length; i++) {
            for (int w = 0; w < warmup; w++) {
                feeds.get(i).runTimed();
            }
            long t = Math.max(1, feeds.get(i).runTimed());
            slowest = Math.max(slowest, t);
            runs[i] = count(roundNanos, t);
        }
        if (shared) {
            Arrays.fill(runs, count(roundNanos, slowest));
        }
        return runs;
    }

    private static int count(long roundNanos, long t) {
        return (int) Math.clamp((roundNanos + t - 1) / t, 1, 200);
    }

    /** Per model, the median milliseconds of each of {@code rounds} interleaved rounds. */
    static double[][] run(List<InferenceSession.PreparedFeeds> feeds, int[] runs, int rounds, String stage,
                          ProgressListener progress) {
        int n = feeds.size();
        double[][] out = new double[n][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < n; k++) {
                int i = r % 2 == 0 ? k : n - 1 - k;
                double[] ms = new double[runs[i]];
                for (int j = 0; j < ms.length; j++) {
                    ms[j] = feeds.get(i).runTimed() / 1e6;
                }
                out[i][r] = median(ms);
            }
            progress.progress(stage, r + 1, rounds);
        }
        return out;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return Percentiles.of(s, 50);
    }
}

package dev.bantam.runtime.bench;

import dev.bantam.onnx.ProgressListener;
import dev.bantam.runtime.InferenceSession;
import dev.bantam.runtime.ProcessMemory;
import dev.bantam.runtime.metrics.Percentiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Long-run stability: the models run in turn, one batch each, for a given time; each second's median latency per
 * model and the process's resident memory are kept. Drift compares the first window with the last (a minute each
 * when the run lasts two or more, else a quarter of it); memory growth is the resident size at the end against
 * the start, after warm-up.
 */
public final class StabilityRun {

    /**
     * @param firstMs      median of the per-second medians in the first window
     * @param lastMs       the same in the last window
     * @param driftPercent (lastMs / firstMs - 1) x 100: positive means slower at the end
     * @param secondMs     the median latency of every second, in order
     */
    public record Drift(String name, long runs, double firstMs, double lastMs, double driftPercent, double[] secondMs) {
    }

    /**
     * @param rssMiB the process's resident size at the end of every second
     */
    public record Result(String data, int batch, int seconds, int windowSeconds, List<Drift> models,
                         double rssStartMiB, double rssEndMiB, double rssGrowthMiB, double rssPeakMiB, double[] rssMiB) {
    }

    private StabilityRun() {
    }

    public static Result run(BenchConfig c, int seconds, ProgressListener progress) throws IOException {
        if (seconds < 4) {
            throw new IllegalArgumentException("a stability run needs at least 4 seconds, not " + seconds);
        }
        try (BenchSessions b = BenchSessions.open(c)) {
            List<InferenceSession.PreparedFeeds> feeds = b.feeds;
            for (InferenceSession.PreparedFeeds f : feeds) {
                for (int w = 0; w < Math.max(1, c.warmup()); w++) {
                    f.runTimed();
                }
            }
            int n = feeds.size();
            double[][] secondMs = new double[n][seconds];
            long[] runs = new long[n];
            double[] rss = new double[seconds];
            double rssStart = ProcessMemory.residentBytes() / 1048576.0;
            long start = System.nanoTime();
            for (int s = 0; s < seconds; s++) {
                long end = start + (s + 1) * 1_000_000_000L;
                List<List<Double>> ms = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    ms.add(new ArrayList<>());
                }
                do {
                    for (int i = 0; i < n; i++) {
                        ms.get(i).add(feeds.get(i).runTimed() / 1e6);
                        runs[i]++;
                    }
                } while (System.nanoTime() < end);
                for (int i = 0; i < n; i++) {
                    secondMs[i][s] = median(ms.get(i).stream().mapToDouble(Double::doubleValue).toArray());
                }
                rss[s] = ProcessMemory.residentBytes() / 1048576.0;
                progress.progress("stability run (s)", s + 1, seconds);
            }
            return result(c, b.data, seconds, secondMs, runs, rssStart, rss);
        }
    }

    private static Result result(BenchConfig c, String data, int seconds, double[][] secondMs, long[] runs,
                                 double rssStart, double[] rss) {
        int window = seconds >= 120 ? 60 : Math.max(1, seconds / 4);
        List<Drift> drifts = new ArrayList<>();
        for (int i = 0; i < secondMs.length; i++) {
            double first = median(Arrays.copyOfRange(secondMs[i], 0, window));
            double last = median(Arrays.copyOfRange(secondMs[i], seconds - window, seconds));
            Path p = c.models().get(i);
            drifts.add(new Drift(p.getFileName().toString().replaceAll("\\.onnx$", ""), runs[i], first, last,
                    (last / first - 1) * 100, secondMs[i]));
        }
        double end = rss[seconds - 1];
        return new Result(data, c.batch(), seconds, window, drifts, rssStart, end, end - rssStart,
                ProcessMemory.peakResidentBytes() / 1048576.0, rss);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return Percentiles.of(s, 50);
    }
}

package dev.bantam.runtime.bench;

import dev.bantam.onnx.ProgressListener;
import dev.bantam.runtime.InferenceSession;
import dev.bantam.runtime.metrics.Percentiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Times models side by side in one process: every model is loaded and warmed up, then rounds run the
 * models in turn (interleaved, so machine noise hits all of them alike) and each round's median is kept.
 */
public final class LatencyBenchmark {

    private LatencyBenchmark() {
    }

    public static BenchResult run(BenchConfig c, ProgressListener progress) throws IOException {
        try (BenchSessions b = BenchSessions.open(c)) {
            List<InferenceSession.PreparedFeeds> feeds = b.feeds;
            String dataDescription = b.data;
            long total = (long) c.models().size() * (c.warmup() + (long) c.rounds() * c.iterations());
            long done = 0;
            for (int i = 0; i < feeds.size(); i++) {
                for (int w = 0; w < c.warmup(); w++) {
                    feeds.get(i).runTimed();
                    progress.progress("benchmarking", ++done, total);
                }
            }
            double[][] roundMedians = new double[feeds.size()][c.rounds()];
            List<List<Double>> all = new ArrayList<>();
            feeds.forEach(f -> all.add(new ArrayList<>()));
            for (int r = 0; r < c.rounds(); r++) {
                for (int i = 0; i < feeds.size(); i++) {
                    double[] ms = new double[c.iterations()];
                    for (int k = 0; k < ms.length; k++) {
                        ms[k] = feeds.get(i).runTimed() / 1e6;
                        all.get(i).add(ms[k]);
                        progress.progress("benchmarking", ++done, total);
                    }
                    Arrays.sort(ms);
                    roundMedians[i][r] = Percentiles.of(ms, 50);
                }
            }
            return result(c, dataDescription, roundMedians, all);
        }
    }

    private static BenchResult result(BenchConfig c, String data, double[][] roundMedians, List<List<Double>> all)
            throws IOException {
        List<BenchResult.Entry> entries = new ArrayList<>();
        double first = 0;
        for (int i = 0; i < roundMedians.length; i++) {
            double[] sorted = roundMedians[i].clone();
            Arrays.sort(sorted);
            double median = Percentiles.of(sorted, 50);
            double[] every = all.get(i).stream().mapToDouble(Double::doubleValue).sorted().toArray();
            if (i == 0) {
                first = median;
            }
            Path p = c.models().get(i);
            entries.add(new BenchResult.Entry(p.getFileName().toString().replaceAll("\\.onnx$", ""), p.toString(),
                    Files.size(p), median, Percentiles.of(every, 90), c.batch() / (median / 1e3), roundMedians[i],
                    median / first, first / median));
        }
        return new BenchResult(data, c.batch(), c.runtime().intraOpThreads(), c.rounds(), c.iterations(), entries);
    }
}

package dev.bantam.runtime.bench;

import dev.bantam.onnx.ProgressListener;
import dev.bantam.onnx.io.ModelIO;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.runtime.DataException;
import dev.bantam.runtime.InferenceSession;
import dev.bantam.runtime.data.DataSpec;
import dev.bantam.runtime.metrics.Percentiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Times models side by side in one process: every model is loaded and warmed up, then rounds run the
 * models in turn (interleaved, so machine noise hits all of them alike) and each round's median is kept.
 */
public final class LatencyBenchmark {

    private LatencyBenchmark() {
    }

    public static BenchResult run(BenchConfig c, ProgressListener progress) throws IOException {
        List<InferenceSession> sessions = new ArrayList<>();
        List<InferenceSession.PreparedFeeds> feeds = new ArrayList<>();
        String dataDescription = null;
        try {
            for (Path p : c.models()) {
                Model m = ModelIO.load(p);
                dev.bantam.onnx.check.ModelChecker.check(m).requireValid(); // nothing unchecked reaches ONNX Runtime
                InferenceSession s;
                try (dev.bantam.runtime.context.TempModel lean = dev.bantam.runtime.context.TempModel.forSession(m, "bench")) {
                    s = InferenceSession.open(lean == null ? p : lean.file(), c.runtime());
                }
                sessions.add(s);
                var source = DataSpec.open(c.data(), m, s.inputs());
                if (source.size() < c.batch()) {
                    throw new DataException("the data holds " + source.size() + " items, fewer than a batch of " + c.batch());
                }
                Map<String, Tensor> batch = source.batch(0, c.batch()).feeds();
                feeds.add(s.prepare(batch));
                dataDescription = source.describe();
            }
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
        } finally {
            feeds.forEach(InferenceSession.PreparedFeeds::close);
            sessions.forEach(InferenceSession::close);
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

package dev.bantam.runtime.bench;

import dev.bantam.onnx.ProgressListener;
import dev.bantam.onnx.check.ModelChecker;
import dev.bantam.onnx.io.ModelIO;
import dev.bantam.onnx.ir.Model;
import dev.bantam.runtime.FixedBatch;
import dev.bantam.runtime.InferenceSession;
import dev.bantam.runtime.RuntimeOptions;
import dev.bantam.runtime.context.TempModel;
import dev.bantam.runtime.data.DataSource;
import dev.bantam.runtime.data.DataSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether a compressed model is faster than its input, measured side by side in one process on the same batch of
 * real data: both warmed up, then {@link #ROUNDS} interleaved rounds (the order alternating, so drift hits both
 * alike), each round long enough to measure, and the median of the rounds' medians kept. A ratio below
 * {@link #SLOWER_BELOW} is slower beyond noise.
 */
public final class SpeedCheck {

    public static final int ROUNDS = 7;
    /** Speed ratios from 0.97 to 1 are within the noise of this machine's interleaved medians. */
    public static final double SLOWER_BELOW = 0.97;
    /** The shortest time one round runs each model, repeating it as often as needed. */
    static final long ROUND_NANOS = 25_000_000;
    private static final int WARMUP = 2;

    /**
     * @param data      the data the batch came from (its description)
     * @param inputMs   the input's median latency per batch
     * @param outputMs  the output's
     * @param speedup   inputMs / outputMs: above 1 the output is faster
     */
    public record Result(String data, int batch, int threads, int rounds, int runsPerRound, double inputMs,
                         double outputMs, double speedup, double[] inputRoundsMs, double[] outputRoundsMs) {

        public boolean slower() {
            return speedup < SLOWER_BELOW;
        }
    }

    private SpeedCheck() {
    }

    /**
     * Times {@code input} and {@code output} on the first {@code batch} items of {@code data} (fewer when the data
     * has fewer; the models' fixed batch when they have one; {@code batch} 0 = 32).
     */
    public static Result run(Path input, Path output, String data, int batch, RuntimeOptions runtime,
                             ProgressListener progress) throws IOException {
        List<InferenceSession> sessions = new ArrayList<>();
        List<InferenceSession.PreparedFeeds> feeds = new ArrayList<>();
        try {
            Opened in = open(input, data, batch, 0, runtime);
            sessions.add(in.session());
            feeds.add(in.feeds());
            Opened out = open(output, data, batch, in.batch(), runtime);
            sessions.add(out.session());
            feeds.add(out.feeds());
            String described = in.data();
            int used = in.batch();
            return measure(feeds, described, used, runtime.intraOpThreads(), progress);
        } finally {
            feeds.forEach(InferenceSession.PreparedFeeds::close);
            sessions.forEach(InferenceSession::close);
        }
    }

    private record Opened(InferenceSession session, InferenceSession.PreparedFeeds feeds, String data, int batch) {
    }

    /**
     * One model's session and feeds. The model's IR lives only inside this call, so that the two models (and
     * their large doc strings) are never held at once: with both held, a model carrying a 20 MB doc string cost
     * 4.8x its file size in peak memory in static quantize instead of 2.3x.
     */
    private static Opened open(Path p, String data, int batch, int used, RuntimeOptions runtime) throws IOException {
        // the compression before it left its copies of the model as garbage: collect them before loading another,
        // or the heap grows to hold both (a 20 MB doc string: +2.5x the file's size in peak memory)
        System.gc();
        Model m = ModelIO.load(p);
        ModelChecker.check(m).requireValid();
        InferenceSession s;
        try (TempModel lean = TempModel.forSession(m, "speed")) {
            s = InferenceSession.open(lean == null ? p : lean.file(), runtime);
        }
        try {
            DataSource source = DataSpec.open(data, m, s.inputs());
            int n = used > 0 ? used
                    : Math.max(1, Math.min(FixedBatch.cap(s.inputs(), batch > 0 ? batch : 32), source.size()));
            return new Opened(s, s.prepare(source.batch(0, n).feeds()), source.describe(), n);
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
    }

    private static Result measure(List<InferenceSession.PreparedFeeds> feeds, String data, int batch, int threads,
                                  ProgressListener progress) {
        int[] runs = InterleavedRounds.runsPerRound(feeds, WARMUP, ROUND_NANOS, true);
        double[][] rounds = InterleavedRounds.run(feeds, runs, ROUNDS, "checking speed", progress);
        double in = InterleavedRounds.median(rounds[0]);
        double out = InterleavedRounds.median(rounds[1]);
        return new Result(data, batch, threads, ROUNDS, runs[0], in, out, in / out, rounds[0], rounds[1]);
    }
}

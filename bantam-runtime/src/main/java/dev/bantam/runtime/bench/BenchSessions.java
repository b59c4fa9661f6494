package dev.bantam.runtime.bench;

import dev.bantam.onnx.check.ModelChecker;
import dev.bantam.onnx.io.ModelIO;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.runtime.DataException;
import dev.bantam.runtime.InferenceSession;
import dev.bantam.runtime.context.TempModel;
import dev.bantam.runtime.data.DataSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The sessions a benchmark times: every model checked, loaded in ONNX Runtime, and given one batch of the data as
 * feeds prepared once, so that timed runs copy nothing.
 */
final class BenchSessions implements AutoCloseable {

    final List<InferenceSession> sessions = new ArrayList<>();
    final List<InferenceSession.PreparedFeeds> feeds = new ArrayList<>();
    String data;

    static BenchSessions open(BenchConfig c) throws IOException {
        BenchSessions b = new BenchSessions();
        try {
            for (Path p : c.models()) {
                Model m = ModelIO.load(p);
                ModelChecker.check(m).requireValid(); // nothing unchecked reaches ONNX Runtime
                InferenceSession s;
                try (TempModel lean = TempModel.forSession(m, "bench")) {
                    s = InferenceSession.open(lean == null ? p : lean.file(), c.runtime());
                }
                b.sessions.add(s);
                var source = DataSpec.open(c.data(), m, s.inputs());
                if (source.size() < c.batch()) {
                    throw new DataException("the data holds " + source.size() + " items, fewer than a batch of " + c.batch());
                }
                Map<String, Tensor> batch = source.batch(0, c.batch()).feeds();
                b.feeds.add(s.prepare(batch));
                b.data = source.describe();
            }
            return b;
        } catch (IOException | RuntimeException e) {
            b.close();
            throw e;
        }
    }

    @Override
    public void close() {
        feeds.forEach(InferenceSession.PreparedFeeds::close);
        sessions.forEach(InferenceSession::close);
    }
}

package dev.bantam.bench.fuzz;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * A fuzz campaign: model and data-spec cases split in chunks over {@code jobs} worker JVMs, findings grouped by
 * signature, the smallest reproducer of each chosen (and saved to a corpus on request). Also replays a corpus.
 */
public final class FuzzCampaign {

    /** What a campaign did and found. */
    public record Result(long modelCases, long specCases, double seconds, long caseMillis,
                         Map<String, FindingGroup> groups) {

        public List<FindingGroup> unknown() {
            return groups.values().stream().filter(g -> !g.known).toList();
        }
    }

    private record Chunk(String kind, long from, long to) {
    }

    private FuzzCampaign() {
    }

    public static Result run(CampaignConfig c) throws IOException, InterruptedException {
        return run(c, false, r -> { });
    }

    /**
     * With {@code replay}, runs every corpus entry instead of generated cases; {@code progress} hears the result so
     * far after each chunk (from the worker threads, one at a time).
     */
    public static Result run(CampaignConfig c, boolean replay, Consumer<Result> progress)
            throws IOException, InterruptedException {
        Files.createDirectories(c.work());
        List<Chunk> chunks = new ArrayList<>();
        if (replay) {
            split(chunks, "corpus", Corpus.entries(c.corpus()).size(), c);
        } else {
            List<Chunk> models = new ArrayList<>();
            List<Chunk> specs = new ArrayList<>();
            split(models, "model", c.models(), c);
            split(specs, "spec", c.specs(), c);
            interleave(chunks, models, specs);
        }
        ConcurrentLinkedQueue<Chunk> queue = new ConcurrentLinkedQueue<>(chunks);
        Set<String> known = Corpus.entries(c.corpus()).stream().map(Corpus.Entry::signature)
                .collect(Collectors.toSet());
        long t0 = System.nanoTime();
        List<Object[]> done = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(c.jobs())) {
            List<Future<?>> futures = new ArrayList<>();
            for (int j = 0; j < c.jobs(); j++) {
                futures.add(pool.submit(() -> {
                    for (Chunk k; (k = queue.poll()) != null; ) {
                        WorkerProcess.Outcome o = new WorkerProcess(c).run(k.kind(), k.from(), k.to());
                        synchronized (done) {
                            done.add(new Object[] {k.kind(), o});
                            progress.accept(result(done, t0, known));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("fuzz campaign failed: " + e.getCause().getMessage(), e.getCause());
        }
        return result(done, t0, known);
    }

    private static Result result(List<Object[]> done, long t0, Set<String> known) {
        long[] counts = new long[2];
        long millis = 0;
        Map<String, FindingGroup> groups = new LinkedHashMap<>();
        for (Object[] d : done) {
            WorkerProcess.Outcome o = (WorkerProcess.Outcome) d[1];
            counts[d[0].equals("spec") ? 1 : 0] += o.cases();
            millis += o.caseMillis();
            for (Finding f : o.findings()) {
                groups.computeIfAbsent(f.signature(), s -> new FindingGroup(f)).add(f);
            }
        }
        for (FindingGroup g : groups.values()) {
            g.known = known.contains(g.first.signature());
        }
        return new Result(counts[0], counts[1], (System.nanoTime() - t0) / 1e9, millis, groups);
    }

    /** Spreads the shorter list evenly through the longer, so a campaign stopped early has run both kinds. */
    private static void interleave(List<Chunk> out, List<Chunk> a, List<Chunk> b) {
        int i = 0;
        int j = 0;
        while (i < a.size() || j < b.size()) {
            if (j >= b.size() || (i < a.size() && (long) i * b.size() <= (long) j * a.size())) {
                out.add(a.get(i++));
            } else {
                out.add(b.get(j++));
            }
        }
    }

    private static void split(List<Chunk> chunks, String kind, long total, CampaignConfig c) {
        long size = Math.max(1, Math.min(c.chunk(), (total + c.jobs() - 1) / c.jobs()));
        for (long from = 0; from < total; from += size) {
            chunks.add(new Chunk(kind, from, Math.min(total, from + size)));
        }
    }

    /** Chooses each group's smallest reproducer and, with {@code saveTo}, writes it to that corpus folder. */
    public static void saveReproducers(Result r, Path saveTo) throws IOException {
        for (FindingGroup g : r.groups().values()) {
            g.chooseSmallest(30);
            if (saveTo != null && !g.first.command().equals("harness") && !g.first.kind().equals("corpus")) {
                g.reproducer = Corpus.save(saveTo, g.smallest, g.count).toString();
            }
        }
    }

    public static void main(String[] args) throws Exception {
        FuzzOptions o = FuzzOptions.parse(args);
        Result r = run(o.config(), o.replay(), partial -> {
            System.err.printf(java.util.Locale.ROOT, "fuzz: %d model cases, %d spec cases, %.0f s, %d distinct findings%n",
                    partial.modelCases(), partial.specCases(), partial.seconds(), partial.groups().size());
            if (o.json() != null) {
                try {
                    FuzzReport.write(partial, o.config(), o.json());
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        });
        saveReproducers(r, o.saveCorpus());
        FuzzReport.print(r, o.config(), o.json());
        if (r.groups().values().stream().noneMatch(g -> g.first.problem().equals(Finding.Problem.CRASH))) {
            FileHashes.deleteTree(o.config().work());
        }
        System.exit(o.failOnNew() && !r.unknown().isEmpty() ? 1 : 0);
    }
}

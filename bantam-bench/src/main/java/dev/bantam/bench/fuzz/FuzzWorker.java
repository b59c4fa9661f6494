package dev.bantam.bench.fuzz;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A worker JVM of a campaign: runs cases {@code from} to {@code to - 1} of one kind and reports on stdout, one line
 * each: {@code @@S i} when case i starts, {@code @@P i phase} before each command, {@code @@F json} per finding,
 * {@code @@D i millis} when it is done. The parent reads these to place hangs and crashes.
 * Usage: {@code FuzzWorker model|spec|corpus SEED FROM TO WORKDIR [CORPUS]} (corpus: entries FROM to TO - 1).
 */
public final class FuzzWorker {

    private FuzzWorker() {
    }

    public static void main(String[] args) throws Exception {
        String kind = args[0];
        long seed = Long.parseLong(args[1]);
        long from = Long.parseLong(args[2]);
        long to = Long.parseLong(args[3]);
        Path work = Files.createDirectories(Path.of(args[4]));
        Path corpus = args.length > 5 ? Path.of(args[5]) : null;
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, "UTF-8");
        System.setOut(new PrintStream(java.io.OutputStream.nullOutputStream()));
        ObjectMapper json = new ObjectMapper();
        for (long i = from; i < to; i++) {
            long index = i;
            out.println("@@S " + i);
            long t0 = System.nanoTime();
            Path dir = work.resolve("case-" + i);
            List<Finding> found;
            try {
                found = runCase(kind, Rng.caseSeed(seed, i), corpus, i, dir, phase -> out.println("@@P " + index + " " + phase));
            } catch (Throwable t) {
                found = List.of(Finding.of(kind, Rng.caseSeed(seed, i), "harness", t instanceof OutOfMemoryError
                        ? Finding.Problem.OOM : Finding.Problem.THROWN, Signatures.throwable(t)));
            } finally {
                FileHashes.deleteTree(dir);
            }
            for (Finding f : found) {
                out.println("@@F " + json.writeValueAsString(f));
            }
            out.println("@@D " + i + " " + (System.nanoTime() - t0) / 1_000_000);
        }
        out.flush();
        System.exit(0);
    }

    static List<Finding> runCase(String kind, long caseSeed, Path corpus, long index, Path dir,
                                 java.util.function.Consumer<String> phase) throws Exception {
        return switch (kind) {
            case "corpus" -> switch (Corpus.load(corpus, (int) index)) {
                case ModelCase m -> new ModelCaseRunner(phase).run(m, dir);
                case SpecCase s -> new SpecCaseRunner(phase).run(s, dir);
                default -> throw new IllegalStateException("unknown corpus entry");
            };
            case "model" -> new ModelCaseRunner(phase).run(ModelGenerator.generate(caseSeed), dir);
            case "spec" -> new SpecCaseRunner(phase).run(SpecGenerator.generate(caseSeed), dir);
            default -> throw new IllegalArgumentException("kind must be model or spec: " + kind);
        };
    }
}

package dev.bantam.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.bantam.onnx.io.ModelIO;
import dev.bantam.onnx.testing.LargeModels;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Load, inspect and save time and memory for MiniLM (90 MB, weights inline) and a generated 2.25 GiB model
 * (weights external). Each measurement runs in a fresh JVM whose heap is capped at 1.2x the model's size,
 * so finishing at all proves the heap target; the figures are medians over the runs, phases interleaved.
 *
 * <p>Usage: {@code bench/io [--runs N] [--models minilm,large] [--json FILE]}
 */
public final class IoBenchmark {

    private static final String[] PHASES = {"load", "inspect", "save"};
    private static final double HEAP_TARGET = 1.2;

    private IoBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--child")) {
            Map<String, Object> r = IoPhase.run(args[1], Path.of(args[2]), Path.of(args[3]));
            System.out.println(new ObjectMapper().writeValueAsString(r));
            return;
        }
        int runs = 5;
        List<String> models = List.of("minilm", "large");
        Path json = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--models" -> models = List.of(args[++i].split(","));
                case "--json" -> json = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path work = Path.of("target", "bench-io").toAbsolutePath();
        Map<String, Path> files = new LinkedHashMap<>();
        for (String m : models) {
            files.put(m, prepare(m, work));
        }
        Map<String, List<Map<String, Object>>> samples = new LinkedHashMap<>();
        for (int run = 0; run < runs; run++) {
            for (var e : files.entrySet()) {
                for (String phase : PHASES) {
                    System.err.printf(Locale.ROOT, "run %d/%d: %s %s%n", run + 1, runs, e.getKey(), phase);
                    samples.computeIfAbsent(e.getKey() + " " + phase, k -> new ArrayList<>())
                            .add(Child.run(phase, e.getValue(), work.resolve("out-" + e.getKey()), heapCap(e.getValue())));
                }
            }
        }
        Map<String, Object> result = Report.summarize(files, samples, runs, HEAP_TARGET);
        String text = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(result);
        System.out.println(text);
        if (json != null) {
            Files.writeString(json, text);
        }
        System.out.println(Report.table(result));
    }

    /** The model's total size on disk: the .onnx file plus its external data. */
    static long modelBytes(Path model) throws Exception {
        long n = Files.size(model);
        try (Stream<Path> s = Files.list(model.getParent())) {
            for (Path p : s.filter(p -> p.getFileName().toString().endsWith(".data")).toList()) {
                n += Files.size(p);
            }
        }
        return n;
    }

    private static long heapCap(Path model) throws Exception {
        return Math.max(64L << 20, (long) (HEAP_TARGET * modelBytes(model)));
    }

    private static Path prepare(String name, Path work) throws Exception {
        Path dir = Files.createDirectories(work.resolve(name));
        return switch (name) {
            case "minilm" -> {
                Path p = dir.resolve("all-minilm-l6-v2.onnx");
                if (!Files.exists(p)) {
                    try (InputStream in = IoBenchmark.class.getClassLoader().getResourceAsStream("all-minilm-l6-v2.onnx")) {
                        Files.copy(in, p, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
                yield p;
            }
            case "large" -> {
                Path p = dir.resolve("large.onnx");
                if (!Files.exists(p)) {
                    System.err.println("generating the 2.25 GiB model in " + dir);
                    try (Arena arena = Arena.ofConfined()) {
                        ModelIO.save(LargeModels.build(arena), p);
                    }
                }
                yield p;
            }
            default -> throw new IllegalArgumentException("unknown model " + name + " (minilm, large)");
        };
    }
}

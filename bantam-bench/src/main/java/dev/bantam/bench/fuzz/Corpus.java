package dev.bantam.bench.fuzz;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The regression corpus: one folder per distinct finding, holding the smallest case that showed it (a model's
 * files under {@code in/}, a spec's data files under {@code data/}) and {@code case.json} describing it.
 */
public final class Corpus {

    /** What case.json holds. */
    public record Entry(String kind, long seed, String signature, String problem, String command, String detail,
                        List<String> steps, String spec, String model, List<String> dirs, List<String> fifos,
                        long count) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private Corpus() {
    }

    /** The entries, sorted by folder name; empty when the folder does not exist. */
    public static List<Entry> entries(Path corpus) throws IOException {
        List<Entry> out = new ArrayList<>();
        for (Path d : folders(corpus)) {
            out.add(JSON.readValue(d.resolve("case.json").toFile(), Entry.class));
        }
        return out;
    }

    static List<Path> folders(Path corpus) throws IOException {
        if (corpus == null || !Files.isDirectory(corpus)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(corpus)) {
            return s.filter(d -> Files.isRegularFile(d.resolve("case.json"))).sorted().toList();
        }
    }

    static String folderName(Finding f) {
        return (f.problem() + "-" + f.command()).replaceAll("[^A-Za-z0-9-]", "-") + "-"
                + String.format("%08x", f.signature().hashCode());
    }

    /** Saves a case for a finding (replacing an entry of the same signature) and returns its folder. */
    static Path save(Path corpus, Finding f, long count) throws IOException {
        Path dir = corpus.resolve(folderName(f));
        FileHashes.deleteTree(dir);
        Files.createDirectories(dir);
        Entry e;
        if (f.kind().equals("model")) {
            ModelCase c = ModelGenerator.generate(f.seed());
            c.writeTo(dir.resolve("in"));
            e = new Entry("model", f.seed(), f.signature(), f.problem(), f.command(), f.detail(), c.steps(), null,
                    null, List.of(), List.of(), count);
        } else {
            SpecCase c = SpecGenerator.generate(f.seed());
            for (Map.Entry<String, byte[]> file : c.files().entrySet()) {
                Path p = dir.resolve("data").resolve(file.getKey());
                Files.createDirectories(p.getParent());
                Files.write(p, file.getValue());
            }
            e = new Entry("spec", f.seed(), f.signature(), f.problem(), f.command(), f.detail(), c.steps(), c.spec(),
                    c.model(), c.dirs(), c.fifos(), count);
        }
        JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("case.json").toFile(), e);
        return dir;
    }

    /** Entry {@code index} as a case to run: a model case from its files, or a spec case. */
    static Object load(Path corpus, int index) throws IOException {
        Path dir = folders(corpus).get(index);
        Entry e = JSON.readValue(dir.resolve("case.json").toFile(), Entry.class);
        if (e.kind().equals("model")) {
            Map<String, byte[]> files = new HashMap<>();
            Path in = dir.resolve("in");
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : (Iterable<Path>) s::iterator) {
                    if (Files.isRegularFile(p) && !p.getFileName().toString().equals("case.json")) {
                        files.put(in.relativize(p).toString(), Files.readAllBytes(p));
                    }
                }
            }
            return new ModelCase(e.seed(), e.steps(), files);
        }
        Map<String, byte[]> files = new HashMap<>();
        Path data = dir.resolve("data");
        if (Files.isDirectory(data)) {
            try (Stream<Path> s = Files.walk(data)) {
                for (Path p : (Iterable<Path>) s::iterator) {
                    if (Files.isRegularFile(p)) {
                        files.put(data.relativize(p).toString(), Files.readAllBytes(p));
                    }
                }
            }
        }
        return new SpecCase(e.seed(), e.steps(), e.spec(), e.model(), files, e.dirs(), e.fifos());
    }
}

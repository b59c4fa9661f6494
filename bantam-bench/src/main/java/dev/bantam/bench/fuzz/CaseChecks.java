package dev.bantam.bench.fuzz;

import dev.bantam.bench.fuzz.Finding.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/** The checks shared by model and data-spec cases; an empty argument is dropped. */
final class CaseChecks {
    private final String kind;
    private final long seed;
    private final Path caseDir;
    private final Consumer<String> phase;
    private final Map<String, String> inputs;
    private final List<Path> written = new ArrayList<>();

    CaseChecks(String kind, long seed, Path caseDir, Consumer<String> phase) throws IOException {
        this.kind = kind;
        this.seed = seed;
        this.caseDir = caseDir;
        this.phase = phase;
        this.inputs = hashInputs();
    }

    private Map<String, String> hashInputs() throws IOException {
        return FileHashes.of(caseDir, p -> p.getName(0).toString().startsWith("out-"));
    }

    /** Runs one command; {@code outDir} non-null means it writes "OUT" (replaced by a file in that folder). */
    Cli command(List<Finding> f, String outDir, String... args) throws IOException {
        Path dir = outDir == null ? null : Files.createDirectories(caseDir.resolve(outDir));
        Path out = dir == null ? null : dir.resolve("m.onnx");
        String[] a = java.util.Arrays.stream(args).filter(x -> !x.isEmpty())
                .map(x -> x.equals("OUT") ? out.toString() : x).toArray(String[]::new);
        phase.accept(a[0]);
        Cli r = Cli.run(a);
        general(f, r);
        if (out != null) {
            outputs(f, r, dir, out);
        }
        return r;
    }

    private void general(List<Finding> f, Cli r) throws IOException {
        if (r.thrown() != null) {
            f.add(Finding.of(kind, seed, r.command(), r.thrown() instanceof OutOfMemoryError ? Problem.OOM
                    : Problem.THROWN, Signatures.throwable(r.thrown())));
        } else if (r.exit() < 0 || r.exit() > 2) {
            f.add(Finding.of(kind, seed, r.command(), Problem.EXIT_CODE, "exit " + r.exit() + ": " + r.err()));
        }
        String trace = Signatures.traceLine(r.err());
        if (trace != null) {
            f.add(Finding.of(kind, seed, r.command(), Problem.STACK_TRACE, trace));
        }
        String diff = FileHashes.diff(inputs, hashInputs());
        if (!diff.isEmpty()) {
            f.add(Finding.of(kind, seed, r.command(), Problem.MODIFIED_INPUT, diff));
        }
    }

    private void outputs(List<Finding> f, Cli r, Path dir, Path out) throws IOException {
        if (!r.ok()) {
            Set<String> left = OutputFiles.unexpected(dir, dir.resolve("none"));
            if (!left.isEmpty()) {
                f.add(Finding.of(kind, seed, r.command(), Problem.LEFTOVER_FILE, "after a failure: " + left));
            }
            return;
        }
        if (!Files.isRegularFile(out)) {
            f.add(Finding.of(kind, seed, r.command(), Problem.INVALID_OUTPUT, "exit 0 and no output written"));
            return;
        }
        Set<String> left = OutputFiles.unexpected(dir, out);
        if (!left.isEmpty()) {
            f.add(Finding.of(kind, seed, r.command(), Problem.LEFTOVER_FILE, "beside the output: " + left));
        }
        phase.accept("inspect-output-of-" + r.command());
        Cli check = Cli.run("inspect", out.toString());
        if (!check.ok()) {
            f.add(Finding.of(kind, seed, r.command(), Problem.INVALID_OUTPUT, check.thrown() != null
                    ? Signatures.throwable(check.thrown()) : check.err()));
        } else {
            written.add(out);
        }
    }

    /** Each checked output in ONNX Runtime; a refusal is a finding only when ONNX Runtime loads the input. */
    void ortOutputs(List<Finding> f, Path input) {
        Boolean inputLoads = null;
        for (Path out : written) {
            phase.accept("ort-load-output");
            String err = OrtCheck.loadError(out);
            if (err == null) {
                continue;
            }
            if (inputLoads == null) {
                phase.accept("ort-load-input");
                inputLoads = OrtCheck.loadError(input) == null;
            }
            if (inputLoads) {
                f.add(Finding.of(kind, seed, caseDir.relativize(out.getParent()).toString().substring(4),
                        Problem.ORT_REJECTS_OUTPUT, err));
            }
        }
    }
}

package dev.bantam.cli;

import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ir.TensorData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Refuses, before any work, an output file that would destroy something: the input model, a file the input
 * reads (its external data), another output of the same command, or an existing target that is not a
 * regular file (a directory, a FIFO, a device).
 */
final class OutputGuard {

    private OutputGuard() {
    }

    /**
     * @param input   the input model (loaded: its external data files are known); may be null
     * @param outputs option name and path of every file the command will write (null paths are skipped)
     */
    static void check(Path inputFile, Model input, List<Output> outputs) throws IOException {
        Set<Path> reads = new LinkedHashSet<>();
        if (inputFile != null) {
            reads.add(inputFile.toAbsolutePath().normalize());
        }
        if (input != null) {
            for (Tensor t : input.tensorsRecursive()) {
                if (t.data() instanceof TensorData.External e) {
                    reads.add(e.location().source().path().toAbsolutePath().normalize());
                }
            }
        }
        List<Output> seen = new ArrayList<>();
        for (Output o : outputs) {
            if (o.path() == null) {
                continue;
            }
            Path p = o.path().toAbsolutePath().normalize();
            if (Files.exists(p, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(p)) {
                throw new IllegalArgumentException(o.option() + " " + o.path() + " is not a regular file; refusing to replace it");
            }
            for (Path r : reads) {
                if (p.equals(r) || Files.exists(p) && Files.exists(r) && Files.isSameFile(p, r)) {
                    throw new IllegalArgumentException(o.option() + " " + o.path() + ": refusing to overwrite "
                            + (r.equals(reads.iterator().next()) ? "the input model" : "a file the input model reads")
                            + "; write the result to another file");
                }
            }
            for (Output other : seen) {
                if (other.path().toAbsolutePath().normalize().equals(p)) {
                    throw new IllegalArgumentException(o.option() + " and " + other.option() + " name the same file "
                            + o.path());
                }
            }
            seen.add(o);
        }
    }

    /** A file a command writes, and the option that named it. */
    record Output(String option, Path path) {
    }
}

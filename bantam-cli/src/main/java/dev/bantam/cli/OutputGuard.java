package dev.bantam.cli;

import dev.bantam.onnx.io.ModelIO;
import dev.bantam.onnx.ir.Model;
import dev.bantam.runtime.data.DataSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Refuses, before any work, a file a command would write that would destroy something: the input model, a
 * file the input reads (its external data, the recipe, the data), another output of the same command, or an
 * existing target that is not a regular file (a folder, a FIFO, a device). Every command that writes a file
 * lists all of its reads and writes here.
 */
final class OutputGuard {

    private final List<Read> reads = new ArrayList<>();
    private final List<Output> outputs = new ArrayList<>();

    /** A file the command reads, and what it is to the user. */
    private record Read(String what, Path path) {
    }

    /** A file a command writes, and the option that named it. */
    record Output(String option, Path path) {
    }

    /** The model file {@code in} (not loaded yet). */
    OutputGuard model(Path in) {
        return read("the input model", in);
    }

    /** A loaded model: its file and every external data file it reads. */
    OutputGuard model(Model m) {
        List<Path> files = ModelIO.filesRead(m);
        for (int i = 0; i < files.size(); i++) {
            read(i == 0 && m.source() != null ? "the input model" : "a file the input model reads", files.get(i));
        }
        return this;
    }

    /** The files a data spec reads (nothing for synthetic data; a spec that does not parse is left to its reader). */
    OutputGuard data(String spec) {
        if (spec != null) {
            try {
                DataSpec.files(spec).forEach(p -> read("the data", p));
            } catch (RuntimeException e) {
                // refused with its own message when the data is opened
            }
        }
        return this;
    }

    OutputGuard read(String what, Path p) {
        if (p != null) {
            reads.add(new Read(what, p.toAbsolutePath().normalize()));
        }
        return this;
    }

    OutputGuard write(String option, Path p) {
        if (p != null) {
            outputs.add(new Output(option, p));
        }
        return this;
    }

    /** Throws IllegalArgumentException naming the option and the file when a write would destroy something. */
    void check() throws IOException {
        List<Output> seen = new ArrayList<>();
        for (Output o : outputs) {
            Path p = o.path().toAbsolutePath().normalize();
            if (Files.exists(p, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(p)) {
                throw new IllegalArgumentException(o.option() + " " + o.path() + " is not a regular file; refusing to replace it");
            }
            for (Read r : reads) {
                if (p.equals(r.path()) || Files.exists(p) && Files.exists(r.path()) && Files.isSameFile(p, r.path())) {
                    throw new IllegalArgumentException(o.option() + " " + o.path() + ": refusing to overwrite "
                            + r.what() + "; write the result to another file");
                }
            }
            for (Output other : seen) {
                Path q = other.path().toAbsolutePath().normalize();
                if (q.equals(p) || Files.exists(p) && Files.exists(q) && Files.isSameFile(p, q)) {
                    throw new IllegalArgumentException(o.option() + " and " + other.option() + " name the same file "
                            + o.path());
                }
            }
            seen.add(o);
        }
    }
}

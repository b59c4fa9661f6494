package dev.bantam.onnx.io;

import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ir.TensorData;
import dev.bantam.onnx.ir.serde.OnnxSerde;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.LinkOption;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Loading and saving models. Loading maps the file and reads no tensor bytes; external data references
 * are checked (path, size, offset) but not read. Saving writes to temporary files and renames them into
 * place, so an interrupted save leaves the old files intact and an input is never modified in place.
 */
public final class ModelIO {

    /** Inline weights above this go external automatically in KEEP mode (protobuf's limit, with margin). */
    static final long AUTO_EXTERNAL_BYTES = OnnxSerde.MAX_MESSAGE_BYTES - (64L << 20);

    private ModelIO() {
    }

    /**
     * Loads a model from a file.
     *
     * @throws NoSuchFileException    when the file does not exist
     * @throws ModelFormatException   when the file is not a well-formed ONNX model
     * @throws ExternalDataException  when an external data reference is unsafe or broken
     */
    public static Model load(Path path) throws IOException {
        Path abs = path.toAbsolutePath().normalize();
        if (!Files.exists(abs)) {
            throw new NoSuchFileException(path.toString(), null, "no such file");
        }
        if (!Files.isRegularFile(abs)) {
            throw new ModelFormatException(path + " is not a regular file");
        }
        MemorySegment bytes = MappedFile.map(abs);
        Model m = OnnxSerde.read(bytes, new ExternalDataResolver(abs.getParent()));
        bytes.unload(); // the structure is on the heap now; tensors fault their pages back in when read
        m.setSource(abs);
        return m;
    }

    /**
     * The files a model reads: its own file (when it was loaded from one) and every external data file its
     * tensors come from, absolute and normalized, the model file first.
     */
    public static List<Path> filesRead(Model model) {
        Set<Path> files = new LinkedHashSet<>();
        if (model.source() != null) {
            files.add(model.source().toAbsolutePath().normalize());
        }
        for (Tensor t : model.tensorsRecursive()) {
            if (t.data() instanceof TensorData.External e) {
                files.add(e.location().source().path().toAbsolutePath().normalize());
            }
        }
        return List.copyOf(files);
    }

    /** The files {@link #save(Model, Path, SaveOptions)} would write: the model file, then its external data file if any. */
    public static List<Path> filesWritten(Model model, Path path, SaveOptions options) {
        Path out = path.toAbsolutePath().normalize();
        ExternalPlan plan = options.mode() == SaveOptions.Mode.INLINE ? null : ExternalPlan.of(model, options, out);
        return plan == null ? List.of(out) : List.of(out, plan.file());
    }

    /**
     * Throws when a file the save would write is one the model reads (under any name), is an existing
     * non-regular file (a folder, FIFO or device), or when two written files are the same.
     */
    static void refuseDestructiveTargets(Model model, List<Path> targets, Path named) throws IOException {
        List<Path> reads = filesRead(model);
        for (Path t : targets) {
            if (Files.exists(t, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(t)) {
                throw new IllegalArgumentException(t + " is not a regular file; refusing to replace it");
            }
            for (Path r : reads) {
                if (t.equals(r) || Files.exists(t) && Files.exists(r) && Files.isSameFile(t, r)) {
                    boolean self = r.equals(reads.getFirst()) && model.source() != null;
                    throw new IllegalArgumentException("refusing to overwrite " + (self ? "the input model " : "")
                            + t + (self ? "" : ": the model being saved reads its weights from it")
                            + "; write the result to another file");
                }
            }
        }
        if (targets.size() == 2 && targets.get(0).equals(targets.get(1))) {
            throw new IllegalArgumentException("the external data file cannot be the model file itself: " + named);
        }
    }

    /** Saves with {@link SaveOptions#keep()}. */
    public static SaveResult save(Model model, Path path) throws IOException {
        return save(model, path, SaveOptions.keep());
    }

    public static SaveResult save(Model model, Path path, SaveOptions options) throws IOException {
        Path out = path.toAbsolutePath().normalize();
        refuseDestructiveTargets(model, filesWritten(model, path, options), path);
        Path dir = out.getParent();
        Files.createDirectories(dir);
        if (options.mode() == SaveOptions.Mode.INLINE && inlineTensorBytes(model) > AUTO_EXTERNAL_BYTES) {
            throw new IllegalArgumentException("cannot save " + path + " inline: its " + inlineTensorBytes(model)
                    + " bytes of weights exceed protobuf's 2 GB limit; save them as external data");
        }
        ExternalPlan plan = ExternalPlan.of(model, options, out);
        Path dataTmp = null;
        Path modelTmp = AtomicFiles.tempFileBeside(out);
        try {
            long externalBytes = 0;
            if (plan != null) {
                dataTmp = AtomicFiles.tempFileBeside(plan.file());
                externalBytes = plan.write(dataTmp);
            }
            try (FileChannel ch = FileChannel.open(modelTmp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
                 OutputStream os = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 20)) {
                OnnxSerde.write(model, os, plan == null ? t -> null : plan);
                os.flush();
                ch.force(true);
            }
            long modelBytes = Files.size(modelTmp);
            if (dataTmp != null) {
                AtomicFiles.moveIntoPlace(dataTmp, plan.file());
                dataTmp = null;
            }
            AtomicFiles.moveIntoPlace(modelTmp, out);
            return new SaveResult(out, modelBytes, plan == null ? null : plan.file(), externalBytes,
                    plan == null ? 0 : plan.count());
        } finally {
            Files.deleteIfExists(modelTmp);
            if (dataTmp != null) {
                Files.deleteIfExists(dataTmp);
            }
        }
    }

    /** Total bytes of initializers held in memory or in the model file, for the KEEP-mode decision. */
    static long inlineTensorBytes(Model model) {
        long n = 0;
        Map<Tensor, Boolean> seen = new IdentityHashMap<>();
        for (Tensor t : model.tensorsRecursive()) {
            if (seen.put(t, Boolean.TRUE) == null && !(t.data() instanceof TensorData.External)) {
                n += t.storedByteSize();
            }
        }
        return n;
    }
}

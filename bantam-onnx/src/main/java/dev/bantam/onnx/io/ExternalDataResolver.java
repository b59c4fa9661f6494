package dev.bantam.onnx.io;

import dev.bantam.onnx.ir.ExternalLocation;
import dev.bantam.onnx.ir.KeyValue;
import dev.bantam.onnx.ir.serde.ExternalResolver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks external data references of an untrusted model before anything is read: the location must be a
 * relative path inside the model's folder (no "..", no absolute path, no link leading out), the file must
 * exist, and offset and length must lie inside it. Files are mapped lazily, once each.
 */
final class ExternalDataResolver implements ExternalResolver {

    private final Path modelDir;
    private final Path realModelDir;
    private final Map<Path, MappedFile> files = new HashMap<>();

    ExternalDataResolver(Path modelDir) throws IOException {
        this.modelDir = modelDir.toAbsolutePath().normalize();
        this.realModelDir = this.modelDir.toRealPath();
    }

    @Override
    public ExternalLocation resolve(String tensorName, List<KeyValue> entries, long expectedBytes) {
        String location = null;
        Long offset = null;
        Long length = null;
        for (KeyValue kv : entries) {
            String key = kv.key() == null ? "" : kv.key();
            switch (key) {
                case "location" -> location = kv.value();
                case "offset" -> offset = parseNonNegative(tensorName, key, kv.value());
                case "length" -> length = parseNonNegative(tensorName, key, kv.value());
                default -> { }
            }
        }
        String where = where(tensorName);
        if (location == null || location.isEmpty()) {
            throw new ExternalDataException(where + " is marked external but names no location");
        }
        MappedFile file = file(where, location);
        long off = offset == null ? 0 : offset;
        if (off > file.size()) {
            throw new ExternalDataException(where + ": offset " + off + " is beyond the end of '" + location
                    + "' (" + file.size() + " bytes)");
        }
        if (length != null && length > file.size() - off) {
            throw new ExternalDataException(where + ": offset " + off + " + length " + length
                    + " runs past the end of '" + location + "' (" + file.size() + " bytes)");
        }
        return new ExternalLocation(location, offset, length, entries, file);
    }

    private MappedFile file(String where, String location) {
        if (location.indexOf('\0') >= 0) {
            throw new ExternalDataException(where + ": external data location contains a NUL character");
        }
        String unified = location.replace('\\', '/');
        if (unified.startsWith("/") || unified.matches("^[A-Za-z]:.*") || Path.of(location).isAbsolute()) {
            throw new ExternalDataException(where + ": external data location '" + location
                    + "' is an absolute path; it must be relative to the model's folder");
        }
        for (String part : unified.split("/")) {
            if (part.equals("..")) {
                throw new ExternalDataException(where + ": external data location '" + location
                        + "' leaves the model's folder through '..'");
            }
        }
        Path p = modelDir.resolve(unified).normalize();
        if (!p.startsWith(modelDir)) {
            throw new ExternalDataException(where + ": external data location '" + location
                    + "' leaves the model's folder");
        }
        MappedFile cached = files.get(p);
        if (cached != null) {
            return cached;
        }
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS) && !Files.exists(p)) {
            throw new ExternalDataException(where + ": external data file '" + location + "' does not exist"
                    + " (looked in " + modelDir + ")");
        }
        try {
            Path real = p.toRealPath();
            if (!real.startsWith(realModelDir)) {
                throw new ExternalDataException(where + ": external data location '" + location
                        + "' is a link that leads out of the model's folder");
            }
            if (!Files.isRegularFile(real)) {
                throw new ExternalDataException(where + ": external data location '" + location
                        + "' is not a regular file");
            }
            MappedFile f = new MappedFile(real, Files.size(real));
            files.put(p, f);
            return f;
        } catch (IOException e) {
            throw new ExternalDataException(where + ": cannot read external data file '" + location + "': "
                    + e.getMessage());
        }
    }

    /** How a message names a tensor: by its name, or as unnamed (a Constant's value or a sparse tensor's part). */
    private static String where(String tensorName) {
        return tensorName == null || tensorName.isEmpty() ? "an unnamed tensor" : "tensor '" + tensorName + "'";
    }

    private static long parseNonNegative(String tensor, String key, String value) {
        if (value == null) {
            throw new ExternalDataException(where(tensor) + ": external data " + key + " has no value");
        }
        try {
            long v = Long.parseLong(value == null ? "" : value.trim());
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new ExternalDataException(where(tensor) + ": external data " + key + " '" + value
                    + "' is not a non-negative whole number");
        }
    }
}

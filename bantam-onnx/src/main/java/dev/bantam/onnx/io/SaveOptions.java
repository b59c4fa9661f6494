package dev.bantam.onnx.io;

/**
 * Where a saved model's weights go.
 *
 * @param mode             {@link Mode#KEEP}: inline stays inline and external stays external (weights too
 *                         large for one protobuf message go external automatically); {@link Mode#EXTERNAL}:
 *                         every initializer of at least {@code sizeThreshold} bytes goes to the external
 *                         file; {@link Mode#INLINE}: everything in the model file
 * @param externalFileName the external data file, relative to the model's folder; null for
 *                         "{model file name}.data"
 * @param sizeThreshold    initializers smaller than this stay inline in EXTERNAL mode
 */
public record SaveOptions(Mode mode, String externalFileName, long sizeThreshold) {

    public enum Mode { KEEP, EXTERNAL, INLINE }

    /** Same threshold as the ONNX Python tools' default. */
    public static final long DEFAULT_THRESHOLD = 1024;

    public SaveOptions {
        if (mode == null) {
            throw new IllegalArgumentException("mode is required");
        }
        if (sizeThreshold < 0) {
            throw new IllegalArgumentException("size threshold must be >= 0, got " + sizeThreshold);
        }
        if (externalFileName != null) {
            String n = externalFileName.replace('\\', '/');
            if (n.isEmpty() || n.startsWith("/") || n.matches("^[A-Za-z]:.*") || n.endsWith("/")
                    || java.util.Arrays.asList(n.split("/")).contains("..")) {
                throw new IllegalArgumentException("external data file '" + externalFileName
                        + "' must be a relative file name inside the model's folder");
            }
        }
    }

    public static SaveOptions keep() {
        return new SaveOptions(Mode.KEEP, null, DEFAULT_THRESHOLD);
    }

    public static SaveOptions inline() {
        return new SaveOptions(Mode.INLINE, null, DEFAULT_THRESHOLD);
    }

    public static SaveOptions external(String fileName, long threshold) {
        return new SaveOptions(Mode.EXTERNAL, fileName, threshold);
    }
}

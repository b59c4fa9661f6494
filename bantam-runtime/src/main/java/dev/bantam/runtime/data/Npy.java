package dev.bantam.runtime.data;

import dev.bantam.onnx.ir.DataType;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.runtime.DataException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/** Reads NumPy {@code .npy} arrays and {@code .npz} archives (C order, little-endian numeric types). */
public final class Npy {

    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([<>|=])(\\w\\d+)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order':\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    private Npy() {
    }

    /** Every array of an .npz (keyed by name without .npy) or the one array of an .npy (keyed by {@code name}). */
    public static Map<String, Tensor> read(Path file, String name) {
        if (!Files.isRegularFile(file)) {
            throw new DataException("data file " + file + " does not exist");
        }
        try (InputStream in = Files.newInputStream(file)) {
            Map<String, Tensor> out = new LinkedHashMap<>();
            if (file.toString().endsWith(".npz")) {
                try (ZipInputStream zip = new ZipInputStream(in)) {
                    for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                        String key = e.getName().replaceAll("\\.npy$", "");
                        out.put(key, parse(zip, file + ":" + e.getName(), key));
                    }
                }
            } else {
                out.put(name, parse(in, file.toString(), name));
            }
            return out;
        } catch (IOException e) {
            throw new DataException(file + ": cannot read: " + IoProblem.describe(e), e);
        }
    }

    static Tensor parse(InputStream in, String where, String name) throws IOException {
        byte[] magic = in.readNBytes(8);
        if (magic.length < 8 || magic[0] != (byte) 0x93 || !new String(magic, 1, 5, StandardCharsets.ISO_8859_1).equals("NUMPY")) {
            throw new DataException(where + ": not a .npy array");
        }
        int major = magic[6];
        byte[] lenBytes = in.readNBytes(major == 1 ? 2 : 4);
        int headerLen = major == 1 ? (lenBytes[0] & 0xff) | (lenBytes[1] & 0xff) << 8
                : (lenBytes[0] & 0xff) | (lenBytes[1] & 0xff) << 8 | (lenBytes[2] & 0xff) << 16 | (lenBytes[3] & 0xff) << 24;
        if (headerLen < 0 || headerLen > 1 << 20) {
            throw new DataException(where + ": implausible .npy header length " + headerLen);
        }
        String header = new String(in.readNBytes(headerLen), StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(header);
        Matcher f = FORTRAN.matcher(header);
        Matcher s = SHAPE.matcher(header);
        if (!d.find() || !f.find() || !s.find()) {
            throw new DataException(where + ": malformed .npy header");
        }
        if (f.group(1).equals("True")) {
            throw new DataException(where + ": Fortran-order arrays are not supported; save with C order");
        }
        if (d.group(1).equals(">")) {
            throw new DataException(where + ": big-endian arrays are not supported");
        }
        DataType type = switch (d.group(2)) {
            case "f4" -> DataType.FLOAT;
            case "f8" -> DataType.DOUBLE;
            case "f2" -> DataType.FLOAT16;
            case "i8" -> DataType.INT64;
            case "i4" -> DataType.INT32;
            case "i2" -> DataType.INT16;
            case "i1" -> DataType.INT8;
            case "u1" -> DataType.UINT8;
            case "b1" -> DataType.BOOL;
            default -> throw new DataException(where + ": unsupported dtype " + d.group(2));
        };
        String[] parts = s.group(1).split(",");
        long[] dims = java.util.Arrays.stream(parts).map(String::trim).filter(p -> !p.isEmpty())
                .mapToLong(Long::parseLong).toArray();
        long n = 1;
        for (long x : dims) {
            n = Math.multiplyExact(n, x);
        }
        long bytes = type.byteSize(n);
        byte[] data = in.readNBytes(Math.toIntExact(bytes));
        if (data.length != bytes) {
            throw new DataException(where + ": holds " + data.length + " data bytes, its header announces " + bytes);
        }
        MemorySegment seg = Arena.ofAuto().allocate(Math.max(1, bytes), 8).asSlice(0, bytes);
        MemorySegment.copy(MemorySegment.ofArray(data), 0, seg, 0, bytes);
        return Tensor.ofBytes(name, type, dims, seg);
    }
}

package dev.bantam.runtime.data;

import dev.bantam.runtime.DataException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A data spec split into its kind, its path and its {@code key=value} options, with every key checked against
 * the kind's list (and {@code input.NAME} keys, for any kind: {@link InputOverrides}) and every value parsed with its range: a spec with an unknown key, a repeated key, an empty
 * value or a value out of range is refused with one line naming the spec and the key, before any data is read
 * or any memory allocated.
 */
final class SpecOptions {

    /** The keys each kind accepts; limit and offset are accepted by every kind. */
    /** Keys every kind takes. */
    private static final Set<String> ANY_KIND = Set.of("limit", "offset", "perturb", "perturb-seed");

    private static final Map<String, Set<String>> KEYS = Map.of(
            "idx", Set.of("labels"),
            "fmnist", Set.of("split"),
            "images", Set.of("size", "channels", "layout", "mean", "std"),
            "text", Set.of("tokenizer", "maxlen", "pad", "glob", "label", "email", "seed"),
            "npy", Set.of(),
            "synthetic", Set.of("dims", "seed", "maxid"),
            "audio", Set.of("chunk", "rate"));

    private final String spec;
    private final String kind;
    private final String path;
    private final Map<String, String> values;

    private SpecOptions(String spec, String kind, String path, Map<String, String> values) {
        this.spec = spec;
        this.kind = kind;
        this.path = path;
        this.values = values;
    }

    static SpecOptions parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new DataException("the data spec is empty (e.g. fmnist:DIR, npy:FILE, synthetic:N)");
        }
        int colon = spec.indexOf(':');
        int comma = spec.indexOf(',');
        boolean hasPath = colon >= 0 && (comma < 0 || colon < comma);
        String kind = hasPath ? spec.substring(0, colon) : comma < 0 ? spec : spec.substring(0, comma);
        if (!KEYS.containsKey(kind)) {
            throw new DataException("data spec '" + spec + "': unknown kind '" + kind
                    + "' (idx, fmnist, images, text, npy, synthetic, audio)");
        }
        String rest = hasPath ? spec.substring(colon + 1) : comma < 0 ? "" : spec.substring(comma);
        String[] parts = rest.split(",", -1);
        String path = parts.length > 0 && !parts[0].contains("=") ? parts[0] : "";
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = parts.length > 0 && !parts[0].contains("=") ? 1 : 0; i < parts.length; i++) {
            String p = parts[i];
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            if (eq < 0) {
                throw new DataException("data spec '" + spec + "': '" + p + "' is not key=value");
            }
            String key = p.substring(0, eq);
            boolean perInput = key.startsWith(InputOverrides.PREFIX) && key.length() > InputOverrides.PREFIX.length();
            if (!perInput && !ANY_KIND.contains(key) && !KEYS.get(kind).contains(key)) {
                throw new DataException("data spec '" + spec + "': unknown key '" + key + "' for " + kind
                        + " data (" + String.join(", ", keys(kind)) + ")");
            }
            if (eq == p.length() - 1) {
                throw new DataException("data spec '" + spec + "': key '" + key + "' has no value");
            }
            if (values.put(key, p.substring(eq + 1)) != null) {
                throw new DataException("data spec '" + spec + "': key '" + key + "' is given twice");
            }
        }
        return new SpecOptions(spec, kind, path, Collections.unmodifiableMap(values));
    }

    private static List<String> keys(String kind) {
        java.util.TreeSet<String> all = new java.util.TreeSet<>(KEYS.get(kind));
        all.addAll(ANY_KIND);
        all.add(InputOverrides.PREFIX + "NAME");
        return List.copyOf(all);
    }

    String spec() {
        return spec;
    }

    String kind() {
        return kind;
    }

    /** The path part, or "" when the spec names none. */
    String path() {
        return path;
    }

    /** The path part as a file or folder; refused when the spec names none. */
    Path requirePath() {
        if (path.isEmpty()) {
            throw new DataException("data spec '" + spec + "' names no file or folder");
        }
        return toPath(path, "the path");
    }

    Path toPath(String p, String what) {
        try {
            return Path.of(p);
        } catch (InvalidPathException e) {
            throw new DataException("data spec '" + spec + "': " + what + " '" + p + "' is not a valid file name");
        }
    }

    /** The options whose keys start with {@code prefix}, in the spec's order. */
    Map<String, String> withPrefix(String prefix) {
        Map<String, String> out = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.put(k, v);
            }
        });
        return out;
    }

    boolean has(String key) {
        return values.containsKey(key);
    }

    String string(String key, String fallback) {
        return values.getOrDefault(key, fallback);
    }

    long integer(String key, long fallback, long min, long max) {
        String v = values.get(key);
        if (v == null) {
            return fallback;
        }
        long x;
        try {
            x = Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw bad(key, v, "is not a whole number");
        }
        if (x < min || x > max) {
            throw bad(key, v, "is out of range (" + min + " to " + max + ")");
        }
        return x;
    }

    int integer(String key, int fallback, int min, int max) {
        return (int) integer(key, (long) fallback, min, max);
    }

    boolean bool(String key, boolean fallback) {
        String v = values.get(key);
        if (v == null) {
            return fallback;
        }
        return switch (v) {
            case "true" -> true;
            case "false" -> false;
            default -> throw bad(key, v, "is not true or false");
        };
    }

    String choice(String key, String fallback, String... allowed) {
        String v = values.getOrDefault(key, fallback);
        if (!List.of(allowed).contains(v)) {
            throw bad(key, v, "is not one of " + String.join(", ", allowed));
        }
        return v;
    }

    /** Slash-separated finite floats, {@code count} of them; zero refused when {@code nonZero}. */
    float[] floats(String key, String fallback, int count, boolean nonZero) {
        String v = values.getOrDefault(key, fallback);
        String[] p = v.split("/", -1);
        if (p.length != count) {
            throw bad(key, v, "needs " + count + " value" + (count == 1 ? "" : "s") + " separated by '/'");
        }
        float[] f = new float[count];
        for (int i = 0; i < count; i++) {
            try {
                f[i] = Float.parseFloat(p[i].trim());
            } catch (NumberFormatException e) {
                throw bad(key, v, "has '" + p[i] + "', which is not a number");
            }
            if (!Float.isFinite(f[i]) || (nonZero && f[i] == 0)) {
                throw bad(key, v, nonZero ? "must be finite and non-zero" : "must be finite");
            }
        }
        return f;
    }

    DataException bad(String key, String value, String why) {
        return new DataException("data spec '" + spec + "': " + key + "=" + value + " " + why);
    }
}

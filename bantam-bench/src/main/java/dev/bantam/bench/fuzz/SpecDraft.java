package dev.bantam.bench.fuzz;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A data spec being generated: kind, path, key=value parts (value null: no '='), and the files it names. */
final class SpecDraft {

    String kind;
    String path;
    final List<String[]> parts = new ArrayList<>();
    final Map<String, byte[]> files = new LinkedHashMap<>();
    final List<String> dirs = new ArrayList<>();
    final List<String> fifos = new ArrayList<>();
    final List<String> steps = new ArrayList<>();
    String model = "image";
    /** When set, the whole spec text (junk specs), ignoring kind, path and parts. */
    String raw;
    /** The data file the content mutations damage, if any. */
    String mainFile;

    SpecDraft(String kind, String path) {
        this.kind = kind;
        this.path = path;
        steps.add(kind);
    }

    SpecDraft key(String k, String v) {
        parts.add(new String[] {k, v});
        return this;
    }

    String text() {
        if (raw != null) {
            return raw;
        }
        StringBuilder b = new StringBuilder(kind);
        if (path != null) {
            b.append(':').append(path);
        }
        for (String[] p : parts) {
            b.append(',').append(p[0]);
            if (p[1] != null) {
                b.append('=').append(p[1]);
            }
        }
        return b.toString();
    }

    SpecCase build(long seed) {
        return new SpecCase(seed, steps, text(), model, files, dirs, fifos);
    }
}

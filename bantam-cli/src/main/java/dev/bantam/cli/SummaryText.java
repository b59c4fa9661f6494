package dev.bantam.cli;

import dev.bantam.onnx.inspect.ModelSummary;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The human-readable form of a {@link ModelSummary}. */
final class SummaryText {

    private SummaryText() {
    }

    static String format(ModelSummary s) {
        StringBuilder b = new StringBuilder();
        line(b, "Model", s.file() + " (" + bytes(s.fileBytes()) + ")");
        line(b, "IR version", s.irVersion() + (s.producer().isEmpty() ? "" : "    producer: " + s.producer()));
        line(b, "Opsets", s.opsets().stream().map(o -> o.domain() + " " + o.version())
                .collect(Collectors.joining(", ")));
        s.inputs().forEach(io -> line(b, b.indexOf("Inputs") < 0 ? "Inputs" : "", io.name() + ": " + io.type()));
        s.outputs().forEach(io -> line(b, b.indexOf("Outputs") < 0 ? "Outputs" : "", io.name() + ": " + io.type()));
        line(b, "Nodes", s.nodeCount() + " (" + s.subgraphCount() + " subgraphs, " + s.functionCount()
                + " local functions)");
        line(b, "Operators", s.opHistogram().entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")));
        line(b, "Parameters", String.format(Locale.ROOT, "%,d in %s", s.parameterCount(), bytes(s.parameterBytes())));
        for (ModelSummary.TypeTotal t : s.parametersByType()) {
            line(b, "", String.format(Locale.ROOT, "%-10s %5d tensors %,14d params %12s", t.dataType(), t.tensors(),
                    t.parameters(), bytes(t.bytes())));
        }
        if (!s.largestTensors().isEmpty()) {
            line(b, "Largest", "");
            for (ModelSummary.TensorEntry t : s.largestTensors()) {
                line(b, "", String.format(Locale.ROOT, "%-40s %-8s %-18s %10s  %s", clip(t.name(), 40), t.dataType(),
                        t.shape(), bytes(t.bytes()), t.storage()));
            }
        }
        ModelSummary.Quantization q = s.quantization();
        line(b, "Quantized", q.scheme() + (q.operators().isEmpty() ? "" : "  " + q.operators())
                + (q.lowPrecisionWeightBytes() > 0 ? "  low-precision weights: " + bytes(q.lowPrecisionWeightBytes()) : ""));
        if (s.externalData().isEmpty()) {
            line(b, "External", "none");
        }
        s.externalData().forEach(e -> line(b, b.indexOf("External") < 0 ? "External" : "",
                e.location() + ": " + e.tensors() + " tensors, " + bytes(e.bytes())));
        line(b, "Check", s.checkErrors() == 0 ? "ok" + (s.checkWarnings() > 0 ? " (" + s.checkWarnings() + " warnings)" : "")
                : s.checkErrors() + (s.checkErrors() == 1 ? " error, " : " errors, ") + s.checkWarnings() + (s.checkWarnings() == 1 ? " warning" : " warnings"));
        return b.toString();
    }

    private static void line(StringBuilder b, String label, String value) {
        b.append(String.format(Locale.ROOT, "%-11s %s%n", label, value));
    }

    private static String clip(String s, int n) {
        return s.length() <= n ? s : "…" + s.substring(s.length() - n + 1);
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}

package dev.bantam.onnx.check;

import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.OpsetId;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks what a model says about the versions it needs: its IR version and its operator set imports. The newest
 * versions are those ONNX Runtime 1.24 runs (IR 13, ai.onnx 25, ai.onnx.ml 5); it refuses newer ones.
 */
final class ImportChecks {

    static final long NEWEST_IR_VERSION = 13;
    private static final Map<String, Long> NEWEST_OPSET = Map.of("", 25L, "ai.onnx.ml", 5L);

    private ImportChecks() {
    }

    static void checkIrVersion(Model m, List<Issue> issues) {
        Long ir = m.irVersion();
        if (ir == null) {
            error(issues, "model", "ir_version is missing");
        } else if (ir < 1) {
            error(issues, "model", "ir_version " + ir + " is not a valid IR version (they start at 1)");
        } else if (ir > NEWEST_IR_VERSION) {
            error(issues, "model", "ir_version " + ir + " is newer than the newest supported, " + NEWEST_IR_VERSION);
        }
    }

    /**
     * Checks one list of opset imports (a model's or a function's) and returns the version imported for each
     * domain ("" for ai.onnx), the first import winning where a domain is imported twice.
     */
    static Map<String, Long> checkOpsets(List<OpsetId> opsets, String where, List<Issue> issues) {
        Map<String, Long> versions = new LinkedHashMap<>();
        Map<String, Integer> counts = new HashMap<>();
        for (OpsetId o : opsets) {
            String d = o.normalizedDomain();
            String shown = d.isEmpty() ? "ai.onnx" : d;
            Long newest = NEWEST_OPSET.get(d);
            if (o.version() < 0 || o.version() == 0 && newest != null) {
                error(issues, where, "opset import of domain " + shown + " has version " + o.version()
                        + "; versions start at 1");
            } else if (newest != null && o.version() > newest) {
                error(issues, where, "opset import of domain " + shown + " has version " + o.version()
                        + ", newer than the newest supported, " + newest);
            }
            if (counts.merge(d, 1, Integer::sum) == 2) {
                error(issues, where, "domain " + shown + " is imported more than once (versions "
                        + versions.get(d) + " and " + o.version() + ")");
            }
            versions.putIfAbsent(d, o.version());
        }
        return versions;
    }

    private static void error(List<Issue> issues, String where, String message) {
        issues.add(new Issue(Issue.Severity.ERROR, where, message));
    }
}

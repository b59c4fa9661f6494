package dev.bantam.onnx.check;

import dev.bantam.onnx.ir.AttributeType;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The standard operators of the ai.onnx and ai.onnx.ml domains by opset version, read from the text table
 * {@code onnx-operators.txt} beside this class (its header describes the format).
 */
final class OperatorTable {

    /** One domain's operators and the newest opset version for which the table lists every operator and attribute. */
    record Domain(String name, int strictThrough, Map<String, List<OperatorVersion>> operators) {

        /** The version of {@code op} in force at {@code opset}; empty when the operator is unknown or newer. */
        Optional<OperatorVersion> at(String op, long opset) {
            OperatorVersion found = null;
            for (OperatorVersion v : operators.getOrDefault(op, List.of())) {
                if (v.since() <= opset) {
                    found = v;
                }
            }
            return Optional.ofNullable(found);
        }

        boolean knows(String op) {
            return operators.containsKey(op);
        }

        /** The first version of {@code op}. */
        int firstSince(String op) {
            return operators.get(op).getFirst().since();
        }
    }

    private static final OperatorTable STANDARD = load();

    private final Map<String, Domain> domains;

    private OperatorTable(Map<String, Domain> domains) {
        this.domains = domains;
    }

    static OperatorTable standard() {
        return STANDARD;
    }

    /** The table of {@code domain} ("" for ai.onnx), if it has one. */
    Optional<Domain> domain(String domain) {
        return Optional.ofNullable(domains.get(domain.isEmpty() ? "ai.onnx" : domain));
    }

    private static OperatorTable load() {
        try (InputStream in = OperatorTable.class.getResourceAsStream("onnx-operators.txt")) {
            if (in == null) {
                throw new IllegalStateException("the operator table onnx-operators.txt is missing from the build");
            }
            return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines().toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static OperatorTable parse(List<String> lines) {
        Map<String, Domain> domains = new HashMap<>();
        String domain = null;
        int strict = 0;
        Map<String, List<OperatorVersion>> ops = new LinkedHashMap<>();
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\\s+");
            if (f[0].equals("domain")) {
                if (domain != null) {
                    domains.put(domain, new Domain(domain, strict, sorted(ops)));
                }
                domain = f[1];
                strict = 0;
                ops = new LinkedHashMap<>();
            } else if (f[0].equals("strict-through")) {
                strict = Integer.parseInt(f[1]);
            } else {
                OperatorVersion v = operator(f);
                ops.computeIfAbsent(v.name(), k -> new ArrayList<>()).add(v);
            }
        }
        if (domain != null) {
            domains.put(domain, new Domain(domain, strict, sorted(ops)));
        }
        return new OperatorTable(domains);
    }

    private static Map<String, List<OperatorVersion>> sorted(Map<String, List<OperatorVersion>> ops) {
        Map<String, List<OperatorVersion>> out = new HashMap<>();
        ops.forEach((k, v) -> out.put(k, v.stream()
                .sorted(java.util.Comparator.comparingInt(OperatorVersion::since)).toList()));
        return out;
    }

    private static OperatorVersion operator(String[] f) {
        String name = f[0];
        int since = Integer.parseInt(f[1]);
        if (f.length == 3 && (f[2].equals("*") || f[2].equals("deprecated"))) {
            boolean deprecated = f[2].equals("deprecated");
            return new OperatorVersion(name, since, 0, Integer.MAX_VALUE, 0, Integer.MAX_VALUE, Map.of(),
                    deprecated, !deprecated);
        }
        int[] in = range(f[2], "in=");
        int[] out = range(f[3], "out=");
        Map<String, AttributeSpec> attrs = new HashMap<>();
        for (int i = 4; i < f.length; i++) {
            AttributeSpec a = attribute(f[i]);
            attrs.put(a.name(), a);
        }
        return new OperatorVersion(name, since, in[0], in[1], out[0], out[1], attrs, false, false);
    }

    private static int[] range(String field, String prefix) {
        if (!field.startsWith(prefix)) {
            throw new IllegalStateException("operator table: expected " + prefix + " but found '" + field + "'");
        }
        String r = field.substring(prefix.length());
        int dots = r.indexOf("..");
        if (dots < 0) {
            int n = Integer.parseInt(r);
            return new int[] {n, n};
        }
        String hi = r.substring(dots + 2);
        return new int[] {Integer.parseInt(r.substring(0, dots)),
                hi.equals("*") ? Integer.MAX_VALUE : Integer.parseInt(hi)};
    }

    /** name:type, then "!" when required, then ">=N" for a lower bound. */
    private static AttributeSpec attribute(String token) {
        int colon = token.indexOf(':');
        String name = token.substring(0, colon);
        String rest = token.substring(colon + 1);
        Long atLeast = null;
        int ge = rest.indexOf(">=");
        if (ge >= 0) {
            atLeast = Long.parseLong(rest.substring(ge + 2));
            rest = rest.substring(0, ge);
        }
        boolean required = rest.endsWith("!");
        if (required) {
            rest = rest.substring(0, rest.length() - 1);
        }
        return new AttributeSpec(name, AttributeType.valueOf(rest.toUpperCase(java.util.Locale.ROOT)), required,
                atLeast);
    }
}

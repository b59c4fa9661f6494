package dev.bantam.onnx.ir;

/** An operator set import: a domain ("" or null for the default ai.onnx domain) and its version. */
public record OpsetId(String domain, long version) {

    /** The domain with the default domain spelled "" whichever way the file spelled it. */
    public String normalizedDomain() {
        return normalize(domain);
    }

    public static String normalize(String domain) {
        return domain == null || domain.equals("ai.onnx") ? "" : domain;
    }
}

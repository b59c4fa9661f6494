package dev.bantam.bench.fuzz;

import dev.bantam.onnx.ir.serde.proto.Onnx;
import java.util.List;

/**
 * Hostile external-data references: escaping and absolute locations, locations that are folders or the model
 * itself, offsets and lengths outside the file or not numbers, missing and repeated keys.
 */
final class ExternalMutations {

    /** A file written one folder above the model's, for "../" escapes that would succeed if not refused. */
    static final String OUTSIDE = "../outside.bin";

    static final List<Mutation> ALL = List.of(
            new Mutation("ext-location", (d, r) -> entry(d, r, "location", r.pickOf(OUTSIDE, "/etc/passwd",
                    "/dev/zero", "/proc/self/mem", "sub/../../outside.bin", "./" + Features.WEIGHTS, "", ".", "sub",
                    ModelCase.MODEL, "missing.bin", "weights.bin\u0000x", "C:\\w.bin", "//w.bin", "~/w.bin"))),
            new Mutation("ext-offset", (d, r) -> entry(d, r, "offset", r.pickOf("-1", "1e3", "", "abc", "0x10",
                    Long.toString(r.hostileLong()), "99999999999999999999", " 0", "4"))),
            new Mutation("ext-length", (d, r) -> entry(d, r, "length", r.pickOf("-1", "0", "", "x", "1",
                    Long.toString(r.hostileLong()), "3", "99999999999999999999"))),
            new Mutation("ext-remove-key", ExternalMutations::removeKey),
            new Mutation("ext-repeat-key", (d, r) -> withExternal(d, r, t -> t.addExternalData(
                    Protos.entry(r.pickOf("location", "offset", "length"), "0")))),
            new Mutation("ext-unknown-key", (d, r) -> withExternal(d, r, t -> t.addExternalData(
                    Protos.entry(r.pickOf("checksum", "", "basepath"), "z")))),
            new Mutation("ext-short-file", ExternalMutations::shortFile),
            new Mutation("ext-location-not-external", (d, r) -> withExternal(d, r, t -> t.setDataLocation(
                    Onnx.TensorProto.DataLocation.DEFAULT))),
            new Mutation("ext-with-raw", (d, r) -> withExternal(d, r, t -> t.setRawData(Features.bytes(new byte[8])))),
            new Mutation("ext-in-subfolder", ExternalMutations::subfolder));

    private ExternalMutations() {
    }

    private static void withExternal(ModelDraft d, Rng r, java.util.function.Consumer<Onnx.TensorProto.Builder> f) {
        if (!d.sidecars.containsKey(Features.WEIGHTS)) {
            Features.externalize(d, r);
        }
        List<Onnx.TensorProto.Builder> ext = d.graph().getInitializerBuilderList().stream()
                .filter(t -> t.getExternalDataCount() > 0).toList();
        if (!ext.isEmpty()) {
            f.accept(r.pick(ext));
        }
    }

    private static void entry(ModelDraft d, Rng r, String key, String value) {
        withExternal(d, r, t -> {
            for (int i = 0; i < t.getExternalDataCount(); i++) {
                if (t.getExternalData(i).getKey().equals(key)) {
                    t.setExternalData(i, Protos.entry(key, value));
                    return;
                }
            }
            t.addExternalData(Protos.entry(key, value));
        });
        if (value.contains("outside.bin")) {
            d.sidecars.put(OUTSIDE, new byte[4096]);
        }
        if (value.equals("sub")) {
            d.sidecars.put("sub/keep", new byte[1]);
        }
    }

    private static void removeKey(ModelDraft d, Rng r) {
        withExternal(d, r, t -> {
            if (t.getExternalDataCount() > 0) {
                t.removeExternalData(r.below(t.getExternalDataCount()));
            }
        });
    }

    private static void shortFile(ModelDraft d, Rng r) {
        if (!d.sidecars.containsKey(Features.WEIGHTS)) {
            Features.externalize(d, r);
        }
        byte[] w = d.sidecars.get(Features.WEIGHTS);
        d.sidecars.put(Features.WEIGHTS, java.util.Arrays.copyOf(w, w.length == 0 ? 0 : r.below(w.length)));
    }

    private static void subfolder(ModelDraft d, Rng r) {
        if (!d.sidecars.containsKey(Features.WEIGHTS)) {
            Features.externalize(d, r);
        }
        d.sidecars.put("sub/" + Features.WEIGHTS, d.sidecars.remove(Features.WEIGHTS));
        for (Onnx.TensorProto.Builder t : d.graph().getInitializerBuilderList()) {
            for (int i = 0; i < t.getExternalDataCount(); i++) {
                if (t.getExternalData(i).getKey().equals("location")) {
                    t.setExternalData(i, Protos.entry("location", "sub/" + Features.WEIGHTS));
                }
            }
        }
    }
}

package dev.bantam.bench.fuzz;

import static dev.bantam.bench.fuzz.SpecCase.DIR;

import java.util.List;
import java.util.function.BiConsumer;

/**
 * Hostile changes to a data spec: unknown and repeated keys, out-of-range, huge, empty and non-numeric values,
 * paths to missing files, folders, empty files, FIFOs and devices, damaged file contents, and junk specs.
 */
final class SpecMutations {

    record Step(String name, BiConsumer<SpecDraft, Rng> apply) {
    }

    static final List<String> KEYS = List.of("limit", "offset", "seed", "dims", "maxid", "size", "channels",
            "layout", "mean", "std", "tokenizer", "maxlen", "pad", "glob", "label", "email", "labels", "split");

    static final List<Step> ALL = List.of(
            new Step("unknown-key", (d, r) -> d.key(r.pickOf("bogus", "LIMIT", "limit ", ""), "1")),
            new Step("hostile-value", (d, r) -> d.key(r.pick(KEYS), hostileValue(r))),
            new Step("replace-value", SpecMutations::replaceValue),
            new Step("huge-count", (d, r) -> d.key(r.pickOf("limit", "offset", "maxlen", "pad"), r.pickOf("1000000",
                    "2147483647", "2147483648", "99999999999"))),
            new Step("huge-size", (d, r) -> d.key(r.pickOf("size", "dims"), r.pickOf("100000x100000", "65536x65536",
                    "N=1000000000", "N=-1/N=2", "X=0", "=", "N=2=3"))),
            new Step("no-equals", (d, r) -> d.key(r.pick(KEYS), null)),
            new Step("repeat-key", SpecMutations::repeatKey),
            new Step("empty-parts", (d, r) -> d.key("", null).key("", null)),
            new Step("bad-regex-or-glob", (d, r) -> d.key(r.pickOf("label", "glob"), r.pickOf("(", "[", "*{", "\\"))),
            new Step("path-missing", (d, r) -> d.path = DIR + "/missing" + r.pickOf("", ".npy", ".gz", "/")),
            new Step("path-folder", (d, r) -> {
                d.dirs.add("folder");
                d.path = DIR + "/folder";
            }),
            new Step("path-empty-file", (d, r) -> {
                d.files.put("empty.bin", new byte[0]);
                d.path = DIR + "/empty.bin";
            }),
            new Step("path-fifo", (d, r) -> {
                d.fifos.add("fifo" + r.pickOf("", ".npy", ".txt"));
                d.path = DIR + "/" + d.fifos.getLast();
            }),
            new Step("path-device", (d, r) -> d.path = r.pickOf("/dev/zero", "/dev/null", "/proc/self/status",
                    "/dev/urandom")),
            new Step("path-odd", (d, r) -> d.path = r.pickOf("", " ", "..", DIR + "/../..", "x".repeat(5000),
                    "rel/a.npy", DIR + "/\u00e9.npy", DIR + "//")),
            new Step("tokenizer-bad", SpecMutations::tokenizerBad),
            new Step("damage-file", SpecMutations::damageFile),
            new Step("junk-spec", (d, r) -> d.raw = r.pickOf("", ":", ",", "nope:x", "synthetic", "SYNTHETIC:3",
                    "synthetic:", "synthetic:-5", "synthetic:abc", "synthetic:0", ",,,", "npy:", "images:,size=2x2",
                    "text:", "fmnist:,split=test", "idx", "synthetic:3,dims", "synthetic:3,limit=1,offset=5")));

    private SpecMutations() {
    }

    static String hostileValue(Rng r) {
        return r.pickOf("", "-1", "0", "abc", "1.5", "2147483648", "99999999999999999999", "NaN", "1e9", " 3",
                "0x10", "-2147483648", "x", "0x0", "1/2/3/4", "a/b/c", "true", "nhwc", "2x", "x2", "3x3x3");
    }

    private static void replaceValue(SpecDraft d, Rng r) {
        if (d.parts.isEmpty()) {
            d.path = hostileValue(r);
        } else {
            d.parts.get(r.below(d.parts.size()))[1] = hostileValue(r);
        }
    }

    private static void repeatKey(SpecDraft d, Rng r) {
        if (!d.parts.isEmpty()) {
            String[] p = d.parts.get(r.below(d.parts.size()));
            d.key(p[0], hostileValue(r));
        }
    }

    private static void tokenizerBad(SpecDraft d, Rng r) {
        String v = r.pickOf("{", "", "[]", "{\"model\":{\"type\":\"WordLevel\"}}", "null");
        d.files.put("tok.json", DataFiles.text(v));
        if (d.parts.stream().noneMatch(p -> "tokenizer".equals(p[0]))) {
            d.key("tokenizer", DIR + "/tok.json");
        }
    }

    /** Damages the main data file: truncation, bit flips, zeroed header, or a huge count in an IDX header. */
    private static void damageFile(SpecDraft d, Rng r) {
        if (d.mainFile == null || !d.files.containsKey(d.mainFile)) {
            replaceValue(d, r);
            return;
        }
        byte[] b = d.files.get(d.mainFile).clone();
        if (d.mainFile.endsWith(".gz") && r.chance(0.5)) {
            byte[] raw = new byte[16];
            java.nio.ByteBuffer.wrap(raw).putInt(r.pickOf(0x803, 0x801, 0, -1)).putInt(r.pickOf(-1, 0, 1 << 30, 3))
                    .putInt(r.pickOf(28, 0, -1, 1 << 16)).putInt(r.pickOf(28, 0, 1 << 16));
            b = DataFiles.gzip(raw);
        } else {
            switch (r.below(3)) {
                case 0 -> b = java.util.Arrays.copyOf(b, b.length == 0 ? 0 : r.below(b.length));
                case 1 -> {
                    for (int i = 0; i < 4 && b.length > 0; i++) {
                        b[r.below(b.length)] ^= (byte) (1 << r.below(8));
                    }
                }
                default -> java.util.Arrays.fill(b, 0, Math.min(b.length, 16), (byte) 0);
            }
        }
        d.files.put(d.mainFile, b);
    }
}

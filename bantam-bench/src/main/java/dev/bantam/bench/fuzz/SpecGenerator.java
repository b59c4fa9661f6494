package dev.bantam.bench.fuzz;

import static dev.bantam.bench.fuzz.SpecCase.DIR;

import java.util.List;
import java.util.function.Function;

/**
 * Seed → data-spec case, deterministically: a valid spec of one kind with the files it reads, then zero to three
 * hostile mutations ({@link SpecMutations}); on a fraction of cases the spec is given to the other model.
 */
public final class SpecGenerator {

    record Base(String name, Function<Rng, SpecDraft> build) {
    }

    static final List<Base> BASES = List.of(
            new Base("synthetic", SpecGenerator::synthetic),
            new Base("npy", SpecGenerator::npy),
            new Base("npz", SpecGenerator::npz),
            new Base("images", SpecGenerator::images),
            new Base("text-file", SpecGenerator::textFile),
            new Base("text-folder", SpecGenerator::textFolder),
            new Base("fmnist", SpecGenerator::fmnist),
            new Base("idx", SpecGenerator::idx));

    private SpecGenerator() {
    }

    public static SpecCase generate(long seed) {
        Rng r = new Rng(seed);
        SpecDraft d = r.pick(BASES).build().apply(r);
        int hostile = r.chance(0.15) ? 0 : r.pickOf(1, 1, 1, 2, 3);
        for (int i = 0; i < hostile; i++) {
            SpecMutations.Step m = r.pick(SpecMutations.ALL);
            m.apply().accept(d, r);
            d.steps.add(m.name());
        }
        if (r.chance(0.1)) {
            d.model = d.model.equals("image") ? "text" : "image";
            d.steps.add("other-model");
        }
        return d.build(seed);
    }

    private static SpecDraft synthetic(Rng r) {
        SpecDraft d = new SpecDraft("synthetic", Integer.toString(r.between(1, 8)));
        if (r.chance(0.3)) {
            d.key("dims", "N=" + r.between(1, 4));
        }
        if (r.chance(0.3)) {
            d.key("seed", Integer.toString(r.below(100)));
        }
        if (r.chance(0.3)) {
            d.model = "text";
            d.key("maxid", Integer.toString(r.between(1, 4)));
        }
        return d;
    }

    private static SpecDraft npy(Rng r) {
        SpecDraft d = new SpecDraft("npy", DIR + "/x.npy");
        boolean text = r.chance(0.3);
        d.model = text ? "text" : "image";
        d.files.put("x.npy", text ? DataFiles.npy("<i8", 2, 5) : DataFiles.npy("<f4", r.between(1, 4), 1, 28, 28));
        d.mainFile = "x.npy";
        return d;
    }

    private static SpecDraft npz(Rng r) {
        SpecDraft d = new SpecDraft("npy", DIR + "/x.npz");
        d.files.put("x.npz", DataFiles.npz("X", DataFiles.npy("<f4", 2, 1, 28, 28)));
        d.mainFile = "x.npz";
        return d;
    }

    private static SpecDraft images(Rng r) {
        SpecDraft d = new SpecDraft("images", DIR + "/img");
        int n = r.between(1, 3);
        for (int i = 0; i < n; i++) {
            d.files.put("img/" + (i % 2 == 0 ? "cat" : "dog") + "/" + i + ".png", DataFiles.png(8, 8, r.chance(0.5)));
        }
        d.key("size", "28x28").key("channels", "1");
        if (r.chance(0.3)) {
            d.key("mean", "0.5").key("std", "0.25");
        }
        d.mainFile = "img/cat/0.png";
        return d;
    }

    private static SpecDraft textFile(Rng r) {
        SpecDraft d = new SpecDraft("text", DIR + "/t.txt");
        d.model = "text";
        d.files.put("t.txt", DataFiles.text("hello world\nspam spam\n"));
        d.files.put("tok.json", DataFiles.text(DataFiles.TOKENIZER));
        d.key("tokenizer", DIR + "/tok.json").key("maxlen", Integer.toString(r.between(2, 16)));
        d.mainFile = r.chance(0.5) ? "t.txt" : "tok.json";
        return d;
    }

    private static SpecDraft textFolder(Rng r) {
        SpecDraft d = new SpecDraft("text", DIR + "/texts");
        d.model = "text";
        d.files.put("texts/ham/1.txt", DataFiles.text("hello world"));
        d.files.put("texts/spam/2.txt", DataFiles.text("Subject: x\n\nspam spam"));
        d.files.put("tok.json", DataFiles.text(DataFiles.TOKENIZER));
        d.key("tokenizer", DIR + "/tok.json");
        if (r.chance(0.3)) {
            d.key("email", "true");
        }
        if (r.chance(0.3)) {
            d.key("label", "(spam|ham)");
        }
        d.mainFile = "texts/ham/1.txt";
        return d;
    }

    private static SpecDraft fmnist(Rng r) {
        SpecDraft d = new SpecDraft("fmnist", DIR + "/fm");
        int n = r.between(1, 5);
        String split = r.chance(0.5) ? "train" : "t10k";
        d.files.put("fm/" + split + "-images-idx3-ubyte.gz", DataFiles.idxImages(n, 28, 28));
        d.files.put("fm/" + split + "-labels-idx1-ubyte.gz", DataFiles.idxLabels(n));
        if (split.equals("train")) {
            d.key("split", "train");
        }
        d.mainFile = "fm/" + split + "-images-idx3-ubyte.gz";
        return d;
    }

    private static SpecDraft idx(Rng r) {
        SpecDraft d = new SpecDraft("idx", DIR + "/i/a-images-idx3-ubyte.gz");
        d.files.put("i/a-images-idx3-ubyte.gz", DataFiles.idxImages(2, 28, 28));
        if (r.chance(0.5)) {
            d.files.put("i/a-labels-idx1-ubyte.gz", DataFiles.idxLabels(2));
        }
        d.mainFile = "i/a-images-idx3-ubyte.gz";
        return d;
    }
}

package dev.bantam.runtime.data;

import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Value;
import dev.bantam.runtime.DataException;
import dev.bantam.runtime.InputInfo;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Parses the {@code --data} option into a {@link DataSource}: {@code KIND:PATH[,key=value...]}.
 *
 * <ul>
 *   <li>{@code idx:IMAGES[,labels=FILE][,limit=N]}: IDX images (labels default to the matching labels file)</li>
 *   <li>{@code fmnist[:DIR][,limit=N]}: the Fashion-MNIST test set (default DIR: Debian's dataset-fashion-mnist)</li>
 *   <li>{@code images:DIR,size=WxH[,channels=1|3][,layout=nchw|nhwc][,mean=a/b/c][,std=a/b/c][,limit=N]}</li>
 *   <li>{@code text:FILE|DIR,tokenizer=FILE[,maxlen=128][,pad=N][,glob=*][,label=REGEX][,email=true][,limit=N][,seed=1]}</li>
 *   <li>{@code npy:FILE.npy|FILE.npz}: arrays named like the inputs (and optionally "labels")</li>
 *   <li>{@code synthetic:N[,dims=name=size/name=size][,seed=1][,maxid=1000]}</li>
 *   <li>{@code audio:FILE.wav[,chunk=512][,rate=HZ]}: consecutive chunks of a recording, in time order</li>
 * </ul>
 * Any kind also takes {@code perturb=KIND:LEVEL} (a seeded {@link Perturbation}: noise, brightness, blur,
 * tokens or typos at strength 1 to 3; {@code perturb-seed=N}), and {@code input.NAME=VALUE} per model input: a constant, {@code zeros:AxB}, or {@code axis:K}
 * ({@link InputOverrides}).
 */
public final class DataSpec {

    public static final Path FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");

    private DataSpec() {
    }

    public static DataSource open(String spec, Model model, List<InputInfo> inputs) {
        SpecOptions o = SpecOptions.parse(spec);
        int limit = o.integer("limit", 0, 0, Integer.MAX_VALUE);
        int offset = o.integer("offset", 0, 0, Integer.MAX_VALUE);
        int upTo = offset > 0 && limit > 0 ? Math.addExact(offset, limit) : limit;
        InputOverrides overrides = InputOverrides.of(o, inputs);
        DataSource all = overrides.wrap(source(o, upTo, model, overrides.remaining(inputs), overrides));
        if (o.has("perturb")) {
            Perturbation p = Perturbation.parse(o.string("perturb", ""));
            long seed = o.integer("perturb-seed", 1L, Long.MIN_VALUE, Long.MAX_VALUE);
            all = p.kind() == Perturbation.Kind.TYPOS && all instanceof TextSource t
                    ? t.misspelled(Perturbation.wordFraction(p.strength()), seed) : new PerturbedSource(all, p, seed);
        }
        if (all.size() == 0) {
            throw new DataException("data spec '" + spec + "' gives no items");
        }
        return offset == 0 ? all : OffsetSource.of(all, offset, spec);
    }

    /** The files and folders a spec reads (for refusing outputs that would replace them); none for synthetic data. */
    public static List<Path> files(String spec) {
        SpecOptions o = SpecOptions.parse(spec);
        List<Path> files = new java.util.ArrayList<>();
        if (!o.path().isEmpty() && !o.kind().equals("synthetic")) {
            files.add(o.toPath(o.path(), "the path"));
        }
        for (String key : List.of("labels", "tokenizer")) {
            if (o.has(key)) {
                files.add(o.toPath(o.string(key, ""), key));
            }
        }
        return files;
    }

    /** Fashion-MNIST's classes by label (Xiao, Rasul and Vollgraf, 2017). */
    static final List<String> FASHION_MNIST_CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    private static DataSource source(SpecOptions o, int limit, Model model, List<InputInfo> inputs,
                                     InputOverrides overrides) {
        String spec = o.spec();
        return switch (o.kind()) {
            case "idx" -> idx(o.requirePath(), o.has("labels") ? o.toPath(o.string("labels", ""), "labels") : null,
                    single(inputs, spec), limit);
            case "fmnist" -> {
                Path dir = o.path().isEmpty() ? FASHION_MNIST : o.requirePath();
                String split = o.choice("split", "test", "test", "train").equals("test") ? "t10k" : "train";
                yield IdxImageSource.read(dir.resolve(split + "-images-idx3-ubyte.gz"),
                        dir.resolve(split + "-labels-idx1-ubyte.gz"), single(inputs, spec), limit)
                        .named(FASHION_MNIST_CLASSES);
            }
            case "images" -> images(o, single(inputs, spec), limit);
            case "text" -> text(o, inputs, limit);
            case "npy" -> {
                Path p = o.requirePath();
                String name = inputs.size() == 1 ? inputs.getFirst().name() : "input";
                Map<String, dev.bantam.onnx.ir.Tensor> arrays = Npy.read(p, name);
                for (String fed : overrides.fed()) {
                    if (arrays.containsKey(fed)) {
                        throw new DataException("data spec '" + spec + "': input '" + fed + "' is both in " + p.getFileName()
                                + " and given by " + InputOverrides.PREFIX + fed);
                    }
                }
                Map<String, Integer> axes = new LinkedHashMap<>();
                arrays.keySet().forEach(k -> axes.put(k, overrides.itemAxis(k)));
                DataSource a = new ArraySource(arrays, axes, "arrays from " + p.getFileName());
                yield limit > 0 && limit < a.size() ? LimitSource.of(a, limit) : a;
            }
            case "synthetic" -> synthetic(o, model, inputs, overrides);
            case "audio" -> {
                String name = single(inputs, spec);
                InputInfo in = inputs.stream().filter(i -> i.name().equals(name)).findFirst().orElseThrow();
                DataSource a = AudioSource.of(o.requirePath(), o.integer("chunk", 512, 1, 1 << 24),
                        o.integer("rate", 0, 0, 1_000_000), in);
                yield limit > 0 && limit < a.size() ? LimitSource.of(a, limit) : a;
            }
            default -> throw new IllegalStateException("kind " + o.kind());
        };
    }

    private static String require(String path, String spec) {
        if (path.isEmpty()) {
            throw new DataException("data spec '" + spec + "' names no file or folder");
        }
        return path;
    }

    private static String single(List<InputInfo> inputs, String spec) {
        if (inputs.size() != 1) {
            throw new DataException("data spec '" + spec + "' gives one input, but the model has "
                    + inputs.size() + " inputs " + inputs.stream().map(InputInfo::name).toList());
        }
        return inputs.getFirst().name();
    }

    private static DataSource idx(Path images, Path labels, String input, int limit) {
        Path lab = labels != null ? labels : images.resolveSibling(images.getFileName().toString()
                .replace("images-idx3", "labels-idx1"));
        boolean hasLabels = labels != null || (!lab.equals(images) && java.nio.file.Files.exists(lab));
        return IdxImageSource.read(images, hasLabels ? lab : null, input, limit);
    }

    /** Images larger than this on a side are refused before anything is allocated. */
    static final int MAX_IMAGE_SIDE = 8192;

    private static DataSource images(SpecOptions o, String input, int limit) {
        String size = o.string("size", "224x224");
        String[] wh = size.split("x", -1);
        if (wh.length != 2) {
            throw o.bad("size", size, "is not WIDTHxHEIGHT (e.g. 224x224)");
        }
        int w = side(o, size, wh[0]);
        int h = side(o, size, wh[1]);
        int channels = o.integer("channels", 3, 1, 3);
        if (channels == 2) {
            throw o.bad("channels", "2", "is not 1 or 3");
        }
        float[] mean = o.floats("mean", channels == 3 ? "0/0/0" : "0", channels, false);
        float[] std = o.floats("std", channels == 3 ? "1/1/1" : "1", channels, true);
        boolean nchw = o.choice("layout", "nchw", "nchw", "nhwc").equals("nchw");
        return ImageFolderSource.of(o.requirePath(), input, new ImageOptions(w, h, channels, nchw, mean, std), limit);
    }

    private static int side(SpecOptions o, String size, String s) {
        try {
            int v = Integer.parseInt(s.trim());
            if (v >= 1 && v <= MAX_IMAGE_SIDE) {
                return v;
            }
        } catch (NumberFormatException e) {
            throw o.bad("size", size, "is not WIDTHxHEIGHT (e.g. 224x224)");
        }
        throw o.bad("size", size, "is out of range (each side 1 to " + MAX_IMAGE_SIDE + ")");
    }

    /** Tokens per text item at most. */
    static final int MAX_TEXT_LENGTH = 1 << 16;

    private static DataSource text(SpecOptions o, List<InputInfo> inputs, int limit) {
        if (!o.has("tokenizer")) {
            throw new DataException("data spec '" + o.spec() + "': text data needs tokenizer=FILE (a Hugging Face tokenizer.json)");
        }
        Path p = o.requirePath();
        int maxlen = o.integer("maxlen", 128, 1, MAX_TEXT_LENGTH);
        int pad = o.integer("pad", 0, 0, MAX_TEXT_LENGTH);
        boolean email = o.bool("email", false);
        long seed = o.integer("seed", 1L, Long.MIN_VALUE, Long.MAX_VALUE);
        Pattern label = null;
        if (o.has("label")) {
            try {
                label = Pattern.compile(o.string("label", ""));
            } catch (java.util.regex.PatternSyntaxException e) {
                throw o.bad("label", o.string("label", ""), "is not a valid regular expression");
            }
        }
        List<TextItem> items = java.nio.file.Files.isDirectory(p)
                ? TextItems.fromFolder(p, o.string("glob", "*"), label, email, limit, seed)
                : TextItems.fromLines(p);
        if (!java.nio.file.Files.isDirectory(p) && limit > 0 && limit < items.size()) {
            items = items.subList(0, limit);
        }
        if (items.isEmpty()) {
            throw new DataException("data spec '" + o.spec() + "' gives no items: " + p + " holds no text");
        }
        return TextSource.of(items, o.toPath(o.string("tokenizer", ""), "tokenizer"), inputs, maxlen, pad,
                items.size() + " texts from " + p.getFileName());
    }

    /** Synthetic items at most, and the largest size a symbolic dimension may be given. */
    static final int MAX_SYNTHETIC_ITEMS = 10_000_000;
    static final long MAX_SYNTHETIC_DIM = 1 << 20;

    private static DataSource synthetic(SpecOptions o, Model model, List<InputInfo> remaining, InputOverrides overrides) {
        Map<String, Long> dims = new LinkedHashMap<>();
        if (o.has("dims")) {
            String all = o.string("dims", "");
            for (String d : all.split("/", -1)) {
                String[] kv = d.split("=", -1);
                if (kv.length != 2 || kv[0].isEmpty()) {
                    throw new DataException("data spec '" + o.spec() + "': dims '" + all + "' is not name=size/name=size");
                }
                long size;
                try {
                    size = Long.parseLong(kv[1].trim());
                } catch (NumberFormatException e) {
                    throw new DataException("data spec '" + o.spec() + "': dims " + kv[0] + "=" + kv[1] + " is not a whole number");
                }
                if (size < 1 || size > MAX_SYNTHETIC_DIM) {
                    throw new DataException("data spec '" + o.spec() + "': dims " + kv[0] + "=" + kv[1]
                            + " is out of range (1 to " + MAX_SYNTHETIC_DIM + ")");
                }
                dims.put(kv[0], size);
            }
        }
        int count = 100;
        if (!o.path().isEmpty()) {
            try {
                count = Integer.parseInt(o.path().trim());
            } catch (NumberFormatException e) {
                throw new DataException("data spec '" + o.spec() + "': synthetic:N needs a whole number of items, got '"
                        + o.path() + "'");
            }
            if (count < 1 || count > MAX_SYNTHETIC_ITEMS) {
                throw new DataException("data spec '" + o.spec() + "': synthetic:" + o.path()
                        + " is out of range (1 to " + MAX_SYNTHETIC_ITEMS + " items)");
            }
        }
        java.util.Set<String> wanted = new java.util.HashSet<>();
        remaining.forEach(i -> wanted.add(i.name()));
        List<Value> inputs = model.graph().inputs().stream().filter(v -> v.initializer() == null && wanted.contains(v.name()))
                .toList();
        Map<String, Integer> axes = new LinkedHashMap<>();
        inputs.forEach(v -> axes.put(v.name(), overrides.itemAxis(v.name())));
        return new SyntheticSource(inputs, axes, dims, count, o.integer("seed", 1L, Long.MIN_VALUE, Long.MAX_VALUE),
                o.integer("maxid", 1000L, 1, Long.MAX_VALUE));
    }
}

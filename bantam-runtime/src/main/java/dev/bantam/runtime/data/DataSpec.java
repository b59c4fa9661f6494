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
 * </ul>
 */
public final class DataSpec {

    public static final Path FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");

    private DataSpec() {
    }

    public static DataSource open(String spec, Model model, List<InputInfo> inputs) {
        int colon = spec.indexOf(':');
        String kind = colon < 0 ? spec.split(",")[0] : spec.substring(0, colon);
        String rest = colon < 0 ? spec.substring(kind.length()) : spec.substring(colon + 1);
        String[] parts = rest.split(",");
        String path = parts.length > 0 && !parts[0].contains("=") ? parts[0] : "";
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = path.isEmpty() ? 0 : 1; i < parts.length; i++) {
            if (parts[i].isEmpty()) {
                continue;
            }
            int eq = parts[i].indexOf('=');
            if (eq < 0) {
                throw new DataException("data spec '" + spec + "': '" + parts[i] + "' is not key=value");
            }
            o.put(parts[i].substring(0, eq), parts[i].substring(eq + 1));
        }
        int limit = Integer.parseInt(o.getOrDefault("limit", "0"));
        int offset = Integer.parseInt(o.getOrDefault("offset", "0"));
        if (offset < 0 || limit < 0) {
            throw new DataException("data spec '" + spec + "': offset and limit must be >= 0");
        }
        DataSource all = source(spec, kind, path, o, offset > 0 && limit > 0 ? offset + limit : limit, model, inputs);
        return offset == 0 ? all : OffsetSource.of(all, offset, spec);
    }

    private static DataSource source(String spec, String kind, String path, Map<String, String> o, int limit,
                                     Model model, List<InputInfo> inputs) {
        return switch (kind) {
            case "idx" -> idx(Path.of(require(path, spec)), o.get("labels"), single(inputs, spec), limit);
            case "fmnist" -> {
                Path dir = path.isEmpty() ? FASHION_MNIST : Path.of(path);
                String split = switch (o.getOrDefault("split", "test")) {
                    case "test" -> "t10k";
                    case "train" -> "train";
                    default -> throw new DataException("data spec '" + spec + "': split must be test or train");
                };
                yield IdxImageSource.read(dir.resolve(split + "-images-idx3-ubyte.gz"),
                        dir.resolve(split + "-labels-idx1-ubyte.gz"), single(inputs, spec), limit);
            }
            case "images" -> images(Path.of(require(path, spec)), o, single(inputs, spec), limit);
            case "text" -> text(Path.of(require(path, spec)), o, inputs, limit);
            case "npy" -> {
                Path p = Path.of(require(path, spec));
                String name = inputs.size() == 1 ? inputs.getFirst().name() : "input";
                yield new ArraySource(Npy.read(p, name), "arrays from " + p.getFileName());
            }
            case "synthetic" -> synthetic(path, o, model);
            default -> throw new DataException("data spec '" + spec + "': unknown kind '" + kind
                    + "' (idx, fmnist, images, text, npy, synthetic)");
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
            throw new DataException("data spec '" + spec + "' gives one image input, but the model has "
                    + inputs.size() + " inputs " + inputs.stream().map(InputInfo::name).toList());
        }
        return inputs.getFirst().name();
    }

    private static DataSource idx(Path images, String labels, String input, int limit) {
        Path lab = labels != null ? Path.of(labels) : images.resolveSibling(images.getFileName().toString()
                .replace("images-idx3", "labels-idx1"));
        boolean hasLabels = labels != null || (!lab.equals(images) && java.nio.file.Files.exists(lab));
        return IdxImageSource.read(images, hasLabels ? lab : null, input, limit);
    }

    private static DataSource images(Path dir, Map<String, String> o, String input, int limit) {
        String[] size = o.getOrDefault("size", "224x224").split("x");
        int channels = Integer.parseInt(o.getOrDefault("channels", "3"));
        float[] mean = floats(o.getOrDefault("mean", channels == 3 ? "0/0/0" : "0"));
        float[] std = floats(o.getOrDefault("std", channels == 3 ? "1/1/1" : "1"));
        ImageOptions opts = new ImageOptions(Integer.parseInt(size[0]), Integer.parseInt(size[1]), channels,
                !o.getOrDefault("layout", "nchw").equals("nhwc"), mean, std);
        return ImageFolderSource.of(dir, input, opts, limit);
    }

    private static float[] floats(String s) {
        String[] p = s.split("/");
        float[] f = new float[p.length];
        for (int i = 0; i < p.length; i++) {
            f[i] = Float.parseFloat(p[i]);
        }
        return f;
    }

    private static DataSource text(Path p, Map<String, String> o, List<InputInfo> inputs, int limit) {
        if (!o.containsKey("tokenizer")) {
            throw new DataException("text data needs tokenizer=FILE (a Hugging Face tokenizer.json)");
        }
        List<TextItem> items = java.nio.file.Files.isDirectory(p)
                ? TextItems.fromFolder(p, o.getOrDefault("glob", "*"), o.containsKey("label")
                        ? Pattern.compile(o.get("label")) : null, Boolean.parseBoolean(o.getOrDefault("email", "false")),
                        limit, Long.parseLong(o.getOrDefault("seed", "1")))
                : TextItems.fromLines(p);
        if (!java.nio.file.Files.isDirectory(p) && limit > 0 && limit < items.size()) {
            items = items.subList(0, limit);
        }
        return TextSource.of(items, Path.of(o.get("tokenizer")), inputs,
                Integer.parseInt(o.getOrDefault("maxlen", "128")), Integer.parseInt(o.getOrDefault("pad", "0")),
                items.size() + " texts from " + p.getFileName());
    }

    private static DataSource synthetic(String count, Map<String, String> o, Model model) {
        Map<String, Long> dims = new LinkedHashMap<>();
        if (o.containsKey("dims")) {
            for (String d : o.get("dims").split("/")) {
                String[] kv = d.split("=");
                if (kv.length != 2) {
                    throw new DataException("synthetic dims '" + o.get("dims") + "': expected name=size/name=size");
                }
                dims.put(kv[0], Long.parseLong(kv[1]));
            }
        }
        List<Value> inputs = model.graph().inputs().stream().filter(v -> v.initializer() == null).toList();
        return new SyntheticSource(inputs, dims, count.isEmpty() ? 100 : Integer.parseInt(count),
                Long.parseLong(o.getOrDefault("seed", "1")), Long.parseLong(o.getOrDefault("maxid", "1000")));
    }
}

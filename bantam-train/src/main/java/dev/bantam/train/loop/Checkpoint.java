package dev.bantam.train.loop;

import ai.djl.ndarray.NDArray;
import dev.bantam.onnx.io.AtomicFiles;
import dev.bantam.train.graph.TrainableGraph;
import dev.bantam.train.optim.Optimizer;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A training checkpoint: the weights, BatchNormalization's running statistics, the optimizer's state and update
 * count, the training config, the epochs done and their summaries, tagged with a fingerprint of the trainable weights' names and
 * shapes so a checkpoint of another model is refused. Written atomically.
 */
final class Checkpoint {

    private static final String MAGIC = "BANTAM-CHECKPOINT-1";

    record Loaded(int epoch, List<TrainReport.Epoch> history) {
    }

    private Checkpoint() {
    }

    static String fingerprint(Map<String, NDArray> params, Map<String, NDArray> state) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            Map<String, NDArray> all = new TreeMap<>(params);
            state.forEach((k, v) -> all.put("state:" + k, v));
            all.forEach((k, v) -> md.update((k + v.getShape() + ";").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            return HexFormat.of().formatHex(md.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void write(Path file, TrainableGraph graph, Map<String, NDArray> params, Optimizer optimizer,
            TrainConfig config, int epoch, List<TrainReport.Epoch> history) {
        try {
            Path tmp = AtomicFiles.tempFileBeside(file);
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
                out.writeUTF(MAGIC);
                out.writeUTF(fingerprint(params, graph.state()));
                out.writeUTF(config.toString());
                out.writeInt(epoch);
                out.writeLong(optimizer.updates());
                out.writeInt(history.size());
                for (TrainReport.Epoch e : history) {
                    out.writeInt(e.epoch());
                    for (double d : new double[] {e.trainLoss(), e.trainAccuracy(), e.validationLoss(),
                            e.validationAccuracy(), e.itemsPerSecond(), e.learningRate(), e.seconds()}) {
                        out.writeDouble(d);
                    }
                }
                Map<String, NDArray> arrays = new LinkedHashMap<>();
                params.forEach((k, v) -> arrays.put("p:" + k, v));
                graph.state().forEach((k, v) -> arrays.put("s:" + k, v));
                optimizer.state().forEach((k, v) -> arrays.put("o:" + k, v));
                out.writeInt(arrays.size());
                for (Map.Entry<String, NDArray> e : arrays.entrySet()) {
                    out.writeUTF(e.getKey());
                    float[] f = e.getValue().toFloatArray();
                    out.writeInt(f.length);
                    for (float x : f) {
                        out.writeFloat(x);
                    }
                }
            }
            AtomicFiles.moveIntoPlace(tmp, file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + file + ": " + e.getMessage(), e);
        }
    }

    static Loaded read(Path file, TrainableGraph graph, Map<String, NDArray> params, Optimizer optimizer,
            TrainConfig config) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            if (!MAGIC.equals(in.readUTF())) {
                throw new IllegalArgumentException(file + " is not a Bantam training checkpoint");
            }
            String fp = in.readUTF();
            if (!fp.equals(fingerprint(params, graph.state()))) {
                throw new IllegalArgumentException("checkpoint " + file + " belongs to another model (its weights' "
                        + "names and shapes differ from this model's)");
            }
            String written = in.readUTF();
            if (!written.equals(config.toString())) {
                throw new IllegalArgumentException("checkpoint " + file + " was written with another training config "
                        + "(" + written + "); resume with the same options");
            }
            int epoch = in.readInt();
            long updates = in.readLong();
            int n = in.readInt();
            List<TrainReport.Epoch> history = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int e = in.readInt();
                double[] d = new double[7];
                for (int k = 0; k < 7; k++) {
                    d[k] = in.readDouble();
                }
                history.add(new TrainReport.Epoch(e, d[0], d[1], d[2], d[3], d[4], d[5], d[6]));
            }
            int arrays = in.readInt();
            Map<String, float[]> opt = new LinkedHashMap<>();
            for (int i = 0; i < arrays; i++) {
                String key = in.readUTF();
                float[] f = new float[in.readInt()];
                for (int k = 0; k < f.length; k++) {
                    f[k] = in.readFloat();
                }
                String name = key.substring(2);
                NDArray target = switch (key.charAt(0)) {
                    case 'p' -> params.get(name);
                    case 's' -> graph.state().get(name);
                    default -> null;
                };
                if (key.charAt(0) == 'o') {
                    opt.put(name, f);
                } else if (target == null || target.size() != f.length) {
                    throw new IllegalArgumentException("checkpoint " + file + " does not fit this model at '"
                            + name + "'");
                } else {
                    dev.bantam.train.graph.Torch.assign(target, f);
                }
            }
            optimizer.restore(opt, updates, params);
            return new Loaded(epoch, history);
        } catch (EOFException e) {
            throw new IllegalArgumentException("checkpoint " + file + " is truncated", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint " + file + ": " + e.getMessage(), e);
        }
    }
}

package dev.bantam.bench.fuzz;

import dev.bantam.onnx.ir.serde.proto.Onnx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/** What a written model may leave in its folder: itself and the external data files it refers to. */
final class OutputFiles {

    private OutputFiles() {
    }

    /** Files in {@code dir} that are neither {@code model} nor named by its external data (empty if all expected). */
    static Set<String> unexpected(Path dir, Path model) throws IOException {
        Set<String> allowed = new TreeSet<>();
        if (Files.isRegularFile(model)) {
            allowed.add(model.getFileName().toString());
            try {
                com.google.protobuf.CodedInputStream in = com.google.protobuf.CodedInputStream.newInstance(
                        Files.readAllBytes(model));
                in.setRecursionLimit(100_000);
                allowed.addAll(locations(Onnx.ModelProto.parseFrom(in)));
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                // an unparsable output is reported by the inspect check; list everything else as unexpected
            }
        }
        Set<String> extra = new TreeSet<>();
        try (Stream<Path> s = Files.walk(dir)) {
            s.filter(p -> !Files.isDirectory(p)).map(p -> dir.relativize(p).toString())
                    .filter(n -> !allowed.contains(n)).forEach(extra::add);
        }
        return extra;
    }

    /** External data locations anywhere in the model (Bantam reads models nested deeper than protobuf's default). */
    static Set<String> locations(Onnx.ModelProto m) {
        Set<String> out = new TreeSet<>();
        graph(m.getGraph(), out);
        for (Onnx.FunctionProto f : m.getFunctionsList()) {
            f.getNodeList().forEach(n -> node(n, out));
        }
        return out;
    }

    private static void graph(Onnx.GraphProto g, Set<String> out) {
        g.getInitializerList().forEach(t -> tensor(t, out));
        g.getSparseInitializerList().forEach(s -> {
            tensor(s.getValues(), out);
            tensor(s.getIndices(), out);
        });
        g.getNodeList().forEach(n -> node(n, out));
    }

    private static void node(Onnx.NodeProto n, Set<String> out) {
        for (Onnx.AttributeProto a : n.getAttributeList()) {
            if (a.hasT()) {
                tensor(a.getT(), out);
            }
            a.getTensorsList().forEach(t -> tensor(t, out));
            if (a.hasG()) {
                graph(a.getG(), out);
            }
            a.getGraphsList().forEach(g -> graph(g, out));
        }
    }

    private static void tensor(Onnx.TensorProto t, Set<String> out) {
        t.getExternalDataList().stream().filter(e -> e.getKey().equals("location"))
                .forEach(e -> out.add(Path.of(e.getValue()).normalize().toString()));
    }
}

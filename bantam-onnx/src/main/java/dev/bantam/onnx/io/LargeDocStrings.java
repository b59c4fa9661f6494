package dev.bantam.onnx.io;

import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Node;
import dev.bantam.onnx.ir.Value;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Doc strings longer than {@link #LIMIT} characters, which ONNX Runtime would parse and keep for nothing: the
 * copies of a model handed to it leave them out (a 20 MB doc string cost ONNX Runtime three times its size per
 * session), and so do the copies a guard scores and times. The caller's model is restored before the copy's writer
 * returns.
 */
public final class LargeDocStrings {

    public static final int LIMIT = 64 << 10;

    private LargeDocStrings() {
    }

    /** Whether any doc string of the model (model, graphs, nodes, values) is over the limit. */
    public static boolean any(Model m) {
        return !collect(m).isEmpty();
    }

    /** Runs {@code action} with every doc string over the limit removed, then puts them back. */
    public static <T> T without(Model m, IoAction<T> action) throws java.io.IOException {
        Map<Object, String> removed = collect(m);
        removed.forEach((owner, doc) -> set(owner, null));
        try {
            return action.run();
        } finally {
            removed.forEach(LargeDocStrings::set);
        }
    }

    /** An action that may fail with an I/O error. */
    @FunctionalInterface
    public interface IoAction<T> {
        T run() throws java.io.IOException;
    }

    private static Map<Object, String> collect(Model m) {
        Map<Object, String> large = new IdentityHashMap<>();
        Consumer<Object> note = o -> {
            String d = doc(o);
            if (d != null && d.length() > LIMIT) {
                large.put(o, d);
            }
        };
        note.accept(m);
        List<Graph> graphs = new ArrayList<>(m.graph().graphsRecursive());
        m.functions().forEach(f -> graphs.addAll(f.body().graphsRecursive())); // a function's own doc is immutable
        for (Graph g : graphs) {
            note.accept(g);
            g.inputs().forEach(note);
            g.outputs().forEach(note);
            g.valueInfos().forEach(note);
            for (Node n : g) {
                note.accept(n);
            }
        }
        return large;
    }

    private static String doc(Object o) {
        return switch (o) {
            case Model x -> x.docString();
            case Graph x -> x.docString();
            case Node x -> x.docString();
            case Value x -> x.docString();
            default -> null;
        };
    }

    private static void set(Object o, String doc) {
        switch (o) {
            case Model x -> x.setDocString(doc);
            case Graph x -> x.setDocString(doc);
            case Node x -> x.setDocString(doc);
            case Value x -> x.setDocString(doc);
            default -> { }
        }
    }
}

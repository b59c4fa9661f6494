package dev.bantam.onnx.ir.serde;

import dev.bantam.onnx.ir.Value;
import java.util.HashMap;
import java.util.Map;

/** Name resolution while reading: a graph's names, falling back to the enclosing graphs'. */
final class Scope {

    private final Scope parent;
    private final Map<String, Value> names = new HashMap<>();
    private final Map<String, Value> undefined = new HashMap<>();

    Scope(Scope parent) {
        this.parent = parent;
    }

    /** Registers a definition; the first one of a name wins, as in a topologically sorted graph. */
    void define(Value v) {
        names.putIfAbsent(v.name(), v);
    }

    Value find(String name) {
        for (Scope s = this; s != null; s = s.parent) {
            Value v = s.names.get(name);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    /** The value of {@code name}, or one shared placeholder for a name nothing defines. */
    Value resolve(String name) {
        Value v = find(name);
        return v != null ? v : undefined.computeIfAbsent(name, Value::new);
    }
}

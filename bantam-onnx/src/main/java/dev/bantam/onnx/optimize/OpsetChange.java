package dev.bantam.onnx.optimize;

import dev.bantam.onnx.ir.Graph;
import dev.bantam.onnx.ir.Node;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * One change of a default-domain operator at one opset version that a node must be converted across: an attribute
 * that became an input, a meaning that changed, an operator replaced by another. Changes that only add types, or add
 * attributes whose defaults keep the old meaning, are not changes here.
 */
interface OpsetChange {

    /** Why {@code n} cannot cross this change (one clause naming the reason), or null when it can. */
    String refusal(Node n);

    /** Converts {@code n} across the change; called only when {@link #refusal} gave null. */
    void apply(Node n, Graph g);

    /** The operator a node is after the change when the change replaces it by another, else null. */
    default String renamedTo() {
        return null;
    }

    /** A change no node can cross, for {@code reason}. */
    static OpsetChange impossible(String reason) {
        return of(n -> reason, (n, g) -> {
        });
    }

    /** A change that every node crosses with {@code apply}. */
    static OpsetChange always(BiConsumer<Node, Graph> apply) {
        return of(n -> null, apply);
    }

    static OpsetChange of(Function<Node, String> refusal, BiConsumer<Node, Graph> apply) {
        return new OpsetChange() {
            @Override
            public String refusal(Node n) {
                return refusal.apply(n);
            }

            @Override
            public void apply(Node n, Graph g) {
                apply.accept(n, g);
            }
        };
    }

    /** The operator replaced by {@code op}, which has the same inputs, outputs, attributes and meaning. */
    static OpsetChange rename(String op, Function<Node, String> refusal, BiConsumer<Node, Graph> apply) {
        return new OpsetChange() {
            @Override
            public String refusal(Node n) {
                return refusal.apply(n);
            }

            @Override
            public void apply(Node n, Graph g) {
                apply.accept(n, g);
                n.setOpType(op);
            }

            @Override
            public String renamedTo() {
                return op;
            }
        };
    }
}

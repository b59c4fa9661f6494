package dev.bantam.onnx.check;

import java.util.List;

/**
 * What the checker's operator table says about the versions of the default-domain (ai.onnx) operators, for passes
 * that change a model's opset: the opset versions at which an operator's schema changed, whether it is deprecated
 * from some version on, and whether a version is one of the experimental operators ONNX removed.
 */
public final class StandardOperators {

    private StandardOperators() {
    }

    private static OperatorTable.Domain onnx() {
        return OperatorTable.standard().domain("").orElseThrow();
    }

    /** Whether the table knows {@code op} in the default domain. */
    public static boolean known(String op) {
        return onnx().knows(op);
    }

    /** The opset versions that start a new schema of {@code op}, ascending; empty for an unknown operator. */
    public static List<Integer> versions(String op) {
        if (!known(op)) {
            return List.of();
        }
        return onnx().operators().get(op).stream().map(OperatorVersion::since).toList();
    }

    /** Whether {@code op} at {@code opset} is a deprecated version (it may not be used). */
    public static boolean deprecatedAt(String op, long opset) {
        return onnx().at(op, opset).map(OperatorVersion::deprecated).orElse(false);
    }

    /** Whether {@code op} at {@code opset} is an experimental operator that ONNX removed (not a schema it still has). */
    public static boolean experimentalAt(String op, long opset) {
        return onnx().at(op, opset).map(OperatorVersion::unchecked).orElse(false);
    }
}

package dev.bantam.onnx.check;

import dev.bantam.onnx.ir.AttributeType;

/**
 * One attribute an operator version accepts: its type, whether a node must carry it, and the least value each of
 * its integers may take ({@code atLeast}, null for no bound).
 */
record AttributeSpec(String name, AttributeType type, boolean required, Long atLeast) {
}

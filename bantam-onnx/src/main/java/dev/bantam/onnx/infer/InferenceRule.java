package dev.bantam.onnx.infer;

import dev.bantam.onnx.ir.ValueType;
import java.util.List;

/** Computes a node's output types from its inputs; a null element (or shape) means unknown. */
@FunctionalInterface
interface InferenceRule {

    List<ValueType.TensorType> infer(InferenceContext c);
}

package dev.bantam.onnx.ir;

import java.util.List;

/** A graph's quantization annotation: a tensor's name and the names of its quantization parameters. */
public record TensorAnnotation(String tensorName, List<KeyValue> quantParameterTensorNames) {

    public TensorAnnotation {
        quantParameterTensorNames = List.copyOf(quantParameterTensorNames);
    }
}

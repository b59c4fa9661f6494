package dev.bantam.runtime;

import dev.bantam.onnx.ir.DataType;
import java.util.Arrays;

/** A model input as ONNX Runtime sees it: name, element type, and shape with -1 for free dimensions. */
public record InputInfo(String name, DataType type, long[] shape) {

    public InputInfo {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public String describe() {
        StringBuilder b = new StringBuilder(type.name().toLowerCase()).append('[');
        for (int i = 0; i < shape.length; i++) {
            b.append(i > 0 ? "," : "").append(shape[i] < 0 ? "?" : Long.toString(shape[i]));
        }
        return b.append(']').toString();
    }

    @Override
    public String toString() {
        return name + ": " + describe() + " " + Arrays.toString(shape);
    }
}

package dev.bantam.onnx.ir;

import java.util.Arrays;

/**
 * Serialized protobuf content that Bantam does not interpret but must write back unchanged: fields a newer
 * ONNX version added, training information, multi-device annotations. Holding bytes instead of protobuf
 * objects keeps protobuf inside the serialization package.
 */
public record OpaqueMessage(byte[] bytes) {

    public OpaqueMessage {
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    public int size() {
        return bytes.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OpaqueMessage m && Arrays.equals(bytes, m.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }
}

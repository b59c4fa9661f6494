package dev.bantam.onnx.ir;

import java.util.List;

/**
 * The rarely used parts of a tensor, kept so that a model writes back unchanged: doc string, metadata, the
 * segment of a split tensor, an explicit data_location, and fields newer than this schema.
 *
 * @param segmentBegin null unless the tensor is a segment
 * @param dataLocation the data_location number when the file set it explicitly, else null
 */
public record TensorDetails(String docString, List<KeyValue> metadata, Long segmentBegin, Long segmentEnd,
                            boolean hasSegment, Integer dataLocation, OpaqueMessage unknownFields) {

    public static final TensorDetails NONE = new TensorDetails(null, List.of(), null, null, false, null, null);

    public TensorDetails {
        metadata = List.copyOf(metadata);
    }
}

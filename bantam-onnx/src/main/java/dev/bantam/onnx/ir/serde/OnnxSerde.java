package dev.bantam.onnx.ir.serde;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.ExtensionRegistryLite;
import dev.bantam.onnx.io.ModelFormatException;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ir.serde.proto.Onnx;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * Reading and writing the ONNX protobuf format: the one entry point to this package. Large raw tensor data
 * is never copied while reading; the returned tensors are slices of {@code file}.
 */
public final class OnnxSerde {

    /** protobuf's hard limit on one message. */
    public static final long MAX_MESSAGE_BYTES = Integer.MAX_VALUE;

    private OnnxSerde() {
    }

    /** Parses a serialized ModelProto held in {@code file} (typically a memory-mapped model file). */
    public static Model read(MemorySegment file, ExternalResolver resolver) {
        if (file.byteSize() > MAX_MESSAGE_BYTES) {
            throw new ModelFormatException("the model file is " + file.byteSize()
                    + " bytes, over protobuf's 2 GB limit; large weights must be in external data files");
        }
        RawDataSplicer.Result spliced = RawDataSplicer.splice(file);
        Onnx.ModelProto proto;
        try {
            // An immutable-marked input, so that with aliasing strings and bytes share the spliced array, not copy it.
            CodedInputStream in = com.google.protobuf.UnsafeByteOperations.unsafeWrap(spliced.message()).newCodedInput();
            in.setRecursionLimit(WireFormat.MAX_NESTING + 1);
            in.enableAliasing(true);
            proto = Onnx.ModelProto.parseFrom(in, ExtensionRegistryLite.getEmptyRegistry());
        } catch (IOException e) {
            throw new ModelFormatException("not a valid ONNX model: " + e.getMessage(), e);
        }
        List<MemorySegment> slices = new ArrayList<>(spliced.slices().size());
        for (long[] s : spliced.slices()) {
            slices.add(file.asSlice(s[0], s[1]).asReadOnly());
        }
        try {
            return new ProtoReader(slices, resolver).readModel(proto);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException("not a valid ONNX model: " + e.getMessage(), e);
        }
    }

    /** Reads a model from bytes; external data is refused. */
    public static Model read(byte[] bytes) {
        return read(MemorySegment.ofArray(bytes), ExternalResolver.NONE);
    }

    /**
     * Writes {@code model}; initializers go to external data where {@code placement} says so. Tensor bytes
     * are streamed from where they live (mapped file, off-heap memory), never gathered on the heap. Fails
     * when the model would exceed protobuf's 2 GB limit.
     */
    public static void write(Model model, OutputStream out, TensorPlacement placement) throws IOException {
        ProtoWriter writer = new ProtoWriter(placement);
        byte[] skeleton = writer.writeModel(model).toByteArray();
        List<MemorySegment> splices = writer.tensors().splices();
        long size = RawDataExpander.size(skeleton, splices);
        if (size > MAX_MESSAGE_BYTES) {
            throw new IllegalStateException("the model is " + size + " bytes written inline, over protobuf's "
                    + "2 GB limit; save its weights as external data");
        }
        RawDataExpander.write(skeleton, splices, out);
    }

    /** Reads a serialized TensorProto, such as the input and output files of the ONNX backend tests. */
    public static Tensor readTensor(byte[] bytes) {
        try {
            return new TensorReader(List.of(), ExternalResolver.NONE).read(Onnx.TensorProto.parseFrom(bytes));
        } catch (IOException | IllegalArgumentException e) {
            throw new ModelFormatException("not a valid ONNX tensor: " + e.getMessage(), e);
        }
    }

    /** The serialized bytes, all tensors inline. */
    public static byte[] toBytes(Model model) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            write(model, out, TensorPlacement.INLINE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}

package dev.bantam.bench.fuzz;

import com.google.protobuf.ByteString;
import dev.bantam.onnx.ir.serde.proto.Onnx;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Small protobuf builders for the generator: typed values, tensors, nodes and attributes. */
final class Protos {

    static final int FLOAT = 1;
    static final int INT64 = 7;
    static final int BOOL = 9;

    private Protos() {
    }

    static Onnx.TypeProto tensorType(int elemType, long... dims) {
        Onnx.TensorShapeProto.Builder shape = Onnx.TensorShapeProto.newBuilder();
        for (long d : dims) {
            shape.addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return Onnx.TypeProto.newBuilder().setTensorType(Onnx.TypeProto.Tensor.newBuilder()
                .setElemType(elemType).setShape(shape)).build();
    }

    static Onnx.ValueInfoProto value(String name, int elemType, long... dims) {
        return Onnx.ValueInfoProto.newBuilder().setName(name).setType(tensorType(elemType, dims)).build();
    }

    static Onnx.TensorProto floats(String name, Rng rng, long... dims) {
        int n = (int) count(dims);
        ByteBuffer b = ByteBuffer.allocate(n * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            b.putFloat(rng.nextFloat());
        }
        Onnx.TensorProto.Builder t = Onnx.TensorProto.newBuilder().setName(name).setDataType(FLOAT)
                .setRawData(ByteString.copyFrom(b.array()));
        for (long d : dims) {
            t.addDims(d);
        }
        return t.build();
    }

    static Onnx.TensorProto int64s(String name, long... v) {
        return Onnx.TensorProto.newBuilder().setName(name).setDataType(INT64).addDims(v.length)
                .addAllInt64Data(java.util.Arrays.stream(v).boxed().toList()).build();
    }

    static Onnx.TensorProto scalarInt64(String name, long v) {
        return Onnx.TensorProto.newBuilder().setName(name).setDataType(INT64).addInt64Data(v).build();
    }

    static Onnx.TensorProto scalarBool(String name, boolean v) {
        return Onnx.TensorProto.newBuilder().setName(name).setDataType(BOOL).addInt32Data(v ? 1 : 0).build();
    }

    static long count(long... dims) {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        return n;
    }

    static Onnx.NodeProto.Builder node(String op, String name, String[] inputs, String... outputs) {
        Onnx.NodeProto.Builder n = Onnx.NodeProto.newBuilder().setOpType(op).setName(name);
        for (String i : inputs) {
            n.addInput(i);
        }
        for (String o : outputs) {
            n.addOutput(o);
        }
        return n;
    }

    static String[] in(String... names) {
        return names;
    }

    static Onnx.AttributeProto ints(String name, long... v) {
        Onnx.AttributeProto.Builder a = Onnx.AttributeProto.newBuilder().setName(name)
                .setType(Onnx.AttributeProto.AttributeType.INTS);
        for (long x : v) {
            a.addInts(x);
        }
        return a.build();
    }

    static Onnx.AttributeProto intAttr(String name, long v) {
        return Onnx.AttributeProto.newBuilder().setName(name).setType(Onnx.AttributeProto.AttributeType.INT).setI(v)
                .build();
    }

    static Onnx.AttributeProto floatAttr(String name, float v) {
        return Onnx.AttributeProto.newBuilder().setName(name).setType(Onnx.AttributeProto.AttributeType.FLOAT).setF(v)
                .build();
    }

    static Onnx.AttributeProto graphAttr(String name, Onnx.GraphProto g) {
        return Onnx.AttributeProto.newBuilder().setName(name).setType(Onnx.AttributeProto.AttributeType.GRAPH).setG(g)
                .build();
    }

    static Onnx.AttributeProto tensorAttr(String name, Onnx.TensorProto t) {
        return Onnx.AttributeProto.newBuilder().setName(name).setType(Onnx.AttributeProto.AttributeType.TENSOR).setT(t)
                .build();
    }

    static Onnx.OperatorSetIdProto opset(String domain, long version) {
        return Onnx.OperatorSetIdProto.newBuilder().setDomain(domain).setVersion(version).build();
    }

    static Onnx.StringStringEntryProto entry(String k, String v) {
        return Onnx.StringStringEntryProto.newBuilder().setKey(k).setValue(v).build();
    }

    static Onnx.ModelProto.Builder model(Onnx.GraphProto.Builder g, long opset) {
        return Onnx.ModelProto.newBuilder().setIrVersion(8).setProducerName("bantam-fuzz")
                .addOpsetImport(opset("", opset)).setGraph(g);
    }
}

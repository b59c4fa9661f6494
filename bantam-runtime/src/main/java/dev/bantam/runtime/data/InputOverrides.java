package dev.bantam.runtime.data;

import dev.bantam.onnx.ir.DataType;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.runtime.DataException;
import dev.bantam.runtime.InputInfo;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Per-input choices that any data spec may carry, as {@code input.NAME=VALUE}: a constant ({@code input.sr=16000},
 * shaped as the model declares the input, a scalar for a scalar input), zeros of a given shape
 * ({@code input.state=zeros:2x1x128}, a recurrent model's initial state; a size 1 on the one axis the model leaves
 * dynamic follows the batch), or the axis
 * that holds the items ({@code input.state=axis:1}, for synthetic and npy data whose items are not along axis 0).
 * The data source then feeds only the other inputs.
 */
final class InputOverrides {

    /** The key prefix of an override. */
    static final String PREFIX = "input.";

    private sealed interface Choice permits Constant, Zeros, ItemAxis {
    }

    private record Constant(double value, String text) implements Choice {
    }

    private record Zeros(long[] shape) implements Choice {
    }

    private record ItemAxis(int axis) implements Choice {
    }

    private final Map<String, Choice> choices;
    private final Map<String, InputInfo> inputs;

    private InputOverrides(Map<String, Choice> choices, Map<String, InputInfo> inputs) {
        this.choices = choices;
        this.inputs = inputs;
    }

    /** The overrides of a spec, each checked against the model's inputs. */
    static InputOverrides of(SpecOptions o, List<InputInfo> modelInputs) {
        Map<String, InputInfo> byName = new LinkedHashMap<>();
        modelInputs.forEach(i -> byName.put(i.name(), i));
        Map<String, Choice> choices = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : o.withPrefix(PREFIX).entrySet()) {
            String name = e.getKey().substring(PREFIX.length());
            InputInfo in = byName.get(name);
            if (in == null) {
                throw o.bad(e.getKey(), e.getValue(), "names no input of the model (" + String.join(", ", byName.keySet()) + ")");
            }
            choices.put(name, parse(o, e.getKey(), e.getValue(), in));
        }
        return new InputOverrides(choices, byName);
    }

    private static Choice parse(SpecOptions o, String key, String v, InputInfo in) {
        if (v.startsWith("axis:")) {
            int axis;
            try {
                axis = Integer.parseInt(v.substring(5).trim());
            } catch (NumberFormatException e) {
                throw o.bad(key, v, "is not axis:K with K a whole number");
            }
            if (axis < 0 || axis >= Math.max(1, in.shape().length)) {
                throw o.bad(key, v, "is out of range: input '" + in.name() + "' has rank " + in.shape().length);
            }
            return new ItemAxis(axis);
        }
        if (v.startsWith("zeros:")) {
            String[] parts = v.substring(6).split("x", -1);
            long[] shape = new long[parts.length == 1 && parts[0].isEmpty() ? 0 : parts.length];
            long elements = 1;
            for (int i = 0; i < shape.length; i++) {
                try {
                    shape[i] = Long.parseLong(parts[i].trim());
                } catch (NumberFormatException e) {
                    throw o.bad(key, v, "is not zeros:AxBxC with whole sizes");
                }
                if (shape[i] < 1 || shape[i] > DataSpec.MAX_SYNTHETIC_DIM) {
                    throw o.bad(key, v, "has a size out of range (1 to " + DataSpec.MAX_SYNTHETIC_DIM + ")");
                }
                elements = elements > Long.MAX_VALUE / shape[i] ? Long.MAX_VALUE : elements * shape[i];
            }
            if (elements > SyntheticSource.MAX_BATCH_ELEMENTS) {
                throw o.bad(key, v, "has more than " + SyntheticSource.MAX_BATCH_ELEMENTS + " elements");
            }
            long[] declared = in.shape();
            if (declared.length != shape.length) {
                throw o.bad(key, v, "has rank " + shape.length + ", input '" + in.name() + "' is " + in.describe());
            }
            for (int i = 0; i < shape.length; i++) {
                if (declared[i] >= 0 && declared[i] != shape[i]) {
                    throw o.bad(key, v, "does not fit input '" + in.name() + "', which is " + in.describe());
                }
            }
            return new Zeros(shape);
        }
        double value;
        try {
            value = Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw o.bad(key, v, "is not a number, zeros:AxBxC or axis:K");
        }
        if (!Double.isFinite(value)) {
            throw o.bad(key, v, "must be finite");
        }
        boolean integral = switch (in.type()) {
            case FLOAT, DOUBLE, FLOAT16 -> false;
            case INT64, INT32, INT16, INT8, UINT8, UINT16, UINT32, UINT64, BOOL -> true;
            default -> throw o.bad(key, v, "cannot be given to input '" + in.name() + "' of type " + in.describe());
        };
        if (integral && (value != Math.rint(value) || Math.abs(value) > 9.0e15)) {
            throw o.bad(key, v, "is not a whole number, and input '" + in.name() + "' is " + in.describe());
        }
        return new Constant(value, v.trim());
    }

    /** The inputs these overrides feed (the data source gives the others). */
    Set<String> fed() {
        Set<String> out = new java.util.LinkedHashSet<>();
        choices.forEach((k, c) -> {
            if (!(c instanceof ItemAxis)) {
                out.add(k);
            }
        });
        return out;
    }

    /** The axis that holds the items of {@code input}: 0 unless given. */
    int itemAxis(String input) {
        return choices.get(input) instanceof ItemAxis a ? a.axis() : 0;
    }

    /** The model's inputs that the data source must feed. */
    List<InputInfo> remaining(List<InputInfo> all) {
        Set<String> fed = fed();
        return all.stream().filter(i -> !fed.contains(i.name())).toList();
    }

    boolean isEmpty() {
        return choices.isEmpty();
    }

    /** The fed inputs for a batch of {@code n} items. */
    Map<String, Tensor> tensors(int n) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        choices.forEach((name, c) -> {
            InputInfo in = inputs.get(name);
            switch (c) {
                case Zeros z -> out.put(name, filled(name, in.type(), batched(z.shape(), in.shape(), n), 0));
                case Constant k -> {
                    long[] shape = in.shape();
                    for (int i = 0; i < shape.length; i++) {
                        shape[i] = shape[i] >= 0 ? shape[i] : i == itemAxis(name) ? n : 1;
                    }
                    out.put(name, filled(name, in.type(), shape, k.value()));
                }
                case ItemAxis a -> { }
            }
        });
        return out;
    }

    /**
     * Zeros given with size 1 on the one axis the model leaves dynamic (a state [2, batch, 64] given as 2x1x64)
     * follow the batch: {@code n} there, so the same spec feeds batches of any size. Any other shape is fed as given.
     */
    static long[] batched(long[] given, long[] declared, int n) {
        int dynamic = -1;
        for (int i = 0; i < declared.length; i++) {
            if (declared[i] < 0) {
                if (dynamic >= 0) {
                    return given;
                }
                dynamic = i;
            }
        }
        if (dynamic < 0 || given.length != declared.length || given[dynamic] != 1) {
            return given;
        }
        long[] out = given.clone();
        out[dynamic] = n;
        return out;
    }

    private static Tensor filled(String name, DataType type, long[] shape, double v) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        if (n > SyntheticSource.MAX_BATCH_ELEMENTS) {
            throw new DataException("input '" + name + "': " + java.util.Arrays.toString(shape) + " is too large to feed");
        }
        long bytes = type.byteSize(n);
        MemorySegment seg = Arena.ofAuto().allocate(Math.max(8, bytes), 8).asSlice(0, bytes);
        for (long i = 0; i < n && v != 0; i++) {
            switch (type) {
                case FLOAT -> seg.setAtIndex(Tensor.FLOAT_LE, i, (float) v);
                case DOUBLE -> seg.setAtIndex(Tensor.DOUBLE_LE, i, v);
                case FLOAT16 -> seg.setAtIndex(Tensor.SHORT_LE, i, Float.floatToFloat16((float) v));
                case INT64, UINT64 -> seg.setAtIndex(Tensor.LONG_LE, i, (long) v);
                case INT32, UINT32 -> seg.setAtIndex(Tensor.INT_LE, i, (int) (long) v);
                case INT16, UINT16 -> seg.setAtIndex(Tensor.SHORT_LE, i, (short) (long) v);
                case INT8, UINT8, BOOL -> seg.set(ValueLayout.JAVA_BYTE, i, (byte) (long) v);
                default -> throw new DataException("input '" + name + "': cannot feed " + type);
            }
        }
        return Tensor.ofBytes(name, type, shape, seg);
    }

    /** Wraps a source so that its batches carry the fed inputs too. */
    DataSource wrap(DataSource base) {
        if (fed().isEmpty()) {
            return base;
        }
        return new DataSource() {
            @Override
            public int size() {
                return base.size();
            }

            @Override
            public Batch batch(int start, int count) {
                Batch b = base.batch(start, count);
                Map<String, Tensor> feeds = new LinkedHashMap<>(b.feeds());
                feeds.putAll(tensors(b.count()));
                return new Batch(feeds, b.labels(), b.count());
            }

            @Override
            public List<String> labelNames() {
                return base.labelNames();
            }

            @Override
            public String describe() {
                List<String> given = new java.util.ArrayList<>();
                choices.forEach((k, c) -> given.add(switch (c) {
                    case Constant x -> k + "=" + x.text();
                    case Zeros z -> k + "=zeros " + java.util.Arrays.toString(z.shape());
                    case ItemAxis a -> k + " items along axis " + a.axis();
                }));
                return base.describe() + " (" + String.join(", ", given) + ")";
            }
        };
    }
}

package dev.bantam.runtime;

import dev.bantam.onnx.ir.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Checks feeds against a model's inputs: names, element types, ranks and fixed dimensions. */
final class FeedCheck {

    private FeedCheck() {
    }

    static void check(List<InputInfo> inputs, Map<String, Tensor> feeds) {
        for (InputInfo in : inputs) {
            Tensor t = feeds.get(in.name());
            if (t == null) {
                throw new DataException("input '" + in.name() + "': the model expects " + in.describe()
                        + " but the data provides none (it provides " + feeds.keySet() + ")");
            }
            long[] want = in.shape();
            long[] got = t.dims();
            boolean ok = t.dataType() == in.type() && want.length == got.length;
            for (int i = 0; ok && i < want.length; i++) {
                ok = want[i] < 0 || want[i] == got[i];
            }
            if (!ok) {
                throw new DataException("input '" + in.name() + "': the model expects " + in.describe()
                        + ", got " + t.dataType().name().toLowerCase() + Arrays.toString(got).replace(" ", ""));
            }
        }
        for (String name : feeds.keySet()) {
            if (inputs.stream().noneMatch(i -> i.name().equals(name))) {
                throw new DataException("input '" + name + "' is not an input of the model (its inputs: "
                        + inputs.stream().map(InputInfo::name).toList() + ")");
            }
        }
    }
}

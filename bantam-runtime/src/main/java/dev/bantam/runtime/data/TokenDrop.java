package dev.bantam.runtime.data;

import dev.bantam.onnx.ir.Tensor;
import java.util.Map;
import java.util.Random;

/**
 * Drops a fraction of each item's tokens, keeping the first and the last ([CLS] and [SEP]): the tokens after a
 * dropped one move up, the attention mask and token types shrink with them, and the freed end is padding (0).
 */
final class TokenDrop {

    private TokenDrop() {
    }

    static void apply(Map<String, Tensor> feeds, double p, Random r) {
        Tensor ids = feeds.get("input_ids");
        long[] dims = ids.dims();
        if (dims.length != 2) {
            throw new dev.bantam.runtime.DataException("perturb=tokens needs input_ids of [items, tokens], not rank "
                    + dims.length);
        }
        int n = (int) dims[0];
        int len = (int) dims[1];
        long[] id = ids.toLongArray();
        long[] mask = feeds.get("attention_mask").toLongArray();
        Tensor typesTensor = feeds.get("token_type_ids");
        long[] types = typesTensor == null ? null : typesTensor.toLongArray();
        long[] id2 = new long[id.length];
        long[] mask2 = new long[mask.length];
        long[] types2 = types == null ? null : new long[types.length];
        for (int i = 0; i < n; i++) {
            int used = 0;
            for (int t = 0; t < len; t++) {
                used += mask[i * len + t] != 0 ? 1 : 0;
            }
            int o = 0;
            for (int t = 0; t < len; t++) {
                int at = i * len + t;
                boolean inner = mask[at] != 0 && t > 0 && t < used - 1;
                if (mask[at] == 0 || (inner && r.nextDouble() < p)) {
                    continue;
                }
                id2[i * len + o] = id[at];
                mask2[i * len + o] = mask[at];
                if (types != null) {
                    types2[i * len + o] = types[at];
                }
                o++;
            }
        }
        feeds.put("input_ids", Tensor.ofLongs("input_ids", id2, dims));
        feeds.put("attention_mask", Tensor.ofLongs("attention_mask", mask2, dims));
        if (types != null) {
            feeds.put("token_type_ids", Tensor.ofLongs("token_type_ids", types2, dims));
        }
    }
}

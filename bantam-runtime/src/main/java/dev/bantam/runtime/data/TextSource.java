package dev.bantam.runtime.data;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.bantam.onnx.ir.DataType;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.runtime.DataException;
import dev.bantam.runtime.InputInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Texts tokenized with a Hugging Face {@code tokenizer.json} (DJL's binding of the tokenizers library) and
 * mapped onto the model's {@code input_ids}, {@code attention_mask} and {@code token_type_ids}. A batch is
 * padded to its longest item, or to exactly {@code padTo} tokens when that is set.
 */
public final class TextSource implements DataSource {

    private static final List<String> PRODUCED = List.of("input_ids", "attention_mask", "token_type_ids");

    private final List<TextItem> items;
    private final List<String> labelNames;
    private final HuggingFaceTokenizer tokenizer;
    private final List<InputInfo> inputs;
    private final int padTo;
    private final String description;
    private final Typos typos;

    private TextSource(List<TextItem> items, HuggingFaceTokenizer tokenizer, List<InputInfo> inputs, int padTo,
                       String description, Typos typos) {
        this.items = List.copyOf(items);
        this.tokenizer = tokenizer;
        this.inputs = inputs;
        this.padTo = padTo;
        this.labelNames = items.stream().map(TextItem::label).filter(l -> l != null).distinct().sorted().toList();
        if (!labelNames.isEmpty() && items.stream().anyMatch(i -> i.label() == null)) {
            throw new DataException("text data mixes labeled and unlabeled items");
        }
        this.description = description;
        this.typos = typos;
    }

    /** These texts with words misspelled ({@link Typos}) before tokenizing: a fraction of the words, seeded. */
    TextSource misspelled(double fraction, long seed) {
        return new TextSource(items, tokenizer, inputs, padTo, description + String.format(java.util.Locale.ROOT,
                ", %.0f%% of words misspelled", 100 * fraction), new Typos(fraction, seed));
    }

    /**
     * @param modelInputs the model's inputs; each must be one the tokenizer provides
     * @param maxLength   tokens per item at most (longer items are truncated)
     * @param padTo       0 to pad each batch to its longest item, else the exact length of every item
     */
    public static TextSource of(List<TextItem> items, Path tokenizerJson, List<InputInfo> modelInputs,
                                int maxLength, int padTo, String description) {
        for (InputInfo in : modelInputs) {
            if (!PRODUCED.contains(in.name())) {
                throw new DataException("input '" + in.name() + "': text data provides only " + PRODUCED
                        + ", not what this model expects (" + in.describe() + ")");
            }
            if (in.type() != DataType.INT64 && in.type() != DataType.INT32) {
                throw new DataException("input '" + in.name() + "': the model expects " + in.describe()
                        + ", but token ids are integers");
            }
        }
        if (!Files.isRegularFile(tokenizerJson)) {
            throw new DataException("tokenizer file " + tokenizerJson + " does not exist");
        }
        Map<String, String> opts = new HashMap<>();
        opts.put("maxLength", Integer.toString(maxLength));
        opts.put("truncation", "true");
        opts.put("padding", "false");
        try {
            HuggingFaceTokenizer t = HuggingFaceTokenizer.newInstance(tokenizerJson, opts);
            return new TextSource(items, t, modelInputs, padTo, description + ", tokenized with "
                    + tokenizerJson.getFileName() + " (max " + maxLength + " tokens)", null);
        } catch (IOException | RuntimeException e) {
            throw new DataException(java.nio.file.Files.isRegularFile(tokenizerJson)
                    ? "tokenizer " + tokenizerJson + " is not a Hugging Face tokenizer.json that can be loaded"
                    : "tokenizer " + tokenizerJson + " does not exist or is not a file", e);
        }
    }

    @Override
    public int size() {
        return items.size();
    }

    @Override
    public List<String> labelNames() {
        return labelNames;
    }

    @Override
    public Batch batch(int start, int count) {
        List<String> texts = new java.util.ArrayList<>(count);
        for (int i = start; i < start + count; i++) {
            texts.add(typos == null ? items.get(i).text() : typos.apply(items.get(i).text(), i));
        }
        Encoding[] enc = tokenizer.batchEncode(texts);
        int len = padTo;
        if (len == 0) {
            for (Encoding e : enc) {
                len = Math.max(len, e.getIds().length);
            }
        }
        Map<String, long[]> cols = new LinkedHashMap<>();
        for (String name : PRODUCED) {
            cols.put(name, new long[count * len]);
        }
        for (int b = 0; b < count; b++) {
            long[] ids = enc[b].getIds();
            long[] mask = enc[b].getAttentionMask();
            long[] types = enc[b].getTypeIds();
            int n = Math.min(len, ids.length);
            System.arraycopy(ids, 0, cols.get("input_ids"), b * len, n);
            System.arraycopy(mask, 0, cols.get("attention_mask"), b * len, n);
            System.arraycopy(types, 0, cols.get("token_type_ids"), b * len, n);
        }
        Map<String, Tensor> feeds = new LinkedHashMap<>();
        for (InputInfo in : inputs) {
            long[] v = cols.get(in.name());
            feeds.put(in.name(), in.type() == DataType.INT64 ? Tensor.ofLongs(in.name(), v, count, len)
                    : Arrays32.ofInts(in.name(), v, count, len));
        }
        int[] labels = null;
        if (!labelNames.isEmpty()) {
            labels = new int[count];
            for (int i = 0; i < count; i++) {
                labels[i] = labelNames.indexOf(items.get(start + i).label());
            }
        }
        return new Batch(feeds, labels, count);
    }

    @Override
    public String describe() {
        return description;
    }
}

package dev.bantam.onnx.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bantam.onnx.ir.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A minimal BERT WordPiece tokenizer over a Hugging Face tokenizer.json, enough to feed real sentences to
 * the MiniLM and e5 models in round-trip tests. (The evaluation layer uses DJL's full tokenizer.)
 */
public final class WordPiece {

    private final Map<String, Integer> vocab = new HashMap<>();

    public WordPiece(Path tokenizerJson) throws IOException {
        JsonNode v = new ObjectMapper().readTree(tokenizerJson.toFile()).path("model").path("vocab");
        v.properties().forEach(e -> vocab.put(e.getKey(), e.getValue().asInt()));
        if (vocab.isEmpty()) {
            throw new IOException(tokenizerJson + " has no WordPiece vocabulary");
        }
    }

    public List<Integer> encode(String text) {
        List<Integer> ids = new ArrayList<>(List.of(vocab.get("[CLS]")));
        for (String word : text.toLowerCase(Locale.ROOT).split("(?<=\\p{Punct})|(?=\\p{Punct})|\\s+")) {
            if (word.isBlank()) {
                continue;
            }
            int start = 0;
            while (start < word.length()) {
                int end = word.length();
                Integer id = null;
                while (end > start) {
                    String piece = (start > 0 ? "##" : "") + word.substring(start, end);
                    id = vocab.get(piece);
                    if (id != null) {
                        break;
                    }
                    end--;
                }
                if (id == null) {
                    ids.add(vocab.get("[UNK]"));
                    break;
                }
                ids.add(id);
                start = end;
            }
        }
        ids.add(vocab.get("[SEP]"));
        return ids;
    }

    /** input_ids, attention_mask and token_type_ids for a padded batch. */
    public Map<String, Tensor> batch(List<String> texts) {
        List<List<Integer>> enc = texts.stream().map(this::encode).toList();
        int len = enc.stream().mapToInt(List::size).max().orElse(0);
        long[] ids = new long[texts.size() * len];
        long[] mask = new long[ids.length];
        for (int b = 0; b < enc.size(); b++) {
            for (int i = 0; i < enc.get(b).size(); i++) {
                ids[b * len + i] = enc.get(b).get(i);
                mask[b * len + i] = 1;
            }
        }
        Map<String, Tensor> out = new java.util.LinkedHashMap<>();
        out.put("input_ids", Tensor.ofLongs("input_ids", ids, texts.size(), len));
        out.put("attention_mask", Tensor.ofLongs("attention_mask", mask, texts.size(), len));
        out.put("token_type_ids", Tensor.ofLongs("token_type_ids", new long[ids.length], texts.size(), len));
        return out;
    }

    public static final List<String> SENTENCES = List.of(
            "The quarterly report shows revenue grew by twelve percent.",
            "Please confirm your attendance at Thursday's meeting.",
            "Congratulations! You have won a free cruise, click here to claim your prize now.",
            "The patch fixes a race condition in the network driver.",
            "Can we move the deadline to next Monday?",
            "Limited offer: cheap watches and pills shipped overnight.");
}

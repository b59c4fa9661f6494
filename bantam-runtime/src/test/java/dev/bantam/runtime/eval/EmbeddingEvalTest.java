package dev.bantam.runtime.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bantam.onnx.ProgressListener;
import dev.bantam.onnx.testing.TestData;
import dev.bantam.runtime.RuntimeOptions;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MiniLM-q against MiniLM on real emails: the measurements a user compares quantized embeddings by. */
class EmbeddingEvalTest {

    @Test
    void quantizedMiniLmStaysCloseToFloat(@TempDir Path dir) throws Exception {
        Path spam = TestData.spamAssassin();
        Path f = TestData.classpathModel("all-minilm-l6-v2.onnx", dir);
        Path q = TestData.classpathModel("all-minilm-l6-v2-q.onnx", dir);
        Path tok = TestData.classpathModel("all-minilm-l6-v2-tokenizer.json", dir);
        String data = "text:" + spam + ",tokenizer=" + tok + ",glob=*.txt,label=(spam|ham),email=true,limit=240,maxlen=64";
        EvalResult r = Evaluator.run(new EvalConfig(q, f, data, Task.EMBED, 32, RuntimeOptions.defaults(), 0.7),
                ProgressListener.NONE);
        assertEquals(2, r.models().size());
        EmbeddingQuality ref = r.models().get(0).embedding();
        EmbeddingQuality cand = r.models().get(1).embedding();
        assertNull(ref.meanCosine(), "the reference is not compared with itself");
        assertEquals(384, cand.dimensions());
        assertTrue(cand.meanCosine() > 0.95 && cand.meanCosine() < 1, "mean cosine " + cand.meanCosine());
        assertTrue(cand.p1Cosine() <= cand.meanCosine() && cand.p1Cosine() > 0.85, "p1 " + cand.p1Cosine());
        assertTrue(cand.neighbourAgreement() > 0.6 && cand.neighbourAgreement() <= 1, "agreement " + cand.neighbourAgreement());
        assertTrue(ref.probeAccuracy() > 0.8, "spam/ham probe on float embeddings " + ref.probeAccuracy());
        assertTrue(cand.probeAccuracy() > 0.8, "probe on quantized embeddings " + cand.probeAccuracy());
        assertEquals(240, r.itemCosines().length);
        assertTrue(r.models().get(1).energy().macsInt8() > r.models().get(1).energy().macsFp32(),
                "the dynamic INT8 model does most of its MACs in INT8");
    }
}

package dev.bantam.compress.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bantam.compress.testing.Runs;
import dev.bantam.onnx.check.ModelChecker;
import dev.bantam.onnx.io.ModelIO;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ir.serde.OnnxSerde;
import dev.bantam.onnx.testing.TestData;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import dev.bantam.compress.testing.Graphs;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 13: the surgery is exact, whatever the importance. For random channels of every space that can lose some (the
 * four Fashion-MNIST models, the OCR direction classifier with its BatchNormalization and SE blocks, small graphs),
 * the pruned model's outputs in ONNX Runtime equal, within 1e-5 relative, the original model's with the same
 * channels zeroed where layers read them.
 */
class ChannelSurgeryTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"fmnist/tiny.onnx", "fmnist/cnn.onnx", "fmnist/mobilenet.onnx", "fmnist/resnet.onnx",
        "ocr-cls.onnx"})
    void prunedEqualsZeroedOnTheRepoModels(String path) throws Exception {
        Model original = ModelIO.load(TestData.repoModel(path));
        assertExact(original, 20261129L);
    }

    static Stream<Arguments> smallGraphs() {
        return Stream.of(
                Arguments.of("conv-relu-maxpool", (Supplier<Model>) Graphs::convReluPool, 1),
                Arguments.of("residual-add", (Supplier<Model>) Graphs::residualAdd, 1),
                Arguments.of("concat of two branches", (Supplier<Model>) Graphs::concat, 2),
                Arguments.of("gemm", (Supplier<Model>) Graphs::gemm, 1),
                Arguments.of("pool-flatten-gemm", (Supplier<Model>) Graphs::poolHead, 1),
                Arguments.of("flatten-gemm with strides and dilation", (Supplier<Model>) Graphs::stridedConvsAndGemm, 2),
                Arguments.of("batch-norm and depthwise", (Supplier<Model>) Graphs::depthwiseBlock, 1),
                Arguments.of("squeeze-and-excitation", (Supplier<Model>) Graphs::seBlock, 2),
                Arguments.of("transformer feed-forward", (Supplier<Model>) Graphs::feedForward, 1),
                Arguments.of("constant-node weights, Clip", (Supplier<Model>) Graphs::constantWeightsAndClip, 1));
    }

    /** Small graphs built in code: the prunable spaces found, and pruned equal to zeroed. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("smallGraphs")
    void prunedEqualsZeroedOnSmallGraphs(String name, Supplier<Model> graph, int prunable) {
        Model m = graph.get();
        List<ChannelSpace> spaces = StructuredPruning.spaces(m);
        assertEquals(prunable, spaces.stream().filter(ChannelSpace::prunable).count(), name + ": " + spaces);
        assertTrue(spaces.stream().filter(s -> !s.prunable()).allMatch(s -> s.frozen().stream()
                .anyMatch(r -> r.startsWith("reaches the graph output"))), name + ": only the output's channels frozen");
        assertExact(graph.get(), 7);
    }

    /** The depthwise block is one space: the 1x1 expansion, the BatchNormalization and the depthwise Conv together. */
    @org.junit.jupiter.api.Test
    void depthwiseAndBatchNormJoinTheirProducer() {
        Model m = Graphs.depthwiseBlock();
        ChannelSpace s = StructuredPruning.spaces(m).getFirst();
        assertTrue(s.prunable());
        assertEquals(8, s.size());
        assertEquals(2 + 4 + 2 + 1, s.slots().size(), "expansion weight and bias, four BN vectors, depthwise weight and "
                + "bias, the projection's input slice: " + s.slots());
        ChannelRemoval.remove(m, Map.of(s, new TreeSet<>(List.of(1L, 5L))));
        dev.bantam.onnx.ir.Node dw = m.graph().nodes().stream().filter(n -> n.intAttribute("group", 1) > 1).findFirst()
                .orElseThrow();
        assertEquals(6, dw.intAttribute("group", 1), "the depthwise group follows its channels");
    }

    /** An operator outside the table freezes the channels it reads, and says which. */
    @org.junit.jupiter.api.Test
    void anUnknownReaderFreezesItsSpaceWithTheReason() {
        List<ChannelSpace> spaces = StructuredPruning.spaces(Graphs.softmaxOverChannels());
        ChannelSpace first = spaces.getFirst();
        assertTrue(!first.prunable());
        assertTrue(first.frozen().getFirst().startsWith("read by Softmax"), first.frozen().toString());
        assertTrue(first.frozen().getFirst().contains("outside the channel table"), first.frozen().toString());
    }

    /** Prunes random channels of every prunable space at once and compares with the zeroed original. */
    static void assertExact(Model original, long seed) {
        byte[] bytes = OnnxSerde.toBytes(original);
        Model pruned = OnnxSerde.read(bytes);
        Model zeroed = OnnxSerde.read(bytes);
        List<ChannelSpace> ps = StructuredPruning.spaces(pruned);
        List<ChannelSpace> zs = StructuredPruning.spaces(zeroed);
        Random r = new Random(seed);
        Map<ChannelSpace, TreeSet<Long>> cutP = new LinkedHashMap<>();
        Map<ChannelSpace, TreeSet<Long>> cutZ = new LinkedHashMap<>();
        for (int i = 0; i < ps.size(); i++) {
            if (!ps.get(i).prunable() || ps.get(i).size() < 2) {
                continue;
            }
            TreeSet<Long> gone = new TreeSet<>();
            long k = 1 + r.nextInt((int) ps.get(i).size() - 1);
            while (gone.size() < k) {
                gone.add((long) r.nextInt((int) ps.get(i).size()));
            }
            cutP.put(ps.get(i), gone);
            cutZ.put(zs.get(i), gone);
        }
        assertTrue(!cutP.isEmpty(), "some space can lose channels");
        ChannelRemoval.remove(pruned, cutP);
        ChannelRemoval.zero(zeroed, cutZ);
        assertEquals(List.of(), ModelChecker.check(pruned).errors());
        Map<String, Tensor> feeds = Runs.feeds(original, 5, 3);
        float[] a = Runs.run(zeroed, feeds);
        float[] b = Runs.run(pruned, feeds);
        double scale = 0;
        for (float x : a) {
            scale = Math.max(scale, Math.abs(x));
        }
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], b[i], 1e-5 * Math.max(1, scale), "output " + i);
        }
    }
}

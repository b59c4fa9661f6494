package dev.bantam.onnx.ir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Use-def chains stay right through every edit the IR offers. */
class GraphTest {

    @Test
    void usesFollowEdits() {
        Graph g = new Graph("g");
        Value x = new Value("x");
        g.addInput(x);
        Node a = g.append(Node.of("Relu", List.of(x), List.of("a")));
        Node b = g.append(Node.of("Add", List.of(a.output(0), x), List.of("b")));
        g.addOutput(b.output(0));
        assertEquals(List.of(new Usage(a, 0), new Usage(b, 1)), x.uses());
        assertSame(a, b.input(0).producer());

        Node c = g.insertAfter(a, Node.of("Neg", List.of(x), List.of("c")));
        a.output(0).replaceAllUsesWith(c.output(0), true);
        assertEquals(List.of(), a.output(0).uses());
        assertEquals(List.of(new Usage(b, 0)), c.output(0).uses());
        assertThrows(IllegalStateException.class, () -> g.remove(c, true));
        g.remove(a, true);
        assertEquals(List.of(c, b), g.nodes());
        assertEquals(List.of(new Usage(b, 1), new Usage(c, 0)), x.uses());
    }

    @Test
    void aReplacedGraphOutputKeepsItsName() {
        Graph g = new Graph("g");
        Value x = new Value("x");
        g.addInput(x);
        Node a = g.append(Node.of("Relu", List.of(x), List.of("y")));
        Node reader = g.append(Node.of("Neg", List.of(a.output(0)), List.of("z")));
        g.addOutput(a.output(0));
        g.addOutput(reader.output(0));
        Node b = g.append(Node.of("Sigmoid", List.of(x), List.of("b")));
        Value old = a.output(0);
        old.replaceKeepingOutputName(b.output(0), "_old");
        assertEquals("y", b.output(0).name(), "the replacement takes the output's name");
        assertEquals("y_old", old.name());
        assertSame(b.output(0), g.outputs().get(0), "same position");
        assertSame(b.output(0), reader.input(0), "readers follow");
        g.remove(a, true);

        Node q = g.append(Node.of("Neg", List.of(reader.output(0)), List.of("q")));
        g.replaceOutputKeepingName(reader.output(0), q.output(0), "_float");
        assertEquals("z", q.output(0).name());
        assertEquals("z_float", reader.output(0).name());
        assertSame(reader.output(0), q.input(0), "readers are left alone: the new output reads the old value");
        assertThrows(IllegalArgumentException.class, () -> g.replaceOutputKeepingName(x, q.output(0), "_x"));
    }

    @Test
    void uniqueNamesAvoidThisAndEnclosingGraphs() {
        Graph outer = new Graph("outer");
        Value x = new Value("x");
        outer.addInput(x);
        outer.addInitializer(Tensor.ofFloats("w", new float[] {1}, 1));
        Graph body = new Graph("body");
        Node iff = outer.append(Node.of("If", List.of(x), List.of("y"), Attribute.of("then_branch",
                new AttributeValue.GraphValue(body))));
        body.append(Node.of("Relu", List.of(x), List.of("x_1")));
        assertSame(iff, body.parentNode());
        assertEquals("w_1", body.uniqueName("w"));
        assertEquals("x_2", body.uniqueName("x"));
        assertEquals("fresh", body.uniqueName("fresh"));
    }

    /**
     * The name index behind uniqueName against the plain scan it replaced, through a seeded run of adds,
     * removals, renames, initializers and lookups, in a graph and its subgraph.
     */
    @Test
    void uniqueNameIndexAgreesWithAFullScan() {
        java.util.Random r = new java.util.Random(7);
        Graph g = new Graph("g");
        Value x = new Value("x");
        g.addInput(x);
        Graph body = new Graph("body");
        g.append(Node.of("If", List.of(x), List.of("y"), Attribute.of("then_branch", new AttributeValue.GraphValue(body))));
        List<Node> live = new java.util.ArrayList<>();
        for (int step = 0; step < 4000; step++) {
            Graph at = r.nextInt(4) == 0 ? body : g;
            String base = "v" + r.nextInt(30);
            switch (r.nextInt(6)) {
                case 0, 1 -> live.add(at.append(Node.of("Relu", List.of(x), List.of(at.uniqueName(base)))));
                case 2 -> {
                    if (!live.isEmpty()) {
                        Node n = live.remove(r.nextInt(live.size()));
                        n.graph().remove(n, false);
                    }
                }
                case 3 -> {
                    if (!live.isEmpty()) {
                        live.get(r.nextInt(live.size())).output(0).setName(base);
                    }
                }
                case 4 -> {
                    if (at.initializer(base) == null) {
                        at.addInitializer(Tensor.ofFloats(base, new float[] {1}, 1));
                    } else if (at.initializer(base).uses().isEmpty()) {
                        at.removeInitializer(at.initializer(base));
                    }
                }
                default -> assertEquals(scanUniqueName(at, base), at.uniqueName(base), "step " + step);
            }
        }
    }

    /** The reference: a set of every name in the graph and its enclosing graphs, built on each call. */
    private static String scanUniqueName(Graph graph, String base) {
        java.util.Set<String> used = new java.util.HashSet<>();
        for (Graph x = graph; x != null; x = x.parentGraph()) {
            x.inputs().forEach(v -> used.add(v.name()));
            x.initializers().forEach(v -> used.add(v.name()));
            for (Node n : x) {
                n.outputs().stream().filter(v -> v != null).forEach(v -> used.add(v.name()));
            }
        }
        String name = base;
        for (int i = 1; used.contains(name); i++) {
            name = base + "_" + i;
        }
        return name;
    }

    @Test
    void removingTheOnlyNodeEmptiesTheList() {
        Graph g = new Graph("g");
        Value x = new Value("x");
        g.addInput(x);
        Node a = g.append(Node.of("Relu", List.of(x), List.of("a")));
        g.remove(a, true);
        assertEquals(0, g.nodeCount());
        assertTrue(x.uses().isEmpty());
        g.append(Node.of("Relu", List.of(x), List.of("b")));
        assertEquals(1, g.nodes().size());
    }

    @Test
    void constantNodeAndInitializerAreBothConstants() {
        Graph g = new Graph("g");
        Value w = g.addInitializer(Tensor.ofFloats("w", new float[] {1, 2}, 2));
        Node c = g.append(Node.of("Constant", List.of(), List.of("k"),
                Attribute.ofTensor("value", Tensor.ofFloats("", new float[] {3, 4}, 2))));
        Node f = g.append(Node.of("Constant", List.of(), List.of("s"), Attribute.ofFloat("value_float", 5f)));
        assertArrayEquals(new float[] {1, 2}, w.constantValue().orElseThrow().toFloatArray());
        assertArrayEquals(new float[] {3, 4}, c.output(0).constantValue().orElseThrow().toFloatArray());
        assertEquals("k", c.output(0).constantValue().orElseThrow().name());
        assertArrayEquals(new float[] {5}, f.output(0).constantValue().orElseThrow().toFloatArray());
    }

    @Test
    void graphInputOverridingAnInitializerIsNotAConstant() {
        Graph g = new Graph("g");
        Value v = new Value("w");
        g.addInput(v);
        g.addInitializer(v, Tensor.ofFloats("w", new float[] {1}, 1));
        assertTrue(v.constantValue().isEmpty());
    }

    @Test
    void typedFieldDataConvertsToRawBytes() {
        Tensor h = new Tensor("h", DataType.FLOAT16, new long[] {2},
                new TensorData.Fields(TensorData.FieldKind.INT32_DATA, new int[] {0x3c00, 0xc000}), null);
        assertArrayEquals(new float[] {1f, -2f}, h.toFloatArray());
        assertEquals(4, h.storedByteSize());
        Tensor u4 = new Tensor("u", DataType.UINT4, new long[] {3},
                new TensorData.Fields(TensorData.FieldKind.INT32_DATA, new int[] {0x21, 0x03}), null);
        assertEquals(2, u4.expectedByteSize());
        assertEquals(2, u4.bytes().byteSize());
    }
}

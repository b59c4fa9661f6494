package dev.bantam.bench.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bantam.onnx.check.ModelChecker;
import dev.bantam.onnx.io.ModelIO;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generators are deterministic, their seed models are valid, and every mutation is drawn. */
class ModelGeneratorTest {

    @TempDir
    Path tmp;

    @Test
    void sameSeedSameCase() {
        for (long seed = 0; seed < 200; seed++) {
            ModelCase a = ModelGenerator.generate(seed);
            ModelCase b = ModelGenerator.generate(seed);
            assertEquals(a.steps(), b.steps());
            assertEquals(a.files().keySet(), b.files().keySet());
            for (String f : a.files().keySet()) {
                assertArrayEquals(a.files().get(f), b.files().get(f), f);
            }
            SpecCase x = SpecGenerator.generate(seed);
            SpecCase y = SpecGenerator.generate(seed);
            assertEquals(x.spec() + x.steps() + x.fifos() + x.dirs(), y.spec() + y.steps() + y.fifos() + y.dirs());
            for (String f : x.files().keySet()) {
                assertArrayEquals(x.files().get(f), y.files().get(f), f);
            }
        }
    }

    /** Campaign finding (harness): a dims mutation on a scalar tensor of a Constant node threw in the generator. */
    @Test
    void dimsMutationsOnScalarConstantsGenerate() {
        for (long seed : new long[] {-3312899442137834251L, -5195864101768278882L}) {
            assertFalse(ModelGenerator.generate(seed).files().isEmpty(), "seed " + seed);
        }
    }

    @Test
    void seedModelsPassTheCheckerAndLoadInOnnxRuntime() throws Exception {
        for (SeedModels.Seed s : SeedModels.ALL) {
            Path dir = Files.createDirectories(tmp.resolve(s.name()));
            ModelDraft d = new ModelDraft(s.name(), s.build().apply(new Rng(1)));
            Features.externalize(d, new Rng(2));
            Path model = dir.resolve(ModelCase.MODEL);
            Files.write(model, d.model.build().toByteArray());
            for (var e : d.sidecars.entrySet()) {
                Files.write(dir.resolve(e.getKey()), e.getValue());
            }
            assertFalse(ModelChecker.check(ModelIO.load(model)).hasErrors(), s.name());
            assertNull(OrtCheck.loadError(model), s.name());
        }
        for (String kind : new String[] {"image", "text"}) {
            Path model = tmp.resolve(kind + ".onnx");
            Files.write(model, SpecModels.of(kind));
            assertNull(OrtCheck.loadError(model), kind);
        }
    }

    @Test
    void everyMutationIsDrawn() {
        Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        // Deep-nesting mutations build thousands of nested protobuf messages, and protobuf's builders recurse: the
        // generator runs on a thread with a large stack, as the campaign's workers run with -Xss4m.
        Throwable[] failure = new Throwable[1];
        Thread t = new Thread(null, () -> {
            try {
                for (long seed = 0; seed < 5000; seed++) {
                    seen.addAll(ModelGenerator.generate(Rng.caseSeed(1, seed)).steps());
                    seen.addAll(SpecGenerator.generate(Rng.caseSeed(1, seed)).steps());
                }
            } catch (Throwable e) {
                failure[0] = e;
            }
        }, "generate", 256L << 20);
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        if (failure[0] != null) {
            throw new AssertionError("generation failed", failure[0]);
        }
        for (var family : ModelGenerator.FAMILIES) {
            family.forEach(m -> assertTrue(seen.contains(m.name()), m.name()));
        }
        SpecMutations.ALL.forEach(m -> assertTrue(seen.contains(m.name()), m.name()));
        ByteMutations.ALL.forEach(m -> assertTrue(seen.contains("bytes:" + m.name()), m.name()));
    }

    @Test
    void signaturesIgnoreNamesPathsAndNumbers() {
        assertEquals(Signatures.normalize("bantam: tensor 'W' has 3 values, /tmp/a/b.onnx"),
                Signatures.normalize("bantam: tensor 'Gb' has 12 values, /x/y.onnx"));
        assertNull(Signatures.traceLine("bantam: data file /dev/null does not exist\n"));
        assertEquals("bantam: NullPointerException: x", Signatures.traceLine("bantam: NullPointerException: x\n"));
    }
}

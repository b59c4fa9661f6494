package dev.bantam.bench.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CI's slice of the fuzz campaign: a fixed seed range (about two minutes on two cores) in worker JVMs. It fails on
 * any finding whose signature is not in the regression corpus; findings already there are the corpus test's
 * business ({@link FuzzRegressionTest}), so this stays green while known bugs are open and catches new ones.
 * Sizes can be changed with -Dbantam.fuzz.models=N -Dbantam.fuzz.specs=M.
 */
class FuzzSliceTest {

    static final Path CORPUS = Path.of("src/test/resources/fuzz-regressions");

    @TempDir
    Path work;

    @Test
    void aFixedSliceFindsNothingNew() throws Exception {
        long models = Long.getLong("bantam.fuzz.models", 300);
        long specs = Long.getLong("bantam.fuzz.specs", 60);
        CampaignConfig c = CampaignConfig.defaults(work).with(models, specs, 1, 2).withCorpus(CORPUS);
        FuzzCampaign.Result r = FuzzCampaign.run(c);
        System.out.println(FuzzReport.table(r, c));
        assertEquals(models, r.modelCases());
        assertEquals(specs, r.specCases());
        assertTrue(r.unknown().isEmpty(), () -> "new fuzz findings (reproduce with WriteCase KIND SEED DIR, or save them"
                + " with bench/fuzz --seed 1 --models " + models + " --specs " + specs + " --save-corpus "
                + CORPUS + "):\n" + r.unknown().stream().map(g -> g.first().signature() + " (seed " + g.first().seed()
                + ")").collect(Collectors.joining("\n")));
    }
}

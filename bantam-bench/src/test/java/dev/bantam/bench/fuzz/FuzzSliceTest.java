package dev.bantam.bench.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CI's slice of the fuzz campaign: a fixed seed range (about two minutes on two cores) in worker JVMs, which must
 * show no finding at all (the corpus's findings are all fixed; {@link FuzzRegressionTest} replays them). Sizes can
 * be changed with -Dbantam.fuzz.models=N -Dbantam.fuzz.specs=M.
 */
class FuzzSliceTest {

    static final Path CORPUS = Path.of("src/test/resources/fuzz-regressions");

    @TempDir
    Path work;

    @Test
    void aFixedSliceFindsNothing() throws Exception {
        long models = Long.getLong("bantam.fuzz.models", 1000);
        long specs = Long.getLong("bantam.fuzz.specs", 200);
        CampaignConfig c = CampaignConfig.defaults(work).with(models, specs, 1, 2).withCorpus(CORPUS);
        FuzzCampaign.Result r = FuzzCampaign.run(c);
        System.out.println(FuzzReport.table(r, c));
        assertEquals(models, r.modelCases());
        assertEquals(specs, r.specCases());
        assertTrue(r.groups().isEmpty(), () -> "fuzz findings (reproduce with WriteCase KIND SEED DIR, or save them"
                + " with bench/fuzz --seed 1 --models " + models + " --specs " + specs + " --save-corpus "
                + CORPUS + "):\n" + r.groups().values().stream().map(g -> g.first().signature() + " (seed " + g.first().seed()
                + ")").collect(Collectors.joining("\n")));
    }
}

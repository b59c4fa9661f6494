package dev.bantam.bench.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replays every case of the regression corpus ({@code src/test/resources/fuzz-regressions}, one folder per distinct
 * finding a campaign ever made) in worker JVMs and requires that none shows any finding. In the default suite since
 * every finding of the first campaigns was fixed.
 */
class FuzzRegressionTest {

    @TempDir
    Path work;

    @Test
    void everyRegressionCasePasses() throws Exception {
        CampaignConfig c = CampaignConfig.defaults(work).withCorpus(FuzzSliceTest.CORPUS);
        FuzzCampaign.Result r = FuzzCampaign.run(c, true, p -> { });
        System.out.println(FuzzReport.table(r, c));
        assertTrue(r.groups().isEmpty(), () -> "regression cases still fail:\n" + r.groups().values().stream()
                .map(g -> g.first().signature() + " (seed " + g.first().seed() + ")").collect(Collectors.joining("\n")));
    }
}

package dev.bantam.bench.fuzz;

import java.nio.file.Path;

/**
 * A campaign: how many model and data-spec cases from which seed, on how many worker JVMs, with which limits;
 * {@code corpus} is the regression corpus (replayed in corpus mode, and whose signatures count as known).
 */
public record CampaignConfig(long models, long specs, long seed, int jobs, int caseTimeoutSeconds, int heapMiB,
                             Path work, Path corpus, int chunk) {

    public static CampaignConfig defaults(Path work) {
        return new CampaignConfig(1000, 100, 1, 2, 30, 1024, work, null, 500);
    }

    public CampaignConfig with(long models, long specs, long seed, int jobs) {
        return new CampaignConfig(models, specs, seed, jobs, caseTimeoutSeconds, heapMiB, work, corpus, chunk);
    }

    public CampaignConfig withCorpus(Path corpus) {
        return new CampaignConfig(models, specs, seed, jobs, caseTimeoutSeconds, heapMiB, work, corpus, chunk);
    }
}

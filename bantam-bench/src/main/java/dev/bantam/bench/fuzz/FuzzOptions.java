package dev.bantam.bench.fuzz;

import java.nio.file.Path;

/**
 * Options of {@code bench/fuzz}: {@code --models N --specs M --seed S --jobs P --timeout SECONDS --heap MIB
 * --work DIR --json FILE --corpus DIR (known findings; replayed with --replay) --save-corpus DIR --fail-on-new}.
 */
record FuzzOptions(CampaignConfig config, Path json, Path saveCorpus, boolean replay, boolean failOnNew) {

    static FuzzOptions parse(String[] args) {
        long models = 1000;
        long specs = 100;
        long seed = 1;
        int jobs = 2;
        int timeout = 30;
        int heap = 1024;
        int chunk = 500;
        Path work = Path.of(System.getProperty("java.io.tmpdir"), "bantam-fuzz-" + ProcessHandle.current().pid());
        Path json = null;
        Path corpus = null;
        Path save = null;
        boolean replay = false;
        boolean failOnNew = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--replay" -> replay = true;
                case "--fail-on-new" -> failOnNew = true;
                default -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException("missing value after " + a);
                    }
                    String v = args[++i];
                    switch (a) {
                        case "--models" -> models = Long.parseLong(v);
                        case "--specs" -> specs = Long.parseLong(v);
                        case "--seed" -> seed = Long.parseLong(v);
                        case "--jobs" -> jobs = Integer.parseInt(v);
                        case "--timeout" -> timeout = Integer.parseInt(v);
                        case "--heap" -> heap = Integer.parseInt(v);
                        case "--chunk" -> chunk = Integer.parseInt(v);
                        case "--work" -> work = Path.of(v);
                        case "--json" -> json = Path.of(v);
                        case "--corpus" -> corpus = Path.of(v);
                        case "--save-corpus" -> save = Path.of(v);
                        default -> throw new IllegalArgumentException("unknown option " + a);
                    }
                }
            }
        }
        return new FuzzOptions(new CampaignConfig(models, specs, seed, jobs, timeout, heap, work, corpus, chunk), json,
                save, replay, failOnNew);
    }
}

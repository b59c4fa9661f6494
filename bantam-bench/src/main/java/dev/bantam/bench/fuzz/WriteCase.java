package dev.bantam.bench.fuzz;

import java.nio.file.Path;

/**
 * Writes one generated case to a folder and prints how it was made, to reproduce a finding by hand:
 * {@code WriteCase model|spec CASE_SEED DIR} (the case seed is the one in the findings).
 */
public final class WriteCase {

    private WriteCase() {
    }

    public static void main(String[] args) throws Exception {
        long seed = Long.parseLong(args[1]);
        Path dir = Path.of(args[2]);
        if (args[0].equals("model")) {
            ModelCase c = ModelGenerator.generate(seed);
            System.out.println("steps: " + c.steps());
            System.out.println("model: " + c.writeTo(dir.resolve("in")));
        } else {
            SpecCase c = SpecGenerator.generate(seed);
            java.nio.file.Files.createDirectories(dir.resolve("in"));
            java.nio.file.Files.write(dir.resolve("in").resolve(ModelCase.MODEL), SpecModels.of(c.model()));
            System.out.println("steps: " + c.steps());
            System.out.println("model: " + dir.resolve("in").resolve(ModelCase.MODEL) + " (" + c.model() + ")");
            System.out.println("spec: " + c.writeTo(dir.resolve("data")));
        }
    }
}

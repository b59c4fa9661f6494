package dev.bantam.bench.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;

/**
 * Writes the reproducer of each finding in a campaign's JSON (also a partial one, from a campaign stopped early) to a
 * corpus folder: {@code SaveFindings FINDINGS.json CORPUS [PROBLEM_TO_SKIP...]}. Cases are regenerated from seeds.
 */
public final class SaveFindings {

    private SaveFindings() {
    }

    public static void main(String[] args) throws Exception {
        JsonNode root = new ObjectMapper().readTree(Path.of(args[0]).toFile());
        java.util.Set<String> skip = java.util.Arrays.stream(args).skip(2).collect(java.util.stream.Collectors.toSet());
        for (JsonNode f : root.get("findings")) {
            if (skip.contains(f.get("problem").asText()) || f.get("kind").asText().equals("corpus")
                    || f.get("command").asText().equals("harness")) {
                continue;
            }
            Finding finding = new Finding(f.get("kind").asText(), f.get("reproducerSeed").asLong(),
                    f.get("command").asText(), f.get("problem").asText(), f.get("detail").asText(),
                    f.get("signature").asText());
            System.out.println(Corpus.save(Path.of(args[1]), finding, f.get("count").asLong()));
        }
    }
}

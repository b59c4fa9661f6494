package dev.bantam.bench.fuzz;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A campaign's result as JSON (stdout, and a file on request) and a table of distinct findings. */
public final class FuzzReport {

    private FuzzReport() {
    }

    public static Map<String, Object> json(FuzzCampaign.Result r, CampaignConfig c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seed", c.seed());
        m.put("jobs", c.jobs());
        m.put("modelCases", r.modelCases());
        m.put("specCases", r.specCases());
        m.put("seconds", Math.round(r.seconds() * 10) / 10.0);
        m.put("casesPerSecond", Math.round((r.modelCases() + r.specCases()) / r.seconds() * 10) / 10.0);
        m.put("caseMillisMean", r.modelCases() + r.specCases() == 0 ? 0
                : r.caseMillis() / (r.modelCases() + r.specCases()));
        m.put("distinctFindings", r.groups().size());
        m.put("newFindings", r.unknown().size());
        List<Map<String, Object>> groups = new ArrayList<>();
        for (FindingGroup g : sorted(r)) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("signature", g.first.signature());
            e.put("problem", g.first.problem());
            e.put("command", g.first.command());
            e.put("kind", g.first.kind());
            e.put("count", g.count);
            e.put("known", g.known);
            e.put("detail", g.smallest.detail());
            e.put("reproducerSeed", g.smallest.seed());
            e.put("reproducer", g.reproducer);
            e.put("seeds", g.seeds.subList(0, Math.min(10, g.seeds.size())));
            groups.add(e);
        }
        m.put("findings", groups);
        return m;
    }

    static List<FindingGroup> sorted(FuzzCampaign.Result r) {
        return r.groups().values().stream().sorted(Comparator.comparingLong((FindingGroup g) -> -g.count)).toList();
    }

    static void write(FuzzCampaign.Result r, CampaignConfig c, Path jsonFile) throws IOException {
        Path tmp = jsonFile.resolveSibling(jsonFile.getFileName() + ".tmp");
        Files.writeString(tmp, new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(json(r, c)));
        Files.move(tmp, jsonFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(jsonFile.resolveSibling(jsonFile.getFileName() + ".txt"), table(r, c));
    }

    public static void print(FuzzCampaign.Result r, CampaignConfig c, Path jsonFile) throws IOException {
        if (jsonFile != null) {
            write(r, c, jsonFile);
        }
        System.out.println(new ObjectMapper().writeValueAsString(json(r, c)));
        System.out.println(table(r, c));
    }

    public static String table(FuzzCampaign.Result r, CampaignConfig c) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%n%d model cases, %d data-spec cases in %.0f s (%.1f cases/s, %d jobs, "
                + "seed %d): %d distinct findings, %d new%n", r.modelCases(), r.specCases(), r.seconds(),
                (r.modelCases() + r.specCases()) / r.seconds(), c.jobs(), c.seed(), r.groups().size(),
                r.unknown().size()));
        b.append(String.format(Locale.ROOT, "%7s  %-5s  %-20s  %-12s  %s%n", "count", "known", "problem", "command",
                "evidence"));
        for (FindingGroup g : sorted(r)) {
            String ev = Signatures.normalize(g.smallest.detail());
            b.append(String.format(Locale.ROOT, "%7d  %-5s  %-20s  %-12s  %s%n", g.count, g.known ? "yes" : "NEW",
                    g.first.problem(), g.first.command(), ev.length() > 110 ? ev.substring(0, 110) : ev));
        }
        return b.toString();
    }
}

package dev.bantam.cli;

import dev.bantam.compress.recipe.Recipe;
import dev.bantam.runtime.eval.Task;
import dev.bantam.train.distill.DistillConfig;
import dev.bantam.train.distill.DistillStepConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "distill", mixinStandardHelpOptions = true,
        description = {"Knowledge distillation (a recipe of one distill step): train the input model (the student) "
                + "to match one or more teachers on --data, in Java on the PyTorch engine; the output is the same "
                + "graph with new weights.",
            "Response KD (KL at --temperature, mixed with the label loss by --alpha), feature hints with learned "
                + "adapters, attention transfer, relation losses (RKD, similarity-preserving); teachers run in ONNX "
                + "Runtime, their outputs cached when they fit."})
final class DistillCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelFiles files;

    @Option(names = "--teacher", required = true, paramLabel = "MODEL[:WEIGHT]",
            description = "A teacher model; repeat for several (their softened outputs mixed by weight, default 1).")
    List<String> teachers;

    @Option(names = "--data", required = true, paramLabel = "SPEC", description = "Training data (with labels unless --alpha 1).")
    String data;

    @Option(names = "--eval-data", paramLabel = "SPEC", description = "Held-out data the result is evaluated on against the input.")
    String evalData;

    @Option(names = "--task", defaultValue = "classify", paramLabel = "TASK",
            description = "With --eval-data: classify, embed, raw, sequence or map (default: ${DEFAULT-VALUE}).")
    String task;

    @Option(names = "--response", defaultValue = "kl", description = "How the outputs are compared: kl (logits, "
            + "softened by --temperature), mse or cosine (embeddings, hidden states), or none (hints and relations only) "
            + "(default: ${DEFAULT-VALUE}).")
    String response;

    @Option(names = "--temperature", defaultValue = "4", description = "Softening temperature T (default: ${DEFAULT-VALUE}).")
    double temperature;

    @Option(names = "--alpha", defaultValue = "0.9", description = "Weight of the distillation term; the label "
            + "loss gets 1 - alpha (default: ${DEFAULT-VALUE}; 1 needs no labels).")
    double alpha;

    @Option(names = "--hint", paramLabel = "S=T[:KIND][@W]", description = "Student value S taught by teacher value "
            + "T; KIND feature (MSE through an adapter, default), attention-map or attention-probs; W its weight (default 1).")
    List<String> hints = new ArrayList<>();

    @Option(names = "--relation", paramLabel = "KIND:S=T[@W]", description = "A relation loss between student value S "
            + "and teacher value T over each batch: rkd-distance, rkd-angle or similarity.")
    List<String> relations = new ArrayList<>();

    @Option(names = "--teacher-cache-mib", defaultValue = "512", description = "Teacher outputs kept up to this "
            + "size, so later epochs do not run the teachers again (default: ${DEFAULT-VALUE}).")
    int cacheMib;

    @Mixin
    TrainOptions training;

    @Mixin
    ReportOptions reports;

    @Mixin
    VerboseOption verboseOption;

    @Override
    public Integer call() throws Exception {
        DistillStepConfig config = new DistillStepConfig(teachers.stream().map(DistillCommand::teacher).toList(),
                TrainOptions.word(response, DistillConfig.Response.class, "--response"), temperature, alpha, hints.stream().map(DistillCommand::hint).toList(),
                relations.stream().map(DistillCommand::relation).toList(), null, null, training.reinit, cacheMib,
                training.config(), training.checkpointFile(), training.resume);
        CompressionRun.Settings s = reports.speed(new CompressionRun.Settings(files.in, files.out, data, evalData,
                Task.parse(task), 64, reports.json, reports.html, reports.quiet, verboseOption.verbose));
        Path[] reads = teachers.stream().map(t -> Path.of(teacher(t).model())).toArray(Path[]::new);
        return CompressionRun.run(s, CompressionRun.load(s, reads), Recipe.of(config), spec.commandLine().getOut(),
                spec.commandLine().getErr());
    }

    private static DistillStepConfig.TeacherEntry teacher(String s) {
        int colon = s.lastIndexOf(':');
        if (colon > 0 && s.substring(colon + 1).matches("[0-9.eE+-]+")) {
            return new DistillStepConfig.TeacherEntry(s.substring(0, colon), number(s.substring(colon + 1), "--teacher"));
        }
        return new DistillStepConfig.TeacherEntry(s, 1);
    }

    private static DistillConfig.Hint hint(String s) {
        double weight = 1;
        int at = s.lastIndexOf('@');
        if (at > 0) {
            weight = number(s.substring(at + 1), "--hint");
            s = s.substring(0, at);
        }
        DistillConfig.HintKind kind = DistillConfig.HintKind.FEATURE;
        int colon = s.lastIndexOf(':');
        if (colon > 0) {
            kind = TrainOptions.word(s.substring(colon + 1), DistillConfig.HintKind.class, "--hint's kind");
            s = s.substring(0, colon);
        }
        String[] pair = pair(s, "--hint");
        return new DistillConfig.Hint(pair[0], pair[1], kind, weight, 0);
    }

    private static DistillConfig.Relation relation(String s) {
        int colon = s.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("--relation is KIND:STUDENT=TEACHER[@WEIGHT], not '" + s + "'");
        }
        DistillConfig.RelationKind kind = TrainOptions.word(s.substring(0, colon), DistillConfig.RelationKind.class, "--relation");
        String rest = s.substring(colon + 1);
        double weight = 1;
        int at = rest.lastIndexOf('@');
        if (at > 0) {
            weight = number(rest.substring(at + 1), "--relation");
            rest = rest.substring(0, at);
        }
        String[] pair = pair(rest, "--relation");
        return new DistillConfig.Relation(kind, pair[0], pair[1], weight, 0);
    }

    private static String[] pair(String s, String option) {
        int eq = s.indexOf('=');
        if (eq <= 0 || eq == s.length() - 1) {
            throw new IllegalArgumentException(option + " needs STUDENT=TEACHER value names, not '" + s + "'");
        }
        return new String[] {s.substring(0, eq), s.substring(eq + 1)};
    }

    private static double number(String s, String option) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": '" + s + "' is not a number");
        }
    }
}

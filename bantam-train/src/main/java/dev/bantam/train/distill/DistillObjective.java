package dev.bantam.train.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.bantam.runtime.data.DataSource;
import dev.bantam.train.graph.Constants;
import dev.bantam.train.graph.TrainableGraph;
import dev.bantam.train.loop.Losses;
import dev.bantam.train.loop.Objective;
import dev.bantam.train.loop.StepBatch;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The distillation loss: α · T² · KL(teachers' softened mixture ‖ student) + (1 − α) · cross-entropy on labels,
 * plus each feature hint (through its adapter), attention term and relation term, weighted. Teachers run in
 * ONNX Runtime ({@link TeacherRunner}); adapters are parameters of this objective.
 */
public final class DistillObjective implements Objective {

    private final DistillConfig config;
    private final List<TeacherRunner> teachers = new ArrayList<>();
    private final NDManager manager = NDManager.newBaseManager();
    private final Map<String, NDArray> adapters = new LinkedHashMap<>();
    private final long seed;
    private String studentOutput;

    public DistillObjective(DistillConfig config, long seed, long teacherCacheBytes) {
        this.config = config;
        this.seed = seed;
        for (int i = 0; i < config.teachers().size(); i++) {
            Set<String> values = new LinkedHashSet<>();
            for (DistillConfig.Hint h : config.hints()) {
                if (h.teacherIndex() == i) {
                    values.add(h.teacher());
                }
            }
            for (DistillConfig.Relation r : config.relations()) {
                if (r.teacherIndex() == i) {
                    values.add(r.teacher());
                }
            }
            try {
                teachers.add(new TeacherRunner(config.teachers().get(i).model(), config.teacherOutput(), values,
                        teacherCacheBytes));
            } catch (RuntimeException e) {
                close();
                throw e;
            }
        }
    }

    @Override
    public void prepare(TrainableGraph student, DataSource data) {
        studentOutput = config.studentOutput() == null ? student.outputs().get(0) : config.studentOutput();
        if (!student.outputs().contains(studentOutput)) {
            throw new IllegalArgumentException("the student has no output named '" + studentOutput + "'");
        }
        ShapeProbe probe = ShapeProbe.run(student, data, studentValues(), teachers);
        Shape s = probe.student().get(studentOutput);
        for (int i = 0; i < teachers.size(); i++) {
            Shape t = probe.teachers().get(i).get(teachers.get(i).logitsName());
            if (!s.equals(t)) {
                throw new IllegalArgumentException("the student's output '" + studentOutput + "' has shape " + s
                        + " and teacher " + config.teachers().get(i).model().getFileName() + "'s output has shape " + t
                        + ": distillation needs the same shape");
            }
        }
        SplittableRandom rng = new SplittableRandom(seed ^ 0xADA9L);
        for (DistillConfig.Hint h : config.hints()) {
            if (h.kind() == DistillConfig.HintKind.FEATURE) {
                Shape ss = probe.student().get(h.student());
                Shape ts = probe.teachers().get(h.teacherIndex()).get(h.teacher());
                NDArray a = Adapters.create(manager, h, ss, ts, rng);
                if (a != null) {
                    adapters.put("adapter:" + h.student(), a);
                }
            }
        }
    }

    @Override
    public Collection<String> studentValues() {
        Set<String> v = new LinkedHashSet<>();
        config.hints().forEach(h -> v.add(h.student()));
        config.relations().forEach(r -> v.add(r.student()));
        return List.copyOf(v);
    }

    @Override
    public Map<String, NDArray> parameters() {
        return java.util.Collections.unmodifiableMap(adapters);
    }

    @Override
    public boolean needsLabels() {
        return config.needsLabels();
    }

    @Override
    public Loss loss(StepBatch batch, Map<String, NDArray> student, NDManager step) {
        List<Map<String, NDArray>> t = new ArrayList<>();
        for (int i = 0; i < teachers.size(); i++) {
            boolean response = config.alpha() > 0 && config.response() != DistillConfig.Response.NONE;
            t.add(response || reads(i) ? teachers.get(i).run(batch, step) : Map.of());
        }
        Map<String, NDArray> terms = new LinkedHashMap<>();
        NDArray logits = student.get(studentOutput);
        NDArray total = null;
        if (config.alpha() > 0 && config.response() != DistillConfig.Response.NONE) {
            NDArray term = response(logits, t);
            terms.put(config.response().name().toLowerCase(java.util.Locale.ROOT), term);
            total = term.mul((float) config.alpha());
        }
        if (config.alpha() < 1) {
            NDArray ce = Losses.crossEntropy(logits, batch.labels());
            terms.put("ce", ce);
            total = add(total, ce.mul((float) (1 - config.alpha())));
        }
        for (DistillConfig.Hint h : config.hints()) {
            NDArray s = student.get(h.student());
            NDArray tv = t.get(h.teacherIndex()).get(h.teacher());
            NDArray term = switch (h.kind()) {
                case FEATURE -> Losses.mse(adapt(h, s, step), tv);
                case ATTENTION_MAP -> Relations.attentionMap(s, tv);
                case ATTENTION_PROBS -> Relations.attentionProbs(s, tv);
            };
            terms.merge(h.kind().name().toLowerCase(java.util.Locale.ROOT), term, NDArray::add);
            total = add(total, term.mul((float) h.weight()));
        }
        for (DistillConfig.Relation r : config.relations()) {
            NDArray s = student.get(r.student());
            NDArray tv = t.get(r.teacherIndex()).get(r.teacher());
            NDArray term = switch (r.kind()) {
                case RKD_DISTANCE -> Relations.rkdDistance(s, tv);
                case RKD_ANGLE -> Relations.rkdAngle(s, tv);
                case SIMILARITY -> Relations.similarity(s, tv);
            };
            terms.put(r.kind().name().toLowerCase(java.util.Locale.ROOT), term);
            total = add(total, term.mul((float) r.weight()));
        }
        return new Loss(total, terms);
    }

    /** The response term against the teachers' weighted outputs (softened distributions for KL). */
    private NDArray response(NDArray student, List<Map<String, NDArray>> t) {
        NDArray mix = null;
        double weights = 0;
        boolean kl = config.response() == DistillConfig.Response.KL;
        for (int i = 0; i < teachers.size(); i++) {
            float w = (float) config.teachers().get(i).weight();
            NDArray out = t.get(i).get(teachers.get(i).logitsName());
            NDArray p = (kl ? out.div((float) config.temperature()).softmax(-1) : out).mul(w);
            mix = mix == null ? p : mix.add(p);
            weights += w;
        }
        mix = mix.div((float) weights);
        return switch (config.response()) {
            case KL -> Losses.softKl(student, mix, config.temperature());
            case MSE -> Losses.mse(student, mix);
            case COSINE -> Losses.cosineDistance(student, mix);
            case NONE -> throw new IllegalStateException("no response term");
        };
    }

    /** Whether a hint or relation reads teacher {@code i}. */
    private boolean reads(int i) {
        return config.hints().stream().anyMatch(h -> h.teacherIndex() == i)
                || config.relations().stream().anyMatch(r -> r.teacherIndex() == i);
    }

    private NDArray adapt(DistillConfig.Hint h, NDArray s, NDManager step) {
        NDArray a = adapters.get("adapter:" + h.student());
        return a == null ? s : Adapters.apply(s, Constants.view(a, step));
    }

    private static NDArray add(NDArray total, NDArray term) {
        return total == null ? term : total.add(term);
    }

    @Override
    public String describe() {
        StringBuilder sb = new StringBuilder("distillation from " + config.teachers().size()
                + (config.teachers().size() == 1 ? " teacher" : " teachers") + ", response "
                + config.response().name().toLowerCase(java.util.Locale.ROOT)
                + (config.response() == DistillConfig.Response.KL ? " at T=" + config.temperature() : "")
                + ", alpha " + config.alpha());
        if (!config.hints().isEmpty()) {
            sb.append(", ").append(config.hints().size()).append(" hints");
        }
        config.relations().forEach(r -> sb.append(", ").append(r.kind().name().toLowerCase(java.util.Locale.ROOT)));
        return sb.toString();
    }

    @Override
    public void close() {
        teachers.forEach(TeacherRunner::close);
        manager.close();
    }
}

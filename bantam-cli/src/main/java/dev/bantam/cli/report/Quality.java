package dev.bantam.cli.report;

import dev.bantam.runtime.eval.ModelReport;

/** The one quality number a report plots for a model, and its name. */
record Quality(String label, Double value) {

    static Quality of(ModelReport m) {
        if (m.accuracy() != null) {
            return new Quality("top-1 accuracy", m.accuracy().top1());
        }
        if (m.embedding() != null) {
            if (m.embedding().probeAccuracy() != null) {
                return new Quality("probe accuracy", m.embedding().probeAccuracy());
            }
            return new Quality("mean cosine to reference", m.embedding().meanCosine() == null ? 1.0 : m.embedding().meanCosine());
        }
        if (!m.fidelity().isEmpty()) {
            var f = m.fidelity().getFirst();
            if (f.map() != null) {
                return new Quality("IoU of thresholded maps", f.map().iou());
            }
            if (f.sequence() != null) {
                return new Quality("identical CTC decodings", f.sequence().decodeAgreement());
            }
            return new Quality("mean cosine to reference", f.meanCosine());
        }
        return new Quality("mean cosine to reference", 1.0);
    }
}

package dev.airlock.deploy;

import java.util.Map;

/**
 * Where the deployment use cases record what an administrator (or Airlock itself) changed: the audit log. A use case
 * records its event itself, so no door can change a deployment or waive a check without leaving one.
 */
@FunctionalInterface
public interface AdminEvents {
    /**
     * @param actor who: {@code key:<id>}, {@code cli:<user>}, or {@code airlock}
     * @param action what, e.g. {@code deployment.promoted}, {@code readiness.waived}
     * @param target the model
     * @param details further facts
     */
    void record(String actor, String action, String target, Map<String, String> details);
}

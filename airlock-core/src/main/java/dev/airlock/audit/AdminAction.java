package dev.airlock.audit;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every kind of administrative event Airlock records, closed: a caller names one of these, never a free string, so the
 * events an auditor can meet are listed here. {@link #id()} is the action as stored in the chain and hashed into its
 * records; it never changes, so logs written before keep verifying.
 */
public enum AdminAction {
    KEY_CREATED("key.created"),
    KEY_REVOKED("key.revoked"),
    CONFIG_LOADED("config.loaded"),
    CONFIG_APPLIED("config.applied"),
    DEPLOYMENT_PROMOTED("deployment.promoted"),
    DEPLOYMENT_ROLLED_BACK("deployment.rolled_back"),
    CANARY_STARTED("deployment.canary.started"),
    CANARY_STOPPED("deployment.canary.stopped"),
    CANARY_ROLLED_BACK("deployment.canary.rolled_back"),
    SHADOW_STARTED("deployment.shadow.started"),
    SHADOW_STOPPED("deployment.shadow.stopped"),
    ALIAS_SET("deployment.alias.set"),
    READINESS_WAIVED("readiness.waived"),
    DRILL_RECORDED("drill.recorded"),
    EVALUATION_RECORDED("evaluation.recorded"),
    LOAD_TEST_RECORDED("loadtest.recorded"),
    REVIEW_HELD("review.held"),
    REVIEW_CLAIMED("review.claimed"),
    REVIEW_APPROVED("review.approved"),
    REVIEW_REJECTED("review.rejected"),
    REVIEW_EDITED("review.edited"),
    REVIEW_ESCALATED("review.escalated"),
    SOURCE_TRUST_SET("source.trust_set"),
    DOCUMENT_INGESTED("document.ingested"),
    DOCUMENT_RELEASED("document.released"),
    SUBJECT_ERASED("subject.erased"),
    CONTENT_PURGED("content.purged"),
    SIGNING_KEY_ROTATED("audit.key_rotated"),
    UNSEALED_ACCEPTED("audit.unsealed_accepted"),
    // monitoring: profiles
    PROFILE_REFERENCE_PUT("profile.reference_put"),
    // alerts: state changes, notifications and silences
    ALERT_PENDING("alert.pending"),
    ALERT_FIRING("alert.firing"),
    ALERT_RESOLVED("alert.resolved"),
    ALERT_INACTIVE("alert.inactive"),
    ALERT_ACKNOWLEDGED("alert.acknowledged"),
    ALERT_ESCALATED("alert.escalated"),
    ALERT_NOTIFIED("alert.notified"),
    ALERT_DEAD_LETTERED("alert.dead_lettered"),
    SILENCE_CREATED("alert.silence_created"),
    // ground truth after go-live: labels and feedback on Decisions
    LABEL_RECORDED("outcome.labelled"),
    LABEL_CORRECTED("outcome.label_corrected"),
    LABELS_UPLOADED("outcome.labels_uploaded"),
    FEEDBACK_RECORDED("outcome.feedback"),
    // incidents: opened or joined by firing alerts, worked on by people, resolved with a post-incident record
    INCIDENT_OPENED("incident.opened"),
    INCIDENT_ALERT_JOINED("incident.alert_joined"),
    INCIDENT_ACKNOWLEDGED("incident.acknowledged"),
    INCIDENT_ASSIGNED("incident.assigned"),
    INCIDENT_NOTED("incident.noted"),
    INCIDENT_RESOLVED("incident.resolved"),
    INCIDENT_ROLLED_BACK("incident.rolled_back"),
    INCIDENT_ROLLBACK_REFUSED("incident.rollback_refused"),
    // deployments: a version some live node cannot serve, deployed anyway with a justification
    DEPLOYMENT_FORCED("deployment.forced"),
    // retraining: runs started by an alert or by hand, and the candidate versions they register
    RETRAIN_STARTED("retrain.started"),
    RETRAIN_SUCCEEDED("retrain.succeeded"),
    RETRAIN_FAILED("retrain.failed"),
    RETRAIN_CANDIDATE_REGISTERED("retrain.candidate_registered"),
    // workflows: a person's decisions on runs (approving or rejecting the step a run waits on, cancelling a run)
    WORKFLOW_STEP_APPROVED("workflow.step_approved"),
    WORKFLOW_STEP_REJECTED("workflow.step_rejected"),
    WORKFLOW_RUN_CANCELLED("workflow.run_cancelled");

    private static final Map<String, AdminAction> BY_ID =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(AdminAction::id, Function.identity()));

    private final String id;

    AdminAction(String id) {
        this.id = id;
    }

    /** The action as stored, e.g. {@code key.created}. */
    public String id() {
        return id;
    }

    /**
     * The kind a stored action names.
     *
     * @throws IllegalArgumentException naming the action when it is none of these
     */
    public static AdminAction of(String id) {
        AdminAction action = BY_ID.get(id);
        if (action == null) {
            throw new IllegalArgumentException("admin action '" + id + "' is not one of " + BY_ID.keySet());
        }
        return action;
    }

    /**
     * The kind that records a deployment change, by the change's action ({@code promoted}, {@code canary.started},
     * …).
     *
     * @throws IllegalArgumentException when no kind records that change
     */
    public static AdminAction ofDeploymentChange(String changeAction) {
        return of("deployment." + changeAction);
    }
}

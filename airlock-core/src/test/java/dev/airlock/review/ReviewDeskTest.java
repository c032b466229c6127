package dev.airlock.review;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.audit.AdminAction;
import dev.airlock.audit.AdminEvents;
import dev.airlock.audit.AuditEvent;
import dev.airlock.review.ReviewDesk.Action;
import dev.airlock.review.ReviewDesk.Result;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The review desk on its ports: an in-memory store, a list of audited events, a callback that collects, fixed time. */
class ReviewDeskTest {
    private static final Instant HELD_AT = Instant.parse("2026-12-01T10:00:00Z");
    private static final String CHAT_BODY =
            "{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"yes\"}}]}";

    private final InMemoryReviewStore store = new InMemoryReviewStore();
    private final List<AuditEvent> events = new ArrayList<>();
    private final List<HeldReview> sent = new ArrayList<>();
    private final AdminEvents trail = (action, tenant, actor, target, details) -> {
        var event = new AuditEvent("ev" + events.size(), HELD_AT, tenant, actor, action.id(), target, details);
        events.add(event);
        return event;
    };
    private final ReviewCallback callback = new ReviewCallback() {
        @Override
        public boolean allowed(URI url) {
            return "hooks.example".equals(url.getHost());
        }

        @Override
        public void send(HeldReview decided) {
            sent.add(decided);
        }
    };

    private ReviewDesk desk(Instant now) {
        return new ReviewDesk(
                store,
                trail,
                Clock.fixed(now, ZoneOffset.UTC),
                model -> model.equals("loan-risk") ? List.of("head-of-credit@example.com") : List.of(),
                callback,
                Duration.ZERO);
    }

    private HeldReview held(String id, String body) {
        var review = new HeldReview(
                id,
                "dec_" + id,
                "acme",
                "k1",
                "loan-risk",
                "3",
                List.of("high_amount"),
                "input",
                "output",
                body,
                "https://hooks.example/done",
                HELD_AT,
                HELD_AT.plus(Duration.ofHours(1)),
                HeldReview.State.PENDING,
                null,
                null,
                null,
                null,
                null,
                null);
        store.insertReview(review, null);
        return review;
    }

    private List<String> actions() {
        return events.stream().map(AuditEvent::action).toList();
    }

    @Test
    void approving_savesTheHeldAnswer_auditsTheOutcome_andTellsTheCaller() {
        held("rv_1", CHAT_BODY);

        var result = desk(HELD_AT.plusSeconds(60)).decide("acme", "rv_1", "key:r1", Action.APPROVE, "fine", null);

        var done = (Result.Done) result;
        assertThat(done.review().state()).isEqualTo(HeldReview.State.APPROVED);
        assertThat(done.review().finalBody()).isEqualTo(CHAT_BODY);
        assertThat(done.review().decidedAt()).isEqualTo(HELD_AT.plusSeconds(60));
        assertThat(actions()).containsExactly(AdminAction.REVIEW_APPROVED.id());
        assertThat(events.getFirst().details())
                .containsEntry("outcome", "approved")
                .containsEntry("comment", "fine");
        assertThat(sent).containsExactly(done.review());
    }

    @Test
    void decidingTwice_isAlreadyDecided_andChangesNothing() {
        held("rv_1", CHAT_BODY);
        var desk = desk(HELD_AT);
        desk.decide("acme", "rv_1", "key:r1", Action.REJECT, null, null);

        var second = desk.decide("acme", "rv_1", "key:r1", Action.APPROVE, null, null);

        assertThat(second).isEqualTo(new Result.AlreadyDecided("rv_1", HeldReview.State.REJECTED));
        assertThat(store.findReview("rv_1").orElseThrow().state()).isEqualTo(HeldReview.State.REJECTED);
        assertThat(actions()).containsExactly("review.rejected");
        assertThat(sent).hasSize(1);
    }

    @Test
    void anotherTenantsReview_isNotFound() {
        held("rv_1", CHAT_BODY);

        assertThat(desk(HELD_AT).decide("globex", "rv_1", "key:r9", Action.APPROVE, null, null))
                .isEqualTo(new Result.NotFound("rv_1"));
        assertThat(desk(HELD_AT).claim("acme", "rv_nothing", "key:r1")).isEqualTo(new Result.NotFound("rv_nothing"));
        assertThat(events).isEmpty();
    }

    @Test
    void aClaimedReview_cannotBeDecidedByAnotherReviewer() {
        held("rv_1", CHAT_BODY);
        var desk = desk(HELD_AT);

        assertThat(desk.claim("acme", "rv_1", "key:r1")).isInstanceOf(Result.Done.class);

        assertThat(desk.decide("acme", "rv_1", "key:r2", Action.APPROVE, null, null))
                .isEqualTo(new Result.ClaimedByOther("rv_1", "key:r1"));
        assertThat(desk.decide("acme", "rv_1", "key:r1", Action.APPROVE, null, null))
                .isInstanceOf(Result.Done.class);
        assertThat(actions()).containsExactly("review.claimed", "review.approved");
    }

    @Test
    void editing_replacesTheChatText_andNeedsAChatAnswerAndText() {
        held("rv_1", CHAT_BODY);
        held("rv_2", "{\"object\":\"prediction\",\"score\":0.7}");
        var desk = desk(HELD_AT);

        assertThat(desk.decide("acme", "rv_1", "key:r1", Action.EDIT, null, null))
                .isInstanceOf(Result.NotEditable.class);
        assertThat(desk.decide("acme", "rv_2", "key:r1", Action.EDIT, null, "no"))
                .isEqualTo(
                        new Result.NotEditable("rv_2", "only a chat answer can be edited; approve or reject this one"));
        var edited = (Result.Done) desk.decide("acme", "rv_1", "key:r1", Action.EDIT, null, "we decline");

        assertThat(edited.review().state()).isEqualTo(HeldReview.State.EDITED);
        assertThat(edited.review().finalBody()).contains("\"content\":\"we decline\"");
        assertThat(store.findReview("rv_2").orElseThrow().pending()).isTrue();
    }

    @Test
    void aReviewPastItsDueTime_isEscalatedOnce_toTheModelsEscalationPath() {
        held("rv_1", CHAT_BODY);

        assertThat(desk(HELD_AT.plus(Duration.ofMinutes(59))).escalateOverdue()).isEmpty();
        var escalated = desk(HELD_AT.plus(Duration.ofMinutes(61))).escalateOverdue();
        var again = desk(HELD_AT.plus(Duration.ofMinutes(90))).escalateOverdue();

        assertThat(escalated).singleElement().satisfies(r -> {
            assertThat(r.escalatedAt()).isEqualTo(HELD_AT.plus(Duration.ofMinutes(61)));
            assertThat(r.pending()).isTrue();
        });
        assertThat(again).isEmpty();
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.action()).isEqualTo("review.escalated");
            assertThat(e.actor()).isEqualTo("airlock");
            assertThat(e.details())
                    .containsAllEntriesOf(
                            Map.of("escalate_to", "head-of-credit@example.com", "due_at", "2026-12-01T11:00:00Z"));
        });
    }

    @Test
    void anEscalatedReview_canStillBeDecided() {
        held("rv_1", CHAT_BODY);
        desk(HELD_AT.plus(Duration.ofHours(2))).escalateOverdue();

        assertThat(desk(HELD_AT.plus(Duration.ofHours(3))).decide("acme", "rv_1", "key:r1", Action.APPROVE, null, null))
                .isInstanceOf(Result.Done.class);
    }

    @Test
    void callbacksGoOnlyWhereTheCallbackPortAllows() {
        var desk = desk(HELD_AT);

        assertThat(desk.callbackAllowed(URI.create("https://hooks.example/x"))).isTrue();
        assertThat(desk.callbackAllowed(URI.create("https://elsewhere.example/x")))
                .isFalse();
    }
}

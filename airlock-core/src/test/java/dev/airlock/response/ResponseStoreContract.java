package dev.airlock.response;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ResponseStore} must do: the store on SQLite and PostgreSQL and {@link InMemoryResponseStore} all
 * pass it. What the retention purge and a subject's erasure do to kept responses is tested on the store.
 */
public abstract class ResponseStoreContract {
    /** Has nanoseconds, to show instants round-trip exactly. */
    private static final Instant T0 = Instant.parse("2026-03-01T10:15:30.123456789Z");

    /** An empty store. */
    protected abstract ResponseStore responses();

    /** A response of {@code tenant} answered at {@link #T0}. */
    public static StoredResponse response(
            String id, String tenant, @Nullable Instant expiresAt, @Nullable String subject) {
        return new StoredResponse(
                id,
                tenant,
                "0190f0e0-0000-7000-8000-" + String.format("%012d", Math.abs(id.hashCode())),
                "assistant",
                T0,
                expiresAt,
                subject,
                "{\"id\":\"" + id + "\",\"object\":\"response\",\"output_text\":\"Noted: DE89370400440532013000\"}",
                "[{\"role\":\"user\",\"content\":\"my IBAN is DE89370400440532013000\"},"
                        + "{\"role\":\"assistant\",\"content\":\"Noted.\"}]");
    }

    @Test
    void aSavedResponse_readsBackWhole_forItsTenant() {
        StoredResponse saved = response("resp_1", "acme", T0.plus(Duration.ofDays(30)), null);
        responses().saveResponse(saved);

        assertThat(responses().findResponse("acme", "resp_1", T0)).contains(saved);
        assertThat(responses().findResponse("acme", "resp_2", T0)).isEmpty();
    }

    @Test
    void anotherTenant_neitherReadsNorDeletesIt() {
        responses().saveResponse(response("resp_1", "acme", null, null));

        assertThat(responses().findResponse("globex", "resp_1", T0)).isEmpty();
        assertThat(responses().deleteResponse("globex", "resp_1")).isFalse();
        assertThat(responses().findResponse("acme", "resp_1", T0)).isPresent();
    }

    @Test
    void aResponseOfANamedSubject_readsBackWithoutTheSubject() {
        StoredResponse saved = response("resp_s", "acme", null, "customer-42");
        responses().saveResponse(saved);

        assertThat(responses().findResponse("acme", "resp_s", T0)).contains(saved.withoutSubject());
    }

    @Test
    void aResponse_readsAsAbsentOnceItsRetentionRanOut() {
        Instant until = T0.plus(Duration.ofHours(1));
        responses().saveResponse(response("resp_1", "acme", until, null));

        assertThat(responses().findResponse("acme", "resp_1", until.minusNanos(1)))
                .isPresent();
        assertThat(responses().findResponse("acme", "resp_1", until)).isEmpty();
    }

    @Test
    void deleting_removesIt_once() {
        responses().saveResponse(response("resp_1", "acme", null, null));

        assertThat(responses().deleteResponse("acme", "resp_1")).isTrue();
        assertThat(responses().findResponse("acme", "resp_1", T0)).isEmpty();
        assertThat(responses().deleteResponse("acme", "resp_1")).isFalse();
    }

    @Test
    void savingAnIdTwice_fails() {
        responses().saveResponse(response("resp_1", "acme", null, null));

        assertThatThrownBy(() -> responses().saveResponse(response("resp_1", "acme", null, null)))
                .isInstanceOf(IllegalStateException.class);
    }
}

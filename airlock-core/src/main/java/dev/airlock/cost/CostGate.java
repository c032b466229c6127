package dev.airlock.cost;

import dev.airlock.decision.Principal;
import dev.airlock.decision.Usage;
import dev.airlock.pipeline.Admit;
import dev.airlock.pipeline.DecisionDraft;
import dev.airlock.provider.AiRequest;
import dev.airlock.provider.ChatMessage;
import dev.airlock.provider.ChatRequest;
import dev.airlock.provider.EmbeddingRequest;
import dev.airlock.provider.PredictRequest;
import dev.airlock.registry.ModelCatalog;
import dev.airlock.routing.Target;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The admit stage for cost: a key's requests- and tokens-per-minute, then every budget that covers the call. Each
 * takes the call's estimate up front (input tokens from its text, output tokens from {@code max_tokens} or a default,
 * priced at its most expensive target) and is settled with what the call used when it ends. A repair attempt holds
 * its own estimate before it is made; a shadow copy reserves against the same budgets but not the caller's rate limits.
 */
final class CostGate implements Admit {
    private static final int CHARS_PER_TOKEN = 4;

    /**
     * More output than any model produces in one call. A larger {@code max_tokens} (up to 2^63-1, or 1e30) is
     * estimated as this, so that the estimate's sums stay exact and such a call needs a key's whole token bucket.
     */
    static final long MAX_OUTPUT_TOKENS = 1L << 40;

    private final ModelCatalog catalog;
    private final RateLimits rateLimits;
    private final Budgets budgets;
    private final long defaultOutputTokens;

    CostGate(ModelCatalog catalog, RateLimits rateLimits, Budgets budgets, long defaultOutputTokens) {
        this.catalog = catalog;
        this.rateLimits = rateLimits;
        this.budgets = budgets;
        this.defaultOutputTokens = defaultOutputTokens;
    }

    @Override
    public Admission admit(DecisionDraft draft, Principal principal, AiRequest request) {
        Usage estimate = estimate(request);
        RateLimits.Lease lease = rateLimits.acquire(principal.keyId(), estimate.totalTokens());
        Budgets.Reservation reservation;
        try {
            reservation = reserve(draft, principal, request, estimate);
        } catch (RuntimeException refused) {
            lease.settle(0);
            throw refused;
        }
        return new Held(draft, reservation, lease);
    }

    @Override
    public Admission admitCopy(DecisionDraft draft, Principal principal, AiRequest request) {
        return new Held(draft, reserve(draft, principal, request, estimate(request)), null);
    }

    private Budgets.Reservation reserve(DecisionDraft draft, Principal principal, AiRequest request, Usage estimate) {
        return budgets.reserve(
                draft.id(),
                principal.tenant(),
                principal.keyId(),
                ModelCatalog.baseName(request.model()),
                price(request, estimate));
    }

    /** What an admitted call holds: its budget reservation and, for a caller's request, its rate-limit lease. */
    private final class Held implements Admission {
        private final DecisionDraft draft;
        private final Budgets.Reservation reservation;
        private final RateLimits.@Nullable Lease lease;

        Held(DecisionDraft draft, Budgets.Reservation reservation, RateLimits.@Nullable Lease lease) {
            this.draft = draft;
            this.reservation = reservation;
            this.lease = lease;
        }

        @Override
        public void again(AiRequest request) {
            reservation.extend(price(request, estimate(request)));
        }

        @Override
        public void close() {
            reservation.settle(draft.cost());
            if (lease != null) {
                lease.settle(draft.usage().totalTokens());
            }
        }
    }

    /** The most the call could cost: its estimate at the priciest of its model's targets. */
    private BigDecimal price(AiRequest request, Usage estimate) {
        return catalog.find(ModelCatalog.baseName(request.model()))
                .map(model -> model.targets().stream()
                        .map(Target::price)
                        .filter(Objects::nonNull)
                        .map(p -> p.cost(estimate))
                        .max(BigDecimal::compareTo)
                        .orElse(BigDecimal.ZERO))
                .orElse(BigDecimal.ZERO);
    }

    private Usage estimate(AiRequest request) {
        return switch (request) {
            case ChatRequest chat -> {
                long chars = 0;
                for (ChatMessage m : chat.messages()) {
                    chars += (m.text() == null ? 0 : m.text().length()) + 16;
                }
                // tool definitions and response schemas are billed as input too; scalar settings (max_tokens) are not
                for (Object option : chat.options().values()) {
                    if (option instanceof Map<?, ?> || option instanceof Collection<?>) {
                        chars += charsOf(option);
                    }
                }
                yield new Usage(chars / CHARS_PER_TOKEN + 1, maxOutput(chat));
            }
            case EmbeddingRequest embed ->
                new Usage(embed.inputs().stream().mapToLong(String::length).sum() / CHARS_PER_TOKEN + 1, 0);
            case PredictRequest predict -> Usage.NONE;
        };
    }

    /** The text of a structured field (tools, response_format, ...): keys and values, however nested. */
    private static long charsOf(Object value) {
        return switch (value) {
            case null -> 0;
            case String text -> text.length();
            case Map<?, ?> map -> {
                long chars = 0;
                for (var e : map.entrySet()) {
                    chars += charsOf(e.getKey()) + charsOf(e.getValue()) + 2;
                }
                yield chars;
            }
            case Collection<?> items -> {
                long chars = 0;
                for (Object item : items) {
                    chars += charsOf(item) + 1;
                }
                yield chars;
            }
            default -> value.toString().length();
        };
    }

    private long maxOutput(ChatRequest chat) {
        for (String field : new String[] {"max_completion_tokens", "max_tokens"}) {
            if (chat.options().get(field) instanceof Number n && n.doubleValue() >= 1) {
                // by its double value: a BigInteger's longValue() keeps only the low 64 bits
                return n.doubleValue() >= MAX_OUTPUT_TOKENS ? MAX_OUTPUT_TOKENS : Math.max(1, n.longValue());
            }
        }
        return defaultOutputTokens;
    }
}

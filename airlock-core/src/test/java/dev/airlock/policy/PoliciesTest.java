package dev.airlock.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PoliciesTest {
    private static final Policy REFUNDS = new Policy(
            "refunds",
            "1",
            List.of("production"),
            List.of(
                    new Rule(
                            "card-to-external",
                            Rule.Stage.INPUT,
                            "'card' in guard.pii && provider.trust == 'external'",
                            Rule.Effect.REDACT,
                            "PII_TO_EXTERNAL"),
                    new Rule(
                            "large-refund",
                            Rule.Stage.INPUT,
                            "request.metadata.amount > 1000",
                            Rule.Effect.DENY,
                            "REFUND_OVER_LIMIT"),
                    new Rule(
                            "no-promises",
                            Rule.Stage.OUTPUT,
                            "output.text.contains('guarantee')",
                            Rule.Effect.DENY,
                            null)),
            List.of(new Policy.Example(
                    "a large refund is refused",
                    Rule.Stage.INPUT,
                    Map.of("request", Map.of("metadata", Map.of("amount", 1500))),
                    Rule.Effect.DENY,
                    List.of("REFUND_OVER_LIMIT"))));

    private static Map<String, Object> input(int amount, List<String> pii, String trust) {
        return Map.of(
                "tenant", "acme",
                "request", Map.of("metadata", Map.of("amount", amount)),
                "provider", Map.of("trust", trust),
                "guard", Map.of("pii", pii));
    }

    @Test
    void theMostSevereEffectWins_andEveryRuleThatHeldIsReported() {
        var policies = Policies.compile(List.of(REFUNDS));

        var v = policies.judge(
                List.of("refunds@production"), Rule.Stage.INPUT, input(1500, List.of("card"), "external"));

        assertThat(v.effect()).isEqualTo(Rule.Effect.DENY);
        assertThat(v.reasons()).containsExactly("PII_TO_EXTERNAL", "REFUND_OVER_LIMIT");
        assertThat(v.policies()).containsExactly("refunds@1");
        assertThat(policies.judge(List.of("refunds"), Rule.Stage.INPUT, input(20, List.of("card"), "external"))
                        .effect())
                .isEqualTo(Rule.Effect.REDACT);
        assertThat(policies.judge(List.of("refunds"), Rule.Stage.INPUT, input(20, List.of("card"), "on-premises"))
                        .effect())
                .isEqualTo(Rule.Effect.ALLOW);
    }

    @Test
    void aRuleThatCannotBeEvaluated_applies() {
        var policies = Policies.compile(List.of(REFUNDS));

        var v = policies.judge(List.of("refunds@1"), Rule.Stage.INPUT, Map.of("request", Map.of()));

        assertThat(v.effect()).isEqualTo(Rule.Effect.DENY);
        assertThat(v.matched()).anySatisfy(m -> assertThat(m.error()).contains("metadata"));
    }

    @Test
    void outputRules_seeTheOutput_andDefaultTheirReasonToTheirName() {
        var v = Policies.compile(List.of(REFUNDS))
                .judge(
                        List.of("refunds"),
                        Rule.Stage.OUTPUT,
                        Map.of("output", Map.of("text", "we guarantee a refund")));

        assertThat(v.effect()).isEqualTo(Rule.Effect.DENY);
        assertThat(v.reasons()).containsExactly("NO_PROMISES");
    }

    @Test
    void aBadExpression_failsAtCompileTime_namingThePolicyTheRuleAndTheCelError() {
        var broken = new Policy(
                "refunds",
                "2",
                List.of(),
                List.of(
                        new Rule("ok", Rule.Stage.INPUT, "tenant == 'acme'", Rule.Effect.ALLOW, null),
                        new Rule("typo", Rule.Stage.INPUT, "reqest.metadata.amount > 1", Rule.Effect.DENY, null)),
                List.of());

        assertThatThrownBy(() -> Policies.compile(List.of(broken)))
                .isInstanceOf(Policies.InvalidPolicy.class)
                .hasMessageContaining("policy refunds@2, rule 'typo'")
                .hasMessageContaining("undeclared reference to 'reqest'")
                .satisfies(e ->
                        assertThat(((Policies.InvalidPolicy) e).ruleIndex()).isEqualTo(1));
        assertThatThrownBy(() -> Policies.compile(List.of(new Policy(
                        "p",
                        "1",
                        List.of(),
                        List.of(new Rule("not-bool", Rule.Stage.INPUT, "tenant", Rule.Effect.DENY, null)),
                        List.of()))))
                .hasMessageContaining("expected type 'bool' but found 'string'");
    }

    @Test
    void examples_passWhenTheRulesGiveWhatTheySay_andFailOtherwise() {
        assertThat(Policies.compile(List.of(REFUNDS)).runExamples()).isEmpty();

        var wrong = new Policy(
                "refunds",
                "1",
                List.of(),
                REFUNDS.rules(),
                List.of(new Policy.Example(
                        "small refunds pass",
                        Rule.Stage.INPUT,
                        Map.of("request", Map.of("metadata", Map.of("amount", 5000))),
                        Rule.Effect.ALLOW,
                        List.of())));
        assertThat(Policies.compile(List.of(wrong)).runExamples())
                .singleElement()
                .asString()
                .contains("example 'small refunds pass': expected allow, got deny [REFUND_OVER_LIMIT]");
    }
}

package dev.airlock.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airlock.registry.PromptTemplate.Variable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PromptTemplateTest {
    private static PromptTemplate support(String version, List<String> labels) {
        Map<String, Variable> variables = new LinkedHashMap<>();
        variables.put("company", new Variable(Variable.Type.STRING, true, null, List.of(), 40));
        variables.put("tone", new Variable(Variable.Type.STRING, false, "friendly", List.of("friendly", "formal"), 0));
        variables.put("max_items", new Variable(Variable.Type.INTEGER, false, 3, List.of(), 0));
        return new PromptTemplate(
                "support",
                version,
                "You answer for {{company}} in a {{ tone }} tone, listing at most {{max_items}} steps.",
                variables,
                labels,
                "");
    }

    @Test
    void render_fillsEveryPlaceholder_withDefaultsForWhatIsNotGiven() {
        assertThat(support("1", List.of()).render(Map.of("company", "Acme", "max_items", 5)))
                .isEqualTo("You answer for Acme in a friendly tone, listing at most 5 steps.");
    }

    @Test
    void render_refusesMissingRequiredWrongTypeUnknownAndOutOfRangeValues_namingTheVariable() {
        var p = support("1", List.of());

        assertThatThrownBy(() -> p.render(Map.of()))
                .isInstanceOf(PromptTemplate.RenderException.class)
                .hasMessage("prompt support@1 needs variable 'company' (string)");
        assertThatThrownBy(() -> p.render(Map.of("company", "Acme", "max_items", "five")))
                .hasMessage("prompt support@1: variable 'max_items' must be an integer, not the text \"five\"");
        assertThatThrownBy(() -> p.render(Map.of("company", "Acme", "tone", "rude")))
                .hasMessage("prompt support@1: variable 'tone' must be one of [friendly, formal], not 'rude'");
        assertThatThrownBy(() -> p.render(Map.of("company", "A".repeat(41))))
                .hasMessage("prompt support@1: variable 'company' is 41 characters long; at most 40 are accepted");
        assertThatThrownBy(() -> p.render(Map.of("company", "Acme", "colour", "red")))
                .isInstanceOf(PromptTemplate.RenderException.class)
                .hasMessageContaining("has no variable 'colour'");
    }

    @Test
    void aTemplateAndItsVariablesMustMatch_whenDeclared() {
        assertThatThrownBy(() -> new PromptTemplate("p", "1", "Hello {{name}}", Map.of(), List.of(), ""))
                .hasMessage("prompt p@1: the template uses {{name}}, which is not declared under variables");
        assertThatThrownBy(() -> new PromptTemplate(
                        "p", "1", "Hello", Map.of("name", Variable.required(Variable.Type.STRING)), List.of(), ""))
                .hasMessage("prompt p@1: variable 'name' is declared but the template never uses {{name}}");
    }

    @Test
    void theCatalog_findsByVersionLabelOrName_andALabelNamesOneVersion() {
        var catalog = new PromptTemplate.Catalog(
                List.of(support("1", List.of("production")), support("2", List.of("staging"))));

        assertThat(catalog.find("support@1")).map(PromptTemplate::version).contains("1");
        assertThat(catalog.find("support@production"))
                .map(PromptTemplate::version)
                .contains("1");
        assertThat(catalog.find("support")).map(PromptTemplate::version).contains("2");
        assertThat(catalog.find("support@9")).isEmpty();
        assertThat(catalog.find("other")).isEmpty();
        assertThatThrownBy(() -> new PromptTemplate.Catalog(
                        List.of(support("1", List.of("production")), support("2", List.of("production")))))
                .hasMessageContaining("label 'production' is on versions 1 and 2");
    }
}

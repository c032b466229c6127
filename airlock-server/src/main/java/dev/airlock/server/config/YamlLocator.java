package dev.airlock.server.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;

/** Finds the line of a field in YAML text, so that errors found after binding can still point into the file. */
final class YamlLocator {
    private static final YAMLFactory YAML = new YAMLFactory();

    private YamlLocator() {}

    /**
     * The 1-based line of the value at a JSON pointer such as {@code /models/chat/provider}, or of its nearest
     * enclosing field that exists; 0 when nothing matches.
     */
    static int lineOf(String yaml, String pointer) {
        int best = 0;
        int bestLength = -1;
        try (JsonParser parser = YAML.createParser(yaml)) {
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                if (token != JsonToken.FIELD_NAME && !token.isScalarValue() && !token.isStructStart()) {
                    continue;
                }
                String here = parser.getParsingContext().pathAsPointer().toString();
                if (pointer.equals(here) || pointer.startsWith(here + "/")) {
                    if (here.length() > bestLength) {
                        best = parser.currentTokenLocation().getLineNr();
                        bestLength = here.length();
                    }
                }
            }
        } catch (IOException e) {
            return best;
        }
        return best;
    }
}

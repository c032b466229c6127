package dev.airlock.pii;

import java.util.List;

/**
 * A named-entity model that finds people's names and street addresses in text, where rules and word lists fall short
 * (names the lists do not hold, lower-case text, addresses without a street word). {@link PiiDetector} uses the one
 * installed on the class path ({@code META-INF/services/dev.airlock.pii.EntityTagger}; {@code airlock-models}
 * provides one over the in-process MiniLM model) beside its rules; without one, the rules alone decide.
 *
 * <pre>{@code
 * List<PiiDetector.Finding> found = tagger.find("send it to maría garcía, 12 calle mayor");
 * }</pre>
 */
public interface EntityTagger {

    /**
     * The names ({@link PiiDetector.Type#PERSON_NAME}) and street addresses ({@link PiiDetector.Type#POSTAL_ADDRESS})
     * in {@code text}, in order, without overlaps; offsets in UTF-16 units. Never throws for a text's content or length.
     */
    List<PiiDetector.Finding> find(String text);
}

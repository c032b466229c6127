package dev.airlock.pii;

import dev.airlock.pii.PiiDetector.Finding;
import dev.airlock.pii.PiiDetector.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Person names without a context word: a known first name (from the {@link Gazetteer}) alone, or followed by an
 * initial and one or two capitalised words ("Kristen J. Anderson", "Jan de Vries"). A first name that is also a
 * common word ("May", "Will", "Hope", a city) counts only when a known last name follows it.
 */
final class Names {

    private static final Pattern WORD = Pattern.compile("\\p{Lu}[\\p{Ll}'’]+(?:-\\p{Lu}[\\p{Ll}'’]+)?|\\p{Lu}\\.");
    private static final Pattern PARTICLE =
            Pattern.compile("(?:van der|van den|van de|van|von|de la|de|del|da|di|du|le|la|bin|ibn|al)");

    private final Gazetteer gazetteer;

    Names(Gazetteer gazetteer) {
        this.gazetteer = gazetteer;
    }

    void find(String text, List<Finding> out) {
        List<int[]> words = new ArrayList<>();
        Matcher m = WORD.matcher(text);
        while (m.find()) {
            if (m.start() > 0 && Character.isLetterOrDigit(text.charAt(m.start() - 1))) {
                continue;
            }
            if (m.end() < text.length() && Character.isLetterOrDigit(text.charAt(m.end()))) {
                continue;
            }
            words.add(new int[] {m.start(), m.end()});
        }
        for (int i = 0; i < words.size(); i++) {
            int[] w = words.get(i);
            String first = text.substring(w[0], w[1]);
            if (first.endsWith(".") || !gazetteer.anyFirstName(first)) {
                continue;
            }
            boolean ambiguous = !gazetteer.firstName(first);
            int end = w[1];
            int j = i + 1;
            boolean lastNameFollows = false;
            boolean knownLastName = false;
            int taken = 0;
            while (j < words.size() && taken < 3 && adjacent(text, end, words.get(j)[0])) {
                String next = text.substring(words.get(j)[0], words.get(j)[1]);
                if (Gazetteer.common(next) && !gazetteer.lastName(next)) {
                    break;
                }
                if (Addresses.isStreetWord(next)) {
                    break;
                }
                knownLastName |= gazetteer.lastName(next);
                lastNameFollows |= gazetteer.lastName(next) || (!next.endsWith(".") && taken > 0);
                if (!next.endsWith(".") && !gazetteer.lastName(next) && !gazetteer.anyFirstName(next)) {
                    // an unknown capitalised word after a first name is a surname only when it looks like one
                    lastNameFollows |= next.length() >= 3;
                }
                end = words.get(j)[1];
                j++;
                taken++;
            }
            if (taken > 0 && text.substring(words.get(j - 1)[0], end).endsWith(".")) {
                // a trailing initial is sentence punctuation more often than a name
                end = words.get(j - 1)[0] - 1;
                while (end > w[1] && Character.isWhitespace(text.charAt(end - 1))) {
                    end--;
                }
                end = Math.max(end, w[1]);
            }
            if (ambiguous && !knownLastName) {
                continue;
            }
            if (taken == 0 && gazetteer.place(first)) {
                continue;
            }
            out.add(new Finding(Type.PERSON_NAME, w[0], end, taken > 0 ? 0.8 : 0.6));
            i = j - 1;
        }
    }

    /** Whether only spaces, or a name particle ("van", "de la"), stand between two words. */
    private static boolean adjacent(String text, int end, int nextStart) {
        String between = text.substring(end, nextStart);
        if (between.equals(" ")) {
            return true;
        }
        String inner = between.strip();
        return between.startsWith(" ")
                && between.endsWith(" ")
                && PARTICLE.matcher(inner).matches();
    }
}

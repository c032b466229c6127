package dev.airlock.pii;

import dev.airlock.pii.PiiDetector.Finding;
import dev.airlock.pii.PiiDetector.Type;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Street addresses by their shape: a house number, one to four words and a street word (English: "Street",
 * "Avenue", and the other street suffixes of the {@link Gazetteer}); a street compound and a number in German,
 * Dutch and the Nordic languages ("Hauptstraße 5", "Koskikatu 25"); the Romance forms ("12 rue de la Paix", "Calle
 * de Alcalá 42"); and after an address context ("lives at", "address is") a number and capitalised words. A unit
 * ("Apt. 4", "Suite 210") and a following city, state and postcode extend the finding. A year after a preposition
 * ("During 1971", "Since 2019") is not a house number, and a word ending in "-ing" is not a street.
 */
final class Addresses {

    private static final Set<String> ABBREVIATIONS = Set.of(
            "st",
            "st.",
            "ave",
            "ave.",
            "rd",
            "rd.",
            "dr",
            "dr.",
            "ln",
            "ln.",
            "blvd",
            "blvd.",
            "ct",
            "ct.",
            "pl",
            "pl.",
            "sq",
            "sq.",
            "hwy",
            "pkwy",
            "cir",
            "ter",
            "trl",
            "crescent",
            "close",
            "mews",
            "row",
            "parade",
            "walk",
            "gardens",
            "grove",
            "hill",
            "terrace",
            "square",
            "highway",
            "parkway",
            "place",
            "court",
            "lane",
            "road",
            "street",
            "avenue",
            "drive",
            "boulevard",
            "way");
    private static final Set<String> NOT_AFTER_NUMBER =
            Set.of("years", "year", "days", "day", "items", "people", "times", "minutes", "hours", "percent");
    private static final String WORD = "(?:\\p{Lu}[\\p{L}'’.-]*|\\d{1,3}(?:st|nd|rd|th))";

    private static final Pattern COMPOUND = Pattern.compile("(?<![\\w-])(\\p{Lu}[\\p{L}-]{2,}?(?:straße|strasse|str\\.|"
            + "weg|gasse|platz|allee|damm|ring|ufer|katu|tie|polku|gatan|vägen|gränd|vej|gade|veien|veg|gata|laan|"
            + "straat|plein|gracht|kade|dijk|steeg|singel))\\s+(\\d{1,4}[a-zA-Z]?)(?![\\w.,]\\d)");
    private static final Pattern ROMANCE = Pattern.compile(
            "(?<![\\w])\\d{1,4},?\\s+(?i:rue|avenue|boulevard|place|impasse|chemin|allée|quai|cours)\\s+(?:(?i:de la|"
                    + "de l'|de|du|des)\\s+)?\\p{L}[\\p{L}'’-]+(?:\\s+\\p{L}[\\p{L}'’-]+){0,2}"
                    + "|(?<![\\w])(?:Calle|Avenida|Av\\.|Rua|Via|Viale|Piazza|Plaza|Paseo|Travessa|Largo|Corso|Rambla)"
                    + "\\s+(?:(?:de la|de|del|da|dos|das|di)\\s+)?\\p{Lu}[\\p{L}'’-]+(?:\\s+\\p{Lu}[\\p{L}'’-]+){0,2},?"
                    + "\\s+(?:n\\.?º?\\s*)?\\d{1,4}\\b");
    private static final Pattern CONTEXT =
            Pattern.compile("(?i)(?:\\blive[sd]? at|\\baddress(?: is|:)|\\bresid(?:e|es|ing)"
                    + " at|\\blocated at|\\bship(?:ped)? to|\\bdeliver(?:ed)? to|\\bsend (?:it|them|this) to|\\bmoved to|"
                    + "\\bmail(?:ed)? to|\\bwohne? in|\\bj'habite au|\\bvivo en)\\s+$");
    // "92 Eusebio Dávila 57", "31 Vesturgata 66": a building number, a capitalised street name, a house number
    private static final Pattern BETWEEN_NUMBERS = Pattern.compile(
            "(?<![\\w.,/:-])\\d{1,5}\\s+\\p{Lu}[\\p{L}'’.-]+(?:\\s+\\p{L}[\\p{L}'’.-]*){0,3}\\s+\\d{1,4}[a-zA-Z]?(?![\\w.,:/-]|\\.\\d)");
    private static final Pattern UNIT = Pattern.compile("(?<![\\w])(?:Apt\\.|Apartment|Suite|Unit)\\s+\\d{1,5}\\b");
    private static final Pattern CONTEXT_NUMBERED =
            Pattern.compile("\\d{1,6}[A-Za-z]?,?\\s+\\p{Lu}[\\p{L}'’.-]+(?:\\s+\\p{Lu}[\\p{L}'’.-]+){0,3}");
    private static final Pattern TAIL = Pattern.compile(
            "^(?:\\s+(?:NW|NE|SW|SE|N|S|E|W)\\b\\.?)?(?:,?\\s*(?:Apt\\.?|Apartment|Suite|Ste\\.?|Unit|Flat|Floor|"
                    + "#|No\\.?)\\s*[\\w-]{1,6})?(?:,?\\s+\\p{Lu}[\\p{L}'’.-]+(?:\\s+\\p{Lu}[\\p{L}'’.-]+){0,2},?\\s+"
                    + "(?:\\p{Lu}{2}\\s+)?\\d{4,5}(?:-\\d{4})?)?");
    private static final Pattern PREPOSITION_BEFORE =
            Pattern.compile("(?i)\\b(?:in|since|until|till|during|before|after|around|circa|year|anno|seit|bis|im|en|"
                    + "depuis|desde|dal|fino)\\s*$");

    private final Set<String> suffixes;
    /** A house number, up to three words, and a street word from the gazetteer's list or the abbreviations. */
    private final Pattern numbered;

    Addresses(Gazetteer gazetteer) {
        this.suffixes = gazetteer.streetSuffixes();
        String streetWords = java.util.stream.Stream.concat(suffixes.stream(), ABBREVIATIONS.stream())
                .map(w -> w.endsWith(".") ? w.substring(0, w.length() - 1) : w)
                .distinct()
                .sorted(java.util.Comparator.comparingInt(String::length).reversed())
                .map(Pattern::quote)
                .collect(java.util.stream.Collectors.joining("|"));
        this.numbered = Pattern.compile("(?<![\\w.,/-])\\d{1,6}[A-Za-z]?(?:-\\d{1,4})?,?\\s+((?:" + WORD
                + "\\s+){0,3}?)((?i:" + streetWords + ")\\.?)(?![\\w])");
    }

    static boolean isStreetWord(String word) {
        return ABBREVIATIONS.contains(word.toLowerCase(Locale.ROOT));
    }

    void find(String text, List<Finding> out) {
        Matcher m = numbered.matcher(text);
        while (m.find()) {
            String street = m.group(2).toLowerCase(Locale.ROOT);
            String words = m.group(1).strip();
            String firstWord = words.isEmpty() ? street : words.split("\\s+")[0].toLowerCase(Locale.ROOT);
            boolean streetWord = ABBREVIATIONS.contains(street) || suffixes.contains(street.replace(".", ""));
            if (!streetWord
                    || words.isEmpty()
                    || NOT_AFTER_NUMBER.contains(firstWord)
                    || yearAfterPreposition(text, m)) {
                continue;
            }
            if (!Character.isUpperCase(m.group(2).charAt(0))) {
                continue;
            }
            out.add(new Finding(Type.POSTAL_ADDRESS, m.start(), extend(text, m.end()), 0.85));
        }
        Matcher c = COMPOUND.matcher(text);
        while (c.find()) {
            String word = c.group(1).toLowerCase(Locale.ROOT);
            if (word.endsWith("ing") || Gazetteer.common(word) || yearAfterPreposition(text, c)) {
                continue;
            }
            int start = c.start();
            // a house number before the street, as some locales write it
            Matcher before =
                    Pattern.compile("\\d{1,5}[A-Za-z]?\\s+$").matcher(text.substring(Math.max(0, start - 8), start));
            if (before.find()) {
                start = start - (before.end() - before.start());
            }
            out.add(new Finding(Type.POSTAL_ADDRESS, start, extend(text, c.end()), 0.8));
        }
        Matcher r = ROMANCE.matcher(text);
        while (r.find()) {
            out.add(new Finding(Type.POSTAL_ADDRESS, r.start(), extend(text, r.end()), 0.8));
        }
        Matcher b = BETWEEN_NUMBERS.matcher(text);
        while (b.find()) {
            if (!yearAfterPreposition(text, b)
                    && !NOT_AFTER_NUMBER.contains(b.group().split("\\s+")[1].toLowerCase(Locale.ROOT))) {
                out.add(new Finding(Type.POSTAL_ADDRESS, b.start(), extend(text, b.end()), 0.7));
            }
        }
        Matcher u = UNIT.matcher(text);
        while (u.find()) {
            out.add(new Finding(Type.POSTAL_ADDRESS, u.start(), u.end(), 0.6));
        }
        Matcher n = CONTEXT_NUMBERED.matcher(text);
        while (n.find()) {
            if (CONTEXT.matcher(text.substring(Math.max(0, n.start() - 30), n.start()))
                            .find()
                    && !yearAfterPreposition(text, n)) {
                out.add(new Finding(Type.POSTAL_ADDRESS, n.start(), extend(text, n.end()), 0.75));
            }
        }
    }

    /** The end of an address that goes on with a unit, a city, a state and a postcode. */
    private static int extend(String text, int end) {
        Matcher tail = TAIL.matcher(text.substring(end, Math.min(text.length(), end + 80)));
        return tail.find() ? end + tail.end() : end;
    }

    /** "During 1971", "since 2019": a four-digit year right after a preposition is a date, not a house number. */
    private static boolean yearAfterPreposition(String text, Matcher m) {
        Matcher year = Pattern.compile("(?<!\\d)(1[5-9]\\d{2}|20\\d{2})(?!\\d)").matcher(m.group());
        if (!year.find()) {
            return false;
        }
        int at = m.start() + year.start();
        String before = text.substring(Math.max(0, at - 30), at);
        return PREPOSITION_BEFORE.matcher(before).find()
                || PREPOSITION_BEFORE
                        .matcher(text.substring(Math.max(0, m.start() - 15), m.start()))
                        .find();
    }
}

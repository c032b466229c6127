package dev.airlock.pii;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Word lists the name and address rules look words up in: first names, last names and street suffixes of several
 * languages, read once from the locale files of the Datafaker library (Apache-2.0, on Maven Central). A list is a
 * gazetteer, not a model: it knows the names it holds and nothing else.
 */
final class Gazetteer {

    /** The locales read: the languages the other rules cover, and some of their neighbours. */
    private static final List<String> LOCALES =
            List.of("en", "en-GB", "en-US", "de", "fr", "es", "it", "nl", "pt", "sv", "da-DK", "nb-NO", "fi-FI", "pl");

    /**
     * Words that are also first names but far more often something else in a sentence: months, virtues, verbs,
     * colours, ranks, places. They count as a first name only inside a longer name.
     */
    private static final Set<String> COMMON_WORDS = Set.copyOf(List.of(
            "will",
            "may",
            "june",
            "april",
            "august",
            "bill",
            "mark",
            "grant",
            "hope",
            "joy",
            "faith",
            "rose",
            "art",
            "chase",
            "dawn",
            "summer",
            "page",
            "sky",
            "sunny",
            "rich",
            "guy",
            "ray",
            "pat",
            "don",
            "sue",
            "carol",
            "holly",
            "ivy",
            "iris",
            "lily",
            "daisy",
            "ruby",
            "pearl",
            "crystal",
            "amber",
            "jade",
            "violet",
            "heather",
            "autumn",
            "winter",
            "storm",
            "river",
            "brook",
            "dean",
            "major",
            "bishop",
            "king",
            "lord",
            "miles",
            "christian",
            "hunter",
            "price",
            "love",
            "young",
            "long",
            "white",
            "black",
            "brown",
            "green",
            "gray",
            "grey",
            "can",
            "van",
            "von",
            "de",
            "la",
            "le",
            "del",
            "della",
            "da",
            "di",
            "du",
            "des",
            "al",
            "el",
            "ali",
            "an",
            "the",
            "and",
            "for",
            "new",
            "my",
            "our",
            "your",
            "his",
            "her",
            "their",
            "this",
            "that",
            "with",
            "from",
            "dear",
            "hi",
            "hello",
            "thanks",
            "thank",
            "please",
            "regards",
            "best",
            "kind",
            "sincerely",
            "yes",
            "no",
            "am",
            "is",
            "are",
            "was",
            "be",
            "so",
            "as",
            "at",
            "by",
            "in",
            "on",
            "or",
            "to",
            "up",
            "we",
            "he",
            "she",
            "it",
            "me",
            "us",
            "i",
            "do",
            "go",
            "if",
            "of",
            "an",
            "a",
            "all",
            "one",
            "two",
            "per",
            "pro",
            "via",
            "street",
            "road",
            "lane",
            "court",
            "drive",
            "way",
            "park",
            "bank",
            "card",
            "account",
            "loan",
            "credit",
            "paris",
            "london",
            "berlin",
            "austin",
            "dallas",
            "houston",
            "phoenix",
            "jordan",
            "georgia",
            "virginia",
            "florence",
            "chelsea",
            "charlotte",
            "madison",
            "lincoln",
            "washington",
            "jackson",
            "denver",
            "orlando",
            "sydney",
            "victoria",
            "adelaide",
            "india",
            "china",
            "kenya",
            "israel",
            "asia",
            "america",
            "europe",
            "monday",
            "tuesday",
            "wednesday",
            "thursday",
            "friday",
            "saturday",
            "sunday",
            "january",
            "february",
            "march",
            "july",
            "september",
            "october",
            "november",
            "december",
            "easter",
            "christmas",
            "english",
            "french",
            "german",
            "spanish",
            "italian",
            "dutch",
            "sales",
            "support",
            "team",
            "manager",
            "director",
            "client",
            "customer",
            "user",
            "admin",
            "status",
            "order",
            "total",
            "amount",
            "date",
            "time",
            "note",
            "ok",
            "okay",
            "sure",
            "just",
            "also",
            "only",
            "still",
            "even",
            "ever",
            "never",
            "always",
            "today",
            "tomorrow",
            "yesterday",
            "morning",
            "evening",
            "night",
            "day",
            "week",
            "month",
            "year",
            "mon",
            "tue",
            "best",
            "angel",
            "star",
            "justice",
            "honor",
            "liberty",
            "unique",
            "precious",
            "destiny",
            "memory",
            "harmony",
            "melody",
            "serenity",
            "trinity",
            "genesis",
            "journey",
            "haven",
            "ocean",
            "rain",
            "snow",
            "cash",
            "gold",
            "silver",
            "diamond",
            "fortune",
            "lucky",
            "happy",
            "golden",
            "royal",
            "noble",
            "prince",
            "princess",
            "duke",
            "earl",
            "baron",
            "marshal",
            "general",
            "colonel",
            "captain",
            "judge",
            "sterling",
            "spring",
            "fall",
            "autumn",
            "sommer",
            "herbst",
            "frühling",
            "ping",
            "mi",
            "mia",
            "sir",
            "madam",
            "ma",
            "pa",
            "mo",
            "hey"));

    private final Set<String> firstNames;
    private final Set<String> lastNames;
    private final Set<String> streetSuffixes;
    private final Set<String> places;

    private Gazetteer(Set<String> firstNames, Set<String> lastNames, Set<String> streetSuffixes, Set<String> places) {
        this.places = places;
        this.firstNames = firstNames;
        this.lastNames = lastNames;
        this.streetSuffixes = streetSuffixes;
    }

    /** Whether {@code word} is a first name in some locale and not also a common word. */
    boolean firstName(String word) {
        String w = word.toLowerCase(Locale.ROOT);
        return firstNames.contains(w) && !COMMON_WORDS.contains(w);
    }

    /** Whether {@code word} is a first name in some locale (common words included: for use inside a name). */
    boolean anyFirstName(String word) {
        return firstNames.contains(word.toLowerCase(Locale.ROOT));
    }

    boolean lastName(String word) {
        return lastNames.contains(word.toLowerCase(Locale.ROOT));
    }

    /** Whether {@code word} is a common word rather than a name. */
    static boolean common(String word) {
        return COMMON_WORDS.contains(word.toLowerCase(Locale.ROOT));
    }

    /** Whether {@code word} names a country or a US state ("Georgia", "Chad"): a place before a person. */
    boolean place(String word) {
        return places.contains(word.toLowerCase(Locale.ROOT));
    }

    /** English street suffixes ("Avenue", "Crossing", ...), lower case. */
    Set<String> streetSuffixes() {
        return streetSuffixes;
    }

    private static Gazetteer load() {
        Set<String> first = new HashSet<>();
        Set<String> last = new HashSet<>();
        Set<String> suffixes = new HashSet<>();
        for (String locale : LOCALES) {
            String yaml = resource(locale + "/name.yml");
            if (yaml.isEmpty()) {
                yaml = resource(locale + ".yml");
            }
            for (String key : List.of("first_name", "male_first_name", "female_first_name")) {
                first.addAll(words(list(yaml, key)));
            }
            last.addAll(words(list(yaml, "last_name")));
        }
        String address = resource("en/address.yml");
        suffixes.addAll(words(list(address, "street_suffix")));
        Set<String> places = new HashSet<>(words(list(address, "country")));
        places.addAll(words(list(address, "state")));
        // a first name that is also a frequent last name stays a first name; single letters never count
        first.removeIf(w -> w.length() < 2);
        last.removeIf(w -> w.length() < 2);
        return new Gazetteer(Set.copyOf(first), Set.copyOf(last), Set.copyOf(suffixes), Set.copyOf(places));
    }

    private static Set<String> words(List<String> entries) {
        Set<String> out = new HashSet<>();
        for (String e : entries) {
            String w = e.trim().toLowerCase(Locale.ROOT);
            if (!w.isEmpty() && !w.contains("#") && !w.contains("{") && !w.contains(" ")) {
                out.add(w);
            }
        }
        return out;
    }

    private static final Pattern QUOTED = Pattern.compile("^\\s*-\\s*[\"']?([^\"'#]*)[\"']?\\s*$");

    /** The entries of list {@code key} in a Datafaker locale file: a flow list {@code [a, b]} or a block list. */
    static List<String> list(String yaml, String key) {
        Matcher at = Pattern.compile("(?m)^(\\s+)" + key + ":[ \\t]*(.*)$").matcher(yaml);
        if (!at.find()) {
            return List.of();
        }
        String rest = at.group(2).trim();
        if (rest.startsWith("[")) {
            String inner = rest.substring(1, rest.endsWith("]") ? rest.length() - 1 : rest.length());
            return List.of(inner.replace("\"", "").replace("'", "").split(","));
        }
        int indent = at.group(1).length();
        java.util.ArrayList<String> out = new java.util.ArrayList<>();
        for (String line : yaml.substring(at.end()).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            int lead = line.length() - line.stripLeading().length();
            if (lead <= indent && !line.stripLeading().startsWith("-")) {
                break;
            }
            Matcher q = QUOTED.matcher(line);
            if (q.matches()) {
                out.add(q.group(1));
            } else if (lead <= indent) {
                break;
            }
        }
        return out;
    }

    private static String resource(String name) {
        try (InputStream in = Gazetteer.class.getClassLoader().getResourceAsStream(name)) {
            return in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Loaded last: every other static field above must be set first. */
    static final Gazetteer INSTANCE = load();
}

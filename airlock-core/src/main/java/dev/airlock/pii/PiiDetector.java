package dev.airlock.pii;

import com.google.common.net.InetAddresses;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Finds personal data and secrets in text: e-mail addresses, phone numbers, payment cards (Luhn-checked), IBANs
 * (ISO 13616 mod-97), US social security numbers, IP addresses, dates of birth (with a birth context word), and
 * secrets (cloud keys, tokens, private keys). Pattern matches are confirmed by their checksums where the type has
 * one; context words nearby raise confidence, failed checks drop the match.
 */
public final class PiiDetector {

    /** The kinds of data found. */
    public enum Type {
        EMAIL,
        PHONE,
        CARD,
        IBAN,
        SSN,
        IP_ADDRESS,
        DATE_OF_BIRTH,
        SECRET,
        /** National identity numbers: Spanish DNI and NIE, French NIR, Dutch BSN, German tax id (Steuer-ID). */
        NATIONAL_ID,
        /** A person's name where the words around it make one likely: "my name is", "Dear", "Mr.", "Frau", ... */
        PERSON_NAME,
        /** A street address: number and street (English, French), or street and number (German, Spanish, ...). */
        POSTAL_ADDRESS;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One finding: where, what, how sure. */
    public record Finding(Type type, int start, int end, double confidence) {}

    private static final Pattern EMAIL = Pattern.compile(
            "(?<![\\w.+-])[\\w.+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\\.[A-Za-z0-9-]{1,63})*\\.[A-Za-z]{2,24}\\b");
    // 12 to 19 digits, unbroken or in printed groups (4-4-4-4, Amex 4-6-5, Diners 4-6-4, ...), spaces or dashes
    private static final Pattern CARD = Pattern.compile("(?<![\\d.,])\\d{2,6}(?:[ -]?\\d{2,6}){1,6}(?![\\d]|[.,]\\d)");
    private static final Pattern IBAN =
            Pattern.compile("\\b[A-Z]{2}\\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?\\b");
    private static final Pattern SSN = Pattern.compile("(?<!\\d)(\\d{3})-(\\d{2})-(\\d{4})(?!\\d)");
    private static final Pattern IPV4 = Pattern.compile(
            "(?<![\\d.])(?:(?:25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.){3}(?:25[0-5]|2[0-4]\\d|1?\\d?\\d)(?!\\d|\\.\\d)");
    // full or compressed ("::") IPv6, an embedded IPv4 tail allowed; confirmed by Guava's address parser
    private static final Pattern IPV6 = Pattern.compile(
            "(?<![\\w:.])(?:[0-9a-fA-F]{0,4}:){2,7}(?:(?:\\d{1,3}\\.){3}\\d{1,3}|[0-9a-fA-F]{1,4})?(?![\\w:]|\\.\\d)");
    private static final Pattern PHONE =
            Pattern.compile("(?<![\\w+(])(?:(?:\\+|00)\\d{1,3}[ .-]?)?(?:\\(\\d{1,4}\\)[ .-]?)?"
                    + "\\d{1,4}(?:[ .-]?\\d{2,4}){1,5}(?:\\s?(?:x|ext\\.?)\\s?\\d{1,5})?(?![\\w])");
    private static final String MONTH = "(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|"
            + "Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\\.?";
    // ISO (YYYY-MM-DD, YYYY/MM/DD), day first (DD.MM.YYYY, DD/MM/YYYY), US order (MM/DD/YYYY, MM-DD-YYYY),
    // and with the month's name ("March 5, 1990", "5 March 1990")
    private static final Pattern DATE =
            Pattern.compile("\\b(?:(?:19|20)\\d{2}([-/])(?:0?[1-9]|1[0-2])\\1(?:0?[1-9]|[12]\\d|3[01])"
                    + "|(?:0?[1-9]|[12]\\d|3[01])[./-](?:0?[1-9]|1[0-2])[./-](?:19|20)\\d{2}"
                    + "|(?:0?[1-9]|1[0-2])[./-](?:0?[1-9]|[12]\\d|3[01])[./-](?:19|20)\\d{2}"
                    + "|" + MONTH + "\\s+(?:0?[1-9]|[12]\\d|3[01])(?:st|nd|rd|th)?,?\\s+(?:19|20)\\d{2}"
                    + "|(?:0?[1-9]|[12]\\d|3[01])(?:st|nd|rd|th)?\\s+(?:of\\s+)?" + MONTH
                    + ",?\\s+(?:19|20)\\d{2})\\b");
    private static final Pattern SECRET = Pattern.compile(
            "\\b(?:AKIA|ASIA)[0-9A-Z]{16}\\b" // AWS access key id
                    + "|\\bgh[pousr]_[A-Za-z0-9]{36,255}\\b" // GitHub tokens
                    + "|\\bsk-(?:proj-)?[A-Za-z0-9_-]{20,}\\b" // OpenAI-style keys
                    + "|\\bxox[baprs]-[A-Za-z0-9-]{10,}\\b" // Slack tokens
                    + "|\\beyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}\\b" // JWTs
                    + "|-----BEGIN (?:RSA |EC |OPENSSH |DSA |)PRIVATE KEY-----[\\s\\S]*?-----END (?:RSA |EC |OPENSSH |DSA |)"
                    + "PRIVATE KEY-----");
    // Spanish DNI (8 digits and a letter) and NIE (X, Y or Z, 7 digits, a letter)
    private static final Pattern DNI = Pattern.compile("(?i)\\b[XYZ]?\\d{7,8}-?[A-Z]\\b");
    // French NIR: sex, year, month, department, commune, order, then a 2-digit key (spaces allowed)
    private static final Pattern NIR =
            Pattern.compile("\\b[12]\\s?\\d{2}\\s?(0[1-9]|1[0-2])\\s?(\\d{2}|2[AB])\\s?\\d{3}\\s?\\d{3}\\s?\\d{2}\\b");
    private static final Pattern NINE_OR_ELEVEN_DIGITS =
            Pattern.compile("(?<!\\d)(?<!\\d[.,-])(\\d{9}|\\d{11}|\\d{2} \\d{3} \\d{3} \\d{3})(?!\\d)(?![.,-]\\d)");
    private static final Pattern ID_CONTEXT = Pattern.compile(
            "(?i)\\b(dni|nie|nif|documento|identidad|nir|sécurité sociale|securite sociale|insee|id card|"
                    + "identity|national id|passport)\\b");
    private static final Pattern BSN_CONTEXT = Pattern.compile("(?i)\\b(bsn|burgerservicenummer|sofinummer)\\b");
    private static final Pattern STEUER_CONTEXT =
            Pattern.compile("(?i)(steuer-?id|steueridentifikationsnummer|identifikationsnummer|tax id|\\bidnr\\b)");
    private static final String CAPITALISED = "\\p{Lu}[\\p{Ll}'’-]+";
    // a title or salutation, then one to three capitalised words
    private static final Pattern NAME_AFTER_TITLE =
            Pattern.compile("\\b(?i:Mr|Mrs|Ms|Mx|Dr|Prof|Herr|Frau|Sr|Sra|Mme|Mlle|Miss|Mister)"
                    + "\\.?\\s+(" + CAPITALISED + "(?:\\s+" + CAPITALISED
                    + "){0,2})|\\bDear\\s+(?!Sir\\b|Madam\\b|Customer\\b|"
                    + "(?:Mr|Mrs|Ms|Mx|Dr|Prof|Herr|Frau)\\b|"
                    + "Team\\b|All\\b)(" + CAPITALISED + "(?:\\s+" + CAPITALISED + "){0,2})");
    // "my name is Jane Doe", "I am Jane Doe": a first and a last name, so that "I am Happy" is not one
    private static final Pattern NAME_AFTER_INTRODUCTION = Pattern.compile("(?i:\\bmy name is|\\bname:|\\bi am|\\bi'm|"
            + "\\bthis is|\\bje m'appelle|\\bich heiße|\\bme llamo)\\s+(" + CAPITALISED + "\\s+" + CAPITALISED
            + "(?:\\s+" + CAPITALISED + ")?)");
    private static final Pattern PHONE_CONTEXT = Pattern.compile("(?i)\\b(phone|tel|telephone|mobile|cell|call|fax|"
            + "whatsapp|téléphone|telefon|office|landline|reach|contact|answering|dial|ring|sms|texting|text me)\\b");
    // a number named as something else just before it is not a phone by its shape alone ("Order 415-555-2671")
    private static final Pattern NOT_PHONE_WORD = Pattern.compile(
            "(?i)(?:\\b(?:ref|reference|order|invoice|tracking|account|acct|case|ticket|serial|sku|part)\\.?"
                    + "(?:\\s+(?:number|no\\.?|id))?|\\bno\\.|#)\\s*[:#]?\\s*$");
    private static final Pattern EXTENSION = Pattern.compile("\\s?(?:x|ext\\.?)\\s?\\d{1,5}$");
    private static final Pattern BIRTH_CONTEXT = Pattern.compile(
            "(?i)\\b(born|birth|dob|d\\.o\\.b|birthday|birthdate|b-day|date of birth|geboren|geburtsdatum|né|née|"
                    + "naissance|nacimiento|nato|nata)\\b");
    private static final Pattern SSN_CONTEXT = Pattern.compile("(?i)\\b(ssn|social security)\\b");
    // what makes a look-alike something else: a version number, the rest of an (invalid) IBAN
    private static final Pattern VERSION_WORD = Pattern.compile("(?i)\\b(version|release|build|v)\\s*$");
    private static final Pattern IBAN_HEAD = Pattern.compile("\\b[A-Z]{2}\\d{2}\\s?$");

    private final Names names = new Names(Gazetteer.INSTANCE);
    private final Addresses addresses = new Addresses(Gazetteer.INSTANCE);
    private final @Nullable EntityTagger tagger;

    /** The installed entity model, if any: looked up once per JVM. */
    private static final class Installed {
        static final @Nullable EntityTagger TAGGER =
                ServiceLoader.load(EntityTagger.class).findFirst().orElse(null);
    }

    /** Rules, checksums and word lists, and the entity model installed on the class path when there is one. */
    public PiiDetector() {
        this(Installed.TAGGER);
    }

    /**
     * Rules, checksums and word lists, and {@code tagger} (when not null) for names and street addresses: its
     * findings count where no rule found something at the same place.
     */
    public PiiDetector(@Nullable EntityTagger tagger) {
        this.tagger = tagger;
    }

    /** Whether an entity model takes part. */
    public boolean usesEntityModel() {
        return tagger != null;
    }

    /** Every finding in {@code text}, in order; overlapping findings keep the more specific type. */
    public List<Finding> find(@Nullable String text) {
        return find(text, true);
    }

    /**
     * The findings of {@code types} in {@code text}, in order. The entity model (a pass of the MiniLM model over the
     * text) runs only when names or addresses are asked for.
     */
    public List<Finding> find(@Nullable String text, Set<Type> types) {
        boolean model = types.contains(Type.PERSON_NAME) || types.contains(Type.POSTAL_ADDRESS);
        return find(text, model).stream().filter(f -> types.contains(f.type())).toList();
    }

    private List<Finding> find(@Nullable String text, boolean withModel) {
        if (text == null || text.isEmpty()) {
            return List.of();
        }
        List<Finding> all = new ArrayList<>();
        scan(text, SECRET, m -> new Finding(Type.SECRET, m.start(), m.end(), 0.95), all);
        scan(text, EMAIL, m -> new Finding(Type.EMAIL, m.start(), m.end(), 0.95), all);
        scan(text, IBAN, m -> ibanValid(m.group()) ? new Finding(Type.IBAN, m.start(), m.end(), 0.99) : null, all);
        scan(text, CARD, m -> before(text, m, IBAN_HEAD) ? null : card(m), all);
        scan(
                text,
                SSN,
                m -> ssnValid(m.group(1), m.group(2), m.group(3))
                        ? new Finding(Type.SSN, m.start(), m.end(), near(text, m, SSN_CONTEXT) ? 0.95 : 0.75)
                        : null,
                all);
        // IPv6 first: an IPv4-mapped address ("::ffff:192.0.2.128") is one finding, not an IPv4 inside
        scan(text, IPV6, m -> ipv6(m.group()) ? new Finding(Type.IP_ADDRESS, m.start(), m.end(), 0.95) : null, all);
        scan(
                text,
                IPV4,
                m -> before(text, m, VERSION_WORD) ? null : new Finding(Type.IP_ADDRESS, m.start(), m.end(), 0.9),
                all);
        scan(
                text,
                DATE,
                m -> near(text, m, BIRTH_CONTEXT) ? new Finding(Type.DATE_OF_BIRTH, m.start(), m.end(), 0.9) : null,
                all);
        scan(
                text,
                DNI,
                m -> dniValid(m.group().toUpperCase(Locale.ROOT))
                        ? new Finding(Type.NATIONAL_ID, m.start(), m.end(), near(text, m, ID_CONTEXT) ? 0.97 : 0.9)
                        : null,
                all);
        scan(
                text,
                NIR,
                m -> nirValid(digits(m.group()))
                        ? new Finding(Type.NATIONAL_ID, m.start(), m.end(), near(text, m, ID_CONTEXT) ? 0.97 : 0.85)
                        : null,
                all);
        scan(
                text,
                NINE_OR_ELEVEN_DIGITS,
                m -> {
                    String d = digits(m.group());
                    boolean id = (d.length() == 9 && bsnValid(d) && near(text, m, BSN_CONTEXT))
                            || (d.length() == 11 && steuerIdValid(d) && near(text, m, STEUER_CONTEXT));
                    return id ? new Finding(Type.NATIONAL_ID, m.start(), m.end(), 0.9) : null;
                },
                all);
        scan(text, PHONE, m -> phone(text, m), all);
        addresses.find(text, all);
        scanGroup(text, NAME_AFTER_TITLE, 1, Type.PERSON_NAME, 0.85, all);
        scanGroup(text, NAME_AFTER_INTRODUCTION, 1, Type.PERSON_NAME, 0.8, all);
        names.find(text, all);
        if (tagger != null && withModel) {
            for (Finding f : tagger.find(text)) {
                if (f.type() != Type.PERSON_NAME || nameLike(text.substring(f.start(), f.end()))) {
                    all.add(f);
                }
            }
        }
        return withoutOverlaps(all);
    }

    /**
     * Whether a name the entity model proposes survives the word lists: one word must be a first or last name they
     * hold (a lone "Cuba", "Civil" or "DNI" is not), and no word may be a country or state.
     */
    private static boolean nameLike(String value) {
        String[] words = value.split("[\\s,]+");
        for (String w : words) {
            if (Gazetteer.INSTANCE.place(w)) {
                return false;
            }
        }
        if (words.length > 1) {
            return true;
        }
        String w = words[0];
        return !Gazetteer.common(w) && (Gazetteer.INSTANCE.anyFirstName(w) || Gazetteer.INSTANCE.lastName(w));
    }

    /** {@code text} with every finding replaced by its type in brackets, e.g. {@code [EMAIL]}. */
    public @Nullable String redactAll(@Nullable String text) {
        if (text == null) {
            return null;
        }
        List<Finding> findings = find(text);
        if (findings.isEmpty()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int at = 0;
        for (Finding f : findings) {
            out.append(text, at, f.start()).append('[').append(f.type().name()).append(']');
            at = f.end();
        }
        return out.append(text.substring(at)).toString();
    }

    /** The finding a match confirms, or null when the match is something else. */
    private interface Confirm {
        @Nullable
        Finding apply(Matcher m);
    }

    /** Findings of a pattern's capturing group (the first that matched among its alternatives when {@code group} is 1). */
    private static void scanGroup(
            String text, Pattern pattern, int group, Type type, double confidence, List<Finding> out) {
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            int g = group;
            while (g > 0 && g <= m.groupCount() && m.group(g) == null) {
                g++;
            }
            if (g <= m.groupCount() && m.group(g) != null) {
                out.add(new Finding(type, m.start(g), m.end(g), confidence));
            }
        }
    }

    private static void scan(String text, Pattern pattern, Confirm confirm, List<Finding> out) {
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            Finding f = confirm.apply(m);
            if (f != null) {
                out.add(f);
            }
        }
    }

    /**
     * A phone number: 7 to 15 digits (E.164). Without a context word nearby, only a number whose shape says "phone"
     * and that libphonenumber finds valid: international with a leading + or 00, or North American.
     */
    private static @Nullable Finding phone(String text, Matcher m) {
        // the extension ("x62406") is not part of the number's length
        String digits = digits(EXTENSION.matcher(m.group()).replaceFirst(""));
        if (digits.length() < 7 || digits.length() > 15) {
            return null;
        }
        int start = m.start();
        // a number written "(555) 123-4567" starts at its parenthesis, which the pattern's look-behind leaves out
        if (start > 0 && text.charAt(start - 1) == '(' && !m.group().startsWith("(")) {
            return null;
        }
        boolean shape = Phones.unambiguous(m.group())
                && !NOT_PHONE_WORD
                        .matcher(text.substring(Math.max(0, m.start() - 24), m.start()))
                        .find();
        boolean context = near(text, m, PHONE_CONTEXT);
        if (!shape && !context) {
            return null;
        }
        return new Finding(Type.PHONE, start, m.end(), shape && context ? 0.95 : 0.85);
    }

    /**
     * A card number: the longest run of the match's digit groups, from its start, that is in an issuer's range and
     * passes Luhn (so "4111 1111 1111 1111 12 items" still finds the card).
     */
    private static @Nullable Finding card(Matcher m) {
        String s = m.group();
        for (int end = s.length(); end > 0; end--) {
            if (end < s.length() && Character.isDigit(s.charAt(end))) {
                continue;
            }
            String candidate = s.substring(0, end).strip();
            if (Cards.valid(digits(candidate))) {
                return new Finding(Type.CARD, m.start(), m.start() + candidate.length(), 0.97);
            }
        }
        return null;
    }

    /** An IPv6 address Guava's parser accepts, with at least one group written out ("::" alone is not one). */
    private static boolean ipv6(String s) {
        String bare = s.replace(":", "").replace(".", "");
        // "3::4" is an address to the parser but a ratio to a reader: at least three hex digits, or the loopback
        return (bare.length() >= 3 || s.equals("::1"))
                && (s.contains("::") || s.chars().filter(c -> c == ':').count() == 7)
                && InetAddresses.isInetAddress(s);
    }

    /** Whether the text just before the match (up to 12 characters) ends with {@code context}. */
    private static boolean before(String text, Matcher m, Pattern context) {
        return context.matcher(text.substring(Math.max(0, m.start() - 12), m.start()))
                .find();
    }

    private static boolean near(String text, Matcher m, Pattern context) {
        int from = Math.max(0, m.start() - 40);
        int to = Math.min(text.length(), m.end() + 20);
        return context.matcher(text.substring(from, to)).find();
    }

    /** Earlier-listed, longer findings win where spans overlap. */
    private static List<Finding> withoutOverlaps(List<Finding> all) {
        List<Finding> kept = new ArrayList<>();
        for (Finding f : all) {
            boolean overlaps = kept.stream().anyMatch(k -> f.start() < k.end() && k.start() < f.end());
            if (!overlaps) {
                kept.add(f);
            }
        }
        kept.sort(Comparator.comparingInt(Finding::start));
        return kept;
    }

    static String digits(String s) {
        StringBuilder d = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            if (Character.isDigit(s.charAt(i))) {
                d.append(s.charAt(i));
            }
        }
        return d.toString();
    }

    /** The Luhn checksum of a card number (12 to 19 digits). */
    static boolean luhnValid(String digits) {
        if (digits.length() < 12 || digits.length() > 19) {
            return false;
        }
        int sum = 0;
        boolean twice = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (twice) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            twice = !twice;
        }
        return sum % 10 == 0;
    }

    /** Spanish DNI/NIE: the letter is the number modulo 23 in the table of the Spanish interior ministry. */
    static boolean dniValid(String raw) {
        String s = raw.replace("-", "");
        String number = s.substring(0, s.length() - 1);
        char letter = s.charAt(s.length() - 1);
        char first = number.charAt(0);
        if (first == 'X' || first == 'Y' || first == 'Z') {
            if (number.length() != 8) {
                return false;
            }
            number = (first - 'X') + number.substring(1);
        } else if (number.length() != 8) {
            return false;
        }
        return "TRWAGMYFPDXBNJZSQVHLCKE".charAt((int) (Long.parseLong(number) % 23)) == letter;
    }

    /** French NIR: the key is 97 minus the first 13 digits modulo 97 (Corsican 2A/2B never reach here: digits only). */
    static boolean nirValid(String digits) {
        if (digits.length() != 15) {
            return false;
        }
        long number = Long.parseLong(digits.substring(0, 13));
        int key = Integer.parseInt(digits.substring(13));
        return key == 97 - (number % 97);
    }

    /** Dutch BSN: the "eleven test" (weights 9..2, and -1 for the last digit). */
    static boolean bsnValid(String d) {
        int sum = 0;
        for (int i = 0; i < 8; i++) {
            sum += (9 - i) * (d.charAt(i) - '0');
        }
        sum -= d.charAt(8) - '0';
        return sum % 11 == 0 && !d.startsWith("000");
    }

    /** German Steuer-ID: no leading zero, and the ISO 7064 MOD 11,10 check digit. */
    static boolean steuerIdValid(String d) {
        if (d.charAt(0) == '0') {
            return false;
        }
        int product = 10;
        for (int i = 0; i < 10; i++) {
            int sum = (d.charAt(i) - '0' + product) % 10;
            if (sum == 0) {
                sum = 10;
            }
            product = (sum * 2) % 11;
        }
        int check = 11 - product;
        return (check == 10 ? 0 : check) == d.charAt(10) - '0';
    }

    /** ISO 13616: move the first four characters to the end, letters to 10..35, the number mod 97 must be 1. */
    static boolean ibanValid(String iban) {
        String s = iban.replace(" ", "").toUpperCase(Locale.ROOT);
        if (s.length() < 15 || s.length() > 34) {
            return false;
        }
        String rearranged = s.substring(4) + s.substring(0, 4);
        int remainder = 0;
        for (int i = 0; i < rearranged.length(); i++) {
            char c = rearranged.charAt(i);
            int value = Character.isDigit(c) ? c - '0' : Character.isLetter(c) ? c - 'A' + 10 : -1;
            if (value < 0) {
                return false;
            }
            remainder = value < 10 ? (remainder * 10 + value) % 97 : (remainder * 100 + value) % 97;
        }
        return remainder == 1;
    }

    /** SSA rules: area not 000, 666 or 900-999; group not 00; serial not 0000. */
    static boolean ssnValid(String area, String group, String serial) {
        int a = Integer.parseInt(area);
        return a != 0 && a != 666 && a < 900 && !group.equals("00") && !serial.equals("0000");
    }
}

package dev.airlock.pii;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import java.util.regex.Pattern;

/**
 * Phone numbers without a context word, where the shape alone says "phone": an international number with a leading
 * {@code +} (or {@code 00}) whose length libphonenumber (Google's metadata for every numbering plan) finds possible
 * for its country code, or a North American number written {@code (NNN) NNN-NNNN}, {@code NNN-NNN-NNNN} or
 * {@code NNN.NNN.NNNN} (optionally after {@code +1} or {@code 001}, with an extension). Length, not assignment, is
 * checked: a number from a range not yet issued is still a person's data when it is written as a phone number. Other
 * national formats ({@code 089 72 63 41}) look like amounts and references, so they need a context word.
 */
final class Phones {

    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
    private static final Pattern NORTH_AMERICAN =
            Pattern.compile("(?:(?:\\+|00)?1[ .-]?)?(?:\\(\\d{3}\\)\\s?|\\d{3}[.-])\\d{3}[.-]\\d{4}"
                    + "(?:\\s?(?:x|ext\\.?)\\s?\\d{1,5})?");

    private Phones() {}

    /** Whether {@code candidate} is a phone number by its shape alone. */
    static boolean unambiguous(String candidate) {
        String s = candidate.strip();
        try {
            if (NORTH_AMERICAN.matcher(s).matches()) {
                return UTIL.isPossibleNumber(UTIL.parse(s.startsWith("00") ? "+" + s.substring(2) : s, "US"));
            }
            if (s.startsWith("+")) {
                return UTIL.isPossibleNumber(UTIL.parse(s, "ZZ"));
            }
            if (s.startsWith("00")) {
                return UTIL.isPossibleNumber(UTIL.parse("+" + s.substring(2), "ZZ"));
            }
        } catch (NumberParseException e) {
            return false;
        }
        return false;
    }
}

package dev.airlock.pii;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import java.util.regex.Pattern;

/**
 * Phone numbers without a context word, where the shape alone says "phone": an international number with a leading
 * {@code +} (or {@code 00}) that libphonenumber (Google's metadata for every numbering plan) finds valid, or a North
 * American number written {@code (NNN) NNN-NNNN}, {@code NNN-NNN-NNNN} or {@code NNN.NNN.NNNN} that is valid for
 * the US or Canada. Other national formats need a context word ("phone", "call", ...).
 */
final class Phones {

    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
    private static final Pattern NORTH_AMERICAN = Pattern.compile(
            "(?:\\+?1[ .-]?)?(?:\\(\\d{3}\\)\\s?|\\d{3}[.-])\\d{3}[.-]\\d{4}(?:\\s?(?:x|ext\\.?)\\s?\\d{1,5})?");

    private Phones() {}

    /** Whether {@code candidate} is a phone number by its shape alone. */
    static boolean unambiguous(String candidate) {
        String s = candidate.strip();
        try {
            if (s.startsWith("+")) {
                return UTIL.isValidNumber(UTIL.parse(s, "ZZ"));
            }
            if (s.startsWith("00")) {
                return UTIL.isValidNumber(UTIL.parse("+" + s.substring(2), "ZZ"));
            }
            if (NORTH_AMERICAN.matcher(s).matches()) {
                return UTIL.isValidNumber(UTIL.parse(s, "US"));
            }
        } catch (NumberParseException e) {
            return false;
        }
        return false;
    }
}

package dev.airlock.pii;

/**
 * Payment card numbers by issuer: the prefix ranges and lengths the card schemes publish (Visa, Mastercard,
 * American Express, Discover, Diners Club, JCB (with its 15-digit 1800 and 2131 ranges), UnionPay, Maestro, Mir, RuPay, Troy). A Luhn-valid number outside
 * every range is an account or reference number, not a card.
 */
final class Cards {

    private Cards() {}

    /** Whether {@code digits} (12 to 19 of them) is in an issuer's range and length, and passes Luhn. */
    static boolean valid(String digits) {
        int n = digits.length();
        return n >= 12 && n <= 19 && issued(digits, n) && PiiDetector.luhnValid(digits);
    }

    /** JCB's ranges inside the Discover network's 30-39 block, besides 3528-3589. */
    private static boolean jcbLegacy(int p4) {
        return (p4 >= 3088 && p4 <= 3094)
                || (p4 >= 3096 && p4 <= 3102)
                || (p4 >= 3112 && p4 <= 3120)
                || (p4 >= 3158 && p4 <= 3159)
                || (p4 >= 3337 && p4 <= 3349);
    }

    private static boolean issued(String d, int n) {
        int p2 = Integer.parseInt(d.substring(0, 2));
        int p3 = Integer.parseInt(d.substring(0, 3));
        int p4 = Integer.parseInt(d.substring(0, 4));
        int p6 = Integer.parseInt(d.substring(0, 6));
        boolean maestro = p2 == 50 || (p2 >= 56 && p2 <= 69);
        if (maestro && n >= 12) {
            return true;
        }
        if (d.charAt(0) == '4') {
            return n == 13 || n == 16 || n == 19;
        }
        if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) {
            return n == 16;
        }
        if (p2 == 34 || p2 == 37) {
            return n == 15;
        }
        if ((p3 >= 300 && p3 <= 305) || p2 == 36 || p2 == 38 || p2 == 39 || p4 == 3095) {
            return n >= 14;
        }
        if (p4 >= 3528 && p4 <= 3589 || jcbLegacy(p4)) {
            return n >= 16;
        }
        if (p4 == 1800 || p4 == 2131) {
            return n == 15; // JCB's 15-digit ranges
        }
        if (p4 >= 2200 && p4 <= 2204) {
            return n >= 16;
        }
        if (p2 == 81 || p2 == 82 || p3 == 508 || p6 >= 506099 && p6 <= 506198) {
            return n == 16 || n == 19;
        }
        return p4 == 9792 && n == 16;
    }
}

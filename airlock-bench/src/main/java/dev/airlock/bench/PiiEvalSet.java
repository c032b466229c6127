package dev.airlock.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Writes the generated part of the PII evaluation set ({@code eval/pii-generated.jsonl}): sentences in the styles of
 * support tickets, chat and forms, with labelled spans of valid values of each type, and look-alikes that must not
 * be found (numbers failing Luhn or mod-97, order numbers, versions, dates without a birth context). Deterministic
 * (seed 2026), then a harder part (seed 2027): cards of every issuer's lengths (12 to 19 digits), phones without a
 * context word in the shapes that need none, compressed IPv6, dates of birth in US and ISO order, and hard negatives
 * of every false-positive class seen on public text ("During 1971", amounts, order numbers, versions, timestamps).
 * Run: {@code java ... dev.airlock.bench.PiiEvalSet eval/pii-generated.jsonl}.
 */
public final class PiiEvalSet {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] FIRST = {"Anna", "Luis", "Mei", "Omar", "Sofia", "Jonas", "Priya", "Tom"};
    private static final String[] DOMAINS = {"example.com", "mail.example.org", "example.co.uk", "corp.example.net"};

    private PiiEvalSet() {}

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "eval/pii-generated.jsonl");
        Random r = new Random(2026);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            lines.add(card(r));
            lines.add(iban(r));
            lines.add(email(r));
            lines.add(phone(r));
            lines.add(ssn(r));
            lines.add(ip(r));
            lines.add(birth(r));
            lines.add(secret(r));
            lines.add(negative(r));
        }
        // the shapes that need no context word, and the false-positive classes seen on public text (seed 2027, so
        // the part above stays as it was)
        Random hard = new Random(2027);
        for (int i = 0; i < 60; i++) {
            lines.add(issuerCard(hard));
            lines.add(barePhone(hard));
            lines.add(compressedIpv6(hard));
            lines.add(usOrIsoBirth(hard));
            lines.add(hardNegative(hard, i));
        }
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        System.out.println("wrote " + lines.size() + " examples to " + out);
    }

    /** A sentence: prefix, then the value (labelled), then suffix. */
    private static String line(String prefix, String value, String type, String suffix) {
        ObjectNode node = JSON.createObjectNode();
        node.put("text", prefix + value + suffix);
        if (type != null) {
            node.putArray("entities")
                    .addObject()
                    .put("type", type)
                    .put("start", prefix.length())
                    .put("end", prefix.length() + value.length());
        } else {
            node.putArray("entities");
        }
        return node.toString();
    }

    private static String pick(Random r, String... options) {
        return options[r.nextInt(options.length)];
    }

    private static String card(Random r) {
        String prefix = pick(r, "4", "51", "52", "37", "6011");
        int length = prefix.equals("37") ? 15 : 16;
        StringBuilder digits = new StringBuilder(prefix);
        while (digits.length() < length - 1) {
            digits.append(r.nextInt(10));
        }
        digits.append(luhnDigit(digits.toString()));
        String d = digits.toString();
        String shown = switch (r.nextInt(3)) {
            case 0 -> d;
            case 1 -> length == 16 ? group(d, " ", 4, 4, 4, 4) : group(d, " ", 4, 6, 5);
            default -> length == 16 ? group(d, "-", 4, 4, 4, 4) : group(d, "-", 4, 6, 5);
        };
        return line(
                pick(r, "Please charge my card ", "card number: ", "I paid with ", "CC "),
                shown,
                "card",
                pick(r, " thanks", ".", " (exp 09/28)", ""));
    }

    private static String iban(Random r) {
        String country = pick(r, "DE", "FR", "NL", "GB", "ES");
        int bbanLength = switch (country) {
            case "DE" -> 18;
            case "FR" -> 23;
            case "NL" -> 14;
            case "GB" -> 18;
            default -> 20;
        };
        StringBuilder bban = new StringBuilder();
        if (country.equals("NL") || country.equals("GB")) {
            for (int i = 0; i < 4; i++) {
                bban.append((char) ('A' + r.nextInt(26)));
            }
        }
        while (bban.length() < bbanLength) {
            bban.append(r.nextInt(10));
        }
        String iban = country + checkDigits(country, bban.toString()) + bban;
        String shown = r.nextBoolean() ? iban : iban.replaceAll("(.{4})(?!$)", "$1 ");
        return line(
                pick(r, "IBAN: ", "transfer it to ", "my account is ", "Kontonummer "),
                shown,
                "iban",
                pick(r, ".", " please", "", " asap"));
    }

    private static String email(Random r) {
        String user = FIRST[r.nextInt(FIRST.length)].toLowerCase() + pick(r, ".", "_", "") + (100 + r.nextInt(900));
        String value = user + "@" + DOMAINS[r.nextInt(DOMAINS.length)];
        return line(
                pick(r, "reach me at ", "email: ", "cc ", "send it to "),
                value,
                "email",
                pick(r, " today", ".", "", " or call"));
    }

    private static String phone(Random r) {
        String value = switch (r.nextInt(3)) {
            case 0 -> "+44 20 " + (7000 + r.nextInt(999)) + " " + (1000 + r.nextInt(8999));
            case 1 -> "+1 (" + (200 + r.nextInt(700)) + ") " + (200 + r.nextInt(700)) + "-" + (1000 + r.nextInt(8999));
            default -> "+49 30 " + (10000000 + r.nextInt(89999999));
        };
        return line(
                pick(r, "call me on ", "my phone: ", "tel ", "WhatsApp "),
                value,
                "phone",
                pick(r, " after 5pm", ".", "", " (mobile)"));
    }

    private static String ssn(Random r) {
        int area = 1 + r.nextInt(898);
        if (area == 666) {
            area = 667;
        }
        String value = String.format("%03d-%02d-%04d", area, 1 + r.nextInt(98), 1 + r.nextInt(9998));
        return line(pick(r, "SSN ", "social security number: ", "my ssn is "), value, "ssn", pick(r, ".", "", " ok"));
    }

    private static String ip(Random r) {
        String value = (1 + r.nextInt(223)) + "." + r.nextInt(256) + "." + r.nextInt(256) + "." + (1 + r.nextInt(254));
        return line(
                pick(r, "login from ", "client IP ", "blocked "), value, "ip_address", pick(r, " at 10:42", ".", ""));
    }

    private static String birth(Random r) {
        int y = 1940 + r.nextInt(65);
        int m = 1 + r.nextInt(12);
        int d = 1 + r.nextInt(28);
        String value =
                r.nextBoolean() ? String.format("%d-%02d-%02d", y, m, d) : String.format("%02d/%02d/%d", d, m, y);
        return line(
                pick(r, "date of birth: ", "I was born on ", "DOB ", "birthday "),
                value,
                "date_of_birth",
                pick(r, ".", "", " in Lyon"));
    }

    private static String secret(Random r) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        StringBuilder s = new StringBuilder();
        String value;
        switch (r.nextInt(3)) {
            case 0 -> {
                for (int i = 0; i < 16; i++) {
                    s.append(alphabet.charAt(r.nextInt(alphabet.length())));
                }
                value = "AKIA" + s;
            }
            case 1 -> {
                for (int i = 0; i < 36; i++) {
                    s.append((alphabet + "abcdefghijklmnopqrstuvwxyz").charAt(r.nextInt(62)));
                }
                value = "ghp_" + s;
            }
            default -> {
                for (int i = 0; i < 40; i++) {
                    s.append((alphabet + "abcdefghijklmnopqrstuvwxyz").charAt(r.nextInt(62)));
                }
                value = "sk-proj-" + s;
            }
        }
        return line(pick(r, "here is the key ", "token=", "export KEY="), value, "secret", pick(r, "", " (rotate it)"));
    }

    /** Look-alikes that are not personal data. */
    private static String negative(Random r) {
        return switch (r.nextInt(6)) {
            case 0 -> {
                String d = "4" + (100000000000000L + (long) (r.nextDouble() * 899999999999999L));
                d = d.substring(0, 15);
                String bad = d + ((luhnDigit(d) + 1) % 10); // one off the checksum
                yield line("order reference ", bad, null, " shipped");
            }
            case 1 ->
                line(
                        "build ",
                        (1 + r.nextInt(9)) + "." + r.nextInt(20) + "." + r.nextInt(99) + "." + r.nextInt(999) + "."
                                + r.nextInt(9),
                        null,
                        " released");
            case 2 ->
                line(
                        "invoice dated ",
                        String.format("20%02d-%02d-%02d", 10 + r.nextInt(15), 1 + r.nextInt(12), 1 + r.nextInt(28)),
                        null,
                        " is due");
            case 3 ->
                line(
                        "ticket ",
                        Integer.toString(100000 + r.nextInt(899999)) + " " + (1000 + r.nextInt(8999)),
                        null,
                        " closed");
            case 4 -> line("DE89 3704 0044 0532 0130 0", Integer.toString(1 + r.nextInt(9)), null, " is a typo");
            default ->
                line(
                        "reference 000-",
                        String.format("%02d-%04d", 10 + r.nextInt(89), 1000 + r.nextInt(8999)),
                        null,
                        "");
        };
    }

    /** Issuer prefixes and lengths: Maestro 12-19, Visa 13 and 19, Diners 14, Amex 15, JCB, UnionPay 17-19, Mir. */
    private static final String[][] ISSUERS = {
        {"6759", "12"}, {"5018", "13"}, {"6304", "15"}, {"5020", "19"}, {"4", "13"}, {"4", "19"}, {"36", "14"},
        {"34", "15"}, {"3530", "16"}, {"6212", "17"}, {"6221", "19"}, {"2200", "16"}, {"2221", "16"}, {"65", "16"},
        {"1800", "15"}
    };

    private static String issuerCard(Random r) {
        String[] issuer = ISSUERS[r.nextInt(ISSUERS.length)];
        int length = Integer.parseInt(issuer[1]);
        StringBuilder digits = new StringBuilder(issuer[0]);
        while (digits.length() < length - 1) {
            digits.append(r.nextInt(10));
        }
        digits.append(luhnDigit(digits.toString()));
        String d = digits.toString();
        String shown = length == 16 && r.nextBoolean() ? group(d, " ", 4, 4, 4, 4) : d;
        return line(
                pick(r, "Card on file: ", "please refund ", "paid by ", "The number is "),
                shown,
                "card",
                pick(r, ".", " thanks", "", " (debit)"));
    }

    /** Phones with no context word: North American shapes and international numbers of several countries. */
    private static String barePhone(Random r) {
        String nxx = Integer.toString(200 + r.nextInt(700));
        String area = Integer.toString(200 + r.nextInt(700));
        String line = String.format("%04d", r.nextInt(10_000));
        String value = switch (r.nextInt(7)) {
            case 0 -> "(" + area + ") " + nxx + "-" + line;
            case 1 -> area + "-" + nxx + "-" + line;
            case 2 -> area + "." + nxx + "." + line;
            case 3 ->
                "+33 6 "
                        + String.format(
                                "%02d %02d %02d %02d", r.nextInt(100), r.nextInt(100), r.nextInt(100), r.nextInt(100));
            case 4 -> "+61 4" + String.format("%02d %03d %03d", r.nextInt(100), r.nextInt(1000), r.nextInt(1000));
            case 5 -> "+81 90-" + String.format("%04d-%04d", r.nextInt(10_000), r.nextInt(10_000));
            default -> "+1-" + area + "-" + nxx + "-" + line + "x" + (10 + r.nextInt(900));
        };
        return line(
                pick(r, "Reach me at ", "You can find me on ", "Best number is ", "Or try "),
                value,
                "phone",
                pick(r, " after six.", ".", "", " tomorrow"));
    }

    private static String compressedIpv6(Random r) {
        String a = Integer.toHexString(0x1000 + r.nextInt(0xe000));
        String b = Integer.toHexString(r.nextInt(0x10000));
        String c = Integer.toHexString(1 + r.nextInt(0xffff));
        String value = switch (r.nextInt(5)) {
            case 0 -> "2001:db8::" + c;
            case 1 -> "fe80::" + b + ":" + c;
            case 2 -> a + ":" + b + "::" + c;
            case 3 ->
                "::ffff:" + (1 + r.nextInt(223)) + "." + r.nextInt(256) + "." + r.nextInt(256) + "."
                        + (1 + r.nextInt(254));
            default -> a + "::" + b + ":" + c + ":1";
        };
        return line(
                pick(r, "login from ", "the client ", "blocked ", "source address "),
                value,
                "ip_address",
                pick(r, ".", " at 10:42", ""));
    }

    private static final String[] MONTHS = {
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December"
    };

    private static String usOrIsoBirth(Random r) {
        int y = 1940 + r.nextInt(65);
        int m = 1 + r.nextInt(12);
        int d = 1 + r.nextInt(28);
        String value = switch (r.nextInt(4)) {
            case 0 -> String.format("%02d/%02d/%d", m, d, y);
            case 1 -> String.format("%d/%02d/%02d", y, m, d);
            case 2 -> MONTHS[m - 1] + " " + d + ", " + y;
            default -> String.format("%d-%02d-%02d", y, m, d);
        };
        return line(
                pick(r, "Born ", "My date of birth is ", "DOB: ", "He was born on ", "birthday "),
                value,
                "date_of_birth",
                pick(r, ".", "", " in Ohio"));
    }

    /** Look-alikes of every false-positive class seen on public text; none is personal data. */
    private static String hardNegative(Random r, int i) {
        int year = 1950 + r.nextInt(70);
        return switch (i % 10) {
            case 0 ->
                line(
                        pick(r, "During ", "Since ", "In ", "By ", "After "),
                        Integer.toString(year),
                        null,
                        pick(r, " the bank opened a branch.", " Main Street was rebuilt.", " rates rose."));
            case 1 ->
                line(
                        "The transfer of ",
                        String.format("%,d.%02d", 1000 + r.nextInt(9_000_000), r.nextInt(100)),
                        null,
                        pick(r, " EUR was declined.", " USD cleared."));
            case 2 ->
                line(
                        pick(r, "Order ", "Invoice #", "Tracking number ", "Ref. "),
                        (200 + r.nextInt(700)) + "-" + (200 + r.nextInt(700)) + "-"
                                + String.format("%04d", r.nextInt(10_000)),
                        null,
                        " shipped.");
            case 3 ->
                line(
                        "Upgrade to version ",
                        (1 + r.nextInt(9)) + "." + r.nextInt(30) + "." + r.nextInt(99),
                        null,
                        " before Friday.");
            case 4 ->
                line(
                        "Logged at ",
                        String.format(
                                "%d-%02d-%02dT%02d:%02d:%02dZ",
                                2020 + r.nextInt(6),
                                1 + r.nextInt(12),
                                1 + r.nextInt(28),
                                r.nextInt(24),
                                r.nextInt(60),
                                r.nextInt(60)),
                        null,
                        " by the scheduler.");
            case 5 ->
                line(
                        "The meeting starts at ",
                        String.format("%02d:%02d:%02d", r.nextInt(24), r.nextInt(60), r.nextInt(60)),
                        null,
                        " sharp.");
            case 6 ->
                line(
                        "Reference number ",
                        Long.toString(100_000_000_000L + (long) (r.nextDouble() * 200_000_000_000L)),
                        null,
                        " is not a card.");
            case 7 ->
                line(
                        "Invoice dated ",
                        String.format("%02d/%02d/%d", 1 + r.nextInt(12), 1 + r.nextInt(28), 2015 + r.nextInt(10)),
                        null,
                        " is overdue.");
            case 8 -> line("The ratio was ", (1 + r.nextInt(9)) + "::" + (1 + r.nextInt(9)), null, " in the test.");
            default ->
                line(
                        "Build ",
                        (1 + r.nextInt(9)) + "." + r.nextInt(20) + "." + r.nextInt(99) + "." + r.nextInt(999),
                        null,
                        " released.");
        };
    }

    private static String group(String d, String sep, int... sizes) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        for (int size : sizes) {
            if (at > 0) {
                out.append(sep);
            }
            out.append(d, at, at + size);
            at += size;
        }
        return out.toString();
    }

    private static int luhnDigit(String partial) {
        int sum = 0;
        boolean twice = true;
        for (int i = partial.length() - 1; i >= 0; i--) {
            int d = partial.charAt(i) - '0';
            if (twice) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            twice = !twice;
        }
        return (10 - sum % 10) % 10;
    }

    private static String checkDigits(String country, String bban) {
        String rearranged = bban + country + "00";
        int remainder = 0;
        for (char c : rearranged.toCharArray()) {
            String v = Character.isDigit(c) ? String.valueOf(c) : Integer.toString(c - 'A' + 10);
            for (char x : v.toCharArray()) {
                remainder = (remainder * 10 + (x - '0')) % 97;
            }
        }
        return String.format("%02d", 98 - remainder);
    }
}

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
 * (seed 2026). Run: {@code java ... dev.airlock.bench.PiiEvalSet eval/pii-generated.jsonl}.
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

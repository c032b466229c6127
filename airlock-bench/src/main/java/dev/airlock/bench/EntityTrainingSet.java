package dev.airlock.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import net.datafaker.Faker;

/**
 * Writes the generated part of the entity tagger's training set ({@code eval/ner-train-generated.jsonl}): sentences
 * in the styles of support tickets, letters, forms and signatures, with people's names and street addresses of
 * fourteen locales drawn from Datafaker (Apache-2.0), labelled {@code person_name} and {@code postal_address}; some
 * lower- or upper-cased as people type them; and sentences with companies, cities, products, years and amounts that
 * are neither. Public named-entity sets label persons but hardly ever street addresses, so addresses are learnt from
 * here. Deterministic (seed 2026). Run: {@code java ... dev.airlock.bench.EntityTrainingSet
 * eval/ner-train-generated.jsonl}.
 */
public final class EntityTrainingSet {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] LOCALES = {
        "en-US", "en-GB", "de", "fr", "es", "it", "nl", "sv", "da-DK", "nb-NO", "fi-FI", "pl", "pt", "hu"
    };

    private EntityTrainingSet() {}

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "eval/ner-train-generated.jsonl");
        int rows = args.length > 1 ? Integer.parseInt(args[1]) : 3000;
        Random r = new Random(2026);
        List<Faker> fakers = new ArrayList<>();
        for (String locale : LOCALES) {
            fakers.add(new Faker(Locale.forLanguageTag(locale), new Random(r.nextLong())));
        }
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            lines.add(sentence(fakers.get(r.nextInt(fakers.size())), r).toString());
        }
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        System.out.println("wrote " + lines.size() + " examples to " + out);
    }

    /** A text built from parts, each either plain or labelled with a type. */
    private static final class Text {
        private final StringBuilder text = new StringBuilder();
        private final ArrayNode entities = JSON.createArrayNode();

        Text plain(String s) {
            text.append(s);
            return this;
        }

        Text entity(String type, String value) {
            int start = text.length();
            text.append(value);
            entities.addObject().put("type", type).put("start", start).put("end", text.length());
            return this;
        }

        Text cased(Random r) {
            int roll = r.nextInt(10);
            String s = text.toString();
            String changed = roll == 0 ? s.toLowerCase(Locale.ROOT) : roll == 1 ? s.toUpperCase(Locale.ROOT) : s;
            if (changed.length() == s.length()) {
                text.setLength(0);
                text.append(changed);
            }
            return this;
        }

        @Override
        public String toString() {
            ObjectNode node = JSON.createObjectNode();
            node.put("text", text.toString());
            node.set("entities", entities);
            node.put("source", "ner-generated");
            node.putArray("types").add("person_name").add("postal_address");
            return node.toString();
        }
    }

    private static String pick(Random r, String... options) {
        return options[r.nextInt(options.length)];
    }

    private static String name(Faker f, Random r) {
        return switch (r.nextInt(6)) {
            case 0 -> f.name().firstName();
            case 1 -> f.name().lastName();
            case 2 -> f.name().nameWithMiddle();
            default -> f.name().fullName();
        };
    }

    private static String address(Faker f, Random r) {
        String street = f.address().streetAddress();
        return switch (r.nextInt(6)) {
            case 0 -> street;
            case 1 -> street + " " + f.address().secondaryAddress();
            case 2 -> street + ", " + f.address().city();
            case 3 -> street + ", " + f.address().zipCode() + " " + f.address().city();
            case 4 -> street + "\n" + f.address().city() + " " + f.address().zipCode();
            default ->
                street + "  " + f.address().secondaryAddress() + "  "
                        + f.address().city() + "  " + f.address().country() + " "
                        + f.address().zipCode();
        };
    }

    private static Text sentence(Faker f, Random r) {
        String person = name(f, r);
        String place = address(f, r);
        Text t = new Text();
        switch (r.nextInt(16)) {
            case 0 ->
                t.plain(pick(r, "My name is ", "I am ", "This is ", "Name: "))
                        .entity("person_name", person)
                        .plain(pick(r, ".", " and I need help with my account.", ", calling about the invoice."));
            case 1 ->
                t.plain(pick(r, "Please send the card to ", "Ship to ", "My address is ", "We moved to "))
                        .entity("postal_address", place)
                        .plain(pick(r, ".", "", " please", " last month."));
            case 2 ->
                t.entity("person_name", person)
                        .plain(pick(r, " lives at ", " moved to ", " is registered at "))
                        .entity("postal_address", place)
                        .plain(".");
            case 3 ->
                t.plain(pick(r, "Dear ", "Hi ", "Hello ", "Thanks, "))
                        .entity("person_name", person)
                        .plain(pick(r, ",", "!", ", your statement is ready."));
            case 4 ->
                t.plain(pick(r, "Best regards,\n", "Kind regards\n", "Cheers, ", "-- "))
                        .entity("person_name", person)
                        .plain("\n" + f.company().name());
            case 5 ->
                t.plain("Customer: ")
                        .entity("person_name", person)
                        .plain("\nAddress: ")
                        .entity("postal_address", place)
                        .plain("\nPhone: " + f.phoneNumber().phoneNumber());
            case 6 ->
                t.entity("person_name", person)
                        .plain(pick(r, " called about ", " asked for ", " disputed "))
                        .plain(pick(r, "a refund.", "the late fee.", "a card payment.", "the mortgage offer."));
            case 7 ->
                t.plain(pick(r, "The parcel for ", "A letter from ", "The claim by "))
                        .entity("person_name", person)
                        .plain(pick(r, " was returned from ", " came from "))
                        .entity("postal_address", place)
                        .plain(".");
            case 8 ->
                t.plain(pick(r, "Our office at ", "The branch at ", "Visit us at "))
                        .entity("postal_address", place)
                        .plain(pick(r, " is closed on Monday.", " opens at 9.", "."));
            case 9 ->
                t.plain(f.company().name() + pick(r, " opened a branch in ", " moved its offices to ")
                        + f.address().city() + pick(r, " in ", " during ") + (1950 + r.nextInt(75)) + ".");
            case 10 ->
                t.plain(pick(r, "During ", "Since ", "In ", "By ")
                        + (1950 + r.nextInt(75))
                        + pick(r, " the bank grew to ", " rates rose by ", " we served ")
                        + (2 + r.nextInt(900))
                        + pick(
                                r,
                                " branches.",
                                " percent.",
                                " customers in " + f.address().country() + "."));
            case 11 ->
                t.plain("Order " + (100000 + r.nextInt(900000)) + pick(r, " of ", " for ")
                        + f.commerce().productName() + " ships from "
                        + f.address().city() + " on "
                        + String.format("%d-%02d-%02d", 2015 + r.nextInt(10), 1 + r.nextInt(12), 1 + r.nextInt(28))
                        + ".");
            case 12 ->
                t.plain(pick(r, "Transfer ", "Refund ", "Charge ") + (10 + r.nextInt(9000)) + "."
                        + (10 + r.nextInt(89)) + pick(r, " EUR", " USD", " GBP") + pick(r, " to ", " from ")
                        + f.company().name() + pick(r, ".", " in " + f.address().country() + "."));
            case 13 ->
                t.plain(pick(r, "Contact ", "Ask ", "cc "))
                        .entity("person_name", person)
                        .plain(pick(r, " at ", " in "))
                        .plain(f.company().name() + ".");
            case 14 -> t.entity("person_name", person).plain("\n").entity("postal_address", place);
            default ->
                t.plain(pick(r, "The ", "Our ", "Your ")
                        + f.commerce().productName()
                        + pick(r, " costs ", " was ordered for ")
                        + f.commerce().price()
                        + pick(r, " EUR.", " USD."));
        }
        return t.cased(r);
    }
}

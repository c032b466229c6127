package dev.airlock.server.http;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airlock.decision.Stop;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The one parser of JSON request bodies: exactly one JSON object (nothing after it), within Jackson's limits, and no
 * text a store cannot hold — a U+0000 character in any string or key is refused with 400 naming its JSON path, so
 * both stores (PostgreSQL cannot keep NUL in text) see the same requests. An unpaired surrogate
 * ({@code \ud800}), which is not Unicode and has no UTF-8 form, is refused the same way.
 */
final class JsonBody {
    static final String UNSTORABLE = "unstorable_text";

    private final ObjectReader reader;

    JsonBody(ObjectMapper json) {
        // trailing content is checked after the value (hasMore) rather than with FAIL_ON_TRAILING_TOKENS, whose
        // failure cannot be told apart from invalid JSON and so could not be explained to the caller
        // a key sent twice is refused rather than silently decided by its last value
        this.reader = json.reader().with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
    }

    /**
     * The body as a JSON object.
     *
     * @param emptyIsObject whether an empty body means {@code {}} (admin routes whose fields are all optional)
     * @param stage the stage named in the refusal
     */
    ObjectNode object(byte[] body, boolean emptyIsObject, String stage) {
        if (isBlank(body)) {
            if (emptyIsObject) {
                return JsonNodeFactory.instance.objectNode();
            }
            throw invalid(stage, "The request body is empty; expected a JSON object.");
        }
        int invalid = invalidUtf8At(body);
        if (invalid >= 0) {
            throw invalid(
                    stage,
                    "The request body is not valid UTF-8 (byte " + invalid
                            + "): send JSON encoded as UTF-8, writing other characters as \\uXXXX escapes.");
        }
        JsonNode root;
        try (JsonParser parser = reader.createParser(body)) {
            root = reader.readTree(parser);
            if (root != null && hasMore(parser)) {
                throw trailing(stage, parser);
            }
        } catch (StreamConstraintsException e) {
            throw invalid(
                    stage,
                    "The request body is beyond Airlock's JSON limits (nesting at most 1000 deep, numbers at most"
                            + " 1000 digits): " + firstSentence(e.getOriginalMessage()));
        } catch (JsonParseException e) {
            var at = e.getLocation();
            String message = e.getOriginalMessage();
            if (message != null && message.startsWith("Duplicate field '")) {
                String key = message.substring("Duplicate field ".length());
                throw invalid(
                        stage,
                        "The request body names " + key + " more than once (line " + at.getLineNr() + ", column "
                                + at.getColumnNr() + "); send each field once.");
            }
            throw invalid(
                    stage,
                    "The request body is not valid JSON (line " + at.getLineNr() + ", column " + at.getColumnNr()
                            + "): " + e.getOriginalMessage());
        } catch (IOException e) {
            throw invalid(stage, "The request body could not be read as JSON.");
        }
        if (root == null || !root.isObject()) {
            throw invalid(stage, "The request body must be a JSON object.");
        }
        if (mayHoldUnstorable(body)) {
            refuseUnstorable(root, "", stage);
        }
        return (ObjectNode) root;
    }

    /**
     * The offset of the first byte that is not valid UTF-8, or -1. Jackson decodes some invalid forms instead of
     * refusing them — an overlong {@code C0 80} becomes U+0000, and four-byte forms past U+10FFFF become lone
     * surrogates — which would carry text no store can hold past the checks below; the JDK's decoder refuses them all.
     */
    private static int invalidUtf8At(byte[] body) {
        int ascii = 0;
        while (ascii < body.length && body[ascii] >= 0) {
            ascii++;
        }
        if (ascii == body.length) {
            return -1;
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(body, ascii, body.length - ascii);
        CharBuffer out = CharBuffer.allocate(4096);
        while (true) {
            CoderResult result = decoder.decode(in, out, true);
            if (result.isError()) {
                return in.position();
            }
            if (result.isUnderflow()) {
                return -1;
            }
            out.clear();
        }
    }

    /** Whether anything but whitespace follows the value: a second value, or bytes that are not JSON at all. */
    private static boolean hasMore(JsonParser parser) throws IOException {
        try {
            return parser.nextToken() != null;
        } catch (JsonParseException notJson) {
            return true;
        }
    }

    private static Stop.Stopped trailing(String stage, JsonParser parser) {
        var at = parser.currentTokenLocation();
        return invalid(
                stage,
                "The request body has more after the JSON object (line " + at.getLineNr() + ", column "
                        + at.getColumnNr() + "); send exactly one JSON object.");
    }

    /**
     * A NUL or an unpaired surrogate reaches a parsed string only through an escape ({@code \u0000}, {@code \ud800})
     * or the bytes UTF-8 would use for a surrogate (lead byte 0xED); bodies without them need no walk.
     */
    private static boolean mayHoldUnstorable(byte[] body) {
        for (int i = 0; i < body.length; i++) {
            if (body[i] == (byte) 0xED) {
                return true;
            }
            if (body[i] == '\\' && i + 2 < body.length && body[i + 1] == 'u') {
                byte next = body[i + 2];
                if (next == '0' || next == 'd' || next == 'D') {
                    return true;
                }
            }
        }
        return false;
    }

    private static void refuseUnstorable(JsonNode node, String path, String stage) {
        if (node.isTextual()) {
            if (!storable(node.textValue())) {
                throw unstorable(stage, path.isEmpty() ? null : path);
            }
        } else if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                String child = (path.isEmpty() ? "" : path + ".") + shown(field.getKey());
                if (!storable(field.getKey())) {
                    throw unstorable(stage, child);
                }
                refuseUnstorable(field.getValue(), child, stage);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                refuseUnstorable(node.get(i), path + "[" + i + "]", stage);
            }
        }
    }

    /** Whether a store can hold the text: no U+0000 and no unpaired surrogate (not Unicode, not encodable as UTF-8). */
    static boolean storable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\0') {
                return false;
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /** A name as it can be shown in an error: what cannot be stored is written as its escape. */
    static String shown(String name) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < name.length() && Character.isLowSurrogate(name.charAt(i + 1))) {
                out.append(c).append(name.charAt(++i));
            } else if (c == '\0' || Character.isSurrogate(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * 400 for text a store cannot keep (U+0000, or an unpaired surrogate): {@code where} names the field, header or
     * parameter.
     */
    static Stop.Stopped unstorable(String stage, @Nullable String where) {
        return new Stop(
                        stage,
                        400,
                        "invalid_request_error",
                        UNSTORABLE,
                        "'" + where + "' contains text Airlock cannot store: the character U+0000 (NUL) or an unpaired"
                                + " UTF-16 surrogate such as \\ud800; remove it.",
                        where)
                .toException();
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }

    private static String firstSentence(String message) {
        int cut = message.indexOf(" (");
        return cut > 0 ? message.substring(0, cut) : message;
    }

    private static Stop.Stopped invalid(String stage, String message) {
        return Stop.invalid(stage, null, message).toException();
    }
}

package app.miosa.gateway.api;

import app.miosa.gateway.failure.Failure;
import app.miosa.gateway.failure.GatewayException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParsingException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads request bodies as JSON objects and their fields with messages that name the field at
 * fault. Every failure is a {@link Failure#MALFORMED_REQUEST}.
 */
final class JsonBodies {
  /**
   * The JSON-P provider, looked up once. {@code Json.createX} looks the provider up on every call,
   * which searches the server's jars and took a large share of the time to mint a ticket.
   */
  static final JsonProvider JSON = JsonProvider.provider();

  /** Largest request body read; real ones are well under 1 KiB. */
  static final int MAX_BODY_BYTES = 64 * 1024;

  private JsonBodies() {}

  /** Reads a JSON object; an empty body is an empty object. */
  static JsonObject readObject(InputStream body) {
    String text = readText(body);
    if (text.isBlank()) {
      return JsonValue.EMPTY_JSON_OBJECT;
    }

    JsonValue value = parse(text);
    if (value.getValueType() != JsonValue.ValueType.OBJECT) {
      throw malformed("The body must be a JSON object, not " + describe(value));
    }
    return value.asJsonObject();
  }

  /** Parses exactly one JSON value; anything after it is an error. */
  private static JsonValue parse(String text) {
    try (JsonParser parser = JSON.createParser(new StringReader(text))) {
      parser.next();
      JsonValue value = parser.getValue();
      if (parser.hasNext()) {
        parser.next();
        throw malformed("The body has data after its JSON value");
      }
      return value;
    } catch (JsonParsingException e) {
      throw malformed(
          "The body is not valid JSON: error at line "
              + e.getLocation().getLineNumber()
              + ", column "
              + e.getLocation().getColumnNumber());
    } catch (GatewayException e) {
      throw e;
    } catch (RuntimeException e) {
      // Parsson raises plain runtime exceptions for nesting deeper than 1000 levels and for
      // numbers of more than 1100 digits.
      throw malformed("The body is not valid JSON: " + e.getMessage());
    }
  }

  /**
   * Rejects fields outside {@code known}, so a misspelt field such as {@code readonly} is an
   * error instead of being ignored.
   */
  static void rejectUnknownFields(JsonObject body, Set<String> known) {
    for (String field : body.keySet()) {
      if (!known.contains(field)) {
        throw malformed(
            "Field '" + field + "' is not known; the fields are " + new TreeSet<>(known));
      }
    }
  }

  static Optional<Boolean> optionalBoolean(JsonObject body, String field) {
    JsonValue value = body.get(field);
    if (value == null || value == JsonValue.NULL) {
      return Optional.empty();
    }
    if (value == JsonValue.TRUE) {
      return Optional.of(true);
    }
    if (value == JsonValue.FALSE) {
      return Optional.of(false);
    }
    throw malformed("Field '" + field + "' must be true or false, not " + describe(value));
  }

  static Optional<Long> optionalWholeNumber(JsonObject body, String field) {
    JsonValue value = body.get(field);
    if (value == null || value == JsonValue.NULL) {
      return Optional.empty();
    }
    if (value.getValueType() != JsonValue.ValueType.NUMBER
        || !((JsonNumber) value).isIntegral()) {
      throw malformed("Field '" + field + "' must be a whole number, not " + describe(value));
    }
    try {
      return Optional.of(((JsonNumber) value).longValueExact());
    } catch (ArithmeticException e) {
      throw malformed("Field '" + field + "' is out of range: " + value);
    }
  }

  static Optional<String> optionalString(JsonObject body, String field, int maxLength) {
    JsonValue value = body.get(field);
    if (value == null || value == JsonValue.NULL) {
      return Optional.empty();
    }
    if (value.getValueType() != JsonValue.ValueType.STRING) {
      throw malformed("Field '" + field + "' must be a string, not " + describe(value));
    }
    String text = ((JsonString) value).getString();
    if (text.length() > maxLength) {
      throw malformed(
          "Field '"
              + field
              + "' has "
              + text.length()
              + " characters; the maximum is "
              + maxLength);
    }
    if (text.indexOf('\0') >= 0) {
      // PostgreSQL cannot store NUL in text, and no name or attribution needs it.
      throw malformed("Field '" + field + "' contains a NUL character");
    }
    return Optional.of(text);
  }

  static String requiredString(JsonObject body, String field, int maxLength) {
    return optionalString(body, field, maxLength)
        .orElseThrow(() -> malformed("Field '" + field + "' is required"));
  }

  static GatewayException malformed(String detail) {
    return new GatewayException(Failure.MALFORMED_REQUEST, detail);
  }

  private static String readText(InputStream body) {
    if (body == null) {
      return "";
    }
    try {
      byte[] bytes = body.readNBytes(MAX_BODY_BYTES + 1);
      if (bytes.length > MAX_BODY_BYTES) {
        throw malformed("The body is larger than " + MAX_BODY_BYTES + " bytes");
      }
      return StandardCharsets.UTF_8
          .newDecoder()
          .decode(java.nio.ByteBuffer.wrap(bytes))
          .toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      throw malformed("The body is not valid UTF-8");
    } catch (IOException e) {
      throw malformed("The body could not be read: " + e.getMessage());
    }
  }

  private static String describe(JsonValue value) {
    switch (value.getValueType()) {
      case STRING:
        return "a string";
      case NUMBER:
        return "the number " + value;
      case TRUE:
      case FALSE:
        return value.toString();
      case ARRAY:
        return "an array";
      case OBJECT:
        return "an object";
      default:
        return "null";
    }
  }
}

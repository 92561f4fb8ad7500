package app.miosa.gateway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.miosa.gateway.failure.Failure;
import app.miosa.gateway.failure.GatewayException;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonBodiesTest {

  @Test
  void emptyBodyIsEmptyObject() {
    assertSame(JsonValue.EMPTY_JSON_OBJECT, JsonBodies.readObject(body("")));
  }

  @Test
  void blankBodyIsEmptyObject() {
    assertSame(JsonValue.EMPTY_JSON_OBJECT, JsonBodies.readObject(body(" \r\n\t")));
  }

  @Test
  void absentBodyIsEmptyObject() {
    assertSame(JsonValue.EMPTY_JSON_OBJECT, JsonBodies.readObject(null));
  }

  @Test
  void readsJsonObject() {
    JsonObject json = JsonBodies.readObject(body("{\"read_only\": true, \"ttl_seconds\": 600}"));

    assertEquals(JsonValue.TRUE, json.get("read_only"));
    assertEquals(600, json.getInt("ttl_seconds"));
  }

  @Test
  void malformedJsonNamesLineAndColumn() {
    // The literal "tru" ends at the line break, the 11th character of line 2.
    GatewayException e = assertMalformed(() -> JsonBodies.readObject(body("{\n  \"a\": tru\n}")));

    assertEquals("The body is not valid JSON: error at line 2, column 11", e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"{", "{\"a\":}", "{\"a\":1,}", "{'a':1}", "{\"a\":NaN}", "\uFEFF{}"})
  void malformedJsonIsRejected(String text) {
    GatewayException e = assertMalformed(() -> JsonBodies.readObject(body(text)));

    assertTrue(e.getMessage().startsWith("The body is not valid JSON"), e.getMessage());
  }

  @Test
  void arrayBodyIsRejected() {
    GatewayException e = assertMalformed(() -> JsonBodies.readObject(body("[{\"a\":1}]")));

    assertEquals("The body must be a JSON object, not an array", e.getMessage());
  }

  @Test
  void numberBodyIsRejected() {
    GatewayException e = assertMalformed(() -> JsonBodies.readObject(body("42")));

    assertEquals("The body must be a JSON object, not the number 42", e.getMessage());
  }

  @Test
  void stringBodyIsRejected() {
    GatewayException e = assertMalformed(() -> JsonBodies.readObject(body("\"text\"")));

    assertEquals("The body must be a JSON object, not a string", e.getMessage());
  }

  @Test
  void nullBodyIsRejected() {
    GatewayException e = assertMalformed(() -> JsonBodies.readObject(body("null")));

    assertEquals("The body must be a JSON object, not null", e.getMessage());
  }

  @Test
  void dataAfterObjectIsRejected() {
    String text = "{\"read_only\": false} {\"read_only\": true}";

    assertMalformed(() -> JsonBodies.readObject(body(text)));
  }

  @Test
  void deeplyNestedBodyIsRejected() {
    String nested = "[".repeat(2000) + "]".repeat(2000);

    assertMalformed(() -> JsonBodies.readObject(body("{\"a\":" + nested + "}")));
  }

  @Test
  void numberWithTooManyDigitsIsRejected() {
    String digits = "1".repeat(2000);

    assertMalformed(() -> JsonBodies.readObject(body("{\"ttl_seconds\":" + digits + "}")));
  }

  @Test
  void bodyOfExactly64KibIsRead() {
    String prefix = "{\"a\":\"";
    String suffix = "\"}";
    String filler = "x".repeat(JsonBodies.MAX_BODY_BYTES - prefix.length() - suffix.length());

    JsonObject json = JsonBodies.readObject(body(prefix + filler + suffix));

    assertEquals(filler.length(), json.getString("a").length());
  }

  @Test
  void bodyOver64KibIsRejected() {
    String text = "{\"a\":\"" + "x".repeat(JsonBodies.MAX_BODY_BYTES) + "\"}";

    GatewayException e = assertMalformed(() -> JsonBodies.readObject(body(text)));

    assertEquals("The body is larger than 65536 bytes", e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        // 0xc3 starts a 2-byte sequence, and 0x28 '(' is not a continuation byte.
        "c3 28",
        // 0xc0 0xaf is an overlong encoding of '/'.
        "c0 af",
        // 0xff never occurs in UTF-8.
        "ff",
        // 0xed 0xa0 0x80 encodes the surrogate U+D800, which UTF-8 excludes.
        "ed a0 80",
        // A 3-byte sequence cut short by the closing quote.
        "e2 82"
      })
  void invalidUtf8IsRejected(String hexBytes) {
    byte[] bytes = jsonStringWithRawBytes(hexBytes);

    GatewayException e =
        assertMalformed(() -> JsonBodies.readObject(new ByteArrayInputStream(bytes)));

    assertEquals("The body is not valid UTF-8", e.getMessage());
  }

  @Test
  void multibyteUtf8IsDecoded() {
    JsonObject json = JsonBodies.readObject(body("{\"attribution\":\"Z\u00fcrich \u20ac\"}"));

    assertEquals("Z\u00fcrich \u20ac", json.getString("attribution"));
  }

  @Test
  void unreadableBodyIsRejected() {
    InputStream failing =
        new InputStream() {
          @Override
          public int read() throws IOException {
            throw new IOException("connection reset");
          }
        };

    GatewayException e = assertMalformed(() -> JsonBodies.readObject(failing));

    assertEquals("The body could not be read: connection reset", e.getMessage());
  }

  @Test
  void booleanFieldReadsTrueAndFalse() {
    JsonObject json = object("{\"a\":true,\"b\":false}");

    assertEquals(Optional.of(true), JsonBodies.optionalBoolean(json, "a"));
    assertEquals(Optional.of(false), JsonBodies.optionalBoolean(json, "b"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"{}", "{\"read_only\":null}"})
  void absentOrNullBooleanIsEmpty(String text) {
    assertEquals(Optional.empty(), JsonBodies.optionalBoolean(object(text), "read_only"));
  }

  @Test
  void stringForBooleanNamesField() {
    JsonObject json = object("{\"read_only\":\"true\"}");

    GatewayException e = assertMalformed(() -> JsonBodies.optionalBoolean(json, "read_only"));

    assertEquals("Field 'read_only' must be true or false, not a string", e.getMessage());
  }

  @Test
  void numberForBooleanNamesField() {
    JsonObject json = object("{\"audio\":1}");

    GatewayException e = assertMalformed(() -> JsonBodies.optionalBoolean(json, "audio"));

    assertEquals("Field 'audio' must be true or false, not the number 1", e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(longs = {0, 3600, -5, Long.MAX_VALUE, Long.MIN_VALUE})
  void wholeNumberFieldIsRead(long number) {
    JsonObject json = object("{\"ttl_seconds\":" + number + "}");

    assertEquals(Optional.of(number), JsonBodies.optionalWholeNumber(json, "ttl_seconds"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"{}", "{\"ttl_seconds\":null}"})
  void absentOrNullWholeNumberIsEmpty(String text) {
    assertEquals(Optional.empty(), JsonBodies.optionalWholeNumber(object(text), "ttl_seconds"));
  }

  @Test
  void fractionalNumberNamesField() {
    JsonObject json = object("{\"ttl_seconds\":3600.5}");

    GatewayException e =
        assertMalformed(() -> JsonBodies.optionalWholeNumber(json, "ttl_seconds"));

    assertEquals(
        "Field 'ttl_seconds' must be a whole number, not the number 3600.5", e.getMessage());
  }

  @Test
  void stringForWholeNumberNamesField() {
    JsonObject json = object("{\"ttl_seconds\":\"3600\"}");

    GatewayException e =
        assertMalformed(() -> JsonBodies.optionalWholeNumber(json, "ttl_seconds"));

    assertEquals("Field 'ttl_seconds' must be a whole number, not a string", e.getMessage());
  }

  @Test
  void booleanForWholeNumberNamesField() {
    JsonObject json = object("{\"ttl_seconds\":true}");

    GatewayException e =
        assertMalformed(() -> JsonBodies.optionalWholeNumber(json, "ttl_seconds"));

    assertEquals("Field 'ttl_seconds' must be a whole number, not true", e.getMessage());
  }

  @Test
  void wholeNumberBeyondLongRangeNamesField() {
    // One more than Long.MAX_VALUE.
    JsonObject json = object("{\"ttl_seconds\":9223372036854775808}");

    GatewayException e =
        assertMalformed(() -> JsonBodies.optionalWholeNumber(json, "ttl_seconds"));

    assertEquals("Field 'ttl_seconds' is out of range: 9223372036854775808", e.getMessage());
  }

  @Test
  void stringFieldIsRead() {
    JsonObject json = object("{\"attribution\":\"end-user 8812\"}");

    assertEquals(
        Optional.of("end-user 8812"), JsonBodies.optionalString(json, "attribution", 100));
  }

  @ParameterizedTest
  @ValueSource(strings = {"{}", "{\"attribution\":null}"})
  void absentOrNullStringIsEmpty(String text) {
    assertEquals(Optional.empty(), JsonBodies.optionalString(object(text), "attribution", 100));
  }

  @Test
  void numberForStringNamesField() {
    JsonObject json = object("{\"attribution\":8812}");

    GatewayException e =
        assertMalformed(() -> JsonBodies.optionalString(json, "attribution", 100));

    assertEquals("Field 'attribution' must be a string, not the number 8812", e.getMessage());
  }

  @Test
  void objectForStringNamesField() {
    JsonObject json = object("{\"attribution\":{\"user\":8812}}");

    GatewayException e =
        assertMalformed(() -> JsonBodies.optionalString(json, "attribution", 100));

    assertEquals("Field 'attribution' must be a string, not an object", e.getMessage());
  }

  @Test
  void stringOfMaximumLengthIsRead() {
    JsonObject json = object("{\"attribution\":\"" + "a".repeat(10) + "\"}");

    assertEquals(Optional.of("a".repeat(10)), JsonBodies.optionalString(json, "attribution", 10));
  }

  @Test
  void stringOverMaximumLengthNamesFieldAndLimit() {
    JsonObject json = object("{\"attribution\":\"" + "a".repeat(11) + "\"}");

    GatewayException e =
        assertMalformed(() -> JsonBodies.optionalString(json, "attribution", 10));

    assertEquals("Field 'attribution' has 11 characters; the maximum is 10", e.getMessage());
  }

  @Test
  void requiredStringIsRead() {
    JsonObject json = object("{\"vnc_url\":\"tcp://vnc.internal:5900\"}");

    assertEquals("tcp://vnc.internal:5900", JsonBodies.requiredString(json, "vnc_url", 512));
  }

  @ParameterizedTest
  @ValueSource(strings = {"{}", "{\"vnc_url\":null}"})
  void missingRequiredStringNamesField(String text) {
    JsonObject json = object(text);

    GatewayException e = assertMalformed(() -> JsonBodies.requiredString(json, "vnc_url", 512));

    assertEquals("Field 'vnc_url' is required", e.getMessage());
  }

  private static GatewayException assertMalformed(Runnable read) {
    GatewayException e = assertThrows(GatewayException.class, read::run);

    assertEquals(Failure.MALFORMED_REQUEST, e.failure());
    return e;
  }

  private static InputStream body(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }

  private static JsonObject object(String text) {
    try (JsonReader reader = Json.createReader(new StringReader(text))) {
      return reader.readObject();
    }
  }

  /** Returns {@code {"a":"<bytes>"}} with the given hex bytes, such as "c3 28", as the value. */
  private static byte[] jsonStringWithRawBytes(String hexBytes) {
    String[] hex = hexBytes.split(" ");
    byte[] prefix = "{\"a\":\"".getBytes(StandardCharsets.US_ASCII);
    byte[] suffix = "\"}".getBytes(StandardCharsets.US_ASCII);
    byte[] bytes = new byte[prefix.length + hex.length + suffix.length];
    System.arraycopy(prefix, 0, bytes, 0, prefix.length);
    for (int i = 0; i < hex.length; i++) {
      bytes[prefix.length + i] = (byte) Integer.parseInt(hex[i], 16);
    }
    System.arraycopy(suffix, 0, bytes, prefix.length + hex.length, suffix.length);
    return bytes;
  }

  @Test
  void unknownFieldIsRejectedWithKnownOnes() {
    JsonObject body = JsonBodies.readObject(body("{\"readonly\": true}"));

    GatewayException e =
        assertThrows(
            GatewayException.class,
            () -> JsonBodies.rejectUnknownFields(body, java.util.Set.of("read_only", "audio")));

    assertEquals(Failure.MALFORMED_REQUEST, e.failure());
    assertTrue(e.getMessage().contains("'readonly'"), e.getMessage());
    assertTrue(e.getMessage().contains("[audio, read_only]"), e.getMessage());
  }
}

package io.gatehouse.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Parses the small bodies of built-in endpoints: one JSON object (strict UTF-8, bounded nesting
 * and sizes, duplicate keys refused) or an HTML form (Netty's decoder). Every failure is a
 * {@link ProblemException}, never a parser message.
 */
public final class RequestBody {

  private static final int MAX_BYTES = Endpoint.DEFAULT_MAX_BODY_BYTES;

  private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(8).maxStringLength(MAX_BYTES)
          .maxNumberLength(32).build())
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build());

  private RequestBody() {
  }

  /** The body as one JSON object, or a 400 problem. */
  public static ObjectNode jsonObject(byte[] body) {
    try {
      JsonNode node = JSON.readTree(body);
      if (node instanceof ObjectNode object) {
        return object;
      }
    } catch (IOException | RuntimeException e) {
      // malformed JSON, invalid UTF-8, too deep, too long, duplicate key: all the same answer
    }
    throw new ProblemException(Problem.BAD_REQUEST.withDetail("The request body must be one JSON object."));
  }

  /**
   * An optional string field of a JSON object: null when absent or JSON null; a 400 naming the
   * field when it is another type.
   */
  public static String string(ObjectNode object, String field) {
    JsonNode value = object.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw new ProblemException(Problem.invalidField(field, "must be a string"));
    }
    return value.textValue();
  }

  /** An optional list of strings: null when absent; a 400 naming the field when it is another type. */
  public static List<String> stringList(ObjectNode object, String field) {
    JsonNode value = object.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isArray()) {
      throw new ProblemException(Problem.invalidField(field, "must be a list of strings"));
    }
    List<String> out = new ArrayList<>();
    for (JsonNode item : value) {
      if (!item.isTextual()) {
        throw new ProblemException(Problem.invalidField(field, "must be a list of strings"));
      }
      out.add(item.textValue());
    }
    return List.copyOf(out);
  }

  /** An optional whole number from 1 to {@code max}: null when absent; a 400 naming the field otherwise. */
  public static Long positiveLong(ObjectNode object, String field, long max) {
    JsonNode value = object.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 1 || value.longValue() > max) {
      throw new ProblemException(Problem.invalidField(field, "must be a whole number from 1 to " + max));
    }
    return value.longValue();
  }

  /** An optional boolean: null when absent; a 400 naming the field when it is another type. */
  public static Boolean bool(ObjectNode object, String field) {
    JsonNode value = object.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isBoolean()) {
      throw new ProblemException(Problem.invalidField(field, "must be true or false"));
    }
    return value.booleanValue();
  }

  /** A required string field: a 400 naming it when absent. */
  public static String requiredString(ObjectNode object, String field) {
    String value = string(object, field);
    if (value == null) {
      throw new ProblemException(Problem.invalidField(field, "is required"));
    }
    return value;
  }

  /** The body as HTML form fields (first value of each), strict UTF-8; a 400 problem otherwise. */
  public static Map<String, String> form(byte[] body) {
    try {
      String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
      Map<String, List<String>> decoded = new QueryStringDecoder(text, StandardCharsets.UTF_8, false, 64).parameters();
      Map<String, String> fields = new HashMap<>();
      decoded.forEach((name, values) -> fields.put(name, values.get(0)));
      return fields;
    } catch (CharacterCodingException | IllegalArgumentException e) {
      throw new ProblemException(Problem.BAD_REQUEST.withDetail("The form body is not valid."));
    }
  }
}

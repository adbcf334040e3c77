package io.queststream.sample.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;

/**
 * The human-readable twin of an Avro record: one JSON object per line, fields in schema order, nullable unions
 * written as the bare value (unlike Avro's JSON encoding, which wraps them as {@code {"string": ...}}) and
 * timestamps as ISO-8601 instants.
 */
final class JsonLines {

  private final ObjectMapper mapper;

  JsonLines(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  String line(IndexedRecord record) {
    try {
      return mapper.writeValueAsString(plain(record));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Record cannot be written as JSON: " + record, e);
    }
  }

  private static Map<String, Object> plain(IndexedRecord record) {
    Map<String, Object> fields = new LinkedHashMap<>();
    for (Schema.Field field : record.getSchema().getFields()) {
      fields.put(field.name(), plainValue(record.get(field.pos())));
    }
    return fields;
  }

  private static Object plainValue(Object value) {
    if (value instanceof IndexedRecord nested) {
      return plain(nested);
    }
    if (value instanceof Instant instant) {
      return instant.toString();
    }
    if (value instanceof CharSequence text) {
      return text.toString();
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      map.forEach((key, entry) -> copy.put(key.toString(), plainValue(entry)));
      return copy;
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>();
      list.forEach(entry -> copy.add(plainValue(entry)));
      return copy;
    }
    return value;
  }
}

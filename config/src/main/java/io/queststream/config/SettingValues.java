package io.queststream.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Typed reads of settings from merged key/value pairs: an unset or blank key reads as its default. */
public record SettingValues(Map<String, String> values) {

  public SettingValues {
    values = Map.copyOf(values);
  }

  public boolean isSet(Setting s) {
    String v = values.get(s.key());
    return v != null && !v.isBlank();
  }

  public String text(Setting s) {
    String v = values.get(s.key());
    return v == null || v.isBlank() ? s.defaultValue() : v.trim();
  }

  public Optional<String> optional(Setting s) {
    String v = text(s);
    return v.isBlank() ? Optional.empty() : Optional.of(v);
  }

  /** A comma-separated list, entries trimmed, empty entries dropped. */
  public List<String> list(Setting s) {
    return Arrays.stream(text(s).split(",")).map(String::trim).filter(e -> !e.isEmpty()).toList();
  }

  public int integer(Setting s) {
    try {
      return Integer.parseInt(text(s));
    } catch (NumberFormatException e) {
      throw new ConfigException(s.key() + " must be an integer, was '" + text(s) + "'");
    }
  }

  public long longValue(Setting s) {
    try {
      return Long.parseLong(text(s));
    } catch (NumberFormatException e) {
      throw new ConfigException(s.key() + " must be an integer, was '" + text(s) + "'");
    }
  }

  public long nonNegativeLong(Setting s) {
    long value = longValue(s);
    if (value < 0) {
      throw new ConfigException(s.key() + " must not be negative, was " + value);
    }
    return value;
  }

  public double decimal(Setting s) {
    return finite(s.key(), text(s));
  }

  public float decimalFloat(Setting s) {
    return parseFloat(s.key(), text(s));
  }

  /** A duration in milliseconds, at least 1. */
  public Duration positiveDuration(Setting s) {
    long ms = longValue(s);
    if (ms < 1) {
      throw new ConfigException(s.key() + " must be positive, was " + ms);
    }
    return Duration.ofMillis(ms);
  }

  /** An ISO-8601 duration such as PT10M. */
  public Duration isoDuration(Setting s) {
    try {
      return Duration.parse(text(s));
    } catch (DateTimeParseException e) {
      throw new ConfigException(s.key() + " must be an ISO-8601 duration such as PT10M, was '" + text(s) + "'");
    }
  }

  public boolean bool(Setting s) {
    String t = text(s).toLowerCase(Locale.ROOT);
    if (!t.equals("true") && !t.equals("false")) {
      throw new ConfigException(s.key() + " must be true or false, was '" + text(s) + "'");
    }
    return Boolean.parseBoolean(t);
  }

  public static double finite(String key, String value) {
    try {
      double d = Double.parseDouble(value.trim());
      if (!Double.isFinite(d)) {
        throw new NumberFormatException();
      }
      return d;
    } catch (NumberFormatException e) {
      throw new ConfigException(key + " must be a finite number, was '" + value + "'");
    }
  }

  public static float parseFloat(String key, String value) {
    try {
      float f = Float.parseFloat(value.trim());
      if (!Float.isFinite(f)) {
        throw new NumberFormatException();
      }
      return f;
    } catch (NumberFormatException e) {
      throw new ConfigException(key + " must be a finite number, was '" + value + "'");
    }
  }
}

package io.queststream.config;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Prints catalogues: for people, every setting with its default, environment variable and meaning; or as JSON. */
public final class SettingsListing {

  private SettingsListing() {}

  public static void print(Catalogue catalogue, PrintStream out) {
    for (Setting s : catalogue.settings()) {
      out.printf("%-36s default: %-12s env: %s%n    %s%n", s.key(),
          s.defaultValue().isEmpty() ? "(none)" : s.defaultValue(), catalogue.environmentVariable(s),
          s.description());
      if (!s.formerKeys().isEmpty()) {
        out.printf("    (formerly %s, still read)%n", String.join(", ", s.formerKeys()));
      }
    }
  }

  /**
   * The catalogues as one JSON object by application name, for tools that check deployment files against the keys
   * the apps read: each with its environment prefix, prefixes, whether only keys under them are handed on, and its
   * settings (key, default, environment variable, former keys).
   */
  public static String json(Map<String, Catalogue> catalogues) {
    return catalogues.entrySet().stream()
        .map(e -> string(e.getKey()) + ":" + json(e.getValue()))
        .collect(Collectors.joining(",\n", "{\n", "\n}\n"));
  }

  private static String json(Catalogue c) {
    String settings = c.settings().stream()
        .map(s -> "{\"key\":" + string(s.key()) + ",\"default\":" + string(s.defaultValue())
            + ",\"environmentVariable\":" + string(c.environmentVariable(s))
            + ",\"formerKeys\":" + strings(s.formerKeys()) + "}")
        .collect(Collectors.joining(",\n    ", "[\n    ", "]"));
    return "{\"environmentPrefix\":" + string(c.environmentPrefix()) + ",\"prefixes\":" + strings(c.prefixes())
        + ",\"handsOnOnlyUnderPrefixes\":" + c.handsOnOnlyUnderPrefixes() + ",\"settings\":" + settings + "}";
  }

  private static String strings(List<String> values) {
    return values.stream().map(SettingsListing::string).collect(Collectors.joining(",", "[", "]"));
  }

  private static String string(String value) {
    StringBuilder b = new StringBuilder("\"");
    for (char ch : value.toCharArray()) {
      switch (ch) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        default -> b.append(ch < 0x20 ? String.format("\\u%04x", (int) ch) : String.valueOf(ch));
      }
    }
    return b.append('"').toString();
  }
}

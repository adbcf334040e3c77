package io.queststream.config;

import java.io.PrintStream;

/** Prints a catalogue: every setting with its default, environment variable and meaning. */
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
}

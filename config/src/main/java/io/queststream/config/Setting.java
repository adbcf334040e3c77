package io.queststream.config;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One application setting: its properties key, default and meaning. A key with {@value #SLUG} in it is a family of
 * keys, one per slug (e.g. moderation.attribute.&lt;slug&gt;.min).
 *
 * @param formerKeys names the key had before, still read (a file or environment that uses one keeps working)
 */
public record Setting(String key, String defaultValue, String description, List<String> formerKeys) {

  /** Stands for the variable part of a family of keys. */
  public static final String SLUG = "<slug>";

  public Setting {
    formerKeys = List.copyOf(formerKeys);
  }

  public Setting(String key, String defaultValue, String description) {
    this(key, defaultValue, description, List.of());
  }

  /** The environment variable that sets this key: prefix + key upper-cased, '.' and '-' as '_'. */
  public String environmentVariable(String prefix) {
    return variableOf(prefix, key);
  }

  /** True when this setting is a family of keys, one per slug. */
  public boolean isFamily() {
    return key.contains(SLUG);
  }

  /** The slug of {@code candidate} when it is a member of this family. */
  public Optional<String> slugOf(String candidate) {
    if (!isFamily()) {
      return Optional.empty();
    }
    String before = key.substring(0, key.indexOf(SLUG));
    String after = key.substring(key.indexOf(SLUG) + SLUG.length());
    if (candidate.startsWith(before) && candidate.endsWith(after)
        && candidate.length() > before.length() + after.length()) {
      return Optional.of(candidate.substring(before.length(), candidate.length() - after.length()));
    }
    return Optional.empty();
  }

  /** The key of this family for a slug. */
  public String withSlug(String slug) {
    return key.replace(SLUG, slug);
  }

  static String variableOf(String prefix, String key) {
    return prefix + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }
}

package io.queststream.streams.moderation;

import java.util.Locale;

/** The key of a moderation-policies record: {@code character:<character id>} or {@code tag:<card tag>}. */
public record PolicyKey(Scope scope, String subject) {

  /** Whom a policy is for; a character's own policy comes before the policies of its card's tags. */
  public enum Scope {
    CHARACTER, TAG;

    public String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public static PolicyKey parse(String key) throws InvalidPolicyException {
    int colon = key == null ? -1 : key.indexOf(':');
    if (colon < 0 || colon == key.length() - 1) {
      throw new InvalidPolicyException(InvalidPolicyException.Reason.BAD_KEY,
          "key '" + key + "' is not character:<id> or tag:<tag>");
    }
    String scope = key.substring(0, colon);
    for (Scope s : Scope.values()) {
      if (s.tag().equals(scope)) {
        return new PolicyKey(s, key.substring(colon + 1));
      }
    }
    throw new InvalidPolicyException(InvalidPolicyException.Reason.BAD_KEY,
        "key '" + key + "' has scope '" + scope + "'; the scopes are character and tag");
  }

  public static PolicyKey character(String characterId) {
    return new PolicyKey(Scope.CHARACTER, characterId);
  }

  public static PolicyKey tag(String tag) {
    return new PolicyKey(Scope.TAG, tag);
  }

  @Override
  public String toString() {
    return scope.tag() + ":" + subject;
  }
}

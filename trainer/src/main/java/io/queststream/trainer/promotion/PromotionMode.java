package io.queststream.trainer.promotion;

import io.queststream.config.ConfigException;
import java.util.Locale;

/**
 * What a version that passed the held-out gate becomes. {@code DIRECT}: the next serving version at once.
 * {@code SHADOW}: a candidate, scored alongside the serving version on live traffic, promoted only when the shadow
 * window meets the criteria (docs/shadow.md). The first version of a model has nothing to be shadowed against and
 * serves directly in either mode.
 */
public enum PromotionMode {
  DIRECT, SHADOW;

  public static PromotionMode parse(String value) {
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("promotion.mode must be direct or shadow, was '" + value + "'");
    }
  }
}

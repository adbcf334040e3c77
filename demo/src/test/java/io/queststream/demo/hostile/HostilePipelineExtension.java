package io.queststream.demo.hostile;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Hands the run's shared {@link HostilePipeline} to the static field of that type of a corpus class. */
final class HostilePipelineExtension implements BeforeAllCallback {

  @Override
  public void beforeAll(ExtensionContext context) throws IllegalAccessException {
    for (Field f : context.getRequiredTestClass().getDeclaredFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == HostilePipeline.class) {
        f.setAccessible(true);
        f.set(null, HostilePipeline.shared(context));
      }
    }
  }
}

package io.queststream.testkit;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestInstancePostProcessor;

/**
 * Starts one instance of a resource per test run (kept in the root store, closed when the run ends) and injects
 * it into fields and parameters of its type.
 */
abstract class SharedResourceExtension<R extends AutoCloseable>
    implements BeforeAllCallback, TestInstancePostProcessor, ParameterResolver {

  private final Class<R> type;

  SharedResourceExtension(Class<R> type) {
    this.type = type;
  }

  /** Starts the resource; called at most once per test run. */
  abstract R start() throws Exception;

  R shared(ExtensionContext context) {
    ExtensionContext.Store store = context.getRoot().getStore(ExtensionContext.Namespace.create(type));
    return store.getOrComputeIfAbsent(type.getName(), key -> {
      try {
        return start();
      } catch (Exception e) {
        throw new IllegalStateException("could not start " + type.getSimpleName() + ": " + e.getMessage(), e);
      }
    }, type);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws IllegalAccessException {
    inject(context.getRequiredTestClass(), null, context);
  }

  @Override
  public void postProcessTestInstance(Object testInstance, ExtensionContext context) throws IllegalAccessException {
    inject(testInstance.getClass(), testInstance, context);
  }

  private void inject(Class<?> clazz, Object instance, ExtensionContext context) throws IllegalAccessException {
    for (Class<?> c = clazz; c != null && c != Object.class; c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        boolean isStatic = Modifier.isStatic(f.getModifiers());
        if (f.getType() == type && (instance == null) == isStatic) {
          f.setAccessible(true);
          f.set(instance, shared(context));
        }
      }
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == type;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return shared(context);
  }
}

package io.queststream.testkit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives a test class a real schema registry (Apicurio, serving the Confluent API) running as a child process,
 * started once per test run. Inject it as a {@link SchemaRegistryServer} field or test method parameter.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RealSchemaRegistryExtension.class)
public @interface RealSchemaRegistry {}

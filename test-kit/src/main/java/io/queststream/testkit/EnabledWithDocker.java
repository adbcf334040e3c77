package io.queststream.testkit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the annotated tests where a Docker engine is reachable and reports them skipped elsewhere, unless the
 * environment variable {@value DockerCondition#REQUIRED} is {@code required}: then a missing engine fails them, so a
 * CI run that is meant to test the containers cannot pass without doing so.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(DockerCondition.class)
public @interface EnabledWithDocker {}

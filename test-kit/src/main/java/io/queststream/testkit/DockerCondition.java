package io.queststream.testkit;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;

/** The condition of {@link EnabledWithDocker}. */
final class DockerCondition implements ExecutionCondition {

  static final String REQUIRED = "QUEST_DOCKER_TESTS";

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    if (DockerClientFactory.instance().isDockerAvailable()) {
      return ConditionEvaluationResult.enabled("a Docker engine is reachable");
    }
    if ("required".equals(System.getenv(REQUIRED))) {
      throw new IllegalStateException(REQUIRED + "=required, but no Docker engine is reachable (DOCKER_HOST="
          + System.getenv("DOCKER_HOST") + ")");
    }
    return ConditionEvaluationResult.disabled("no Docker engine is reachable; " + REQUIRED
        + "=required makes this a failure instead");
  }
}

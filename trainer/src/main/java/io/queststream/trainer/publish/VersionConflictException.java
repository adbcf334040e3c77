package io.queststream.trainer.publish;

/** A version was about to be published under a number that is not the one after the latest committed version. */
public final class VersionConflictException extends IllegalStateException {

  public VersionConflictException(String modelName, long version, long latestCommitted) {
    super("not publishing " + modelName + " v" + version + ": the latest committed version is v" + latestCommitted
        + ", so the next one must be v" + (latestCommitted + 1));
  }
}

package io.queststream.model.api;

/** A weights record that must not score anything; the reason says which check it failed, the message why. */
public class InvalidWeightsException extends Exception {

  /** The check a weights record failed; also the machine-readable reason of its dead letter and metric. */
  public enum Reason {
    /** The record is for another model than the one this scorer serves. */
    MODEL_NAME_MISMATCH,
    /** The record carries no signature. */
    UNSIGNED,
    /** The record is signed by a key that is not trusted. */
    UNTRUSTED_KEY,
    /** The signature does not match the record's content (tampered after signing, or forged). */
    BAD_SIGNATURE,
    /** The version is not newer than the running one (versions only move forward). */
    VERSION_NOT_NEWER,
    /** Backbone id, pooling or embedding width differ from the running backbone's. */
    BACKBONE_MISMATCH,
    /** Shapes, layer chain or activation names that do not form valid heads. */
    MALFORMED,
    /** NaN or infinity in a value. */
    NON_FINITE,
    /** A finite value outside its documented bounds (including logit_scale and temperature). */
    OUT_OF_BOUNDS,
    /** Attribute names that differ from the scorer's. */
    ATTRIBUTES_MISMATCH,
    /** The heads gave non-finite, out-of-bounds or constant scores on the built-in canary turns. */
    CANARY_FAILED,
    /**
     * A candidate record under the serving key, or a serving record under the candidate key: a candidate serves
     * only once it is promoted, which publishes it again as a serving version (docs/shadow.md).
     */
    ROLE_MISMATCH
  }

  private final Reason reason;

  public InvalidWeightsException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}

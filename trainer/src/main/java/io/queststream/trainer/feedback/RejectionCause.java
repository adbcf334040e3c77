package io.queststream.trainer.feedback;

/** Why a feedback record went to the dead-letter topic; written to the cause header. */
public enum RejectionCause {
  UNDECODABLE,
  UNKNOWN_TURN,
  RATING_OUT_OF_SCALE,
  INVALID_SCALE,
  NOT_A_NUMBER,
  UNKNOWN_ATTRIBUTE,
  SAME_TURN_TWICE,
  INVALID_WEIGHT,
  EMPTY_FEEDBACK,
  DIMENSION_MISMATCH,
  /** An embedding from another backbone than the trainer's: its vectors live in a different space. */
  BACKBONE_MISMATCH,
  UNEXPECTED_TYPE
}

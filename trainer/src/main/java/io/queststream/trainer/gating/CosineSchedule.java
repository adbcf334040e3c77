package io.queststream.trainer.gating;

/** torch's CosineAnnealingLR with eta_min 0: the learning rate falls from its base to 0 over the run. */
public final class CosineSchedule {

  private CosineSchedule() {}

  public static double rate(double base, int step, int steps) {
    return base * 0.5 * (1 + Math.cos(Math.PI * step / steps));
  }
}

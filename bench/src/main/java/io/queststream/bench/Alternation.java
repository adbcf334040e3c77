package io.queststream.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Two measurements taken in turns, after one unmeasured pass of each, so that load from other processes on a shared
 * machine falls on both alike; their ratio is taken per pair of passes.
 */
public final class Alternation {

  /** One pass of a measurement; returns turns per second. */
  @FunctionalInterface
  public interface Pass {
    double turnsPerSecond() throws Exception;
  }

  /** @param ratio second / first, per pair */
  public record Result(Spread first, Spread second, Spread ratio) {}

  private Alternation() {}

  public static Result run(Pass first, Pass second, int reps) throws Exception {
    first.turnsPerSecond();
    second.turnsPerSecond();
    List<Double> a = new ArrayList<>();
    List<Double> b = new ArrayList<>();
    List<Double> ratio = new ArrayList<>();
    for (int r = 0; r < reps; r++) {
      double x = first.turnsPerSecond();
      double y = second.turnsPerSecond();
      a.add(x);
      b.add(y);
      ratio.add(y / x);
    }
    return new Result(Spread.of(a), Spread.of(b), Spread.of(ratio));
  }
}

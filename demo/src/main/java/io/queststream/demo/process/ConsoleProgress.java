package io.queststream.demo.process;

import java.io.PrintStream;
import java.time.Duration;

/** Start-up progress on one rewritten terminal line per step. */
public final class ConsoleProgress implements Readiness.Progress {

  private final PrintStream out;

  public ConsoleProgress(PrintStream out) {
    this.out = out;
  }

  public void step(String message) {
    out.println("==> " + message);
  }

  @Override
  public void waiting(String what, Duration elapsed) {
    out.printf("\r    waiting for %s ... %ds", what, elapsed.toSeconds());
    out.flush();
  }

  @Override
  public void ready(String what, Duration took) {
    out.printf("\r    %s ready in %.1f s%s%n", what, took.toMillis() / 1000.0, " ".repeat(20));
  }
}

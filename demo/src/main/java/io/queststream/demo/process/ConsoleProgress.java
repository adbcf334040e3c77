package io.queststream.demo.process;

import java.io.PrintStream;
import java.time.Duration;

/**
 * Start-up progress: on a terminal one rewritten line per step, ticking each second; into a file or pipe only a
 * line every 30 seconds, so logs stay readable.
 */
public final class ConsoleProgress implements Readiness.Progress {

  private final PrintStream out;
  private final boolean terminal;
  private long lastSecond = -1;

  public ConsoleProgress(PrintStream out) {
    this.out = out;
    this.terminal = System.console() != null;
  }

  public void step(String message) {
    lastSecond = -1;
    out.println("==> " + message);
  }

  @Override
  public void waiting(String what, Duration elapsed) {
    long second = elapsed.toSeconds();
    if (second == lastSecond || (!terminal && (second == 0 || second % 30 != 0))) {
      return;
    }
    lastSecond = second;
    if (terminal) {
      out.printf("\r    waiting for %s ... %ds", what, second);
      out.flush();
    } else {
      out.printf("    still waiting for %s after %ds%n", what, second);
    }
  }

  @Override
  public void ready(String what, Duration took) {
    out.printf("%s    %s ready in %.1f s%s%n", terminal ? "\r" : "", what, took.toMillis() / 1000.0,
        terminal ? " ".repeat(20) : "");
  }
}

package io.queststream.demo.process;

import java.io.PrintStream;
import java.time.Duration;

/**
 * Start-up progress: on a terminal one rewritten line per step, ticking each second; into a file or pipe only a
 * line every 30 seconds, so logs stay readable.
 */
public final class ConsoleProgress implements Readiness.Progress {

  /** Columns of the narrowest common terminal, less one so the cursor does not wrap. */
  private static final int ROW = 79;

  private final PrintStream out;
  private final boolean terminal;
  private long lastSecond = -1;
  private int lastWidth;

  public ConsoleProgress(PrintStream out) {
    this.out = out;
    this.terminal = System.console() != null;
  }

  public void step(String message) {
    lastSecond = -1;
    lastWidth = 0;
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
      // One terminal row (a wrapped line cannot be rewritten); a shorter line than the last blanks what is left.
      String line = fit(String.format("    waiting for %s", what), String.format(" ... %ds", second));
      out.print("\r" + line + " ".repeat(Math.max(0, lastWidth - line.length())));
      out.flush();
      lastWidth = line.length();
    } else {
      out.printf("    still waiting for %s after %ds%n", what, second);
    }
  }

  private static String fit(String text, String suffix) {
    int room = ROW - suffix.length();
    return (text.length() <= room ? text : text.substring(0, room - 1) + "…") + suffix;
  }

  @Override
  public void ready(String what, Duration took) {
    String line = String.format("    %s ready in %.1f s", what, took.toMillis() / 1000.0);
    out.println(terminal ? "\r" + line + " ".repeat(Math.max(0, lastWidth - line.length())) : line);
    lastWidth = 0;
  }
}

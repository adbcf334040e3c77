package io.queststream.config;

import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * How a command of the launcher or of either app that fails reports it: one line naming the command and what went
 * wrong, exit status 1; the stack trace only with {@code --verbose} ({@link VerboseOption} on the top command).
 */
public final class CliErrors implements IExecutionExceptionHandler {

  public static final String VERBOSE = "--verbose";
  public static final int EXIT_FAILED = 1;

  /** {@code command} with this error reporting. */
  public static CommandLine reportingErrors(CommandLine command) {
    return command.setExecutionExceptionHandler(new CliErrors());
  }

  @Override
  public int handleExecutionException(Exception e, CommandLine command, ParseResult parsed) {
    PrintWriter err = command.getErr();
    if (verbose(parsed)) {
      e.printStackTrace(err);
    }
    err.println(command.getCommandSpec().qualifiedName() + ": " + describe(e)
        + (verbose(parsed) ? "" : " (" + VERBOSE + " shows the stack trace)"));
    err.flush();
    return EXIT_FAILED;
  }

  /** The exception's message; a wrapper without words of its own (its message is its cause) gives its cause's. */
  public static String describe(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && (t.getMessage() == null || t.getMessage().isBlank()
        || t.getMessage().equals(t.getCause().toString()))) {
      t = t.getCause();
    }
    return own(t);
  }

  private static String own(Throwable e) {
    if (e instanceof NoSuchFileException f) {
      return "no such file: " + f.getFile();
    }
    if (e instanceof AccessDeniedException f) {
      return "permission denied: " + f.getFile();
    }
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }

  private static boolean verbose(ParseResult parsed) {
    for (ParseResult p = parsed; p != null; p = p.subcommand()) {
      if (p.hasMatchedOption(VERBOSE)) {
        return true;
      }
    }
    return false;
  }
}

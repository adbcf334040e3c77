package io.queststream.config;

import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The {@code --verbose} option of a command line whose errors {@link CliErrors} reports (mixin, inherited). */
public final class VerboseOption {

  @Option(names = CliErrors.VERBOSE, scope = ScopeType.INHERIT,
      description = "On failure, print the stack trace as well as the one-line error.")
  boolean verbose;
}

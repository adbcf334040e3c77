package io.queststream.bench;

import io.queststream.bench.model.ModelBenchCommand;
import io.queststream.bench.streaming.StreamingBenchCommand;
import io.queststream.bench.trainer.TrainerBenchCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bench streaming | model | trainer}: the figures in docs/benchmarks.md come from these commands. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Benchmarks of the scoring pipeline, the reward model and the trainer. Every figure is printed "
        + "with what decides it: CPU, cores, load average, threads, BLAS kernel, and the machine's GEMM peak.",
    subcommands = {StreamingBenchCommand.class, ModelBenchCommand.class, TrainerBenchCommand.class,
        CommandLine.HelpCommand.class})
public final class BenchCli {

  public static void main(String[] args) {
    // Models come from the classpath only: never let DJL reach for the network.
    System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
    System.setProperty("logback.configurationFile",
        System.getProperty("logback.configurationFile", "io/queststream/bench/bench-logback.xml"));
    System.exit(new CommandLine(new BenchCli()).execute(args));
  }
}

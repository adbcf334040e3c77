package io.queststream.trainer.cli;

import io.queststream.trainer.publish.HistoryEntry;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** Prints the local version history, rejected candidates included. */
@Command(name = "history", mixinStandardHelpOptions = true,
    description = "List published versions and rejected candidates with their held-out metrics.")
final class HistoryCommand implements Callable<Integer> {

  @ParentCommand
  TrainerCommand cli;

  @Override
  public Integer call() {
    TrainerContext ctx = cli.context();
    System.out.printf("%-8s %-8s %-9s %-25s %-10s %s%n", "version", "parent", "status", "time", "pair-acc", "notes");
    for (HistoryEntry e : ctx.history.entries()) {
      Double acc = e.metrics().get("heldout.pairwise_accuracy");
      System.out.printf("%-8s %-8s %-9s %-25s %-10s %s%n", e.version() == 0 ? "-" : e.version(),
          e.parentVersion() == null ? "-" : e.parentVersion(), e.status(), Instant.ofEpochMilli(e.createdAtMillis()),
          acc == null ? "-" : String.format("%.4f", acc), String.join("; ", e.reasons()));
    }
    return 0;
  }
}

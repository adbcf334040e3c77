package io.queststream.trainer.cli;

import io.queststream.model.shadow.Agreement;
import io.queststream.model.shadow.ShadowWindow;
import io.queststream.schemas.RewardHeads;
import io.queststream.trainer.publish.KafkaWeightsStore;
import io.queststream.trainer.shadow.ShadowJudge;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * The shadowed candidate for operators (docs/shadow.md): its window against the serving version, the verdict of the
 * criteria, and the decision as a record on the weights topic.
 */
@Command(name = "shadow", mixinStandardHelpOptions = true,
    description = "Show the shadowed candidate's window and verdict (status), apply the verdict: promote when every "
        + "shadow.* criterion holds, discard with the broken ones, else wait (decide), or discard it now (discard).",
    footer = {"", "Exit status: 0 when done (status: a candidate is shadowed), 3 when no candidate is shadowed, "
        + "5 when decide had to wait for more turns."})
final class ShadowCommand implements Callable<Integer> {

  static final int EXIT_NO_CANDIDATE = 3;
  static final int EXIT_WAITING = 5;

  enum Action { status, decide, discard }

  @ParentCommand
  TrainerCommand cli;

  @Parameters(index = "0", paramLabel = "ACTION", description = "status, decide or discard")
  Action action;

  @Option(names = "--reason", defaultValue = "discarded by an operator",
      description = "Why the candidate is discarded (discard)")
  String reason;

  @Override
  public Integer call() {
    TrainerContext ctx = cli.context();
    try (KafkaWeightsStore store = ctx.store()) {
      ShadowJudge judge = ctx.judge(store);
      if (action == Action.discard) {
        Optional<RewardHeads> c = judge.discard(reason);
        c.ifPresent(h -> System.out.println("discarded candidate v" + h.getVersion() + ": " + reason));
        return c.isPresent() ? 0 : noCandidate();
      }
      Optional<ShadowJudge.Judgement> j = action == Action.decide ? judge.decide() : judge.assess();
      if (j.isEmpty()) {
        return noCandidate();
      }
      print(j.get());
      return switch (j.get().verdict().decision()) {
        case WAIT -> action == Action.decide ? EXIT_WAITING : 0;
        case PROMOTE, DISCARD -> 0;
      };
    }
  }

  private static int noCandidate() {
    System.out.println("no candidate is shadowed");
    return EXIT_NO_CANDIDATE;
  }

  private void print(ShadowJudge.Judgement j) {
    ShadowWindow.Summary s = j.window();
    System.out.printf("candidate v%d (parent v%s): %d turns shadowed%n", j.candidate().getVersion(),
        j.candidate().getParentVersion(), s.overall().turns());
    System.out.printf("%-20s %-24s %6s %9s %9s %6s%n", "group", "key", "turns", "spearman", "shift", "flips");
    line("all", "", s.overall());
    s.byCharacter().forEach((k, a) -> line("character", k, a));
    s.byPolicyModel().forEach((k, a) -> line("policy model", k, a));
    for (Agreement.AttributeAgreement a : s.overall().attributes()) {
      System.out.printf(Locale.ROOT, "  %-34s correlation %7.4f  mean shift %+.4f%n", a.attribute(), a.correlation(),
          a.meanShift());
    }
    String verb = switch (j.verdict().decision()) {
      case WAIT -> "waiting";
      case PROMOTE -> action == Action.decide ? "promoted" : "would promote";
      case DISCARD -> action == Action.decide ? "discarded" : "would discard";
    };
    System.out.println(verb + ": " + String.join("; ", j.verdict().reasons()));
  }

  private static void line(String group, String key, Agreement a) {
    System.out.printf(Locale.ROOT, "%-20s %-24s %6d %9.4f %+9.4f %6d%n", group, key, a.turns(),
        a.scoreRankCorrelation(), a.scoreMeanShift(), a.flips());
  }
}

package io.queststream.demo;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.ArchConfiguration;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.lang.EvaluationResult;
import io.queststream.config.Catalogue;
import io.queststream.demo.cli.QuestStreamCli;
import io.queststream.model.RewardScorers;
import io.queststream.sample.SampleData;
import io.queststream.schemas.ChatTurn;
import io.queststream.streams.cli.StreamsAppCommand;
import io.queststream.testkit.KafkaBroker;
import io.queststream.trainer.cli.TrainerCommand;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Guards the package import graph of every module's production code: packages depend on each other without cycles,
 * so each can be read, tested and changed on its own.
 */
class PackageCyclesTest {

  /** One class of each module; the module's production classes are imported from where that class was loaded. */
  private static final List<Class<?>> MODULES = List.of(Catalogue.class, ChatTurn.class, SampleData.class,
      KafkaBroker.class, RewardScorers.class, StreamsAppCommand.class, TrainerCommand.class, QuestStreamCli.class);

  /**
   * Cycles allowed for now, each named in full so that it cannot grow; any other cycle, or one of these through
   * another package, fails. The sample data's entry points and its data types share the root package, which the
   * reader and the generator both use.
   */
  private static final Set<String> KNOWN_CYCLES = Set.of(
      "Slice sample -> Slice sample.generation -> Slice sample",
      "Slice sample -> Slice sample.io -> Slice sample");

  private static JavaClasses production;
  private static boolean resolvedFromClasspath;

  @BeforeAll
  static void importProductionClasses() {
    // Only the project's own classes matter: do not chase every library class they reference.
    resolvedFromClasspath = ArchConfiguration.get().resolveMissingDependenciesFromClassPath();
    ArchConfiguration.get().setResolveMissingDependenciesFromClassPath(false);
    // A module is its target/classes directory, or its jar once packaged; both are production classes only.
    List<Location> modules = MODULES.stream().map(PackageCyclesTest::whereLoaded).map(PackageCyclesTest::location)
        .toList();
    production = new ClassFileImporter().importLocations(modules);
  }

  @AfterAll
  static void restoreConfiguration() {
    ArchConfiguration.get().setResolveMissingDependenciesFromClassPath(resolvedFromClasspath);
  }

  @Test
  void givenEveryModule_whenImported_thenItsProductionPackagesAreThere() {
    Set<String> roots = production.stream().map(c -> c.getPackageName().split("\\.")[2])
        .collect(Collectors.toCollection(TreeSet::new));

    assertThat(roots).containsExactly("config", "demo", "model", "sample", "schemas", "serde", "streams", "testkit",
        "trainer");
    assertThat(production.stream().filter(c -> c.getSimpleName().endsWith("Test") || c.getSimpleName().endsWith("IT")))
        .as("test classes stay out").isEmpty();
  }

  @Test
  void givenAllProductionPackages_whenTheirImportsAreTraced_thenNoCycleBeyondTheKnownOnes() {
    EvaluationResult result = slices().matching("io.queststream.(**)").namingSlices("Slice $1")
        .should().beFreeOfCycles()
        .evaluate(production);

    Set<String> cycles = result.getFailureReport().getDetails().stream()
        .map(PackageCyclesTest::slicesOf)
        .collect(Collectors.toCollection(TreeSet::new));

    assertThat(cycles).isEqualTo(new TreeSet<>(KNOWN_CYCLES));
  }

  /** A classes directory as it is; a jar (what Maven's verify puts on the class path) as the jar's root. */
  private static Location location(Path path) {
    return path.toString().endsWith(".jar") ? Location.of(URI.create("jar:" + path.toUri() + "!/"))
        : Location.of(path);
  }

  private static Path whereLoaded(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** "Cycle detected: Slice a -> \n Slice b -> \n Slice a\n 1. Dependencies ..." as "Slice a -> Slice b -> Slice a". */
  private static String slicesOf(String violation) {
    return violation.lines().takeWhile(l -> !l.trim().matches("\\d+\\. .*"))
        .map(l -> l.replace("Cycle detected:", "").trim())
        .collect(Collectors.joining(" "));
  }
}

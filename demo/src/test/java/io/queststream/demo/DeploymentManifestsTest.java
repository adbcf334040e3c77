package io.queststream.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.queststream.demo.cli.AllSettingsCommand;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs deploy/validate (a Node project) over docker/ and k8s/: Compose schema, rendered Kustomize overlays against
 * the Kubernetes schemas, cross-references and Dockerfile lint. No Docker engine or kubectl is needed; npm is.
 */
class DeploymentManifestsTest {

  private static final long INSTALL_TIMEOUT_S = 300;
  private static final long VALIDATE_TIMEOUT_S = 120;
  /** Written after a successful npm ci: the lockfile's hash, so later runs skip an install that is current. */
  private static final String INSTALL_STAMP = "node_modules/.installed-lock.sha256";

  private static Path repository;
  private static Path validator;
  private static Path settings;

  @TempDir
  Path scratch;

  /**
   * Checked before each test rather than once per class, so that every test reports itself skipped with the reason;
   * the installation itself runs once.
   */
  @BeforeEach
  void installValidatorOnce() throws Exception {
    assumeTrue(onPath("npm") && onPath("node"),
        "npm/node are not on PATH: deployment manifests are not validated in this run");
    if (validator == null) {
      Path root = repositoryRoot();
      install(root.resolve("deploy/validate"));
      repository = root;
      validator = root.resolve("deploy/validate");
      settings = Files.createTempFile("quest-settings", ".json");
      settings.toFile().deleteOnExit();
      Files.writeString(settings, AllSettingsCommand.json());
    }
  }

  private static void install(Path project) throws Exception {
    String lockHash = sha256(project.resolve("package-lock.json"));
    Path stamp = project.resolve(INSTALL_STAMP);
    if (Files.exists(stamp) && Files.readString(stamp).equals(lockHash)) {
      return;
    }
    Run install = run(project, INSTALL_TIMEOUT_S, "npm", "ci", "--no-audit", "--no-fund", "--prefer-offline");
    assertThat(install.exitCode()).as("npm ci failed:%n%s", install.output()).isZero();
    Files.writeString(stamp, lockHash);
  }

  @Test
  void deploymentFilesOfTheRepositoryPassEveryCheck() throws Exception {
    Run validation = validate(repository);

    assertThat(validation.exitCode()).as("validator output:%n%s", validation.output()).isZero();
    assertThat(validation.output()).contains("ok   k8s/overlays/gpu/kustomization.yaml", "ok   docker/docker-compose.yml")
        .contains("configured keys match the apps' declared settings").doesNotContain("not cross-checked");
  }

  @Test
  void rejectsEnvironmentVariablesAndModelKeysThatNoAppReads() throws Exception {
    Path copy = copyOfDeploymentFiles();
    append(copy.resolve("docker/config/streams-app.env"), "QUEST_MODEL_BATCH_SIZZE=8\nQUEST_BATCH_MAX_SIZ=8\n");
    append(copy.resolve("docker/config/trainer.env"), "QUEST_TRAINER_RETRAIN_EVERY_RECORD=5\n");
    append(copy.resolve("docker/config/streams-app-gpu.properties"), "model.batch.size=8\n");

    Run validation = validate(copy);

    assertThat(validation.exitCode()).as("validator output:%n%s", validation.output()).isEqualTo(1);
    assertThat(validation.output())
        .contains("QUEST_MODEL_BATCH_SIZZE maps to model.batch.sizze, which is no model setting")
        .contains("QUEST_BATCH_MAX_SIZ maps to batch.max.siz, which is no streams-app setting")
        .contains("QUEST_TRAINER_RETRAIN_EVERY_RECORD sets retrain.every.record, which the trainer does not read")
        .contains("model.batch.size is not a model setting of the streams app");
  }

  @Test
  void rejectsAStatefulSetWhoseProbeNamesAnUndeclaredPortAndAPortGivenAsText() throws Exception {
    Path copy = copyOfDeploymentFiles();
    Path statefulSet = copy.resolve("k8s/base/streams-app/statefulset.yaml");
    replace(statefulSet, "containerPort: 8088", "containerPort: \"8088\"");
    replace(statefulSet, "path: /health/ready\n              port: http", "path: /health/ready\n              port: admin");

    Run validation = validate(copy);

    assertThat(validation.exitCode()).as("validator output:%n%s", validation.output()).isEqualTo(1);
    assertThat(validation.output())
        .contains("FAIL k8s/base/streams-app/statefulset.yaml: StatefulSet/quest-streams-app: "
            + "/spec/template/spec/containers/0/ports/0/containerPort must be integer")
        .contains("readinessProbe uses port admin, which the container does not declare");
  }

  @Test
  void rejectsAnOverlayPatchWithoutTargetAndAComposeServiceDependingOnAnUnknownOne() throws Exception {
    Path copy = copyOfDeploymentFiles();
    replace(copy.resolve("k8s/overlays/gpu/kustomization.yaml"), "name: quest-streams-app\n",
        "name: quest-scoring\n");
    replace(copy.resolve("docker/docker-compose.yml"), "    depends_on:\n      trainer-bootstrap:",
        "    depends_on:\n      trainer-init:");

    Run validation = validate(copy);

    assertThat(validation.exitCode()).as("validator output:%n%s", validation.output()).isEqualTo(1);
    assertThat(validation.output())
        .contains("patch streams-app-gpu.yaml targets StatefulSet/quest-scoring, which no resource defines")
        .contains("service trainer depends on unknown service trainer-init");
  }

  private static Run validate(Path root) throws IOException, InterruptedException {
    return run(validator, VALIDATE_TIMEOUT_S, "node", "validate.mjs", "--root", root.toString(), "--settings",
        settings.toString());
  }

  private Path copyOfDeploymentFiles() throws IOException {
    for (String dir : List.of("docker", "k8s")) {
      Path source = repository.resolve(dir);
      try (Stream<Path> files = Files.walk(source)) {
        for (Path file : files.toList()) {
          Path target = scratch.resolve(dir).resolve(source.relativize(file).toString());
          if (Files.isDirectory(file)) {
            Files.createDirectories(target);
          } else {
            Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES);
          }
        }
      }
    }
    return scratch;
  }

  private static void replace(Path file, String from, String to) throws IOException {
    String text = Files.readString(file);
    assertThat(text).as("%s no longer contains the text this test breaks", file).contains(from);
    Files.writeString(file, text.replace(from, to));
  }

  private static void append(Path file, String lines) throws IOException {
    Files.writeString(file, Files.readString(file) + lines);
  }

  private record Run(int exitCode, String output) {}

  private static Run run(Path dir, long timeoutSeconds, String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    process.getOutputStream().close();
    StringBuilder output = new StringBuilder();
    Thread reader = new Thread(() -> {
      try (InputStream in = process.getInputStream()) {
        output.append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        output.append("cannot read output: ").append(e.getMessage());
      }
    });
    reader.start();
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      reader.join();
      return new Run(-1, String.join(" ", command) + " did not finish within " + timeoutSeconds + " s\n" + output);
    }
    reader.join();
    return new Run(process.exitValue(), output.toString());
  }

  private static boolean onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    List<Path> candidates = new ArrayList<>();
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isBlank()) {
        candidates.add(Path.of(dir, program));
      }
    }
    return candidates.stream().anyMatch(Files::isExecutable);
  }

  /** The directory holding deploy/validate: the working directory of the module or one of its parents. */
  private static Path repositoryRoot() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.exists(dir.resolve("deploy/validate/package.json"))) {
        return dir;
      }
    }
    throw new IllegalStateException("deploy/validate/package.json not found above " + Path.of("").toAbsolutePath());
  }

  private static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }
}

import fs from "node:fs";
import path from "node:path";
import { validate as lint } from "dockerfile-utils";
import { exists, listFiles, readText } from "./files.mjs";

/** Instructions of a Dockerfile with continuation lines joined; comments dropped. */
export function instructions(text) {
  const joined = text.replace(/\\\r?\n/g, " ");
  return joined.split(/\r?\n/).map((line) => line.trim()).filter((line) => line && !line.startsWith("#"))
    .map((line) => {
      const [keyword, ...rest] = line.split(/\s+/);
      return { keyword: keyword.toUpperCase(), args: rest.join(" ") };
    });
}

/** The instructions of the last stage: what the image that runs is made of. */
function finalStage(all) {
  const lastFrom = all.map((i) => i.keyword).lastIndexOf("FROM");
  return all.slice(lastFrom);
}

/** Ports an image exposes (from EXPOSE in its final stage). */
export function exposedPorts(text) {
  return finalStage(instructions(text)).filter((i) => i.keyword === "EXPOSE")
    .flatMap((i) => i.args.split(/\s+/)).map((p) => Number.parseInt(p, 10));
}

/** COPY sources that Maven builds: <module>/target/... (the image takes the jars built before `docker build`). */
const BUILD_OUTPUT = /^([\w.-]+)\/target\//;

/** The module whose jars an image holds: a Maven build of it in a RUN (-pl MODULE), or COPY of its target/. */
function builtModule(all) {
  const fromRun = all.filter((i) => i.keyword === "RUN").map((i) => /-pl (\S+)/.exec(i.args)?.[1]).find(Boolean);
  const fromCopy = copySources(all).map((src) => BUILD_OUTPUT.exec(src)?.[1]).find(Boolean);
  return fromRun ?? fromCopy;
}

function copySources(all) {
  return all.filter((i) => i.keyword === "COPY" && !i.args.includes("--from="))
    .flatMap((i) => i.args.split(/\s+/).filter((p) => !p.startsWith("--")).slice(0, -1));
}

/**
 * The image's main class (ARG MAIN_CLASS) must exist in the module the image holds, when that module's sources are
 * in the tree: the launcher would otherwise fail at the first start of the container.
 */
function checkMainClass(report, root, file, all) {
  const mainClass = all.find((i) => i.keyword === "ARG" && i.args.startsWith("MAIN_CLASS="))?.args.split("=")[1];
  const module = builtModule(all);
  if (!mainClass || !module) {
    report.problem(file, "needs ARG MAIN_CLASS and the jars of one module (-pl MODULE, or COPY MODULE/target/...)");
    return;
  }
  const sources = path.join(root, module, "src", "main", "java");
  if (exists(sources) && !exists(path.join(sources, `${mainClass.replaceAll(".", "/")}.java`))) {
    report.problem(file, `MAIN_CLASS ${mainClass} is not a class of ${module}/src/main/java`);
  }
}

/**
 * A COPY source must be in the build context: a file of the repository, or a build output of a module
 * (<module>/target/...) that the repository's .dockerignore lets in.
 */
function checkCopySources(report, root, file, all, ignoreLines) {
  for (const src of copySources(all)) {
    const output = BUILD_OUTPUT.exec(src);
    if (!output && !exists(path.join(root, src))) {
      report.problem(file, `COPY source ${src} does not exist in the build context`);
    } else if (output && exists(path.join(root, output[1], "src"))) {
      if (!exists(path.join(root, output[1], "pom.xml"))) {
        report.problem(file, `COPY source ${src}: ${output[1]} is not a Maven module`);
      }
      if (ignoreLines && !ignoreLines.includes(`!${src.replace(/\/$/, "")}`)) {
        report.problem(file, `COPY source ${src} is kept out of the build context: .dockerignore needs !${src.replace(/\/$/, "")}`);
      }
    }
  }
}

/**
 * The repository's .dockerignore (the classic builder reads only the context's own, and BuildKit falls back to it):
 * target/, .git and node_modules stay out, and test and source jars stay out even where a module's jars are let in.
 */
function checkDockerignore(report, root) {
  const ignore = path.join(root, ".dockerignore");
  if (!exists(ignore)) {
    report.problem(ignore, "missing (keeps target/ and .git out of the build context of docker/*.Dockerfile)");
    return null;
  }
  const lines = readText(ignore).split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith("#"));
  for (const required of ["**/target", ".git", "**/node_modules", "**/*-tests.jar", "**/*-sources.jar"]) {
    if (!lines.includes(required)) {
      report.problem(ignore, `must exclude ${required}`);
    }
  }
  const lastException = lines.map((l) => l.startsWith("!")).lastIndexOf(true);
  if (lastException >= 0 && (lines.indexOf("**/*-tests.jar") < lastException || lines.indexOf("**/target") > lastException)) {
    report.problem(ignore, "the !exceptions must come after **/target and before the test and source jar exclusions");
  }
  return lines;
}

function usesBuildKitSyntax(text, all) {
  return /^#\s*syntax\s*=/im.test(text) || all.some((i) => i.keyword === "RUN" && /(^|\s)--mount[= ]/.test(i.args));
}

/** docker/offline: the stand-in images' Dockerfiles lint clean and build with the classic builder. */
function validateStandInRecipes(report, dir) {
  for (const file of listFiles(dir, (name) => name === "Dockerfile" || name.endsWith(".Dockerfile"))) {
    report.guard(file, () => {
      const before = report.problems.length;
      const text = readText(file);
      for (const d of lint(text)) {
        report.problem(file, `line ${d.range.start.line + 1}: ${d.message}`);
      }
      if (usesBuildKitSyntax(text, instructions(text))) {
        report.problem(file, "uses BuildKit-only syntax (# syntax= or RUN --mount), which the classic builder cannot build");
      }
      if (report.problems.length === before) {
        report.pass(`${report.relative(file)}: lint clean, classic builder`);
      }
    });
  }
}

/**
 * docker/*.Dockerfile: dockerfile-utils lint (errors and warnings), then the rules every image here follows: a
 * non-root USER, a HEALTHCHECK on /health/ready at the exposed port, an ENTRYPOINT, a MAIN_CLASS of the module it
 * holds, COPY sources that exist in the build context (the repository root, filtered by its .dockerignore) and no
 * `# syntax=` line or `RUN --mount`, which need BuildKit (machines with only the classic builder build these files).
 */
export function validateDockerfiles(report, root) {
  const dockerDir = path.join(root, "docker");
  const dockerfiles = listFiles(dockerDir, (name) => name.endsWith(".Dockerfile"))
    .filter((file) => path.dirname(file) === dockerDir);
  if (dockerfiles.length === 0) {
    report.problem("docker", "no *.Dockerfile found");
  }
  const ignoreLines = checkDockerignore(report, root);
  for (const file of dockerfiles) {
    report.guard(file, () => {
      const before = report.problems.length;
      const text = readText(file);
      for (const d of lint(text)) {
        report.problem(file, `line ${d.range.start.line + 1}: ${d.message}`);
      }
      const all = instructions(text);
      const last = finalStage(all);
      const user = last.filter((i) => i.keyword === "USER").at(-1);
      if (!user || /^(root|0)(:|$)/.test(user.args)) {
        report.problem(file, "the final stage must switch to a non-root USER");
      }
      const healthcheck = last.find((i) => i.keyword === "HEALTHCHECK");
      if (!healthcheck || !healthcheck.args.includes("/health/ready")) {
        report.problem(file, "the final stage needs a HEALTHCHECK against /health/ready");
      }
      const env = last.filter((i) => i.keyword === "ENV").map((i) => i.args).join(" ");
      const httpPort = /QUEST_(?:TRAINER_)?HTTP_PORT=(\d+)/.exec(env)?.[1];
      if (!httpPort || !exposedPorts(text).includes(Number(httpPort))) {
        report.problem(file, "EXPOSE must name the HTTP port set by QUEST_HTTP_PORT / QUEST_TRAINER_HTTP_PORT");
      }
      if (!last.some((i) => i.keyword === "ENTRYPOINT")) {
        report.problem(file, "the final stage needs an ENTRYPOINT");
      }
      checkCopySources(report, root, file, all, ignoreLines);
      if (usesBuildKitSyntax(text, all)) {
        report.problem(file, "uses BuildKit-only syntax (# syntax= or RUN --mount), which the classic builder cannot build");
      }
      checkMainClass(report, root, file, all);
      if (report.problems.length === before) {
        report.pass(`${report.relative(file)}: lint clean, non-root, health check, entrypoint, main class, build context`);
      }
    });
  }
  validateStandInRecipes(report, path.join(dockerDir, "offline"));
  const launcher = path.join(root, "docker", "bin", "launch");
  if (exists(launcher) && (fs.statSync(launcher).mode & 0o111) === 0) {
    report.problem(launcher, "must be executable");
  }
}

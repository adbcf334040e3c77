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

/**
 * The image's main class (ARG MAIN_CLASS) must exist in the module the image builds (-pl MODULE), when that module's
 * sources are in the tree: the launcher would otherwise fail at the first start of the container.
 */
function checkMainClass(report, root, file, all) {
  const mainClass = all.find((i) => i.keyword === "ARG" && i.args.startsWith("MAIN_CLASS="))?.args.split("=")[1];
  const module = all.filter((i) => i.keyword === "RUN").map((i) => /-pl (\S+)/.exec(i.args)?.[1]).find(Boolean);
  if (!mainClass || !module) {
    report.problem(file, "needs ARG MAIN_CLASS and a Maven build of one module (-pl MODULE)");
    return;
  }
  const sources = path.join(root, module, "src", "main", "java");
  if (exists(sources) && !exists(path.join(sources, `${mainClass.replaceAll(".", "/")}.java`))) {
    report.problem(file, `MAIN_CLASS ${mainClass} is not a class of ${module}/src/main/java`);
  }
}

/**
 * docker/*.Dockerfile: dockerfile-utils lint (errors and warnings), then the rules every image here follows: a
 * non-root USER, a HEALTHCHECK on /health/ready at the exposed port, an ENTRYPOINT, a MAIN_CLASS of the module it
 * builds, COPY sources that exist in the build context (the repository root), and a <name>.Dockerfile.dockerignore that keeps build outputs out.
 */
export function validateDockerfiles(report, root) {
  const dockerfiles = listFiles(path.join(root, "docker"), (name) => name.endsWith(".Dockerfile"));
  if (dockerfiles.length === 0) {
    report.problem("docker", "no *.Dockerfile found");
  }
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
      for (const copy of all.filter((i) => i.keyword === "COPY" && !i.args.includes("--from="))) {
        const parts = copy.args.split(/\s+/).filter((p) => !p.startsWith("--"));
        parts.slice(0, -1).filter((src) => !exists(path.join(root, src)))
          .forEach((src) => report.problem(file, `COPY source ${src} does not exist in the build context`));
      }
      for (const src of all.filter((i) => i.keyword === "RUN").flatMap((i) => i.args.match(/docker\/\S+\.java/g) ?? [])) {
        if (!exists(path.join(root, src))) {
          report.problem(file, `RUN uses ${src}, which does not exist`);
        }
      }
      checkMainClass(report, root, file, all);
      const ignore = `${file}.dockerignore`;
      if (!exists(ignore)) {
        report.problem(file, `missing ${path.basename(ignore)} (keeps target/ and .git out of the build context)`);
      } else if (!/^\*\*\/target$/m.test(readText(ignore)) || !/^\.git$/m.test(readText(ignore))) {
        report.problem(ignore, "must exclude **/target and .git");
      }
      if (report.problems.length === before) {
        report.pass(`${report.relative(file)}: lint clean, non-root, health check, entrypoint, main class, build context`);
      }
    });
  }
  const launcher = path.join(root, "docker", "bin", "launch");
  if (exists(launcher) && (fs.statSync(launcher).mode & 0o111) === 0) {
    report.problem(launcher, "must be executable");
  }
}
